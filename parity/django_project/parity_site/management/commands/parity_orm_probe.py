"""Asks Django's ORM about rows of one user, to show whether rows written by the other server are
read and compared correctly (SQLite compares datetime columns as text).

Prints one JSON object; every count is 1 when the rows behave like Django-written rows.
"""
import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from knox.models import AuthToken
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "ORM look-ups on the rows of a user (parity check)"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.get(username=username)
        users = User.objects.filter(pk=user.pk)
        # Each look-up uses the row's own value read back through the ORM, so the answer does not depend
        # on the time of day: a Django-written row always matches itself (count 1).
        out = {"user.date_joined = its own value": users.filter(date_joined=user.date_joined).count()}
        if user.last_login is not None:
            out["user.last_login = its own value"] = users.filter(last_login=user.last_login).count()
        for token in Token.objects.filter(user=user):
            out["authtoken.created = its own value"] = Token.objects.filter(
                pk=token.pk, created=token.created).count()
        for index, token in enumerate(AuthToken.objects.filter(user=user)):
            tokens = AuthToken.objects.filter(pk=token.pk)
            out[f"knox[{index}].created = its own value"] = tokens.filter(created=token.created).count()
            out[f"knox[{index}].expiry = its own value"] = tokens.filter(expiry=token.expiry).count()
            # knox's TOKEN_LIMIT_PER_USER query (LoginView.post) filters on `expiry > now`: a token must
            # not count as valid at an instant after its expiry.
            out[f"knox[{index}] not (expiry > its expiry + 1 s)"] = 1 - tokens.filter(
                expiry__gt=token.expiry + timedelta(seconds=1)).count()
        self.stdout.write(json.dumps(out, sort_keys=True))
