"""Creates the reference fixtures of spec §8 (idempotent).

    john/password (active), inactive/password (inactive), admin/password (staff),
    walterwhité/pässwörd (active); DRF tokens abcd1234 -> john, inactivetoken -> inactive.

`--user NAME:PASSWORD[:inactive][:staff][:unusable]` (repeatable; `unusable`: the password made
unusable, `set_unusable_password()`) adds more users; `--token KEY:USER` more DRF tokens;
`--delete-token KEY` deletes a DRF token afterwards.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

REFERENCE_USERS = [
    ("john", "password", {}),
    ("inactive", "password", {"is_active": False}),
    ("admin", "password", {"is_staff": True}),
    ("walterwhit\u00e9", "p\u00e4ssw\u00f6rd", {}),
]
REFERENCE_TOKENS = [("abcd1234", "john"), ("inactivetoken", "inactive")]


class Command(BaseCommand):
    help = "Create the parity reference users and tokens"

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", default=[], metavar="NAME:PASSWORD[:inactive][:staff][:unusable]")
        parser.add_argument("--token", action="append", default=[], metavar="KEY:USER")
        parser.add_argument("--delete-token", action="append", default=[], metavar="KEY",
                            help="delete this DRF token after creating the fixtures")

    def handle(self, *args, **options):
        users = list(REFERENCE_USERS)
        for spec in options["user"]:
            name, _, rest = spec.partition(":")
            password, *flags = rest.split(":")
            unknown = set(flags) - {"inactive", "staff", "unusable"}
            if not name or unknown:
                raise CommandError(f"bad --user {spec!r}")
            users.append((name, password, {"is_active": "inactive" not in flags, "is_staff": "staff" in flags,
                                           "unusable": "unusable" in flags}))
        tokens = list(REFERENCE_TOKENS)
        for spec in options["token"]:
            key, _, user = spec.partition(":")
            tokens.append((key, user))

        User = get_user_model()
        for name, password, flags in users:
            user, _ = User.objects.get_or_create(username=name)
            user.is_active = flags.get("is_active", True)
            user.is_staff = flags.get("is_staff", False)
            # The parity contract: users have emails <username>@example.com.
            if not user.email:
                user.email = f"{name}@example.com"
            if flags.get("unusable"):
                user.set_unusable_password()
            elif not user.has_usable_password() or not user.check_password(password):
                user.set_password(password)
            user.save()
        for key, username in tokens:
            user = User.objects.get(username=username)
            Token.objects.filter(user=user).exclude(key=key).delete()
            Token.objects.get_or_create(key=key, defaults={"user": user})
        deleted = Token.objects.filter(key__in=options["delete_token"]).delete()[0]
        self.stdout.write(f"fixtures: {len(users)} users, {len(tokens)} tokens, {deleted} deleted")
