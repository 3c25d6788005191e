"""django-oauth-toolkit fixtures of the `oauth2` parity group (idempotent; run after parity_fixtures).

Through DOT's own models (so the rows are exactly what DOT writes):

- confidential applications `parity-cc` (client-credentials grant, client_id `parity-cc-client`,
  secret `parity-cc-secret`) and `parity-pw` (password grant, `parity-pw-client` /
  `parity-pw-secret`); the secrets stored hashed as DOT does by default (`hash_client_secret`,
  `make_password` with the first of PASSWORD_HASHERS);
- the access tokens of TOKENS, stored as DOT stores them (`token` raw unless
  COMPLIANT_BCP_RFC9700_TOKEN_STORAGE, `token_checksum` = SHA-256 hex computed by the model);
- a DRF token `adminoauth2` for the staff user `admin` (the `TokenHasScope | IsAdminUser` rows);
- for the `oauth2-provider` group (DOT's `/o/token/`, `/o/revoke_token/`, `/o/introspect/`): the
  applications of PROVIDER_APPLICATIONS (a public client, secrets stored unhashed and empty, an
  authorization-code client with a pending grant, a client with an allowed CORS origin), and per
  server (`dj` / `rs`, so that a refresh or a revocation on one server never touches the rows the
  other server uses) the access + refresh token pairs of PROVIDER_PAIRS, written through DOT's
  models as `_save_bearer_token` writes them (a token family each; revoked, orphaned, expired,
  resource-restricted and inactive-user variants). run_parity.py's P_PAIRS names the same rows;
- for the `oauth2-authorize` group (DOT's `/o/authorize/`): the applications of
  AUTHORIZE_APPLICATIONS (one, two and no redirect URIs, skip_authorization, a password and an
  implicit application with a redirect URI, a public client, HTML in a name), and per server the
  users `authz_<side>` / `authzoff_<side>` (password `password`) with the access tokens of
  AUTHORIZE_TOKENS (approval_prompt=auto).

Prints one JSON object: {token: {"pk": pk, "auth": "AccessToken #pk"}} for the runner.
"""
import hashlib
import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model, set_token_value
from rest_framework.authtoken.models import Token

APPLICATIONS = [
    # name, client_id, secret, grant
    ("parity-cc", "parity-cc-client", "parity-cc-secret", "client-credentials"),
    ("parity-pw", "parity-pw-client", "parity-pw-secret", "password"),
]

DAY, EXPIRED = timedelta(days=1), timedelta(hours=-1)
CC = "parity-cc"

# raw token, user (None: no user), scope, application name (None: NULL), expires in, resource
TOKENS = [
    ("ReadJohn000000000000000000000A", "john", "read", CC, DAY, []),
    ("ReadWriteJohn0000000000000000B", "john", "read write", CC, DAY, []),
    ("AllScopesJohn0000000000000000C", "john", "read write orders:read orders:write create admin", CC, DAY, []),
    ("ExpiredJohn000000000000000000D", "john", "read write", CC, EXPIRED, []),
    ("ClientCredentials000000000000E", None, "read write", CC, DAY, []),
    ("InactiveUser0000000000000000F", "inactive", "read write", CC, DAY, []),
    ("ResourceMatch0000000000000000G", "john", "read write", CC, DAY, ["http://api.example.com/oauth2"]),
    ("ResourceOther0000000000000000H", "john", "read write", CC, DAY, ["https://other.example.com/"]),
    ("NoApplication0000000000000000I", "john", "read write", None, DAY, []),
    ("AdminReadOnly0000000000000000J", "admin", "read", CC, DAY, []),
    ("EmptyScope000000000000000000K", "john", "", CC, DAY, []),
    ("OrdersWriter0000000000000000L", "john", "orders:write", CC, DAY, []),
]

ADMIN_DRF_TOKEN = "adminoauth2"

