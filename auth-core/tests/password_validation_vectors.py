"""Generates password_validation_vectors.json: what Django's password validators answer.

Run with the parity virtualenv (Python 3.13, Django 6.1.3, see parity/setup.sh):

    parity/.venv/bin/python auth-core/tests/password_validation_vectors.py

Each vector runs `django.contrib.auth.password_validation.validate_password(password, user,
validators)` with validators built by `get_password_validators(config)` from an
`AUTH_PASSWORD_VALIDATORS`-style config, on an unsaved `django.contrib.auth.models.User` (or no
user), and records the messages of the `ValidationError` (empty when the password passes). The
Rust test `password_validation.rs` replays each one against
`auth_core::django::password_validation::validate_password`.

The committed file holds the hand-written CASES, then 400 machine-made vectors (seed 0): a
password made of pieces of the user's attributes, common passwords, digits, non-ASCII letters,
case and whitespace changes, under the default config or one of the option variants.
"""
import json
import os
import random
import sys

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    DATABASES={},
    USE_I18N=True,
    LANGUAGE_CODE="en-us",
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.auth.password_validation import (  # noqa: E402
    get_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError  # noqa: E402

P = "django.contrib.auth.password_validation."
DEFAULT = [
    {"NAME": P + "UserAttributeSimilarityValidator"},
    {"NAME": P + "MinimumLengthValidator"},
    {"NAME": P + "CommonPasswordValidator"},
    {"NAME": P + "NumericPasswordValidator"},
]
VARIANTS = [
    DEFAULT,
    [{"NAME": P + "MinimumLengthValidator", "OPTIONS": {"min_length": 1}}],
    [{"NAME": P + "MinimumLengthValidator", "OPTIONS": {"min_length": 12}}],
    [{"NAME": P + "UserAttributeSimilarityValidator", "OPTIONS": {"max_similarity": 0.1}}],
    [{"NAME": P + "UserAttributeSimilarityValidator", "OPTIONS": {"max_similarity": 1.0}}],
    [{"NAME": P + "UserAttributeSimilarityValidator",
      "OPTIONS": {"user_attributes": ["email", "first_name"], "max_similarity": 0.5}}],
    [],
]

USERS = [
    None,
    {"username": "john", "first_name": "John", "last_name": "Lennon", "email": "john.lennon@example.com"},
    {"username": "walter_white", "first_name": "Walter", "last_name": "White", "email": "heisenberg@a1.example.org"},
    {"username": "zoë", "first_name": "Zoë", "last_name": "Ærøskøbing", "email": "zoe@exämple.com"},
    {"username": "x", "first_name": "", "last_name": "", "email": ""},
]

CASES = [
    ("short", "abc", 1, 0),
    ("empty", "", 1, 0),
    ("exactly eight", "abcdefgh", 1, 0),
    ("common", "password", 0, 0),
    ("common, upper case and spaces", "  PassWord  ", 0, 0),
    ("common with a tab", "\tqwerty123\n", 0, 0),
    ("numeric", "12345678901", 0, 0),
    ("numeric, Arabic-Indic", "١٢٣٤٥٦٧٨٩", 0, 0),
    ("numeric, superscripts", "²³¹²³¹²³¹", 0, 0),
    ("username", "john", 1, 0),
    ("username, longer", "johnjohnjohn", 1, 0),
    ("first name reversed", "nhoj", 1, 0),
    ("e-mail", "john.lennon@example.com", 1, 0),
    ("e-mail part", "lennon", 1, 0),
    ("last name with digits", "Lennon1940", 1, 0),
    ("strong", "correct horse battery staple", 1, 0),
    ("snake username", "walter_white", 2, 0),
    ("non-ASCII name", "zoë", 3, 0),
    ("non-ASCII name, upper case", "ÆRØSKØBING!", 3, 0),
    ("one-letter username, long password", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 4, 0),
    ("min_length 1, empty", "", 1, 1),
    ("min_length 1, one", "a", 1, 1),
    ("min_length 12", "elevenchars", 1, 2),
    ("max_similarity 0.1", "zzzzzzzzzjo", 1, 3),
    ("max_similarity 1.0, equal", "john", 1, 4),
    ("max_similarity 1.0, close", "johm", 1, 4),
    ("custom attributes", "heisenberg", 2, 5),
    ("custom attributes, first name", "walt", 2, 5),
    ("no validators", "a", 1, 6),
]

PIECES = ["john", "lennon", "walter", "white", "heisenberg", "zoë", "ærø", "example", "password",
          "qwerty", "123", "2024", "!", " ", "_", ".", "é", "ß", "İ", "x", "letmein", "dragon", "٣",
          "monkey", "abc", "Σ", "ς"]


def messages(password, user, config):
    validators = get_password_validators(config)
    instance = User(**user) if user is not None else None
    try:
        validate_password(password, instance, validators)
    except ValidationError as error:
        return [str(m) for m in error.messages]
    return []


def vector(name, password, user_index, variant_index):
    return {"name": name, "password": password, "user": USERS[user_index], "config": VARIANTS[variant_index],
            "messages": messages(password, USERS[user_index], VARIANTS[variant_index])}


def main():
    rng = random.Random(0)
    out = [vector(*case) for case in CASES]
    for index in range(400):
        pieces = [rng.choice(PIECES) for _ in range(rng.randint(1, 4))]
        password = "".join(p.upper() if rng.random() < 0.2 else p for p in pieces)
        if rng.random() < 0.1:
            password = " " + password + " "
        out.append(vector(f"random {index}", password, rng.randrange(len(USERS)),
                          0 if rng.random() < 0.7 else rng.randrange(len(VARIANTS))))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "password_validation_vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"generated_by": "auth-core/tests/password_validation_vectors.py",
                            "python": sys.version.split()[0], "django": django.get_version(),
                            "vectors": []})[:-2] + "\n")
        f.write(",\n".join(json.dumps(v, ensure_ascii=False) for v in out))
        f.write("\n]}\n")
    print(f"{len(out)} vectors -> {path}")


if __name__ == "__main__":
    main()
