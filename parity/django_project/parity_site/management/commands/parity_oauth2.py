"""django-oauth-toolkit fixtures of the `oauth2` parity group (idempotent; run after parity_fixtures).

Through DOT's own models (so the rows are exactly what DOT writes):

- confidential applications `parity-cc` (client-credentials grant, client_id `parity-cc-client`,
  secret `parity-cc-secret`) and `parity-pw` (password grant, `parity-pw-client` /
  `parity-pw-secret`); the secrets stored hashed as DOT does by default (`hash_client_secret`,
  `make_password` with the first of PASSWORD_HASHERS);
- the access tokens of TOKENS, stored as DOT stores them (`token` raw unless
  COMPLIANT_BCP_RFC9700_TOKEN_STORAGE, `token_checksum` = SHA-256 hex computed by the model);
- a DRF token `adminoauth2` for the staff user `admin` (the `TokenHasScope | IsAdminUser` rows).

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

        self.stdout.write(json.dumps(out, sort_keys=True))