# The `oauth2-provider` group's applications: name, client_id, secret, grant, client type,
# hash_client_secret, redirect_uris, allowed_origins.
PROVIDER_APPLICATIONS = [
    ("parity-public", "parity-public-client", "parity-public-secret", "password", "public", True, "", ""),
    ("parity-public-cc", "parity-public-cc-client", "parity-public-cc-secret", "client-credentials", "public",
     True, "", ""),
    ("parity-plain", "parity-plain-client", "parity-plain-secret", "client-credentials", "confidential", False,
     "", ""),
    ("parity-empty", "parity-empty-client", "", "client-credentials", "confidential", False, "", ""),
    ("parity-ac", "parity-ac-client", "parity-ac-secret", "authorization-code", "confidential", True,
     "https://client.example.com/cb", ""),
    ("parity-cors", "parity-cors-client", "parity-cors-secret", "password", "confidential", True, "",
     "https://app.example.com"),
]

# The access tokens of the introspection rows (shared by both servers: introspection changes nothing).
TOKENS += [
    ("Introspector0000000000000000M", None, "introspection", CC, DAY, []),
    ("IntrospectorExpired000000000N", None, "introspection", CC, EXPIRED, []),
    ("IntrospectorJohn000000000000O", "john", "read introspection", CC, DAY, []),
    ("IntrospectorResource00000000P", None, "introspection", CC, DAY, ["https://other.example.com/"]),
    ("PublicClientToken00000000000Q", "john", "read write", "parity-public", DAY, []),
]

# Per-server access + refresh token pairs (`prov-at-<name>-<side>` / `prov-rt-<name>-<side>`):
# name, application, user, scope, access token expires in (None: no access token row),
# refresh token revoked this long ago (None: live), resource.
PROVIDER_SIDES = ("dj", "rs")
PROVIDER_PAIRS = [
    ("std", "parity-pw", "john", "read write", DAY, None, []),
    ("narrow", "parity-pw", "john", "read write orders:read", DAY, None, []),
    ("widen", "parity-pw", "john", "read", DAY, None, []),
    ("old", "parity-pw", "john", "read write", timedelta(hours=-2), None, []),
    ("revoked", "parity-pw", "john", "read write", None, timedelta(days=1), []),
    ("orphan", "parity-pw", "john", "read write", None, None, []),
    ("cc", "parity-cc", "john", "read", DAY, None, []),
    ("resource", "parity-pw", "john", "read write", DAY, None, ["http://api.example.com/oauth2"]),
    ("public", "parity-public", "john", "read", DAY, None, []),
    ("inactive", "parity-pw", "inactive", "read write", DAY, None, []),
    ("cors", "parity-cors", "john", "read", DAY, None, []),
    ("revacc", "parity-pw", "john", "read write", DAY, None, []),
    ("revref", "parity-pw", "john", "read write", DAY, None, []),
    ("revother", "parity-pw", "john", "read write", DAY, None, []),
    ("revexp", "parity-pw", "john", "read", timedelta(hours=-2), None, []),
    ("rand1", "parity-pw", "john", "read write", DAY, None, []),
    ("rand2", "parity-cc", "admin", "read", DAY, None, []),
    ("rand3", "parity-public", "john", "read write", DAY, None, []),
]

# Authorization codes (DOT's Grant rows) of `parity-ac` (the grant's error rows only: no exchange
# succeeds, so they are shared): code, expires in, redirect_uri, S256 code_challenge of
# PROVIDER_CODE_VERIFIER.
PROVIDER_CODE_VERIFIER = "parity-code-verifier-0123456789abcdefghijklmnopqrstuvwxyz"
PROVIDER_GRANTS = [
    ("parity-code-live", timedelta(hours=1)),
    ("parity-code-expired", timedelta(hours=-1)),
]

