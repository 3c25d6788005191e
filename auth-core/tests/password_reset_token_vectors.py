"""Generates password_reset_token_vectors.json: what Django 6.1's PasswordResetTokenGenerator
makes, on the naive local clock of several TIME_ZONEs, around daylight-saving changes.

Run with the parity virtualenv (Python 3.13, Django 6.1.3, see parity/setup.sh):

    parity/.venv/bin/python auth-core/tests/password_reset_token_vectors.py

Each zone runs in a child process with `TZ` set, as Django's settings set it for `datetime.now()`;
`_now()` is the instant's `datetime.fromtimestamp` (the naive local time Django reads). A vector:
`time_zone`, `instant` (POSIX seconds), `num_seconds` (`_num_seconds(_now())`), `user` (`pk`,
`password`, `last_login` as POSIX seconds with microseconds or null, `email`), `secret` and
`token` (`make_token(user)`). The Rust test `password_reset_token.rs` replays them.
"""
import json
import os
import subprocess
import sys

SECRET = "vector-secret-key-of-a-django-project"
ZONES = ["UTC", "America/Chicago", "Europe/Paris", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns"]
INSTANTS = [
    978307200,  # 2001-01-01 00:00 UTC: the generator's epoch in UTC
    1796527631,  # 2026-12-04
    1774746000,  # 2026-03-29 01:00 UTC: Paris springs forward
    1792890000,  # 2026-10-25 01:00 UTC: Paris falls back
    1792893599,  # an hour later
    1775318400,  # 2026-04-04 16:00 UTC: Lord Howe falls back half an hour the next night
]
USERS = [
    {"pk": "1", "password": "pbkdf2_sha256$1500000$salt$hash=", "last_login": 1796527679.123456,
     "email": "alice@example.com"},
    {"pk": "42", "password": "!unusable", "last_login": None, "email": ""},
    {"pk": "7", "password": "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA", "last_login": 946684800.5,
     "email": "J\u00f6rg@Example.COM"},
]


def child(zone):
    import time
    from datetime import datetime, timezone

    os.environ["TZ"] = zone
    time.tzset()
    from django.conf import settings

    settings.configure(SECRET_KEY=SECRET, TIME_ZONE=zone, USE_TZ=True, PASSWORD_RESET_TIMEOUT=259200)
    import django

    django.setup()
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    class User:
        def __init__(self, pk, password, last_login, email):
            self.pk, self.password, self.email = pk, password, email
            self.last_login = (None if last_login is None
                               else datetime.fromtimestamp(last_login, tz=timezone.utc))

        @classmethod
        def get_email_field_name(cls):
            return "email"

    vectors = []
    for instant in INSTANTS:
        generator = PasswordResetTokenGenerator()
        generator._now = lambda instant=instant: datetime.fromtimestamp(instant)
        if generator._num_seconds(generator._now()) < 0:
            continue  # before 2001-01-01 on that clock: Django's make_token raises ValueError
        for user in USERS:
            token = generator.make_token(User(**user))
            assert generator.check_token(User(**user), token)
            vectors.append({"time_zone": zone, "instant": instant,
                            "num_seconds": generator._num_seconds(generator._now()),
                            "user": user, "secret": SECRET, "token": token})
    json.dump(vectors, sys.stdout)


def main():
    if len(sys.argv) > 1:
        child(sys.argv[1])
        return
    vectors = []
    for zone in ZONES:
        out = subprocess.run([sys.executable, __file__, zone], check=True, capture_output=True, text=True)
        vectors += json.loads(out.stdout)
    import django

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "password_reset_token_vectors.json")
    with open(path, "w") as f:
        head = {"generated_by": "auth-core/tests/password_reset_token_vectors.py", "django": django.get_version()}
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "vectors": [\n')
        f.write(",\n".join(json.dumps(vector, ensure_ascii=False) for vector in vectors))
        f.write("\n]}\n")
    print(f"{len(vectors)} vectors")


if __name__ == "__main__":
    main()
