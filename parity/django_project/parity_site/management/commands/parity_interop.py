"""Django's ORM side of the interop suite (`parity/run_interop.py`): one subcommand per question, one
JSON object on stdout.

Works with any user model (`get_user_model()`, its USERNAME_FIELD and manager), so the same calls
serve the `auth_user` pass and the `custom_users.Member` pass; USER is always the value of the
USERNAME_FIELD (a username, or an e-mail address for Member).

    create-user USER PASSWORD [--staff] [--superuser] [--legacy-hash pbkdf2_sha256_500|pbkdf2_sha1_500]
    create-token USER                  DRF Token.objects.create -> {"key": ...}
    delete-token USER                  deletes the user's DRF token(s) -> {"deleted": n}
    token-of USER                      {"key": ... | null}
    create-knox USER                   knox AuthToken.objects.create(user) -> {"token": plain, "digest": ...}
    knox-of USER                       {"digests": [...], "token_keys": [...]}
    set-password USER PASSWORD         user.set_password + save (Django's way of changing a password)
    check-password USER PASSWORD       hashers.check_password against the stored hash, WITHOUT the
                                       setter that would upgrade the hash: the stored row is not changed
    hash-of USER                       {"password": <encoded>, "algorithm", "iterations", "must_update"}
    user USER                          {"pk", "username", "is_staff", "is_superuser", "is_active", "str"}
    has-perms USER PERM...             {"has_perm": {PERM: user.has_perm(PERM)}, "all": sorted(user.get_all_permissions())}
    grant USER PERM...                 user.user_permissions.add(...) of each "app_label.codename"
    make-group NAME                    Group.objects.get_or_create(name=NAME) -> {"pk": ...}
    assign-obj-perm WHO PERM PK        django-guardian's assign_perm(PERM, user WHO or group:NAME, group PK)
    join-group USER GROUP PERM...      Group.objects.get_or_create(name=GROUP), its permissions.add(...) of
                                       each "app_label.codename", user.groups.add(group)
    login USER PASSWORD                django.test.Client().login(): the session Django's login() saves
                                       -> {"sessionid": ...}
    authenticate-token KEY             DRF's TokenAuthentication.authenticate_credentials -> {"user": ...}
                                       or {"error": detail}
    authenticate-knox TOKEN            knox's TokenAuthentication.authenticate_credentials -> the same
    decode-session SESSION_KEY         SessionStore(key).load() and Session.get_decoded(): _auth_user_id,
                                       whether _auth_user_hash matches the user's current password
"""
import json

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from knox.models import AuthToken
from rest_framework.authtoken.models import Token


class LegacyPBKDF2SHA256(PBKDF2PasswordHasher):
    """Same algorithm name (`pbkdf2_sha256`), fewer iterations than PBKDF2_ITERATIONS (1000)."""

    iterations = 500


class LegacyPBKDF2SHA1(PBKDF2SHA1PasswordHasher):
    """`pbkdf2_sha1`, second in PASSWORD_HASHERS: a hash from before the default changed."""

    iterations = 500


LEGACY_HASHERS = {"pbkdf2_sha256_500": LegacyPBKDF2SHA256, "pbkdf2_sha1_500": LegacyPBKDF2SHA1}


def get_user(username):
    User = get_user_model()
    try:
        return User.objects.get_by_natural_key(username)
    except User.DoesNotExist:
        raise CommandError(f"no user {username!r} ({User._meta.db_table}.{User.USERNAME_FIELD})")


def describe_hash(encoded):
    out = {"password": encoded}
    try:
        hasher = identify_hasher(encoded)
    except ValueError:
        out.update(algorithm=None, must_update=None)
        return out
    out["algorithm"] = hasher.algorithm
    out["hasher"] = f"{type(hasher).__module__}.{type(hasher).__qualname__}"
    decoded = hasher.decode(encoded)
    if "iterations" in decoded:
        out["iterations"] = decoded["iterations"]
    out["must_update"] = hasher.must_update(encoded)
    return out