# The `oauth2-authorize` group's applications (DOT's `/o/authorize/`): name, client_id, secret, grant,
# client type, redirect_uris, skip_authorization (secrets stored hashed).
AUTHORIZE_CB = "https://client.example.com/cb"
AUTHORIZE_APPLICATIONS = [
    ("parity-authz", "parity-authz-client", "parity-authz-secret", "authorization-code", "confidential",
     AUTHORIZE_CB, False),  # one redirect URI
    ("parity-authz-two", "parity-authz-two-client", "parity-authz-two-secret", "authorization-code",
     "confidential", AUTHORIZE_CB + " https://client.example.com/other?x=1", False),  # two URIs, one with a query
    ("parity-authz-skip", "parity-authz-skip-client", "parity-authz-skip-secret", "authorization-code",
     "confidential", AUTHORIZE_CB, True),  # skip_authorization
    ("parity-authz-pw", "parity-authz-pw-client", "parity-authz-pw-secret", "password", "confidential",
     AUTHORIZE_CB, False),  # another grant type, with a redirect URI
    ("parity-authz-implicit", "parity-authz-implicit-client", "parity-authz-implicit-secret", "implicit",
     "confidential", AUTHORIZE_CB, False),  # the implicit grant
    ("", "parity-authz-public-client", "parity-authz-public-secret", "authorization-code", "public",
     AUTHORIZE_CB, False),  # public client, empty name
    ("<Zo\u00eb & \"Co\">'s app", "parity-authz-native-client", "parity-authz-native-secret", "authorization-code",
     "confidential", "http://127.0.0.1/cb com.example.app:/cb", False),  # HTML in the name; loopback, custom scheme
    ("parity-authz-none", "parity-authz-none-client", "parity-authz-none-secret", "authorization-code",
     "confidential", "", False),  # no redirect URI
]
# Per-server users of the `oauth2-authorize` group (`<base>_dj` / `<base>_rs`, password `password`):
# `authz` consents; `authzoff` is logged in, then deactivated during the run.
AUTHORIZE_USERS = ("authz", "authzoff")
# Per-server access tokens of `authz_<side>` (approval_prompt=auto): raw prefix, application name,
# scope, expires in.
AUTHORIZE_TOKENS = [
    ("authz-auto", "parity-authz", "read write", DAY),
    ("authz-expired", "", "read write", timedelta(hours=-1)),  # the public client's (name ""), expired
]


