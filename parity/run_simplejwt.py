#!/usr/bin/env python3
"""simplejwt tokens across the two implementations: djangorestframework-simplejwt 5.5.1 (with
the PyJWT it installs) against auth_core::simplejwt, through tests' `simplejwt_oracle` binary.

For each configuration below (run in a child process: simplejwt reads SIMPLE_JWT at import):

* Python -> Rust: tokens minted by simplejwt's `for_user` with seeded random extra claims are
  read by Rust with the same payload, and Rust's `TokenBackend.encode` of that payload gives the
  same bytes;
* Rust -> Python: tokens Rust mints are accepted by simplejwt's classes with the same payload,
  and simplejwt's encode of Rust's payload gives Rust's bytes;
* refresh -> access: the access token Rust mints from a simplejwt refresh token has the claims
  simplejwt's `access_token` gives, in the same order;
* refusals: crafted tokens (tampered, expired, wrong or missing type, no id, bad headers,
  audience and issuer, and for the key pairs an HS256 token keyed with the public PEM) and
  seeded random mutations of valid tokens get the same message from both, where simplejwt
  answers; where simplejwt crashes (a server error) Rust must refuse.

The configurations: HS256 with the defaults, HS384 and HS512 with audience, issuer, leeway and
the revoke claim, and RS256 and ES256 with a PEM key pair made for the run (SIGNING_KEY and
VERIFYING_KEY). ECDSA signatures are random: there, "the same bytes" is the header and payload,
and each side's token must verify on the other.

    python parity/run_simplejwt.py --rust-bin target/debug/simplejwt_oracle [--count 1000]

Prints one summary line, `N passed, M failed`, and exits 1 on any failure.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import time
import warnings

SECRET_KEY = "not very secret in tests"

CONFIGS = [
    {"name": "defaults-HS256", "ALGORITHM": "HS256"},
    {
        "name": "HS384-audience-issuer-leeway-revoke",
        "ALGORITHM": "HS384",
        "SIGNING_KEY": "a much longer signing key for the HS384 configuration, 48+ bytes!!",
        "AUDIENCE": "my-aud",
        "ISSUER": "my-iss",
        "LEEWAY": 5,
        "CHECK_REVOKE_TOKEN": True,
    },
    {
        "name": "HS512-audience-list-unicode-key",
        "ALGORITHM": "HS512",
        "SIGNING_KEY": "é-unicode-key-ключ-🔑",
        "AUDIENCE": ["a", "b"],
    },
    # Asymmetric: a key pair made per run (`asymmetric_keys`). RS256 and EdDSA signatures are
    # deterministic (the same bytes on both sides); ECDSA's are not (compared without them,
    # and cross-verified).
    {"name": "RS256-pem-keys", "ALGORITHM": "RS256", "keys": "rsa"},
    {"name": "ES256-pem-keys-audience", "ALGORITHM": "ES256", "keys": "ec256", "AUDIENCE": "api"},
]


def asymmetric_keys(kind):
    """(private PEM, public PEM) of a new key: `rsa` (2048 bits) or `ec256` (P-256)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    key = (rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa"
           else ec.generate_private_key(ec.SECP256R1()))
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public

ALPHABET = (
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0x00, 0x20)]
    + ["\x7f", "é", "ë", "\u00a0", "\u2028", "\u2029", "ß", "Ж", "中", "\ufeff", "😀", "𝄞", "\ud7ff"]
)


