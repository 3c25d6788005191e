"""Creates the load benchmark's fixtures (bench/run.py) and prints them as one JSON line.

    user `bench` with the given password, hashed by the configured hasher (PBKDF2_ITERATIONS);
    its DRF token (40 hex digits, DRF's own generator);
    a Django session of that user, made by Django's own login (`django.contrib.auth.login`);
    a simplejwt access token;
    a django-oauth-toolkit access token (scope `read write`, DOT's own generator and model).

Output: {"username": ..., "password": ..., "token": ..., "sessionid": ..., "jwt": ..., "oauth2": ...}
"""
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create the load benchmark's user, DRF token and Django session"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="bench")
        parser.add_argument("--password", required=True)

    def handle(self, *args, **options):
        username, password = options["username"], options["password"]
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=username)
        user.is_active = True
        if not user.has_usable_password() or not user.check_password(password):
            user.set_password(password)
        user.save()
        token, _ = Token.objects.get_or_create(user=user)

        # The test client's login runs the real authenticate() + login(): a session row in the
        # database, exactly as Django's login view leaves it.
        client = Client()
        if not client.login(username=username, password=password):
            raise CommandError(f"Django refused the login of {username!r}")
        sessionid = client.cookies[settings.SESSION_COOKIE_NAME].value

        # simplejwt's access token for the JWT rows, valid for the whole run (a run takes longer
        # than ACCESS_TOKEN_LIFETIME's five minutes; verification does not look at the lifetime).
        from datetime import timedelta

        from rest_framework_simplejwt.tokens import AccessToken

        access = AccessToken.for_user(user)
        access.set_exp(lifetime=timedelta(hours=6))

        # A DOT access token of a client-credentials application, for the user, valid for the run.
        from django.utils import timezone
        from oauthlib.common import generate_token

        from oauth2_provider.models import get_access_token_model, get_application_model

        application, _ = get_application_model().objects.get_or_create(
            client_id="bench-client",
            defaults={"name": "bench", "client_type": "confidential",
                      "authorization_grant_type": "client-credentials", "client_secret": "bench-secret"},
        )
        oauth2 = generate_token()
        get_access_token_model().objects.create(
            user=user, application=application, token=oauth2, scope="read write",
            expires=timezone.now() + timedelta(hours=6),
        )

        self.stdout.write(json.dumps({
            "username": username,
            "password": password,
            "token": token.key,
            "sessionid": sessionid,
            "jwt": str(access),
            "oauth2": oauth2,
        }))