class Command(BaseCommand):
    help = "Create the django-oauth-toolkit applications and access tokens of the oauth2 parity group"

    def handle(self, *args, **options):
        Application = get_application_model()
        AccessToken = get_access_token_model()
        User = get_user_model()

        apps = {}
        for name, client_id, secret, grant in APPLICATIONS:
            app = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
            app.name = name
            app.client_type = Application.CLIENT_CONFIDENTIAL
            app.authorization_grant_type = grant
            app.hash_client_secret = True
            app.user = None
            if not app.client_secret or not check_password(secret, app.client_secret):
                app.client_secret = secret  # hashed by ClientSecretField.pre_save
            app.save()
            apps[name] = app

        for name, client_id, secret, grant, client_type, hashed, redirect_uris, origins in PROVIDER_APPLICATIONS:
            app = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
            app.name = name
            app.client_type = client_type
            app.authorization_grant_type = grant
            app.hash_client_secret = hashed
            app.redirect_uris = redirect_uris
            app.allowed_origins = origins
            app.user = None
            if not hashed:
                app.client_secret = secret  # stored as it is
            elif not app.client_secret or not check_password(secret, app.client_secret):
                app.client_secret = secret  # hashed by ClientSecretField.pre_save
            app.save()
            apps[name] = app

        now = timezone.now()
        out = {}
        for raw, username, scope, app_name, expires_in, resource in TOKENS:
            checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
            token = AccessToken.objects.filter(token_checksum=checksum).first() or AccessToken()
            set_token_value(token, raw)
            token.user = User.objects.get(username=username) if username else None
            token.application = apps[app_name] if app_name else None
            token.scope = scope
            token.expires = now + expires_in
            token.resource = resource
            token.save()
            out[raw] = {"pk": token.pk, "auth": str(token)}

        admin = User.objects.get(username="admin")
        Token.objects.filter(user=admin).exclude(key=ADMIN_DRF_TOKEN).delete()
        Token.objects.get_or_create(key=ADMIN_DRF_TOKEN, defaults={"user": admin})

        self.provider_fixtures(apps, now)
        self.authorize_fixtures(now)

        self.stdout.write(json.dumps(out, sort_keys=True))

    def provider_fixtures(self, apps, now):
        """The `oauth2-provider` group's per-server token pairs and the authorization codes."""
        import base64
        import uuid

        from oauth2_provider.models import get_grant_model, get_refresh_token_model

        AccessToken = get_access_token_model()
        RefreshToken = get_refresh_token_model()
        Grant = get_grant_model()
        User = get_user_model()
        checksum = lambda raw: hashlib.sha256(raw.encode("utf-8")).hexdigest()
        for side in PROVIDER_SIDES:
            for name, app_name, username, scope, access_in, revoked_ago, resource in PROVIDER_PAIRS:
                at_raw, rt_raw = f"prov-at-{name}-{side}", f"prov-rt-{name}-{side}"
                RefreshToken.objects.filter(token_checksum=checksum(rt_raw)).delete()
                AccessToken.objects.filter(token_checksum=checksum(at_raw)).delete()
                user, app = User.objects.get(username=username), apps[app_name]
                access = None
                if access_in is not None:
                    access = AccessToken(user=user, application=app, scope=scope, expires=now + access_in,
                                         resource=resource)
                    set_token_value(access, at_raw)
                    access.save()
                refresh = RefreshToken(user=user, application=app, access_token=access, token_family=uuid.uuid4(),
                                       resource=resource, revoked=now - revoked_ago if revoked_ago else None)
                set_token_value(refresh, rt_raw)
                refresh.save()

        challenge = base64.urlsafe_b64encode(hashlib.sha256(PROVIDER_CODE_VERIFIER.encode()).digest())
        john = User.objects.get(username="john")
        for code, expires_in in PROVIDER_GRANTS:
            Grant.objects.filter(code=code).delete()
            Grant.objects.create(application=apps["parity-ac"], user=john, code=code, expires=now + expires_in,
                                 redirect_uri="https://client.example.com/cb", scope="read write",
                                 code_challenge=challenge.decode().rstrip("="), code_challenge_method="S256",
                                 claims="{}")

    def authorize_fixtures(self, now):
        """The `oauth2-authorize` group's applications, per-server users and access tokens."""
        Application = get_application_model()
        AccessToken = get_access_token_model()
        User = get_user_model()
        apps = {}
        for name, client_id, secret, grant, client_type, redirect_uris, skip in AUTHORIZE_APPLICATIONS:
            app = Application.objects.filter(client_id=client_id).first() or Application(client_id=client_id)
            app.name = name
            app.client_type = client_type
            app.authorization_grant_type = grant
            app.hash_client_secret = True
            app.redirect_uris = redirect_uris
            app.allowed_origins = ""
            app.skip_authorization = skip
            app.user = None
            if not app.client_secret or not check_password(secret, app.client_secret):
                app.client_secret = secret  # hashed by ClientSecretField.pre_save
            app.save()
            apps[name] = app
        for side in PROVIDER_SIDES:
            users = {}
            for base in AUTHORIZE_USERS:
                username = f"{base}_{side}"
                user = User.objects.filter(username=username).first() or User(username=username)
                user.is_active = True
                user.set_password("password")
                user.save()
                users[base] = user
            for prefix, app_name, scope, expires_in in AUTHORIZE_TOKENS:
                raw = f"{prefix}-{side}"
                AccessToken.objects.filter(token_checksum=hashlib.sha256(raw.encode()).hexdigest()).delete()
                token = AccessToken(user=users["authz"], application=apps[app_name], scope=scope,
                                    expires=now + expires_in)
                set_token_value(token, raw)
                token.save()
