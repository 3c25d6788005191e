"""Mints the simplejwt tokens of the parity suite's `simplejwt` group and prints them as JSON.

Tokens of the reference users (john, inactive) as simplejwt's `for_user` makes them, and crafted
ones signed with the project's SECRET_KEY (simplejwt's default SIGNING_KEY): expired, another
type, no id, no user claim, an unknown or non-numeric user, a padded payload segment, a header
with its keys in another order.
"""
import base64
import hashlib
import hmac
import json
import time
import warnings

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken, SlidingToken


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(header: dict, payload: dict, pad: bool = False) -> str:
    head = b64(json.dumps(header, separators=(",", ":")).encode())
    body = b64(json.dumps(payload, separators=(",", ":")).encode())
    if pad:
        body += "=" * (-len(body) % 4)
    signature = hmac.new(settings.SECRET_KEY.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


class Command(BaseCommand):
    help = "Print simplejwt tokens for the parity suite"

    def handle(self, *args, **options):
        warnings.simplefilter("ignore")
        users = get_user_model().objects
        john = users.get(username="john")
        inactive = users.get(username="inactive")
        now = int(time.time())
        base = {"token_type": "access", "exp": now + 600, "iat": now, "jti": "ab" * 16,
                "user_id": str(john.pk)}
        sorted_header = {"alg": "HS256", "typ": "JWT"}
        padded = dict(base, pad="x")
        while len(b64(json.dumps(padded, separators=(",", ":")).encode())) % 4 == 0:
            padded["pad"] += "x"
        tokens = {
            "access": str(AccessToken.for_user(john)),
            "refresh": str(RefreshToken.for_user(john)),
            "sliding": str(SlidingToken.for_user(john)),
            "inactive": str(AccessToken.for_user(inactive)),
            "expired": signed(sorted_header, dict(base, exp=now - 60, iat=now - 360)),
            "no_jti": signed(sorted_header, {k: v for k, v in base.items() if k != "jti"}),
            "no_user": signed(sorted_header, {k: v for k, v in base.items() if k != "user_id"}),
            "unknown_user": signed(sorted_header, dict(base, user_id="987654321")),
            "numeric_user": signed(sorted_header, dict(base, user_id=john.pk)),
            "text_user": signed(sorted_header, dict(base, user_id="abc")),
            "padded": signed(sorted_header, padded, pad=True),
            "unsorted_header": signed({"typ": "JWT", "alg": "HS256"}, base),
            "future_iat": signed(sorted_header, dict(base, iat=now + 300)),
            "ghost_staff": signed(sorted_header, dict(base, user_id="777", username="ghost", is_staff=True)),
            "tampered": str(AccessToken.for_user(john))[:-3] + "AAA",
        }
        # `str(request.auth)` of each token simplejwt accepts: its claims encoded again.
        for name in list(tokens):
            try:
                tokens[name + "_str"] = str(AccessToken(tokens[name]))
            except Exception:
                pass
        self.stdout.write(json.dumps(tokens))
