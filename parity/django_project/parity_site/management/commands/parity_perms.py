"""Creates the users of the model-permissions parity groups (idempotent), all with password
`password`, and their permissions on `auth.Group` (the model the parity views' `queryset` names):

    perm_none      active, no permission
    perm_user      auth.add_group and auth.change_group, given directly
    perm_group     auth.delete_group and auth.view_group, through the group `parity_editors`
    perm_both      auth.add_group directly, auth.delete_group through `parity_removers`
    perm_staff     staff, no permission
    perm_super     superuser, no permission row
    perm_inactive  inactive, auth.add_group directly
"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand


def perm(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


USERS = {
    "perm_none": ({}, [], {}),
    "perm_user": ({}, ["auth.add_group", "auth.change_group"], {}),
    "perm_group": ({}, [], {"parity_editors": ["auth.delete_group", "auth.view_group"]}),
    "perm_both": ({}, ["auth.add_group"], {"parity_removers": ["auth.delete_group"]}),
    "perm_staff": ({"is_staff": True}, [], {}),
    "perm_super": ({"is_superuser": True}, [], {}),
    "perm_inactive": ({"is_active": False}, ["auth.add_group"], {}),
}


class Command(BaseCommand):
    help = "Create the users of the model-permissions parity groups"

    def handle(self, *args, **options):
        User = get_user_model()
        for name, (flags, own, groups) in USERS.items():
            user, _ = User.objects.get_or_create(username=name)
            user.email = f"{name}@example.com"
            user.is_active = flags.get("is_active", True)
            user.is_staff = flags.get("is_staff", False)
            user.is_superuser = flags.get("is_superuser", False)
            user.set_password("password")
            user.save()
            user.user_permissions.set([perm(p) for p in own])
            for group_name, perms in groups.items():
                group, _ = Group.objects.get_or_create(name=group_name)
                group.permissions.set([perm(p) for p in perms])
                user.groups.add(group)
        self.stdout.write(f"permission users: {len(USERS)}")