class Command(BaseCommand):
    help = "ORM operations and questions for the interop suite (JSON on stdout)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("create-user")
        p.add_argument("username")
        p.add_argument("password")
        p.add_argument("--staff", action="store_true")
        p.add_argument("--superuser", action="store_true")
        p.add_argument("--legacy-hash", choices=sorted(LEGACY_HASHERS))
        for name in ("create-token", "delete-token", "token-of", "create-knox", "knox-of", "hash-of", "user"):
            sub.add_parser(name).add_argument("username")
        for name in ("set-password", "check-password"):
            p = sub.add_parser(name)
            p.add_argument("username")
            p.add_argument("password")
        sub.add_parser("decode-session").add_argument("session_key")
        for name in ("has-perms", "grant"):
            p = sub.add_parser(name)
            p.add_argument("username")
            p.add_argument("perms", nargs="+")
        p = sub.add_parser("assign-obj-perm")
        p.add_argument("who", help="a username, or group:NAME (made when missing)")
        p.add_argument("perm")
        p.add_argument("pk", type=int)
        sub.add_parser("make-group").add_argument("name")
        p = sub.add_parser("join-group")
        p.add_argument("username")
        p.add_argument("group")
        p.add_argument("perms", nargs="*")
        p = sub.add_parser("login")
        p.add_argument("username")
        p.add_argument("password")
        sub.add_parser("authenticate-token").add_argument("key")
        sub.add_parser("authenticate-knox").add_argument("token")
        # django-oauth-toolkit's cleartokens (scenario 19): rows of every kind, labelled by tag.
        sub.add_parser("dot-cleanup-fixtures").add_argument("tag")
        sub.add_parser("dot-survivors").add_argument("tag")

    def handle(self, *args, action, **options):
        out = getattr(self, "do_" + action.replace("-", "_"))(**options)
        self.stdout.write(json.dumps(out, sort_keys=True, default=str))

    def do_dot_cleanup_fixtures(self, tag, **_):
        """One row of each kind `clear_expired()` decides about, through DOT's models; each
        labelled `<tag>-<label>` (token, code or scope), so survivors are named by label."""
        from datetime import timedelta
        from uuid import uuid4

        from django.utils import timezone
        from oauth2_provider.models import (get_access_token_model, get_application_model, get_grant_model,
                                            get_id_token_model, get_refresh_token_model)

        AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
        IDToken, Grant = get_id_token_model(), get_grant_model()
        user = get_user_model().objects.create_user(
            **{get_user_model().USERNAME_FIELD: f"dot_{tag}", "password": "dot-cleanup"})
        app = get_application_model().objects.create(
            name=f"cleanup-{tag}", client_type="confidential", authorization_grant_type="authorization-code",
            redirect_uris="https://client.example.com/cb", client_secret="cleanup-secret", user=user)
        now = timezone.now()
        hours = lambda n: now + timedelta(hours=n)

        def access(label, expires, **extra):
            return AccessToken.objects.create(user=user, application=app, token=f"{tag}-{label}",
                                              expires=expires, scope=f"{tag}-{label}", **extra)

        def refresh(label, access_token, revoked=None):
            return RefreshToken.objects.create(user=user, application=app, token=f"{tag}-{label}",
                                               access_token=access_token, revoked=revoked)

        revoked_long_ago = refresh("refresh-revoked-2h", access("access-of-revoked-2h", hours(-3)), hours(-2))
        refresh("refresh-revoked-10s", access("access-of-revoked-10s", hours(1)), now - timedelta(seconds=10))
        refresh("refresh-orphan", None)
        refresh("refresh-idle-2h", access("access-expired-2h-held", hours(-2)))
        refresh("refresh-idle-30m", access("access-expired-30m-held", now - timedelta(minutes=30)))
        refresh("refresh-live", access("access-live-held", hours(1)))
        access("access-expired-free", hours(-1))
        access("access-live-free", hours(1))
        # An access token minted from the revoked refresh token: its link is set to NULL.
        access("access-from-revoked", hours(1), source_refresh_token=revoked_long_ago)
        id_used = IDToken.objects.create(user=user, application=app, jti=uuid4(), expires=hours(-1),
                                         scope=f"{tag}-id-expired-used")
        access("access-with-id-token", hours(1), id_token=id_used)
        IDToken.objects.create(user=user, application=app, jti=uuid4(), expires=hours(-1),
                               scope=f"{tag}-id-expired-free")
        IDToken.objects.create(user=user, application=app, jti=uuid4(), expires=hours(1),
                               scope=f"{tag}-id-live-free")
        for label, expires in (("grant-expired", hours(-1)), ("grant-live", hours(1))):
            Grant.objects.create(user=user, application=app, code=f"{tag}-{label}", expires=expires,
                                 redirect_uri="https://client.example.com/cb", scope=f"{tag}-{label}")
        return self.do_dot_survivors(tag)

    def do_dot_survivors(self, tag, **_):
        """The labels of `tag`'s rows still there, per table, and the access tokens' links."""
        from oauth2_provider.models import (get_access_token_model, get_grant_model, get_id_token_model,
                                            get_refresh_token_model)

        prefix = f"{tag}-"
        strip = lambda values: sorted(v[len(prefix):] for v in values)
        AccessToken = get_access_token_model()
        return {
            "access": strip(AccessToken.objects.filter(token__startswith=prefix).values_list("token", flat=True)),
            "refresh": strip(get_refresh_token_model().objects.filter(token__startswith=prefix)
                             .values_list("token", flat=True)),
            "id": strip(get_id_token_model().objects.filter(scope__startswith=prefix).values_list("scope", flat=True)),
            "grant": strip(get_grant_model().objects.filter(code__startswith=prefix).values_list("code", flat=True)),
            "source_links": strip(AccessToken.objects.filter(token__startswith=prefix,
                                                             source_refresh_token__isnull=False)
                                  .values_list("token", flat=True)),
        }

    def do_create_user(self, username, password, staff, superuser, legacy_hash, **_):
        User = get_user_model()
        fields = {User.USERNAME_FIELD: username, "password": password, "is_staff": staff or superuser,
                  "is_superuser": superuser}
        if User.USERNAME_FIELD != "email" and hasattr(User, "email"):
            fields["email"] = f"{username}@example.com"
        user = User.objects.create_user(**fields)
        if legacy_hash:
            user.password = make_password(password, hasher=LEGACY_HASHERS[legacy_hash]())
            user.save(update_fields=["password"])
        return self.do_user(username)

    def do_user(self, username, **_):
        user = get_user(username)
        return {"pk": user.pk, "username": user.get_username(), "str": str(user), "is_staff": user.is_staff,
                "is_superuser": user.is_superuser, "is_active": user.is_active,
                "table": user._meta.db_table, "username_field": user.USERNAME_FIELD}

    def do_create_token(self, username, **_):
        token = Token.objects.create(user=get_user(username))
        return {"key": token.key}

    def do_delete_token(self, username, **_):
        return {"deleted": Token.objects.filter(user=get_user(username)).delete()[0]}

    def do_token_of(self, username, **_):
        token = Token.objects.filter(user=get_user(username)).first()
        return {"key": token.key if token else None}

    def do_create_knox(self, username, **_):
        instance, token = AuthToken.objects.create(get_user(username))
        return {"token": token, "digest": instance.digest, "token_key": instance.token_key,
                "expiry": instance.expiry}

    def do_knox_of(self, username, **_):
        rows = AuthToken.objects.filter(user=get_user(username)).order_by("created")
        return {"digests": [row.digest for row in rows], "token_keys": [row.token_key for row in rows]}

    def do_set_password(self, username, password, **_):
        user = get_user(username)
        user.set_password(password)
        user.save()
        return describe_hash(user.password)

    def do_check_password(self, username, password, **_):
        user = get_user(username)
        # Not user.check_password(): its setter would upgrade (rewrite) the stored hash.
        return dict(describe_hash(user.password), check_password=check_password(password, user.password))

    def do_has_perms(self, username, perms, **_):
        user = get_user(username)
        return {"has_perm": {perm: user.has_perm(perm) for perm in perms}, "all": sorted(user.get_all_permissions())}

    def do_grant(self, username, perms, **_):
        from django.contrib.auth.models import Permission

        user = get_user(username)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return {"granted": perms}

    def do_make_group(self, name, **_):
        from django.contrib.auth.models import Group

        return {"pk": Group.objects.get_or_create(name=name)[0].pk}

    def do_assign_obj_perm(self, who, perm, pk, **_):
        """django-guardian's `assign_perm(perm, user_or_group, obj)` on group `pk`."""
        from django.contrib.auth.models import Group
        from guardian.shortcuts import assign_perm

        if who.startswith("group:"):
            holder = Group.objects.get_or_create(name=who[len("group:"):])[0]
        else:
            holder = get_user(who)
        assign_perm(perm, holder, Group.objects.get(pk=pk))
        return {"assigned": perm, "to": who, "pk": pk}

    def do_join_group(self, username, group, perms, **_):
        from django.contrib.auth.models import Group, Permission

        group, _ = Group.objects.get_or_create(name=group)
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        get_user(username).groups.add(group)
        return {"group": group.name, "permissions": perms}

    def do_login(self, username, password, **_):
        from django.conf import settings
        from django.test import Client

        client = Client()
        if not client.login(**{get_user_model().USERNAME_FIELD: username, "password": password}):
            raise CommandError(f"Django refuses {username!r}")
        return {"sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value}

    def do_authenticate_token(self, key, **_):
        from rest_framework.authentication import TokenAuthentication
        from rest_framework.exceptions import AuthenticationFailed

        try:
            user, token = TokenAuthentication().authenticate_credentials(key)
        except AuthenticationFailed as error:
            return {"error": str(error.detail)}
        return {"user": user.get_username(), "key": token.key}

    def do_authenticate_knox(self, token, **_):
        from knox.auth import TokenAuthentication
        from rest_framework.exceptions import AuthenticationFailed

        try:
            user, auth_token = TokenAuthentication().authenticate_credentials(token.encode())
        except AuthenticationFailed as error:
            return {"error": str(error.detail)}
        return {"user": user.get_username(), "digest": auth_token.digest}

    def do_hash_of(self, username, **_):
        return describe_hash(get_user(username).password)

    def do_decode_session(self, session_key, **_):
        row = Session.objects.filter(session_key=session_key).first()
        if row is None:
            return {"exists": False}
        data = SessionStore(session_key).load()
        decoded = row.get_decoded()
        out = {"exists": True, "expired": row.expire_date <= timezone.now(), "expire_date": row.expire_date,
               "load": {k: v for k, v in data.items()}, "same_as_get_decoded": data == decoded,
               "_auth_user_id": decoded.get(SESSION_KEY)}
        User = get_user_model()
        user = User._default_manager.filter(pk=decoded.get(SESSION_KEY)).first()
        if user is not None:
            out["username"] = user.get_username()
            out["hash_matches_user"] = constant_time_compare(decoded.get(HASH_SESSION_KEY, ""),
                                                             user.get_session_auth_hash())
        return out