def random_text(rng, longest=12):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def random_value(rng, depth=0):
    pick = rng.randrange(9 if depth < 2 else 6)
    if pick == 0:
        return random_text(rng)
    if pick == 1:
        return rng.randint(-(2**63), 2**63 - 1)
    if pick == 2:
        return rng.choice([1.5, 0.1, -0.0, 100.0, 1e16, 1e-7, 5e-324, 1.7976931348623157e308,
                           rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-20, 20)])
    if pick == 3:
        return rng.choice([True, False, None])
    if pick == 4:
        return rng.randint(0, 2**64 - 1)
    if pick == 5:
        return ""
    if pick in (6, 7):
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_text(rng, 6): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def random_claims(rng):
    claims = {}
    for _ in range(rng.randint(0, 4)):
        name = rng.choice(["name", "role", "n", "", "é", "scope", random_text(rng, 8)])
        # Registered claims are left to the token classes.
        if name in ("exp", "iat", "nbf", "jti", "token_type", "aud", "iss", "sub", "refresh_exp",
                    "user_id", "hash_password"):
            continue
        claims[name] = random_value(rng)
    return claims


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Rust:
    def __init__(self, binary, config):
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        reply = self.ask(config)
        if reply != {"ok": True}:
            raise SystemExit(f"the Rust oracle refused the configuration: {reply}")

    def ask(self, request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the Rust oracle stopped")
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def child(config, binary, count, seed):
    import datetime

    import django
    from django.conf import settings

    simple_jwt = {"ALGORITHM": config["ALGORITHM"]}
    for name in ("SIGNING_KEY", "VERIFYING_KEY", "AUDIENCE", "ISSUER", "LEEWAY",
                 "CHECK_REVOKE_TOKEN"):
        if name in config:
            simple_jwt[name] = config[name]
    settings.configure(
        SECRET_KEY=SECRET_KEY,
        USE_TZ=True,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                        "rest_framework_simplejwt"],
        DATABASES={},
        SIMPLE_JWT=simple_jwt,
    )
    django.setup()
    warnings.simplefilter("ignore")
    from types import SimpleNamespace

    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.state import token_backend
    from rest_framework_simplejwt.tokens import (AccessToken, RefreshToken, SlidingToken,
                                                 UntypedToken)

    classes = {"access": AccessToken, "refresh": RefreshToken, "sliding": SlidingToken,
               "untyped": UntypedToken}
    rust_config = {"SIGNING_KEY": config.get("SIGNING_KEY", SECRET_KEY)}
    rust_config.update({k: v for k, v in simple_jwt.items() if k != "SIGNING_KEY"})
    rust = Rust(binary, rust_config)
    rng = random.Random(seed)
    passed, failures = 0, []

    def check(ok, label, detail):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(f"[{config['name']}] {label}: {detail}")

    def python_read(kind, token):
        try:
            return {"payload": dict(classes[kind](token).payload)}
        except TokenError as error:
            return {"error": str(error.args[0])}
        except Exception as error:  # simplejwt's crash: a server error there
            return {"crash": f"{type(error).__name__}: {error}"}

    def same(kind, token, label):
        python = python_read(kind, token)
        rust_reply = rust.ask({"op": "decode", "kind": kind, "token": token})
        if "crash" in python:
            check("error" in rust_reply, label,
                  f"simplejwt crashed ({python['crash']}); Rust must refuse, gave {rust_reply}")
        else:
            check(python == rust_reply, label, f"python {python} rust {rust_reply}")

    deterministic = not config["ALGORITHM"].startswith(("ES", "PS"))

    def signed_part(token):
        """The bytes both sides must agree on: all of it, or all but a random signature."""
        return token if deterministic else token.rsplit(".", 1)[0]

    def python_accepts(kind, token):
        return "payload" in python_read(kind, token)

    kinds = ["access", "refresh", "sliding"]
    # Python -> Rust.
    for i in range(count):
        kind = rng.choice(kinds)
        user = SimpleNamespace(id=rng.randint(1, 10**9), is_active=True,
                               password=f"pbkdf2_sha256$1500000${random_text(rng, 10)}$x=")
        token = classes[kind].for_user(user)
        for claim, value in random_claims(rng).items():
            token[claim] = value
        text = str(token)
        same(kind, text, f"python token {i} read by Rust")
        payload = dict(token.payload)
        encoded = rust.ask({"op": "encode", "payload": payload})
        check(signed_part(encoded.get("token", "")) == signed_part(text)
              and python_accepts(kind, encoded.get("token", "")),
              f"python token {i} re-encoded by Rust", f"python {text}\n  rust {encoded}")
        # Same type rules: another class refuses it as simplejwt does.
        other = rng.choice([k for k in classes if k != kind])
        same(other, text, f"python token {i} read as {other}")
    # Rust -> Python.
    for i in range(count):
        kind = rng.choice(kinds)
        user_id = rng.randint(1, 10**9)
        password = f"pbkdf2_sha256$1500000${random_text(rng, 10)}$x="
        reply = rust.ask({"op": "for_user", "kind": kind, "user_id": user_id,
                          "password": password, "claims": random_claims(rng)})
        text = reply["token"]
        python = python_read(kind, text)
        rust_read = rust.ask({"op": "decode", "kind": kind, "token": text})
        check(python == rust_read and "payload" in python, f"rust token {i} read by simplejwt",
              f"python {python} rust {rust_read}")
        expected_user = str(user_id)
        check(python.get("payload", {}).get("user_id") == expected_user,
              f"rust token {i} names its user as text", python)
        if config.get("CHECK_REVOKE_TOKEN"):
            want = hashlib.md5(password.encode()).hexdigest().upper()
            check(python.get("payload", {}).get("hash_password") == want,
                  f"rust token {i} carries simplejwt's hash_password", python)
        again = token_backend.encode(reply["payload"])
        check(signed_part(again) == signed_part(text), f"rust token {i} re-encoded by simplejwt",
              f"python {again}\n  rust {text}")
    # Refresh -> access.
    for i in range(max(count // 10, 1)):
        user = SimpleNamespace(id=rng.randint(1, 10**6), is_active=True, password="x")
        refresh = RefreshToken.for_user(user)
        for claim, value in random_claims(rng).items():
            refresh[claim] = value
        text = str(refresh)
        python_access = RefreshToken(text).access_token
        reply = rust.ask({"op": "access_token", "token": text})
        rust_payload = rust.ask({"op": "decode", "kind": "access", "token": reply["token"]})
        want = dict(AccessToken(str(python_access)).payload)
        got = rust_payload.get("payload", {})
        volatile = ("exp", "iat", "jti")
        check(list(want) == list(got)
              and {k: v for k, v in want.items() if k not in volatile}
              == {k: v for k, v in got.items() if k not in volatile}
              # simplejwt takes the access token's `exp` from the refresh token's reading of
              # the clock and its `iat` from a second, later one: across a second boundary its
              # lifetime reads one second short. This side reads the clock once.
              and abs((got.get("exp", 0) - got.get("iat", 0)) - (want["exp"] - want["iat"])) <= 1,
              f"access token {i} from a simplejwt refresh", f"python {want} rust {got}")
    # Refusals: crafted tokens.
    now = int(time.time())
    from jwt.algorithms import get_default_algorithms

    signer = get_default_algorithms()[config["ALGORITHM"]]
    signing_key = signer.prepare_key(config.get("SIGNING_KEY", SECRET_KEY))

    def raw(header, payload, sign=None):
        head = b64(header if isinstance(header, bytes) else json.dumps(header).encode())
        body = b64(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        signature = (sign or (lambda data: signer.sign(data, signing_key)))(f"{head}.{body}".encode())
        return f"{head}.{body}.{b64(signature)}"

    header = {"alg": config["ALGORITHM"], "typ": "JWT"}
    extra = {}
    if "AUDIENCE" in config:
        extra["aud"] = config["AUDIENCE"]
    if "ISSUER" in config:
        extra["iss"] = config["ISSUER"]
    base = {"token_type": "access", "exp": now + 300, "iat": now, "jti": "ab" * 16,
            "user_id": "1", **extra}
    crafted = {
        "valid": raw(header, base),
        "expired": raw(header, {**base, "exp": now - 60}),
        "expired within leeway": raw(header, {**base, "exp": now - 2}),
        "wrong type": raw(header, {**base, "token_type": "refresh"}),
        "null type": raw(header, {**base, "token_type": None}),
        "no type": raw(header, {k: v for k, v in base.items() if k != "token_type"}),
        "no id": raw(header, {k: v for k, v in base.items() if k != "jti"}),
        "no exp": raw(header, {k: v for k, v in base.items() if k != "exp"}),
        "exp as text": raw(header, {**base, "exp": str(now + 300)}),
        "exp true": raw(header, {**base, "exp": True}),
        "exp float": raw(header, {**base, "exp": now + 300.5}),
        "iat ahead": raw(header, {**base, "iat": now + 120}),
        "iat text": raw(header, {**base, "iat": "abc"}),
        "nbf ahead": raw(header, {**base, "nbf": now + 120}),
        "sub number": raw(header, {**base, "sub": 5}),
        "jti number": raw(header, {**base, "jti": 5}),
        "other audience": raw(header, {**base, "aud": "someone-else"}),
        "no audience": raw(header, {k: v for k, v in base.items() if k != "aud"}),
        "other issuer": raw(header, {**base, "iss": "someone-else"}),
        "no issuer": raw(header, {k: v for k, v in base.items() if k != "iss"}),
        "alg none": raw({"alg": "none", "typ": "JWT"}, base),
        "alg other": raw({"alg": "HS256" if config["ALGORITHM"] != "HS256" else "HS512"}, base),
        "no alg": raw({"typ": "JWT"}, base),
        "kid number": raw({**header, "kid": 1}, base),
        "crit": raw({**header, "crit": ["exp"]}, base),
        "header list": raw(b"[1]", base),
        "payload list": raw(header, b"[1]"),
        "payload not json": raw(header, b"hello"),
        "payload with BOM": raw(header, b"\xef\xbb\xbf" + json.dumps(base).encode()),
        "repeated key": raw(header, json.dumps(base).encode()[:-1] + b', "user_id": "2"}'),
        "garbage": "garbage",
        "empty": "",
        "two segments": "a.b",
        "four segments": raw(header, base) + ".x",
        "padded header": raw(header, base).replace(".", "=.", 1),
        "whitespace": " " + raw(header, base),
        "tampered": raw(header, base)[:-2] + ("AA" if not raw(header, base).endswith("AA") else "BB"),
    }
    if "VERIFYING_KEY" in config:
        # The algorithm-confusion attack: HS256 keyed with the public key's PEM text.
        public = config["VERIFYING_KEY"].encode()
        crafted["HS256 keyed with the public PEM"] = raw(
            {"alg": "HS256", "typ": "JWT"}, base,
            sign=lambda data: hmac.new(public, data, hashlib.sha256).digest())
    for label, token in crafted.items():
        for kind in ("access", "refresh", "untyped"):
            same(kind, token, f"crafted '{label}' as {kind}")
    # Refusals: seeded random mutations of valid tokens.
    valid = [str(AccessToken.for_user(SimpleNamespace(id=i, is_active=True, password="x")))
             for i in range(1, 6)]
    for i in range(count):
        token = list(rng.choice(valid))
        for _ in range(rng.randint(1, 3)):
            action = rng.randrange(3)
            at = rng.randrange(len(token) + 1)
            if action == 0 and token:
                token[min(at, len(token) - 1)] = rng.choice(
                    "ABCxyz019-_=.+/ \t" + "é\u00a0")
            elif action == 1:
                token.insert(at, rng.choice("A._=-"))
            elif token:
                del token[min(at, len(token) - 1)]
        same("access", "".join(token), f"mutation {i}")
    rust.close()
    print(json.dumps({"passed": passed, "failures": failures}))


def django_database(url):
    """Django's DATABASES entry for `sqlite:///abs/path?mode=rwc` or `postgres://user@host:port/db`."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(url.split("://", 1)[1].split("?", 1)[0])}
    return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "", "PORT": str(parts.port or "")}


def blacklist_child(database_url, binary, count):
    """The blacklist on one database shared by both sides: refresh tokens recorded by either are
    read by the other, and a refresh blacklisted on either side is refused by the other."""
    import datetime

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY=SECRET_KEY, USE_TZ=True,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "rest_framework",
                        "rest_framework_simplejwt", "rest_framework_simplejwt.token_blacklist"],
        DATABASES={"default": django_database(database_url)},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    django.setup()
    warnings.simplefilter("ignore")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.serializers import TokenBlacklistSerializer
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
    from rest_framework_simplejwt.tokens import RefreshToken

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("blacklisted-both-ways", password="x")
    rust = Rust(binary, {"SIGNING_KEY": SECRET_KEY})
    connected = rust.ask({"op": "connect", "database_url": database_url})
    passed, failures = 0, []

    def check(ok, label, detail):
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(f"[blacklist {database_url.split(':', 1)[0]}] {label}: {detail}")

    check(connected == {"ok": True}, "the oracle connects", connected)
    if connected != {"ok": True}:
        print(json.dumps({"passed": passed, "failures": failures}))
        return

    def python_refuses(token):
        try:
            RefreshToken(token)
            return None
        except TokenError as error:
            return str(error.args[0])

    for i in range(count):
        # simplejwt issues and records; Rust blacklists; simplejwt refuses it.
        python_refresh = str(RefreshToken.for_user(user))
        reply = rust.ask({"op": "view", "view": "blacklist", "token": python_refresh})
        check(reply == {"status": 200, "body": {}}, f"{i}: Rust blacklists simplejwt's refresh", reply)
        check(python_refuses(python_refresh) == "Token is blacklisted",
              f"{i}: simplejwt refuses the refresh Rust blacklisted", python_refuses(python_refresh))
        check(OutstandingToken.objects.filter(token=python_refresh).count() == 1,
              f"{i}: one outstanding row for simplejwt's refresh", "")
        # Rust issues and records; simplejwt reads the row and blacklists; Rust refuses it.
        pair = rust.ask({"op": "pair_for_user", "user_id": user.pk})
        rust_refresh = pair.get("body", {}).get("refresh", "")
        payload = RefreshToken(rust_refresh, verify=False).payload if rust_refresh else {}
        row = OutstandingToken.objects.filter(jti=payload.get("jti")).first()
        check(row is not None and row.token == rust_refresh and row.user_id == user.pk
              and row.expires_at == datetime.datetime.fromtimestamp(payload["exp"], datetime.timezone.utc),
              f"{i}: simplejwt reads the row Rust recorded", pair)
        serializer = TokenBlacklistSerializer(data={"refresh": rust_refresh})
        check(serializer.is_valid(), f"{i}: simplejwt blacklists Rust's refresh", serializer.errors)
        reply = rust.ask({"op": "view", "view": "refresh", "token": rust_refresh})
        check(reply == {"status": 401, "body": {"detail": "Token is blacklisted", "code": "token_not_valid"}},
              f"{i}: Rust refuses the refresh simplejwt blacklisted", reply)
    check(BlacklistedToken.objects.filter(token__user=user).count() == 2 * count,
          "every blacklisted token has one blacklist row", BlacklistedToken.objects.count())
    rust.close()
    print(json.dumps({"passed": passed, "failures": failures}))


def blacklist_databases():
    """The databases of the blacklist pass: a SQLite file, and a fresh PostgreSQL database on the
    server of TEST_POSTGRES_URL when it is set. Yields (url, cleanup)."""
    import tempfile

    directory = tempfile.mkdtemp(prefix="simplejwt-blacklist-")
    yield f"sqlite://{directory}/shared.db?mode=rwc", lambda: None
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        yield None, None
        return
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    name = f"simplejwt_blacklist_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)

    def drop():
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    yield urlunsplit(parts._replace(path=f"/{name}")), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rust-bin", required=True)
    parser.add_argument("--count", type=int, default=int(os.environ.get("SIMPLEJWT_COUNT", 1000)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("PARITY_SEED", 20261206)))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--blacklist-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child), args.rust_bin, args.count, args.seed)
        return
    if args.blacklist_child:
        blacklist_child(args.blacklist_child, args.rust_bin, max(args.count // 10, 1))
        return
    passed, failures = 0, []
    for config in CONFIGS:
        if "keys" in config:
            config = dict(config)
            config["SIGNING_KEY"], config["VERIFYING_KEY"] = asymmetric_keys(config.pop("keys"))
        result = subprocess.run(
            [sys.executable, __file__, "--rust-bin", args.rust_bin, "--count", str(args.count),
             "--seed", str(args.seed), "--child", json.dumps(config)],
            capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        if result.returncode != 0 or not lines:
            failures.append(f"[{config['name']}] the child failed:\n{result.stdout}\n{result.stderr}")
            continue
        report = json.loads(lines[-1])
        passed += report["passed"]
        failures += report["failures"]
    for url, cleanup in blacklist_databases():
        if url is None:
            note = "the PostgreSQL blacklist pass needs TEST_POSTGRES_URL"
            if os.environ.get("AUTH_REQUIRE_EXTERNAL_SUITES") == "1":
                failures.append(note)
            else:
                print(f"not run: {note}")
            continue
        try:
            result = subprocess.run(
                [sys.executable, __file__, "--rust-bin", args.rust_bin, "--count", str(args.count),
                 "--blacklist-child", url], capture_output=True, text=True)
        finally:
            cleanup()
        lines = result.stdout.strip().splitlines()
        if result.returncode != 0 or not lines:
            failures.append(f"[blacklist {url}] the child failed:\n{result.stdout}\n{result.stderr}")
            continue
        report = json.loads(lines[-1])
        passed += report["passed"]
        failures += report["failures"]
    for failure in failures[:50]:
        print(failure)
    if len(failures) > 50:
        print(f"… and {len(failures) - 50} more")
    print(f"{passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
