import os

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ConfiguredPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """`pbkdf2_sha256` with the iteration count of PBKDF2_ITERATIONS (Django's default otherwise)."""

    iterations = int(os.environ.get("PBKDF2_ITERATIONS") or PBKDF2PasswordHasher.iterations)
