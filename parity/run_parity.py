#!/usr/bin/env python3
"""Parity check: the Django REST framework reference project against the Rust `drf_parity` server.

Runs inside the parity virtualenv (see setup.sh):

    parity/.venv/bin/python parity/run_parity.py --rust-bin target/debug/drf_parity

1. creates a fresh SQLite database (a temporary directory unless --db is given), runs Django's
   `migrate` on it and creates the reference fixtures (`manage.py parity_fixtures`);
2. starts Django (`manage.py runserver --noreload`) and the Rust binary on free ports of 127.0.0.1,
   on the same database with the same SECRET_KEY, PBKDF2_ITERATIONS, CSRF_TRUSTED_ORIGINS and
   SECURE_PROXY_SSL_HEADER;
3. logs in through Django's own `/accounts/login/` to get real Django sessions (+ csrftoken);
4. sends every scenario to both servers and compares: status, `WWW-Authenticate`, `Retry-After`
   (+-1 s), `Content-Type` main type, the body (JSON-compared when both are JSON, bytes otherwise)
   and which cookies a response sets or deletes (`Set-Cookie` names and set/delete only);
5. prints a diff per mismatch and `N passed, M failed`; exits 1 on any mismatch.

The `oauth2-provider` group (django-oauth-toolkit's `/o/token/`, `/o/revoke_token/`, `/o/introspect/`)
compares DOT's answers byte for byte with token values replaced by names, plus the rows each server
wrote; `--oauth2-provider-runs` repeats it under several OAUTH2_PROVIDER settings (see the section).
The `oauth2-authorize` group does the same for `/o/authorize/` (the consent page and form, the codes'
grant rows, each code redeemed on the server that issued it and on the other one).

Only the standard library is used here; Django is used through `manage.py` subprocesses.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
DJANGO_DIR = HERE / "django_project"
REPO = HERE.parent

SECRET_KEY = "parity-secret-key-not-for-production-0123456789abcdefghij"
PBKDF2_ITERATIONS = "1000"
TRUSTED_ORIGINS = "https://trusted.example.com,https://*.wild.example.com"
SSL_HEADER = "X-Forwarded-Proto"
SIDES = ("django", "rust")
STRICT_HEADERS = True  # Allow and Vary differences count as mismatches (--lenient-headers: notes only)
SHORT = {"django": "dj", "rust": "rs"}

CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# Users created on top of the spec §8 fixtures. `_dj` / `_rs` variants exist because a stateful
# scenario must not see the other server's side effects (each server gets its own user).
PER_SIDE_USERS = {
    "tokenless": "password",  # obtain-token creates a new key
    "pw": "password",  # session invalidated by a password change
    "gone": "password",  # session of a user who becomes inactive
    "knoxgone": "password",  # knox token of a user who becomes inactive
    "knoxlast": "password",  # knox login updates last_login
    "remote_new": None,  # created by the remote-user backend, must not exist beforehand
    "sib": "password",  # knox tokens issued by Django, expiring later today
    "sesstoday": "password",  # Django session expiring later today
    "revoked": "password",  # owns the DRF token `revoked_dj_key` / `revoked_rs_key`, deleted during the run
    "jwtuser": "password",  # simplejwt: obtains, refreshes, blacklists
    "jwtpw": "password",  # simplejwt: password changed after obtaining
    "jwtoff": "password",  # simplejwt: deactivated after obtaining
    "jwtgone": "password",  # simplejwt: deleted after obtaining
    "jwtx": "password",  # simplejwt: tokens used across the two servers
    "jwtcookie": "password",  # dj-rest-auth's cookie-aware refresh
    "ralogin": "password",  # dj-rest-auth's login view (by username and by email)
    "raout": "password",  # dj-rest-auth's logout view deletes its DRF token `raout_<side>_key`
    "djreset": "password",  # djoser: password reset by email, the link redeemed once
    "djx": "password",  # djoser: a reset link emailed by one server, redeemed by the other
    "djact": "password:inactive",  # djoser: activated by a link Django's token generator made
    "djpw": "password",  # djoser: set_password
    "djtok": "password",  # djoser: token login and logout
    "rauser": "password",  # dj-rest-auth: user/ read and updated (renamed to rauser2_<side>)
    "rapw": "password",  # dj-rest-auth: password/change/ by Basic
    "rapws": "password",  # dj-rest-auth: password/change/ by the login's session
    "djsetu": "password",  # djoser: set_username (to djsetu2_<side>)
    "djresu": "password",  # djoser: username reset by email (to djresu2_<side>)
    "rareset": "password",  # dj-rest-auth + allauth: password reset by email, the link redeemed once
    "rarx": "password",  # dj-rest-auth + allauth: a reset link emailed by one server, redeemed by the other
    "rarunusable": "password:unusable",  # dj-rest-auth: password reset of a user whose password is made unusable
}


# --------------------------------------------------------------------------------------------------
# HTTP


@dataclass
class Resp:
    status: int
    headers: list  # [(lower-case name, value)]
    body: bytes
    error: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def http_request(port: int, method: str, path: str, headers, body: bytes | None, timeout=30) -> Resp:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    # A scenario's own `Host` header replaces http.client's (127.0.0.1:port).
    own_host = any(name.lower() == "host" for name, _ in headers)
    try:
        conn.putrequest(method, path, skip_host=own_host, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.putheader("Connection", "close")
        conn.endheaders(body)
        response = conn.getresponse()
        data = response.read()
        headers_out = [(k.lower(), v) for k, v in response.getheaders()]
        return Resp(response.status, headers_out, data)
    except (OSError, http.client.HTTPException) as error:
        return Resp(0, [], b"", error=f"{type(error).__name__}: {error}")
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------------
# Helpers for building requests


def b64(text: str | bytes, encoding="utf-8") -> str:
    raw = text if isinstance(text, bytes) else text.encode(encoding)
    return base64.b64encode(raw).decode("ascii")


def basic(user: str, password: str, encoding="utf-8") -> str:
    return "Basic " + b64(f"{user}:{password}", encoding)


JOHN = basic("john", "password")
ADMIN = basic("admin", "password")
BAD = basic("john", "wrong")
JOHN_B64 = b64("john:password")


def per_side_basic(base, password="password"):
    """Basic header of the side's own user `<base>_dj` / `<base>_rs` (computed per side)."""
    return lambda ctx: basic(f"{base}_{ctx['s']}", password)


def auth(value):
    return [("Authorization", value)]


def json_body(obj, content_type="application/json"):
    return [("Content-Type", content_type)], json.dumps(obj, separators=(",", ":")).encode("utf-8")


def form_body(fields):
    """A form body from a dict or from (name, value) pairs (a name may repeat)."""
    from urllib.parse import urlencode

    pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
    # '@' kept literal so that @placeholders@ are substituted per server
    return [("Content-Type", "application/x-www-form-urlencoded")], urlencode(pairs, safe="@").encode("utf-8")


def multipart_body(fields):
    """A multipart body from a dict or from (name, value) pairs (a name may repeat)."""
    boundary = "----parityboundary7MA4YWxkTrZu0gW"
    parts = []
    pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
    for key, value in pairs:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode("utf-8")
        )
    parts.append(f"--{boundary}--\r\n".encode("ascii"))
    return [("Content-Type", f"multipart/form-data; boundary={boundary}")], b"".join(parts)


def mask_csrf(secret: str, mask: str | None = None) -> str:
    """Django's masking (spec §7.7): mask + cipher."""
    mask = mask or "".join(secrets.choice(CSRF_CHARS) for _ in range(32))
    cipher = "".join(CSRF_CHARS[(CSRF_CHARS.index(s) + CSRF_CHARS.index(m)) % 62] for s, m in zip(secret, mask))
    return mask + cipher


assert (
    mask_csrf("abcdefghijklmnopqrstuvwxyzABCDEF", "0123456789ABCDEFGHIJKLMNOPQRSTUV")
    == "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq"
)


def sha512_hex(text: str) -> str:
    return hashlib.sha512(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------
# Scenarios

Check = Callable[["Resp", "Resp", dict, dict], list]


@dataclass
class Step:
    name: str
    method: str = "GET"
    path: str = "/"
    headers: list = field(default_factory=list)
    body: bytes | str | None = None
    want: int | None = None  # status from the spec (sanity check of the Django reference project)
    check: Check | None = None  # replaces the body comparison
    capture: Callable | None = None  # capture(resp, ctx) after the request
    action: Callable | None = None  # action(ctx) -> Resp | None instead of an HTTP request
    retry_tolerance: int = 1
    generic: bool = True  # False: only `check` decides (documented reference crash)
    target: str | None = None  # "django": send to Django on both passes (e.g. Django issues a token)
    note: str = ""


@dataclass
class Group:
    name: str
    steps: list
    interleave: bool = False  # run step by step on both (default: whole group on Django, then Rust)


def S(name, method, path, headers=(), body=None, want=None, **kw) -> Step:
    return Step(name=name, method=method, path=path, headers=list(headers), body=body, want=want, **kw)


def with_body(name, method, path, headers, hb, want=None, **kw) -> Step:
    body_headers, body = hb
    return S(name, method, path, list(headers) + body_headers, body, want, **kw)


NOT_PROVIDED = "Authentication credentials were not provided."


def stateless_groups() -> list[Group]:
    groups = []

    # §8.1 [Basic] rows, §1.4, §1.4.1 -------------------------------------------------------------
    steps = [
        S("no header", "GET", "/basic/", want=401),
        S("empty Authorization", "GET", "/basic/", auth(""), want=401),
        S("john", "GET", "/basic/", auth(JOHN), want=200),
        S("lower-case scheme", "GET", "/basic/", auth("basic " + JOHN_B64), want=200),
        S("upper-case scheme", "GET", "/basic/", auth("BASIC " + JOHN_B64), want=200),
        S("surrounding spaces", "GET", "/basic/", auth("  Basic    " + JOHN_B64 + "  "), want=200),
        S("tab separator", "GET", "/basic/", auth("Basic\t" + JOHN_B64), want=200),
        S("vertical-tab separator (0x0B)", "GET", "/basic/", auth("Basic\x0b" + JOHN_B64), want=200,
          check=transport_refusal(200), generic=False, note=TRANSPORT_NOTE),
        S("form-feed separator (0x0C)", "GET", "/basic/", auth("Basic\x0c" + JOHN_B64), want=200,
          check=transport_refusal(200), generic=False, note=TRANSPORT_NOTE),
        S("0x1C is not a separator", "GET", "/basic/", auth("Basic\x1c" + JOHN_B64), want=401,
          check=transport_refusal(401), generic=False, note=TRANSPORT_NOTE),
        S("0xA0 is not a separator", "GET", "/basic/", auth(b"Basic\xa0" + JOHN_B64.encode()), want=401),
        S("wrong password", "GET", "/basic/", auth(BAD), want=401),
        S("unknown user", "GET", "/basic/", auth(basic("nobody", "password")), want=401),
        S("inactive user", "GET", "/basic/", auth(basic("inactive", "password")), want=401),
        S("john:pass:word", "GET", "/basic/", auth(basic("john", "pass:word")), want=401),
        S("':' only", "GET", "/basic/", auth("Basic " + b64(":")), want=401),
        S("empty password", "GET", "/basic/", auth(basic("john", "")), want=401),
        S("username case differs", "GET", "/basic/", auth(basic("JOHN", "password")), want=401),
        S("'Basic'", "GET", "/basic/", auth("Basic"), want=401),
        S("'Basic ' (trailing space)", "GET", "/basic/", auth("Basic "), want=401),
        S("'Basic foo bar'", "GET", "/basic/", auth("Basic foo bar"), want=401),
        S("'Basic =a='", "GET", "/basic/", auth("Basic =a="), want=401),
        S("no colon (am9obg==)", "GET", "/basic/", auth("Basic am9obg=="), want=401),
        S("missing padding", "GET", "/basic/", auth("Basic am9objpwYXNzd29yZA"), want=401),
        S("one '=' short", "GET", "/basic/", auth("Basic am9objpwYXNzd29yZA="), want=401),
        S("extra padding ===", "GET", "/basic/", auth("Basic am9objpwYXNzd29yZA==="), want=200),
        S("extra padding ====", "GET", "/basic/", auth("Basic am9objpwYXNzd29yZA===="), want=200),
        S("stops at padding (==YQ==)", "GET", "/basic/", auth("Basic am9objpwYXNzd29yZA==YQ=="), want=200),
        S("junk bytes skipped (!!!)", "GET", "/basic/", auth("Basic am9o!!!bjpwYXNzd29yZA=="), want=200),
        S("junk '-' and '_' skipped", "GET", "/basic/", auth("Basic am9o-_bjpwYXNzd29yZA=="), want=200),
        S("junk 0xFF byte skipped", "GET", "/basic/", auth(b"Basic am9o\xffbjpwYXNzd29yZA=="), want=200),
        S("single base64 char", "GET", "/basic/", auth("Basic a"), want=401),
        S("other scheme (Bearer xyz)", "GET", "/basic/", auth("Bearer xyz"), want=401),
        S("walterwhite UTF-8", "GET", "/basic/", auth("Basic d2FsdGVyd2hpdMOpOnDDpHNzd8O2cmQ="), want=200),
        S("walterwhite Latin-1", "GET", "/basic/", auth(basic("walterwhit\u00e9", "p\u00e4ssw\u00f6rd", "latin-1")),
          want=200),
        S("invalid UTF-8 falls back to Latin-1", "GET", "/basic/", auth(basic("john\u00e9", "x", "latin-1")),
          want=401),
        S("Accept: text/xml (406 before auth)", "GET", "/basic/", [("Accept", "text/xml")], want=406),
        S("Accept: text/xml, bad creds", "GET", "/basic/", auth(BAD) + [("Accept", "text/xml")], want=406),
        S("Accept: application/json", "GET", "/basic/", auth(JOHN) + [("Accept", "application/json")],
          want=200),
        S("Accept: */*", "GET", "/basic/", auth(JOHN) + [("Accept", "*/*")], want=200),
        with_body("POST form, no CSRF", "POST", "/basic/", auth(JOHN), form_body({"a": "b"}), want=200),
        with_body("POST JSON, no CSRF", "POST", "/basic/", auth(JOHN), json_body({"a": 1}), want=200),
        with_body("POST walterwhite, no CSRF", "POST", "/basic/", auth("Basic d2FsdGVyd2hpdMOpOnDDpHNzd8O2cmQ="),
                  json_body({}), want=200),
        S("PUT", "PUT", "/basic/", auth(JOHN), want=200),
        S("PATCH", "PATCH", "/basic/", auth(JOHN), want=200),
        S("DELETE", "DELETE", "/basic/", auth(JOHN), want=200),
        S("HEAD", "HEAD", "/basic/", auth(JOHN), want=200),
        S("HEAD anonymous", "HEAD", "/basic/", want=401),
        S("PUT anonymous (auth before 405/handler)", "PUT", "/basic/", want=401),
        S("TRACE authenticated (no handler -> 405)", "TRACE", "/basic/", auth(JOHN), want=405),
        S("unknown method FOO authenticated", "FOO", "/basic/", auth(JOHN), want=405),
    ]
    groups.append(Group("basic", steps))

    # §1.5 DRF token, Bearer variant ----------------------------------------------------------------
    steps = [
        S("Token abcd1234", "GET", "/token/", auth("Token abcd1234"), want=200),
        S("token abcd1234", "GET", "/token/", auth("token abcd1234"), want=200),
        S("TOKEN abcd1234", "GET", "/token/", auth("TOKEN abcd1234"), want=200),
        S("tab separator", "GET", "/token/", auth("Token\tabcd1234"), want=200),
        with_body("POST no CSRF", "POST", "/token/", auth("Token abcd1234"), form_body({"a": "b"}), want=200),
        S("no header", "GET", "/token/", want=401),
        S("Bearer abcd1234 on Token view", "GET", "/token/", auth("Bearer abcd1234"), want=401),
        S("Token wxyz6789", "GET", "/token/", auth("Token wxyz6789"), want=401),
        S("Token ABCD1234 (case-sensitive key)", "GET", "/token/", auth("Token ABCD1234"), want=401),
        S("41-character key", "GET", "/token/", auth("Token " + "a" * 41), want=401),
        S("'Token'", "GET", "/token/", auth("Token"), want=401),
        S("'Token '", "GET", "/token/", auth("Token "), want=401),
        S("Token foo bar", "GET", "/token/", auth("Token foo bar"), want=401),
        S("Token abcd1234\\xb8 (Latin-1 byte)", "GET", "/token/", auth(b"Token abcd1234\xb8"), want=401),
        S("Token with UTF-8 non-ASCII key", "GET", "/token/", auth("Token abcd1234\u00e9".encode("utf-8")),
          want=401),
        S("Token inactivetoken", "GET", "/token/", auth("Token inactivetoken"), want=401),
        S("Basic creds on Token view", "GET", "/token/", auth(JOHN), want=401),
        S("Bearer abcd1234", "GET", "/bearer/", auth("Bearer abcd1234"), want=200),
        S("bearer abcd1234", "GET", "/bearer/", auth("bearer abcd1234"), want=200),
        with_body("Bearer POST no CSRF", "POST", "/bearer/", auth("Bearer abcd1234"), json_body({}), want=200),
        S("Bearer: no header", "GET", "/bearer/", want=401),
        S("Bearer nope", "GET", "/bearer/", auth("Bearer nope"), want=401),
        S("'Bearer'", "GET", "/bearer/", auth("Bearer"), want=401),
        S("'Bearer '", "GET", "/bearer/", auth("Bearer "), want=401),
        S("Bearer a b", "GET", "/bearer/", auth("Bearer a b"), want=401),
        S("Bearer inactivetoken", "GET", "/bearer/", auth("Bearer inactivetoken"), want=401),
        S("Token abcd1234 on Bearer view", "GET", "/bearer/", auth("Token abcd1234"), want=401),
        S("Bearer abcd1234\\xb8", "GET", "/bearer/", auth(b"Bearer abcd1234\xb8"), want=401),
    ]
    groups.append(Group("token", steps))

    # §0.2 class order, §0.3 --------------------------------------------------------------------------
    steps = [
        S("default: no credentials", "GET", "/default/", want=403),
        S("default: bad Basic", "GET", "/default/", auth(BAD), want=403),
        S("default: 'Basic' only", "GET", "/default/", auth("Basic"), want=403),
        S("default: good Basic", "GET", "/default/", auth(JOHN), want=200),
        with_body("default: POST good Basic, no CSRF", "POST", "/default/", auth(JOHN), json_body({}), want=200),
        S("default: Token header ignored", "GET", "/default/", auth("Token abcd1234"), want=403),
        S("basic-session: no credentials", "GET", "/basic-session/", want=401),
        S("basic-session: bad Basic", "GET", "/basic-session/", auth(BAD), want=401),
        S("basic-session: good Basic", "GET", "/basic-session/", auth(JOHN), want=200),
        S("token-basic: bad Basic", "GET", "/token-basic/", auth(BAD), want=401),
        S("token-basic: no credentials", "GET", "/token-basic/", want=401),
        S("token-basic: good Basic", "GET", "/token-basic/", auth(JOHN), want=200),
        S("token-basic: good Token", "GET", "/token-basic/", auth("Token abcd1234"), want=200),
        S("token-basic: bad Token", "GET", "/token-basic/", auth("Token nope"), want=401),
        S("session-token: no credentials", "GET", "/session-token/", want=403),
        S("session-token: good Token", "GET", "/session-token/", auth("Token abcd1234"), want=200),
        S("session-token: bad Token", "GET", "/session-token/", auth("Token nope"), want=403),
        S("session: anonymous", "GET", "/session/", want=403),
        with_body("session: anonymous form POST", "POST", "/session/", [], form_body({"a": "b"}), want=403),
        S("session: Basic header ignored", "GET", "/session/", auth(JOHN), want=403),
        S("no-auth: anonymous", "GET", "/no-auth/", want=403),
        S("no-auth: Basic header ignored", "GET", "/no-auth/", auth(JOHN), want=403),
        S("no-auth: bad Basic ignored", "GET", "/no-auth/", auth(BAD), want=403),
    ]
    groups.append(Group("classes", steps))

    # §2 permissions ----------------------------------------------------------------------------------
    steps = [
        S("custom-message: anonymous", "GET", "/custom-message/", want=401),
        S("custom-message: john", "GET", "/custom-message/", auth(JOHN), want=403),
        S("custom-message: admin", "GET", "/custom-message/", auth(ADMIN), want=200),
        S("custom-message: bad Basic", "GET", "/custom-message/", auth(BAD), want=401),
        S("admin: anonymous", "GET", "/admin/", want=401),
        S("admin: john (non-staff)", "GET", "/admin/", auth(JOHN), want=403),
        S("admin: admin", "GET", "/admin/", auth(ADMIN), want=200),
        with_body("admin: john POST", "POST", "/admin/", auth(JOHN), json_body({}), want=403),
    ]
    for method, want in (("GET", 200), ("HEAD", 200), ("OPTIONS", 200), ("POST", 401), ("PUT", 401),
                         ("PATCH", 401), ("DELETE", 401)):
        steps.append(S(f"read-only: anonymous {method}", method, "/read-only/", want=want))
    steps += [
        S("read-only: john POST", "POST", "/read-only/", auth(JOHN), want=200),
        S("read-only: bad Basic GET", "GET", "/read-only/", auth(BAD), want=401),
    ]
    for method, want in (("GET", 200), ("HEAD", 200), ("OPTIONS", 200), ("POST", 401), ("DELETE", 401)):
        steps.append(S(f"admin-or-read-only: anonymous {method}", method, "/admin-or-read-only/", want=want))
    steps += [
        S("admin-or-read-only: john GET", "GET", "/admin-or-read-only/", auth(JOHN), want=200),
        S("admin-or-read-only: john POST", "POST", "/admin-or-read-only/", auth(JOHN), want=200),
        S("admin-or-read-only: admin POST", "POST", "/admin-or-read-only/", auth(ADMIN), want=200),
        S("not-authenticated: anonymous GET", "GET", "/not-authenticated/", want=200),
        S("not-authenticated: anonymous POST", "POST", "/not-authenticated/", want=200),
        S("not-authenticated: john", "GET", "/not-authenticated/", auth(JOHN), want=403),
        S("not-authenticated: bad Basic", "GET", "/not-authenticated/", auth(BAD), want=401),
        S("allow-any: anonymous", "GET", "/allow-any/", want=200),
        S("allow-any: john", "GET", "/allow-any/", auth(JOHN), want=200),
        S("allow-any: bad Basic", "GET", "/allow-any/", auth(BAD), want=401),
        S("allow-any: 'Basic' only", "GET", "/allow-any/", auth("Basic"), want=401),
        S("allow-any: Accept text/xml", "GET", "/allow-any/", [("Accept", "text/xml")], want=406),
        S("allow-any: anonymous OPTIONS", "OPTIONS", "/allow-any/", want=200),
    ]
    groups.append(Group("permissions", steps))

    # §5.3 obtain-token ---------------------------------------------------------------------------------
    P = "/api-token-auth/"
    jp = {"username": "john", "password": "password"}
    steps = [
        with_body("JSON john", "POST", P, [], json_body(jp), want=200),
        with_body("JSON with charset", "POST", P, [], json_body(jp, "application/json; charset=utf-8"), want=200),
        with_body("form john", "POST", P, [], form_body(jp), want=200),
        with_body("multipart john", "POST", P, [], multipart_body(jp), want=200),
        with_body("wrong password", "POST", P, [], json_body({"username": "john", "password": "nope"}), want=400),
        with_body("unknown user", "POST", P, [], json_body({"username": "nobody", "password": "password"}),
                  want=400),
        with_body("inactive user", "POST", P, [], json_body({"username": "inactive", "password": "password"}),
                  want=400),
        with_body("password missing", "POST", P, [], json_body({"username": "john"}), want=400),
        with_body("username missing", "POST", P, [], json_body({"password": "password"}), want=400),
        with_body("{}", "POST", P, [], json_body({}), want=400),
        S("empty JSON body", "POST", P, [("Content-Type", "application/json")], b"", want=400),
        S("empty body, no Content-Type", "POST", P, [], b"", want=400),
        with_body("blank fields", "POST", P, [], json_body({"username": "", "password": ""}), want=400),
        with_body("whitespace-only username", "POST", P, [], json_body({"username": "   ", "password": "x"}),
                  want=400),
        with_body("null fields", "POST", P, [], json_body({"username": None, "password": None}), want=400),
        with_body("username trimmed", "POST", P, [], json_body({"username": "  john  ", "password": "password"}),
                  want=200),
        with_body("password not trimmed", "POST", P, [],
                  json_body({"username": "john", "password": " password "}), want=400),
        with_body("JSON []", "POST", P, [], json_body([]), want=400),
        S("malformed JSON {bad", "POST", P, [("Content-Type", "application/json")], b"{bad", want=400),
        S("text/plain", "POST", P, [("Content-Type", "text/plain")], b"username=john", want=415),
        with_body("numeric username", "POST", P, [], json_body({"username": 123, "password": "password"}),
                  want=400),
        with_body("boolean username", "POST", P, [], json_body({"username": True, "password": "password"}),
                  want=400),
        with_body("list password", "POST", P, [], json_body({"username": "john", "password": ["password"]}),
                  want=400),
        with_body("NUL in username", "POST", P, [], json_body({"username": "jo\u0000hn", "password": "password"}),
                  want=400),
        with_body("form blank username", "POST", P, [], form_body({"username": "", "password": "password"}),
                  want=400),
        with_body("walterwhite JSON (no token yet is fine: get-or-create)", "POST", P, [],
                  json_body({"username": "walterwhit\u00e9", "password": "p\u00e4ssw\u00f6rd"}), want=200,
                  check=lambda dj, rs, cd, cr: check_token_shape(dj, rs, same_key=True)),
        S("GET -> 405", "GET", P, want=405),
        S("PUT -> 405", "PUT", P, want=405),
        S("GET with Basic -> 405", "GET", P, auth(JOHN), want=405),
        with_body("Accept: text/html -> 406", "POST", P, [("Accept", "text/html")], json_body(jp), want=406),
        with_body("bad Basic header -> 403", "POST", P, auth(BAD), json_body(jp), want=403),
        with_body("'Basic' only -> 403", "POST", P, auth("Basic"), json_body(jp), want=403),
        with_body("good Basic + other user's body", "POST", P, auth(ADMIN), json_body(jp), want=200),
    ]
    groups.append(Group("obtain-token", steps))

    # remote user (§1.7) ------------------------------------------------------------------------------
    steps = [
        S("X-Remote-User: john", "GET", "/remote-user/", [("X-Remote-User", "john")], want=200),
        with_body("X-Remote-User: john POST (no CSRF)", "POST", "/remote-user/", [("X-Remote-User", "john")],
                  json_body({}), want=200),
        S("X-Remote-User: inactive", "GET", "/remote-user/", [("X-Remote-User", "inactive")], want=403),
        S("X-Remote-User absent", "GET", "/remote-user/", want=403),
        S("X-Remote-User empty", "GET", "/remote-user/", [("X-Remote-User", "")], want=403),
        S("Remote-User: john (not the trusted header)", "GET", "/remote-user/", [("Remote-User", "john")],
          want=403),
        S("X_Remote_User: john (underscores)", "GET", "/remote-user/", [("X_Remote_User", "john")], want=403),
        S("X-Remote-User + Basic ignored", "GET", "/remote-user/", auth(JOHN), want=403),
        S("X-Remote-User: unknown -> created", "GET", "/remote-user/", [("X-Remote-User", "remote_new_@s@")],
          want=200),
        S("X-Remote-User: created user again", "GET", "/remote-user/", [("X-Remote-User", "remote_new_@s@")],
          want=200),
        Step("row of the created user", action=lambda ctx: db_user_row(ctx, "remote_new_" + ctx["s"])),
        Step("Django ORM reads the created user", action=lambda ctx: orm_probe(ctx, "remote_new_" + ctx["s"])),
    ]
    groups.append(Group("remote-user", steps))
    return groups


# --------------------------------------------------------------------------------------------------
# Custom checks


HEX40 = re.compile(r"^[0-9a-f]{40}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def check_token_shape(dj: Resp, rs: Resp, same_key=False) -> list[str]:
    diffs = []
    bodies = {}
    for side, resp in (("django", dj), ("rust", rs)):
        data = resp.json()
        bodies[side] = data
        if not (isinstance(data, dict) and set(data) == {"token"} and isinstance(data["token"], str)):
            diffs.append(f"{side} body is not {{\"token\": <key>}}: {show_body(resp)}")
        elif not HEX40.match(data["token"]) and data["token"] not in ("abcd1234",):
            diffs.append(f"{side} token is not 40 lowercase hex characters: {data['token']!r}")
    if same_key and not diffs and bodies["django"] != bodies["rust"]:
        diffs.append(f"the two servers returned different keys for the same user: "
                     f"django {bodies['django']} / rust {bodies['rust']} (get-or-create must return the existing key)")
    return diffs


EXPIRY_SHAPE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?(Z|[+-]\d\d:\d\d)$")


def check_knox_login(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    diffs = []
    shapes = {}
    now = datetime.now(timezone.utc)
    for side, resp in (("django", dj), ("rust", rs)):
        data = resp.json()
        if not isinstance(data, dict):
            diffs.append(f"{side} body is not a JSON object: {show_body(resp)}")
            continue
        shapes[side] = sorted(data)
        token, expiry = data.get("token"), data.get("expiry")
        if not isinstance(token, str) or not HEX64.match(token):
            diffs.append(f"{side} token is not 64 lowercase hex characters: {token!r}")
        if not isinstance(expiry, str) or not EXPIRY_SHAPE.match(expiry):
            diffs.append(f"{side} expiry is not ISO 8601 like DRF's DateTimeField: {expiry!r}")
            continue
        parsed = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
        if abs((parsed - (now + timedelta(hours=10))).total_seconds()) > 300:
            diffs.append(f"{side} expiry {expiry} is not now + 10 h (TOKEN_TTL)")
        shapes[side + "-expiry-format"] = re.sub(r"\d", "d", re.sub(r"\.\d{6}", "", expiry))
    if "django" in shapes and "rust" in shapes and shapes["django"] != shapes["rust"]:
        diffs.append(f"keys differ: django {shapes['django']} / rust {shapes['rust']}")
    fmt_dj, fmt_rs = shapes.get("django-expiry-format"), shapes.get("rust-expiry-format")
    if fmt_dj and fmt_rs and fmt_dj != fmt_rs:
        diffs.append(f"expiry format differs: django {dj.json().get('expiry')!r} / rust {rs.json().get('expiry')!r}")
    return diffs


TRANSPORT_NOTE = ("RFC 9110 §5.5: a control byte other than HTAB makes a field value invalid; actix-web's "
                  "HTTP/1 parser refuses the request with 400 before any library code runs (Django's "
                  "runserver passes it on). The library's own parser splits on 0x0B/0x0C as the spec "
                  "says: auth-core's authorization_header unit tests cover it.")


URI_TRANSPORT_NOTE = ("RFC 3986 §2: `\"`, `<` and `>` are not URI characters; actix-web's HTTP/1 parser refuses "
                      "a request target holding them with 400 before any library code runs (Django's runserver "
                      "passes them on, and DOT percent-escapes them before oauthlib parses the query).")


def transport_refusal(django_status: int, what: str = "a control byte in a header") -> Check:
    """An `Authorization` value with 0x0B, 0x0C or 0x1C: the reference must answer as the spec
    says (`django_status`), and the Rust server's HTTP layer must refuse the malformed request with
    400. Anything else on either side (a success from Rust, a 500, an auth answer) is a difference."""

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = []
        if dj.status != django_status:
            diffs.append(f"django answered {dj.status}, the spec says {django_status}")
        if rs.status != 400:
            diffs.append(f"rust answered {rs.status}: expected actix-web's 400 for {what}")
        return diffs

    return check


def same_unless_reference_crashes(step: Step, note: str) -> Step:
    """`step` compared as any other, except where the reference crashes (500) under some
    settings: then the port must refuse with 401 (a documented divergence)."""
    from dataclasses import replace

    plain = replace(step)

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        if dj.status == 500:
            return [] if rs.status == 401 else [f"rust answered {rs.status}: expected a 401 refusal"]
        return compare(plain, dj, rs, ctx_dj, ctx_rs)[0]

    return replace(step, check=check, generic=False, note=note)


def check_reference_crash(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """Spec §6.2 / §9.4: knox crashes (500) on invalid UTF-8; the port must not crash nor succeed."""
    diffs = []
    if dj.status != 500:
        diffs.append(f"django answered {dj.status} (the reference is expected to crash with 500 here)")
    if rs.status != 401:
        diffs.append(f"rust answered {rs.status}: expected a 401 refusal (never a success, never a crash)")
    return diffs


def reference_crash_refused(status: int, body: dict) -> Check:
    """A documented crash of the reference (500) that the port answers with `status` and `body`
    (listed in the docs' divergences)."""
    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = []
        if dj.status != 500:
            diffs.append(f"django answered {dj.status} (the reference is expected to crash with 500 here)")
        if rs.status != status or rs.json() != body:
            diffs.append(f"rust answered {rs.status} {show_body(rs)}: expected {status} {json.dumps(body)}")
        return diffs
    return check


# --------------------------------------------------------------------------------------------------
# Database look-ups (pseudo-responses compared like bodies)


def db_connect(ctx):
    return sqlite3.connect(ctx["db_path"], timeout=10)


def shape_of(value):
    """A datetime text's shape (digits -> d), other values as they are."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\d", value):
        return re.sub(r"\d", "d", value)
    return value


def pseudo(data) -> Resp:
    return Resp(0, [("content-type", "application/json")], json.dumps(data, sort_keys=True).encode())


def db_user_row(ctx, username) -> Resp:
    with db_connect(ctx) as conn:
        row = conn.execute(
            "SELECT password, last_login, is_superuser, first_name, last_name, email, is_staff, is_active,"
            " date_joined FROM auth_user WHERE username = ?", (username,)).fetchone()
    if row is None:
        return pseudo({"row": None})
    password, last_login, is_superuser, first, last, email, is_staff, is_active, date_joined = row
    kind = ("empty" if password == "" else "unusable(!)" if password.startswith("!")
            else password.split("$", 1)[0])
    return pseudo({"password": kind, "last_login": shape_of(last_login), "is_superuser": is_superuser,
                   "first_name": first, "last_name": last, "email": email, "is_staff": is_staff,
                   "is_active": is_active, "date_joined": shape_of(date_joined)})


def db_email_address_rows(ctx, username) -> Resp:
    """allauth's `account_emailaddress` rows of `username` (the per-side name normalized)."""
    with db_connect(ctx) as conn:
        rows = conn.execute(
            'SELECT e.email, e.verified, e."primary" FROM account_emailaddress e JOIN auth_user u'
            " ON u.id = e.user_id WHERE u.username = ? ORDER BY e.id", (username,)).fetchall()
    return pseudo({"rows": [{"email": email, "verified": verified, "primary": primary}
                            for email, verified, primary in rows]})


def db_knox_rows(ctx, username) -> Resp:
    with db_connect(ctx) as conn:
        rows = conn.execute(
            "SELECT k.digest, k.token_key, k.created, k.expiry FROM knox_authtoken k JOIN auth_user u"
            " ON u.id = k.user_id WHERE u.username = ? ORDER BY k.created", (username,)).fetchall()
    out = []
    for digest, token_key, created, expiry in rows:
        out.append({"digest_len": len(digest), "digest_hex": bool(re.match(r"^[0-9a-f]+$", digest)),
                    "token_key_len": len(token_key), "created": shape_of(created), "expiry": shape_of(expiry)})
    return pseudo({"rows": out})


def db_token_row(ctx, username) -> Resp:
    with db_connect(ctx) as conn:
        row = conn.execute("SELECT t.key, t.created FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id"
                           " WHERE u.username = ?", (username,)).fetchone()
    if row is None:
        return pseudo({"row": None})
    return pseudo({"key_is_40_hex": bool(HEX40.match(row[0])), "created": shape_of(row[1])})


def orm_probe(ctx, username) -> Resp:
    proc = subprocess.run([ctx["python"], "manage.py", "parity_orm_probe", username], cwd=DJANGO_DIR,
                          env=ctx["django_env"], capture_output=True, text=True)
    if proc.returncode != 0:
        return pseudo({"probe failed": proc.stderr.strip().splitlines()[-1:]})
    return pseudo(json.loads(proc.stdout))


def manage(ctx, *args) -> Resp:
    """Run a manage.py command (e.g. to change a password); a pseudo-response with its exit code."""
    proc = subprocess.run([ctx["python"], "manage.py", *args], cwd=DJANGO_DIR, env=ctx["django_env"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout, proc.stderr, file=sys.stderr)
    return pseudo({"manage.py": args[0], "exit": proc.returncode})


# --------------------------------------------------------------------------------------------------
# Stateful groups


def knox_capture(slot):
    def capture(resp, ctx):
        data = resp.json() or {}
        token = data.get("token")
        if isinstance(token, str):
            ctx[slot] = token
            ctx["norm"][token] = f"<{slot}>"
            ctx["norm"][sha512_hex(token)] = f"<digest({slot})>"
            other = ctx["other"]
            other["norm"][token] = f"<{slot} of the other server>"
            other["norm"][sha512_hex(token)] = f"<digest({slot} of the other server)>"
    return capture


def knox_groups() -> list[Group]:
    K = "/knox/"
    login = lambda name, slot, who=JOHN: S(name, "POST", "/knox/login/", auth(who), want=200,
                                            check=check_knox_login, capture=knox_capture(slot))
    steps = [
        login("login john #1", "knox1"),
        login("login john #2", "knox2"),
        S("knox1 works", "GET", K, auth("Token @knox1@"), want=200),
        S("knox1, lower-case keyword", "GET", K, auth("token @knox1@"), want=200),
        with_body("knox1 POST (no CSRF)", "POST", K, auth("Token @knox1@"), json_body({}), want=200),
        S("knox2 works", "GET", K, auth("Token @knox2@"), want=200),
        S("no header", "GET", K, want=401),
        S("'Token'", "GET", K, auth("Token"), want=401),
        S("Token a b", "GET", K, auth("Token a b"), want=401),
        S("unknown 64-hex token", "GET", K, auth("Token " + "0" * 64), want=401),
        S("DRF token abcd1234 on knox view", "GET", K, auth("Token abcd1234"), want=401),
        S("knox1 with last char changed (same token_key)", "GET", K, auth("Token @knox1_bad@"), want=401),
        S("knox1 truncated to 15 chars", "GET", K, auth("Token @knox1_15@"), want=401),
        S("Bearer knox1", "GET", K, auth("Bearer @knox1@"), want=401),
        S("invalid UTF-8 token (reference crashes)", "GET", K, auth(b"Token \xff\xfe" + b"a" * 62),
          check=check_reference_crash, generic=False,
          note="spec §6.2: knox crashes on invalid UTF-8; the port must refuse without crashing"),
        S("login: GET -> 405", "GET", "/knox/login/", auth(JOHN), want=405),
        S("login: GET without credentials -> 401", "GET", "/knox/login/", want=401),
        S("login: PUT -> 405", "PUT", "/knox/login/", auth(JOHN), want=405),
        S("login: no credentials", "POST", "/knox/login/", want=401),
        S("login: bad Basic", "POST", "/knox/login/", auth(BAD), want=401),
        S("login: inactive user", "POST", "/knox/login/", auth(basic("inactive", "password")), want=401),
        S("login: Token header", "POST", "/knox/login/", auth("Token @knox1@"), want=401),
        S("login: Accept text/xml", "POST", "/knox/login/", auth(JOHN) + [("Accept", "text/xml")], want=406),
        S("logout: no header", "POST", "/knox/logout/", want=401),
        S("logout: Basic", "POST", "/knox/logout/", auth(JOHN), want=401),
        S("logout: GET -> 405", "GET", "/knox/logout/", auth("Token @knox1@"), want=405),
        S("logout knox1", "POST", "/knox/logout/", auth("Token @knox1@"), want=204),
        S("knox1 revoked", "GET", K, auth("Token @knox1@"), want=401),
        S("knox2 still valid", "GET", K, auth("Token @knox2@"), want=200),
        login("login john #3", "knox3"),
        S("logoutall: GET -> 405", "GET", "/knox/logoutall/", auth("Token @knox2@"), want=405),
        S("logoutall with knox2", "POST", "/knox/logoutall/", auth("Token @knox2@"), want=204),
        S("knox2 revoked", "GET", K, auth("Token @knox2@"), want=401),
        S("knox3 revoked", "GET", K, auth("Token @knox3@"), want=401),
        S("logout with revoked token", "POST", "/knox/logout/", auth("Token @knox3@"), want=401),
        # last_login is updated by a knox login (a real login), never by Basic alone.
        S("Basic alone does not log in", "GET", "/basic/", auth(per_side_basic("knoxlast")), want=200),
        Step("knoxlast row after Basic", action=lambda ctx: db_user_row(ctx, "knoxlast_" + ctx["s"])),
        login("knoxlast login", "knoxlast", per_side_basic("knoxlast")),
        Step("knoxlast row after knox login", action=lambda ctx: db_user_row(ctx, "knoxlast_" + ctx["s"])),
        Step("knox_authtoken rows of knoxlast", action=lambda ctx: db_knox_rows(ctx, "knoxlast_" + ctx["s"])),
        Step("Django ORM reads knoxlast's rows", action=lambda ctx: orm_probe(ctx, "knoxlast_" + ctx["s"])),
        # a token whose user becomes inactive
        login("knoxgone login", "knoxgone", per_side_basic("knoxgone")),
        S("knoxgone works", "GET", K, auth("Token @knoxgone@"), want=200),
        Step("deactivate knoxgone", action=lambda ctx: manage(ctx, "parity_fixtures", "--user",
                                                               f"knoxgone_{ctx['s']}:password:inactive")),
        S("knoxgone inactive", "GET", K, auth("Token @knoxgone@"), want=401),
    ]
    groups = [Group("knox", steps)]

    # Interop: a token issued by one server used on the other (shared database).
    steps = [
        login("login (each server issues its own)", "mine"),
        S("the other server's token works here", "GET", K, auth("Token @theirs@"), want=200),
        S("logout the other server's token here", "POST", "/knox/logout/", auth("Token @theirs@"), want=204),
        S("own token was revoked by the other server", "GET", K, auth("Token @mine@"), want=401),
    ]
    groups.append(Group("knox-interop", steps, interleave=True))
    return groups


def jwt_mint(ctx) -> Resp:
    """simplejwt tokens minted by the Django project (`manage.py parity_jwt`) for this pass: each
    in ctx as `jwt_<name>`, and normalised in bodies (each pass mints its own)."""
    proc = subprocess.run([ctx["python"], "manage.py", "parity_jwt"], cwd=DJANGO_DIR,
                          env=ctx["django_env"], capture_output=True, text=True)
    if proc.returncode != 0:
        return pseudo({"parity_jwt failed": proc.stderr.strip().splitlines()[-1:]})
    tokens = json.loads(proc.stdout)
    for name, token in tokens.items():
        ctx["jwt_" + name] = token
        ctx["norm"][token] = f"<jwt {name}>"
    return pseudo({"minted": sorted(tokens)})


def simplejwt_groups() -> list[Group]:
    """simplejwt's JWTAuthentication (third-party spec §1.1, second table) on `/jwt/`."""
    J = "/jwt/"
    bearer = lambda name: auth(f"Bearer @jwt_{name}@")
    steps = [
        Step("mint tokens (Django's simplejwt)", action=jwt_mint),
        S("access token", "GET", J, bearer("access"), want=200),
        S("access token, POST (no CSRF)", "POST", J, bearer("access"), want=200),
        S("access token after a tab", "GET", J, auth("Bearer\t@jwt_access@"), want=200),
        S("access token among spaces", "GET", J, auth("  Bearer   @jwt_access@  "), want=200),
        S("no header", "GET", J, want=401),
        S("empty header", "GET", J, auth(""), want=401),
        S("lower-case bearer", "GET", J, auth("bearer @jwt_access@"), want=401),
        S("DRF token keyword", "GET", J, auth("Token abcd1234"), want=401),
        S("Basic", "GET", J, auth(JOHN), want=401),
        S("Bearer alone", "GET", J, auth("Bearer"), want=401),
        S("Bearer a b", "GET", J, auth("Bearer a b"), want=401),
        S("garbage", "GET", J, auth("Bearer garbage"), want=401),
        S("refresh token as access", "GET", J, bearer("refresh"), want=401),
        S("sliding token as access", "GET", J, bearer("sliding"), want=401),
        S("expired", "GET", J, bearer("expired"), want=401),
        S("tampered signature", "GET", J, bearer("tampered"), want=401),
        same_unless_reference_crashes(
            S("no jti", "GET", J, bearer("no_jti"), want=401),
            "with SlidingToken in AUTH_TOKEN_CLASSES simplejwt's blacklist check reads "
            "payload['jti'] (KeyError, 500); the port answers that class 'Token has no id'"),
        S("iat in the future", "GET", J, bearer("future_iat"), want=401),
        S("no user claim", "GET", J, bearer("no_user"), want=401),
        S("unknown user", "GET", J, bearer("unknown_user"), want=401),
        S("inactive user", "GET", J, bearer("inactive"), want=401),
        S("user id as a number", "GET", J, bearer("numeric_user"), want=200),
        S("padded payload segment (str(auth) re-encodes)", "GET", J, bearer("padded"), want=200),
        S("header keys in another order (str(auth) re-encodes)", "GET", J, bearer("unsorted_header"),
          want=200),
        S("non-numeric user id (reference crashes)", "GET", J, bearer("text_user"),
          check=check_reference_crash, generic=False,
          note="simplejwt 5.5.1 raises ValueError in the user lookup (500); the port answers 401 "
               "User not found"),
        S("invalid UTF-8 token", "GET", J, auth(b"Bearer \xff\xfe"), want=401),
    ]
    return [Group("simplejwt", steps)]


def jwt_parts(token):
    """(header, payload) of a JWT as decoded JSON, or None when it is not one."""
    if not isinstance(token, str) or token.count(".") != 2:
        return None
    try:
        head, body, _ = token.split(".")
        decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return decode(head), decode(body)
    except ValueError:
        return None


def jwt_structure(token):
    """What two sides' tokens of the same request must share: the header's bytes, the claims in
    order, each claim's value except the random or clock-bound ones (jti, exp, iat, refresh_exp,
    the per-side user id), the lifetimes (exp - iat)."""
    parts = jwt_parts(token)
    if parts is None:
        if isinstance(token, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", token):
            return {"datetime": re.sub(r"\d", "d", token)}  # an `*_expiration`: DRF's format
        return {"not a JWT": token}
    header, payload = parts
    shape = {"header": token.split(".")[0], "claims": list(payload)}
    for claim, value in payload.items():
        if claim in ("jti",):
            shape[claim] = "<uuid4 hex>" if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value) \
                and value[12] == "4" else value
        elif claim in ("exp", "iat", "refresh_exp"):
            shape[claim] = type(value).__name__
        elif claim == "user_id":
            shape[claim] = "<digits>" if isinstance(value, str) and value.isdigit() else value
        elif claim == "hash_password":
            # MD5 of the user's stored hash (each side's users have their own salts); whether it
            # is the right one is what CHECK_REVOKE_TOKEN's scenarios check.
            shape[claim] = "<MD5 upper hex>" if isinstance(value, str) and re.fullmatch(r"[0-9A-F]{32}", value) \
                else value
        else:
            shape[claim] = value
    if isinstance(payload.get("exp"), int) and isinstance(payload.get("iat"), int):
        # To ten seconds: simplejwt takes a refreshed access token's `exp` from the refresh
        # token's reading of the clock and its `iat` from a later one, so across a second
        # boundary its lifetime reads 299 for 300; this library reads the clock once.
        shape["exp - iat"] = (payload["exp"] - payload["iat"] + 5) // 10 * 10
    if isinstance(payload.get("refresh_exp"), int) and isinstance(payload.get("iat"), int):
        # To ten seconds as well: a refreshed sliding token keeps the first token's
        # `refresh_exp` and takes a new `iat`, so the difference is the lifetime less the time
        # since the first token, which each server's pass spends in its own whole seconds.
        shape["refresh_exp - iat"] = (payload["refresh_exp"] - payload["iat"] + 5) // 10 * 10
    return shape


def check_jwt_body(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """A body of tokens (obtain, refresh, sliding): the same members in the same order, each token
    of the same structure (`jwt_structure`), and each accepted by the other server's verify view
    (cross-verification: the same key, both ways)."""
    diffs = []
    a, b = dj.json(), rs.json()
    if not isinstance(a, dict) or not isinstance(b, dict):
        return [f"bodies are not objects: django {show_body(dj)} / rust {show_body(rs)}"]
    if list(a) != list(b):
        diffs.append(f"members differ: django {list(a)} / rust {list(b)}")
    for name in a:
        if name not in b:
            continue
        sa, sb = jwt_structure(a[name]), jwt_structure(b[name])
        if sa != sb:
            diffs.append(f"{name}: django {sa} / rust {sb}")
    for ctx, data, side in ((ctx_dj, a, "django"), (ctx_rs, b, "rust")):
        for name, token in data.items():
            if jwt_parts(token) is None:
                continue
            verdict = ctx["cross_verified"].get(token)
            if verdict is None:
                diffs.append(f"{side}'s {name} was not sent to the other server's verify view")
            elif verdict[0] != 200:
                diffs.append(f"{side}'s {name} refused by the other server's verify view: "
                             f"{verdict[0]} {verdict[1]}")
    return diffs


def cross_verify(resp, ctx):
    """Each token of a body, sent at once to the other server's verify view (later steps may
    blacklist it): the verdicts in ctx for `check_jwt_body`."""
    data = resp.json()
    if not isinstance(data, dict):
        return
    for token in data.values():
        if jwt_parts(token) is not None:
            verdict = http_request(ctx["other"]["port"], "POST", "/api/token/verify/",
                                   [("Content-Type", "application/json")],
                                   json.dumps({"token": token}).encode())
            ctx["cross_verified"][token] = (verdict.status, show_body(verdict))


def remember_jwts(prefix):
    """Capture: each token of the body in ctx as `<prefix>_<member>`, normalised in later bodies."""

    def capture(resp, ctx):
        data = resp.json()
        if isinstance(data, dict):
            for name, token in data.items():
                if isinstance(token, str) and jwt_parts(token) is not None:
                    ctx[f"{prefix}_{name}"] = token
                    ctx["norm"][token] = f"<{prefix} {name}>"
                    # The other server may show it too (request.auth of a token used across).
                    ctx["other"]["norm"][token] = f"<their {prefix} {name}>"

    return capture


def db_outstanding_rows(ctx, username) -> Resp:
    """simplejwt's rows for a user: how many outstanding and blacklisted, and the shape of the
    stored values (Django's SQLite datetime text, the whole token, the jti)."""
    with db_connect(ctx) as db:
        rows = db.execute(
            "SELECT o.token, o.created_at, o.expires_at, o.jti, b.blacklisted_at "
            "FROM token_blacklist_outstandingtoken o JOIN auth_user u ON u.id = o.user_id "
            "LEFT JOIN token_blacklist_blacklistedtoken b ON b.token_id = o.id "
            "WHERE u.username = ? ORDER BY o.id", (username,)).fetchall()
    shapes = []
    for token, created_at, expires_at, jti, blacklisted_at in rows:
        parts = jwt_parts(token)
        shapes.append({
            "token": jwt_structure(token),
            "jti matches the token": parts is not None and parts[1].get("jti") == jti,
            "expires_at is exp": parts is not None and expires_at ==
            datetime.fromtimestamp(parts[1]["exp"], timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "created_at": re.sub(r"\d", "d", created_at or "None"),
            "blacklisted_at": re.sub(r"\d", "d", blacklisted_at) if blacklisted_at else None,
        })
    return pseudo({"rows": shapes})


def delete_user(ctx, username) -> Resp:
    """Deletes a user as Django's ORM does for simplejwt's rows (`on_delete=SET_NULL`)."""
    with db_connect(ctx) as db:
        row = db.execute("SELECT id FROM auth_user WHERE username = ?", (username,)).fetchone()
        if row:
            db.execute("UPDATE token_blacklist_outstandingtoken SET user_id = NULL WHERE user_id = ?", row)
            db.execute("DELETE FROM authtoken_token WHERE user_id = ?", row)
            db.execute("DELETE FROM auth_user WHERE id = ?", row)
    return pseudo({"deleted": bool(row)})


def cookie_shapes(resp: Resp, any_value=False):
    """Set-Cookie lines with the JWT values (with `any_value`, every set value: session keys,
    CSRF secrets) and `expires` dates replaced: the attributes, in order."""
    shapes = []
    for line in resp.all("set-cookie"):
        name, _, rest = line.partition("=")
        value, _, attrs = rest.partition(";")
        kind = "<jwt>" if jwt_parts(value) else value
        if any_value and kind not in ("<jwt>", "", '""'):
            kind = "<value>"
        attrs = re.sub(r"expires=[^;]*", "expires=<date>", attrs)
        shapes.append(f"{name}={kind};{attrs}")
    return sorted(shapes)


def check_jwt_cookie_body(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """check_jwt_body, and the cookies set: same names, attributes and order of attributes."""
    diffs = check_jwt_body(dj, rs, ctx_dj, ctx_rs)
    if cookie_shapes(dj) != cookie_shapes(rs):
        diffs.append(f"Set-Cookie: django {cookie_shapes(dj)} / rust {cookie_shapes(rs)}")
    return diffs


def jwt_cookie_groups() -> list[Group]:
    """dj-rest-auth 7.2.0's JWT cookie mode (third-party spec §6): JWTCookieAuthentication on
    `/jwt-cookie/` and the cookie-aware refresh view, with the reference project's REST_AUTH
    (cookie names jwt-access / jwt-refresh; `--rest-auth` for another)."""
    C, RR, T = "/jwt-cookie/", "/dj-rest-auth/token/refresh/", "/api/token/"
    cookie = lambda value: [("Cookie", value)]
    cred = {"username": "jwtcookie_@s@", "password": "password"}
    obtain = lambda name: with_body(f"obtain pair {name}", "POST", T, [], json_body(cred), want=200,
                                    check=check_jwt_body, capture=remember_jwts(name))
    steps = [
        Step("mint tokens (Django's simplejwt)", action=jwt_mint),
        S("the access cookie", "GET", C, cookie("jwt-access=@jwt_access@"), want=200),
        S("the header wins over a bad cookie", "GET", C,
          auth("Bearer @jwt_access@") + cookie("jwt-access=garbage"), want=200),
        S("a bad header wins over a good cookie", "GET", C,
          auth("Bearer garbage") + cookie("jwt-access=@jwt_access@"), want=401),
        S("another scheme in the header hides the cookie", "GET", C,
          auth("Token abcd1234") + cookie("jwt-access=@jwt_access@"), want=401),
        S("lower-case bearer hides the cookie", "GET", C,
          auth("bearer @jwt_access@") + cookie("jwt-access=@jwt_access@"), want=401),
        S("Bearer alone, with the cookie", "GET", C,
          auth("Bearer") + cookie("jwt-access=@jwt_access@"), want=401),
        S("a garbage cookie", "GET", C, cookie("jwt-access=garbage"), want=401),
        S("an expired cookie", "GET", C, cookie("jwt-access=@jwt_expired@"), want=401),
        S("a refresh token in the access cookie", "GET", C, cookie("jwt-access=@jwt_refresh@"),
          want=401),
        S("an inactive user's cookie", "GET", C, cookie("jwt-access=@jwt_inactive@"), want=401),
        S("the access cookie twice (the last wins)", "GET", C,
          cookie("jwt-access=garbage; jwt-access=@jwt_access@"), want=200),
        S("the access cookie on a second Cookie line", "GET", C,
          cookie("other=1") + cookie("jwt-access=@jwt_access@")),
        S("an empty access cookie", "GET", C, cookie("jwt-access="), want=401),
        S("no cookie, no header", "GET", C, want=401),
        S("POST with the cookie, no CSRF token", "POST", C, cookie("jwt-access=@jwt_access@")),
        S("POST with the cookie and the CSRF token", "POST", C,
          cookie("jwt-access=@jwt_access@; csrftoken=@csrf@") + [("X-CSRFToken", "@csrf_masked@")],
          want=200),
        S("POST with the header: no CSRF check", "POST", C, auth("Bearer @jwt_access@"), want=200),
        # The refresh view.
        obtain("c1"),
        with_body("refresh from the body", "POST", RR, [], json_body({"refresh": "@c1_refresh@"}),
                  want=200, check=check_jwt_cookie_body),
        obtain("c2"),
        S("refresh from the cookie", "POST", RR, cookie("jwt-refresh=@c2_refresh@"), want=200,
          check=check_jwt_cookie_body),
        obtain("c3"),
        with_body("a blank refresh in the body, the cookie there", "POST", RR,
                  cookie("jwt-refresh=@c3_refresh@"), json_body({"refresh": ""}),
                  check=check_jwt_cookie_body),
        obtain("c4"),
        with_body("the body wins over the cookie", "POST", RR, cookie("jwt-refresh=garbage"),
                  json_body({"refresh": "@c4_refresh@"}), want=200, check=check_jwt_cookie_body),
        S("no body, no cookie", "POST", RR, want=401),
        with_body("an empty JSON object, no cookie", "POST", RR, [], json_body({}), want=401),
        with_body("a blank refresh, no cookie", "POST", RR, [], json_body({"refresh": ""})),
        with_body("a null refresh", "POST", RR, [], json_body({"refresh": None})),
        with_body("a garbage refresh in the body", "POST", RR, [], json_body({"refresh": "garbage"}),
                  want=401),
        S("a garbage refresh cookie", "POST", RR, cookie("jwt-refresh=garbage"), want=401),
        S("an access token in the refresh cookie", "POST", RR, cookie("jwt-refresh=@jwt_access@"),
          want=401),
        obtain("formc"),
        with_body("form body", "POST", RR, [], form_body({"refresh": "@formc_refresh@"}), want=200,
                  check=check_jwt_cookie_body),
        S("GET", "GET", RR, want=405),
    ]
    return [Group("jwt-cookies", steps)]


def set_cookies(resp: Resp) -> dict:
    """{name: value} of the cookies a response sets (not those it deletes)."""
    out = {}
    for line in resp.all("set-cookie"):
        name, _, rest = line.partition("=")
        value = rest.partition(";")[0]
        if value not in ("", '""'):
            out[name.strip()] = value
    return out


def remember_login(prefix):
    """Capture of a dj-rest-auth login: its cookies in ctx as `<prefix>_<cookie name>`
    (`jwt_access`, `jwt_refresh`, `sessionid`, `csrftoken`), the masked CSRF token as
    `<prefix>_csrf_masked`, and the access token sent at once to the other server's verify view."""

    def capture(resp, ctx):
        cookies = set_cookies(resp)
        for name, value in cookies.items():
            ctx[f"{prefix}_{name.replace('-', '_')}"] = value
            ctx["norm"][value] = f"<{prefix} {name}>"
        if "csrftoken" in cookies:
            ctx[f"{prefix}_csrf_masked"] = mask_csrf(cookies["csrftoken"])
        data = resp.json()
        if isinstance(data, dict) and jwt_parts(data.get("access", "")) is not None:
            verdict = http_request(ctx["other"]["port"], "POST", "/api/token/verify/",
                                   [("Content-Type", "application/json")],
                                   json.dumps({"token": data["access"]}).encode())
            ctx["cross_verified"][data["access"]] = (verdict.status, show_body(verdict))

    return capture


def check_rest_auth_login(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """dj-rest-auth's JWT login body: the same members in the same order; the access token of
    the same structure and accepted by the other server's verify view; `refresh` and `user`
    equal once each server's own names and ids are normalised; the cookies of the same shape."""
    diffs = []
    a, b = dj.json(), rs.json()
    if not isinstance(a, dict) or not isinstance(b, dict):
        return [f"bodies are not objects: django {show_body(dj)} / rust {show_body(rs)}"]
    if list(a) != list(b):
        diffs.append(f"members differ: django {list(a)} / rust {list(b)}")
    for name in ("access", "refresh"):
        if jwt_structure(a.get(name)) != jwt_structure(b.get(name)):
            diffs.append(f"{name}: django {jwt_structure(a.get(name))} / rust {jwt_structure(b.get(name))}")
    for ctx, data, side in ((ctx_dj, a, "django"), (ctx_rs, b, "rust")):
        verdict = ctx["cross_verified"].get(data.get("access"))
        if verdict is None or verdict[0] != 200:
            diffs.append(f"{side}'s access token refused by the other server's verify view: {verdict}")
    for name in a:
        if name not in b or jwt_parts(a[name]) is not None:
            continue
        va, vb = normalize(a[name], ctx_dj), normalize(b[name], ctx_rs)
        if name == "user" and isinstance(va, dict) and isinstance(vb, dict):
            va = {k: ("<pk>" if k == "pk" and isinstance(v, int) else v) for k, v in va.items()}
            vb = {k: ("<pk>" if k == "pk" and isinstance(v, int) else v) for k, v in vb.items()}
            if list(va) != list(vb):
                diffs.append(f"user members: django {list(va)} / rust {list(vb)}")
        if name.endswith("_expiration"):
            va, vb = re.sub(r"\d", "d", va), re.sub(r"\d", "d", vb)
        if va != vb:
            diffs.append(f"{name}: django {va!r} / rust {vb!r}")
    return diffs + set_cookie_diffs(dj, rs)


def set_cookie_diffs(dj: Resp, rs: Resp) -> list[str]:
    """The cookies' names, kinds and attributes (`cookie_shapes` with every value replaced)."""
    a, b = cookie_shapes(dj, any_value=True), cookie_shapes(rs, any_value=True)
    return [] if a == b else [f"Set-Cookie: django {a} / rust {b}"]


def check_cookie_shapes(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """The generic body comparison, plus the cookies' names, kinds and attributes."""
    diffs = []
    na, nb = normalize(dj.json(), ctx_dj), normalize(rs.json(), ctx_rs)
    if na != nb:
        diffs.append(f"body: django {show_body(dj)} / rust {show_body(rs)}")
    return diffs + set_cookie_diffs(dj, rs)


def check_logout_list_body(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """A JSON list as the logout body, without JWT_AUTH_HTTPONLY: dj-rest-auth indexes it
    (`request.data['refresh']`), gets a TypeError and answers 500 "An error has occurred.";
    this library answers 401 "Refresh token was not included in request data." With
    JWT_AUTH_HTTPONLY the body is not read and both answer the same."""
    if (dj.status, dj.json()) == (rs.status, rs.json()):
        return []
    if dj.status == 500 and dj.json() == {"detail": "An error has occurred."} and rs.status == 401 \
            and rs.json() == {"detail": "Refresh token was not included in request data."}:
        return []
    return [f"django {dj.status} {show_body(dj)} / rust {rs.status} {show_body(rs)}"]


def rest_auth_login_groups(allauth: bool = False) -> list[Group]:
    """dj-rest-auth 7.2.0's LoginView and LogoutView in JWT mode (third-party spec §6) with the
    reference project's REST_AUTH (USE_JWT, SESSION_LOGIN, the jwt-access / jwt-refresh cookies,
    JWT_AUTH_HTTPONLY): login by username or email, the pair in cookies and a Django session;
    logout blacklisting the refresh cookie, flushing the session, deleting the user's DRF token.
    With `allauth` (the `--allauth` run) login is by username only: the email logins are 400."""
    L, O = "/dj-rest-auth/login/", "/dj-rest-auth/logout/"
    me = lambda **extra: {"username": "ralogin_@s@", "password": "password", **extra}
    login = lambda name, hb, capture=None, headers=(): with_body(
        name, "POST", L, list(headers), hb, want=200, check=check_rest_auth_login,
        capture=capture or remember_login("ra"))
    by_email = (lambda name, hb: with_body(name, "POST", L, [], hb, want=400)) if allauth else login
    cookie = lambda value: [("Cookie", value)]
    steps = [
        login("login (JSON)", json_body(me()), capture=remember_login("ra1")),
        login("login (form)", form_body(me())),
        login("login (multipart)", multipart_body(me())),
        by_email("login by email", json_body({"email": "ralogin_@s@@example.com", "password": "password"})),
        by_email("login by email, other case",
                 json_body({"email": "RaLogin_@s@@Example.COM", "password": "password"})),
        login("an unknown email falls back to the username",
              json_body(me(email="nobody-here@example.com"))),
        by_email("a known email wins over the username",
              json_body({"username": "nobody", "email": "ralogin_@s@@example.com", "password": "password"})),
        login("the password is trimmed", json_body(me(password="  password\t"))),
        login("repeated form fields (last wins)",
              form_body([("username", "nobody"), ("username", "ralogin_@s@"), ("password", "x"),
                         ("password", "password")])),
        with_body("wrong password", "POST", L, [], json_body(me(password="nope")), want=400),
        with_body("inactive user", "POST", L, [], json_body({"username": "inactive", "password": "password"}),
                  want=400),
        with_body("unknown user", "POST", L, [], json_body({"username": "nobody-here", "password": "password"}),
                  want=400),
        with_body("an unknown email and no username", "POST", L, [],
                  json_body({"email": "nobody-here@example.com", "password": "password"}), want=400),
        with_body("no fields", "POST", L, [], json_body({}), want=400),
        with_body("blank fields", "POST", L, [], json_body({"username": "", "email": "", "password": ""}),
                  want=400),
        with_body("null, boolean and list", "POST", L, [],
                  json_body({"username": None, "email": True, "password": ["x"]}), want=400),
        with_body("an invalid email", "POST", L, [], json_body({"email": "not-an-email", "password": "x"}),
                  want=400),
        with_body("an email with a NUL", "POST", L, [], json_body({"email": "a\u0000b@example.com", "password": "x"}),
                  want=400),
        with_body("a quoted local part", "POST", L, [],
                  json_body({"email": "\"a b\"@example.com", "password": "x"}), want=400),
        with_body("an address literal", "POST", L, [],
                  json_body({"email": "ralogin@[127.0.0.1]", "password": "x"}), want=400),
        with_body("a list body", "POST", L, [], json_body([]), want=400),
        S("empty body", "POST", L, want=400),
        S("malformed JSON", "POST", L, [("Content-Type", "application/json")], b'{"username":', want=400),
        S("XML", "POST", L, [("Content-Type", "application/xml")], b"<a/>", want=415),
        S("GET", "GET", L, want=405),
        S("PUT", "PUT", L, want=405),
        with_body("Accept: text/xml", "POST", L, [("Accept", "text/xml")], json_body(me()), want=406),
        with_body("a wrong Basic header (the default authentication runs; Session is first: 403)",
                  "POST", L, auth(BAD), json_body(me()), want=403),
        with_body("the login's session, no CSRF token", "POST", L, cookie("sessionid=@ra1_sessionid@"),
                  json_body(me()), want=403),
        login("the login's session with its CSRF token", json_body(me()), capture=remember_login("ra2"),
              headers=cookie("sessionid=@ra1_sessionid@; csrftoken=@ra1_csrftoken@")
              + [("X-CSRFToken", "@ra1_csrf_masked@")]),
        S("the session is kept (the same user logged in again)", "GET", "/session/",
          cookie("sessionid=@ra1_sessionid@"), want=200),
        # logout
        S("logout without a refresh cookie", "POST", O, want=401, check=check_cookie_shapes),
        # 200 with JWT_AUTH_HTTPONLY (the default); without it the cookie is not read: 401.
        S("logout with the refresh cookie", "POST", O, cookie("jwt-refresh=@ra2_jwt_refresh@"),
          check=check_cookie_shapes),
        S("the same refresh again (blacklisted)", "POST", O, cookie("jwt-refresh=@ra2_jwt_refresh@"),
          want=401, check=check_cookie_shapes),
        S("a garbage refresh cookie", "POST", O, cookie("jwt-refresh=garbage"), want=401),
        S("an access token as the refresh cookie", "POST", O, cookie("jwt-refresh=@ra2_jwt_access@"),
          want=401),
        S("an empty refresh cookie", "POST", O, cookie("jwt-refresh="), want=401),
        S("GET logout", "GET", O, want=405),
        S("PUT logout", "PUT", O, want=405),
        login("log in again", json_body(me()), capture=remember_login("ra3")),
        S("logout with the session, no CSRF token", "POST", O,
          cookie("sessionid=@ra3_sessionid@; jwt-refresh=@ra3_jwt_refresh@"), want=403),
        S("logout with the session and its CSRF token", "POST", O,
          cookie("sessionid=@ra3_sessionid@; csrftoken=@ra3_csrftoken@; jwt-refresh=@ra3_jwt_refresh@")
          + [("X-CSRFToken", "@ra3_csrf_masked@")], check=check_cookie_shapes),
        S("the session ended", "GET", "/session/", cookie("sessionid=@ra3_sessionid@"), want=403),
        # The refresh token in the body: what JWT_AUTH_HTTPONLY = False reads (with it, the
        # cookie is missing and every one of these is the same 401).
        login("log in for the body's refresh", json_body(me()), capture=remember_login("ra4")),
        with_body("logout with the refresh in the body", "POST", O, [],
                  json_body({"refresh": "@ra4_jwt_refresh@"}), check=check_cookie_shapes),
        with_body("logout with a null refresh", "POST", O, [], json_body({"refresh": None}),
                  check=check_cookie_shapes),
        with_body("logout with a number as the refresh", "POST", O, [], json_body({"refresh": 5}),
                  check=check_cookie_shapes),
        with_body("logout with a form refresh", "POST", O, [], form_body({"refresh": "garbage"}),
                  check=check_cookie_shapes),
        with_body("logout with no refresh member", "POST", O, [], json_body({}), check=check_cookie_shapes),
        S("logout with malformed JSON", "POST", O, [("Content-Type", "application/json")], b'{"refresh":'),
        with_body("logout with a JSON list", "POST", O, [], json_body([]), check=check_logout_list_body,
                  generic=False, note="dj-rest-auth's 500 for a list body is a 401 here"),
        S("raout's DRF token works", "GET", "/token/", auth("Token raout_@s@_key"), want=200),
        S("logout by Basic deletes the user's DRF token (no refresh cookie: 401)", "POST", O,
          [("Authorization", lambda ctx: basic(f"raout_{ctx['s']}", "password"))], want=401,
          check=check_cookie_shapes),
        S("raout's DRF token is gone", "GET", "/token/", auth("Token raout_@s@_key"), want=401),
    ]
    return [Group("rest-auth-login", steps)]


def rest_auth_account_groups(rest_auth: dict | None = None, allauth: bool = False) -> list[Group]:
    """dj-rest-auth 7.2.0's UserDetailsView (`user/`) and PasswordChangeView (`password/change/`)
    under the run's REST_AUTH (`OLD_PASSWORD_FIELD_ENABLED`, `LOGOUT_ON_PASSWORD_CHANGE`; the
    bodies always carry the right `old_password`, ignored when the field is off). With `allauth`
    a username in use ignoring case, the user's own included, is refused (allauth's
    `clean_username`)."""
    rest_auth = rest_auth or {}
    U, PC = "/dj-rest-auth/user/", "/dj-rest-auth/password/change/"
    rauser = [("Authorization", lambda ctx: basic(f"rauser_{ctx['s']}", "password"))]
    rauser2 = [("Authorization", lambda ctx: basic(f"rauser2_{ctx['s']}", "password"))]
    rapw = [("Authorization", lambda ctx: basic(f"rapw_{ctx['s']}", "password"))]
    rapw_new = [("Authorization", lambda ctx: basic(f"rapw_{ctx['s']}", "another-long-passphrase"))]
    change = lambda **fields: json_body({"old_password": "password", "new_password1": "another-long-passphrase",
                                         "new_password2": "another-long-passphrase", **fields})
    cookie = lambda value: [("Cookie", value)]
    steps = [
        S("user: anonymous", "GET", U, want=403),
        S("user: GET", "GET", U, rauser, want=200, check=check_user_body),
        S("user: GET without the slash", "GET", "/dj-rest-auth/user", rauser, want=200, check=check_user_body),
        with_body("user: PUT without the username", "PUT", U, rauser, json_body({"first_name": "Ann"}), want=400),
        with_body("user: PUT its own name, names, and a read-only email and pk", "PUT", U, rauser,
                  json_body({"username": "rauser_@s@", "first_name": " Ann ", "last_name": "Lee",
                             "email": "other@example.com", "pk": 1}), want=400 if allauth else 200,
                  check=check_user_body),
        *([with_body("user: PATCH a taken name in another case (allauth: iexact)", "PATCH", U, rauser,
                     json_body({"username": "INACTIVE"}), want=400)] if allauth else []),
        with_body("user: PATCH a blank first name", "PATCH", U, rauser, form_body({"first_name": ""}), want=200,
                  check=check_user_body),
        with_body("user: PATCH an invalid name", "PATCH", U, rauser, json_body({"username": "has space"}),
                  want=400),
        with_body("user: PATCH a taken name", "PATCH", U, rauser, json_body({"username": "inactive"}), want=400),
        with_body("user: PATCH long, null and list names", "PATCH", U, rauser,
                  json_body({"username": "a b" * 60, "first_name": "a" * 151, "last_name": None}), want=400),
        with_body("user: PATCH a name with a NUL", "PATCH", U, rauser,
                  json_body({"first_name": "a\u0000b", "last_name": ["x"]}), want=400),
        with_body("user: a JSON list", "PATCH", U, rauser, json_body([]), want=400),
        S("user: POST", "POST", U, rauser, want=405),
        S("user: DELETE", "DELETE", U, rauser, want=405),
        S("user: anonymous DELETE (the permission first)", "DELETE", U, want=403),
        with_body("user: PATCH the username", "PATCH", U, rauser, json_body({"username": "rauser2_@s@"}),
                  want=200, check=check_user_body),
        Step("user: the row", action=lambda ctx: db_user_row(ctx, f"rauser2_{ctx['s']}")),
        S("user: the old name is refused", "GET", U, rauser, want=403),
        S("user: the new name", "GET", U, rauser2, want=200, check=check_user_body),
        # password/change/
        with_body("password change: anonymous", "POST", PC, [], change(), want=403),
        with_body("password change: no fields", "POST", PC, rapw, json_body({}), want=400),
        with_body("password change: they differ", "POST", PC, rapw,
                  change(new_password2="another-long-passphrasf"), want=400),
        with_body("password change: too common and similar", "POST", PC, rapw,
                  change(new_password1="rapw_@s@", new_password2="rapw_@s@"), want=400),
        with_body("password change: too long", "POST", PC, rapw,
                  change(new_password1="a" * 129, new_password2="b" * 200 + "\u0000"), want=400),
        with_body("password change: blank and null", "POST", PC, rapw,
                  json_body({"new_password1": " ", "new_password2": None}), want=400),
        *([with_body("password change: a wrong old password", "POST", PC, rapw, change(old_password="nope"),
                     want=400),
           with_body("password change: no old password", "POST", PC, rapw,
                     json_body({"new_password1": "another-long-passphrase",
                                "new_password2": "another-long-passphrase"}), want=400)]
          if rest_auth.get("OLD_PASSWORD_FIELD_ENABLED") else []),
        S("password change: GET", "GET", PC, rapw, want=405),
        with_body("password change", "POST", PC, rapw, change(new_password1=" another-long-passphrase"),
                  want=200, check=check_cookie_shapes, capture=remember_login("rapc")),
        S("password change: its session is no login", "GET", "/session/", cookie("sessionid=@rapc_sessionid@"),
          want=403),
        S("password change: the old password is refused", "GET", "/basic/", rapw, want=401),
        S("password change: the new one works", "GET", "/basic/", rapw_new, want=200),
        # by the session of a dj-rest-auth login, with its CSRF token
        with_body("password change: log in", "POST", "/dj-rest-auth/login/", [],
                  json_body({"username": "rapws_@s@", "password": "password"}), want=200,
                  check=check_rest_auth_login, capture=remember_login("rapl")),
        with_body("password change: the session without its CSRF token", "POST", PC,
                  cookie("sessionid=@rapl_sessionid@"), change(), want=403),
        with_body("password change: by the session", "POST", PC,
                  cookie("sessionid=@rapl_sessionid@; csrftoken=@rapl_csrftoken@")
                  + [("X-CSRFToken", "@rapl_csrf_masked@")], change(), want=200,
                  check=check_cookie_shapes, capture=remember_login("rapd")),
        S("password change: the old session key is gone", "GET", "/session/", cookie("sessionid=@rapl_sessionid@"),
          want=403),
        # Kept logged in under its new key, unless LOGOUT_ON_PASSWORD_CHANGE (no new key).
        S("password change: the session's new key", "GET", "/session/", cookie("sessionid=@rapd_sessionid@")),
    ]
    return [Group("rest-auth-account", steps)]



def rest_auth_reset_groups(allauth: bool = False) -> list[Group]:
    """dj-rest-auth 7.2.0's PasswordResetView and PasswordResetConfirmView, with Django's
    PasswordResetForm (its email template copied from `django.contrib.admin` into the reference
    project, its link `reset/<uidb64>/<token>/`) or, in the `--allauth` run, django-allauth
    65.21.1's (its email with a base36 link, and the `account_emailaddress` row its token makes):
    the email read from the mail directory and redeemed once; unknown, inactive and miscased
    addresses answered alike; the confirmation's errors in their order. Then
    `rest-auth-reset-interop`: a link emailed by each server redeemed by the other."""
    R, C = "/dj-rest-auth/password/reset/", "/dj-rest-auth/password/reset/confirm/"
    kind = "password-reset/confirm" if allauth else "reset"
    me = {"email": "rareset_@s@@example.com"}
    confirm = lambda **fields: json_body({"new_password1": "a-new-long-passphrase",
                                          "new_password2": "a-new-long-passphrase",
                                          "uid": "@rr_uid@", "token": "@rr_token@", **fields})
    rows = lambda ctx: db_email_address_rows(ctx, f"rareset_{ctx['s']}")
    steps = [
        with_body("reset: a known email", "POST", R, [], json_body(me), want=200),
        Step("reset: the email", action=read_mail("rr", kind=kind)),
        *([Step("reset: the user's address got its row", action=rows)] if allauth else []),
        with_body("reset: another case and spaces", "POST", R, [],
                  json_body({"email": " RARESET_@s@@Example.COM "}), want=200),
        Step("reset: the email, to the lower-cased address", action=read_mail("rr2", kind=kind)),
        with_body("reset: a user without a usable password", "POST", R, [],
                  json_body({"email": "rarunusable_@s@@example.com"}), want=200),
        # allauth does not ask for a usable password; Django's form does.
        Step("reset: its email (allauth) or none (Django)", action=read_mail("rr3", kind=kind)),
        with_body("reset: an address over 254 characters (Django's form field: a nested error)", "POST", R, [],
                  json_body({"email": "a" * 250 + "@example.com"}), want=200 if allauth else 400),
        with_body("reset: an unknown email", "POST", R, [], json_body({"email": "nobody-here@example.com"}),
                  want=200),
        with_body("reset: an inactive user's email", "POST", R, [], json_body({"email": "inactive@example.com"}),
                  want=200),
        Step("reset: no email for those", action=no_new_mail),
        with_body("reset: form body", "POST", R, [], form_body({"email": "nobody-here@example.com"}), want=200),
        with_body("reset: repeated form fields (the last)", "POST", R, [],
                  ([("Content-Type", "application/x-www-form-urlencoded")],
                   b"email=x&email=nobody-here%40example.com"), want=200),
        with_body("reset: without the slash", "POST", "/dj-rest-auth/password/reset", [],
                  json_body({"email": "nobody-here@example.com"}), want=200),
        with_body("reset: an invalid email", "POST", R, [], json_body({"email": "not-an-email"}), want=400),
        with_body("reset: a blank email", "POST", R, [], json_body({"email": " "}), want=400),
        with_body("reset: a number", "POST", R, [], json_body({"email": 5}), want=400),
        with_body("reset: null", "POST", R, [], json_body({"email": None}), want=400),
        with_body("reset: a list", "POST", R, [], json_body({"email": ["a@example.com"]}), want=400),
        with_body("reset: an email with a NUL", "POST", R, [], json_body({"email": "a\u0000b@example.com"}),
                  want=400),
        with_body("reset: a non-ASCII local part (Django's validator refuses it)", "POST", R, [],
                  json_body({"email": "j\u00f6rg@example.com"}), want=400),
        with_body("reset: an IDN domain", "POST", R, [], json_body({"email": "a@b\u00fccher.example"}), want=200),
        with_body("reset: no field", "POST", R, [], json_body({}), want=400),
        with_body("reset: a JSON list", "POST", R, [], json_body([]), want=400),
        S("reset: empty body", "POST", R, want=400),
        S("reset: malformed JSON", "POST", R, [("Content-Type", "application/json")], b'{"email":', want=400),
        S("reset: GET", "GET", R, want=405),
        S("reset: PUT", "PUT", R, want=405),
        with_body("reset: a wrong Basic header (the default authentication runs)", "POST", R, auth(BAD),
                  json_body(me), want=403),
        Step("reset: nothing more was sent", action=no_new_mail),
        # the confirmation
        with_body("confirm: no fields", "POST", C, [], json_body({}), want=400),
        with_body("confirm: null fields", "POST", C, [], json_body({"uid": None, "token": None,
                                                                    "new_password1": None,
                                                                    "new_password2": None}), want=400),
        with_body("confirm: a password too long and a blank uid", "POST", C, [],
                  confirm(new_password1="x" * 129, uid=""), want=400),
        with_body("confirm: an unknown user", "POST", C, [], confirm(uid="zzzz"), want=400),
        with_body("confirm: a uid that is no base36", "POST", C, [], confirm(uid="!!!"), want=400),
        with_body("confirm: a uid too long", "POST", C, [], confirm(uid="1" * 14), want=400),
        with_body("confirm: a token without a dash", "POST", C, [], confirm(token="abc"), want=400),
        with_body("confirm: a wrong token", "POST", C, [], confirm(token="dj4uam-0123"), want=400),
        with_body("confirm: a weak password", "POST", C, [], confirm(new_password1="123", new_password2="123"),
                  want=400),
        with_body("confirm: the two differ", "POST", C, [], confirm(new_password2="something-else-long"),
                  want=400),
        with_body("confirm: too similar to the username", "POST", C, [],
                  confirm(new_password1="rareset_@s@", new_password2="rareset_@s@"), want=400),
        S("confirm: GET", "GET", C, want=405),
        with_body("confirm: the link", "POST", C, [], confirm(), want=200),
        Step("confirm: the row (password set, last_login untouched)",
             action=lambda ctx: db_user_row(ctx, f"rareset_{ctx['s']}")),
        *([Step("confirm: the address rows", action=rows)] if allauth else []),
        with_body("confirm: the link again", "POST", C, [],
                  confirm(new_password1="another-long-passphrase", new_password2="another-long-passphrase"),
                  want=400),
        S("confirm: the new password logs in", "GET", "/basic/",
          [("Authorization", lambda ctx: basic(f"rareset_{ctx['s']}", "a-new-long-passphrase"))], want=200),
        with_body("confirm: without the slash, the old link", "POST", "/dj-rest-auth/password/reset/confirm", [],
                  confirm(), want=400),
        # allauth's login methods: the username only
        *([with_body("login: by email (allauth logs in by username only)", "POST", "/dj-rest-auth/login/", [],
                     json_body({"email": "rareset_@s@@example.com", "password": "a-new-long-passphrase"}),
                     want=400)] if allauth else []),
    ]
    interop = [
        with_body("reset requested", "POST", R, [], json_body({"email": "rarx_@s@@example.com"}), want=200),
        Step("the email", action=read_mail("rx", kind=kind)),
        with_body("the other server's link", "POST", C, [],
                  json_body({"uid": "@their_rx_uid@", "token": "@their_rx_token@",
                             "new_password1": "a-new-long-passphrase",
                             "new_password2": "a-new-long-passphrase"}), want=200),
        S("the other server's user has the new password", "GET", "/basic/",
          [("Authorization", lambda ctx: basic(f"rarx_{ctx['other']['s']}", "a-new-long-passphrase"))], want=200),
        with_body("the other server's link again", "POST", C, [],
                  json_body({"uid": "@their_rx_uid@", "token": "@their_rx_token@",
                             "new_password1": "another-long-passphrase",
                             "new_password2": "another-long-passphrase"}), want=400),
    ]
    return [Group("rest-auth-reset", steps), Group("rest-auth-reset-interop", interop, interleave=True)]


def rest_auth_registration_groups() -> list[Group]:
    """dj-rest-auth 7.2.0's registration with django-allauth 65.21.1 (the `--allauth` run; the
    reference's REST_AUTH is JWT mode): each field's errors, the user and its address rows, the
    JWT pair and the session of the new user, allauth's confirmation email with its HMAC key,
    the address verified by it once, an address another user verified refused, and the resend.
    Then `rest-auth-registration-interop`: a key emailed by each server verifies on the other."""
    RG, V, RE = "/dj-rest-auth/registration/", "/dj-rest-auth/registration/verify-email/", \
        "/dj-rest-auth/registration/resend-email/"
    reg = lambda **fields: json_body({"username": "rareg_@s@", "email": "RaReg_@s@@Example.COM",
                                      "password1": "a-long-passphrase", "password2": "a-long-passphrase",
                                      **fields})
    rows = lambda name: lambda ctx: db_email_address_rows(ctx, name.format(s=ctx["s"]))
    user_row = lambda name: lambda ctx: db_user_row(ctx, name.format(s=ctx["s"]))
    steps = [
        with_body("register: no fields", "POST", RG, [], json_body({}), want=400),
        with_body("register: null and list values", "POST", RG, [],
                  json_body({"username": None, "email": ["a@example.com"], "password1": None, "password2": 5}),
                  want=400),
        with_body("register: a name taken in another case, a bad email, a short password", "POST", RG, [],
                  reg(username="JOHN", email="not-an-email", password1="short", password2="short"), want=400),
        with_body("register: an invalid and a long name", "POST", RG, [], reg(username="has space"), want=400),
        with_body("register: a name too long", "POST", RG, [], reg(username="a" * 151), want=400),
        with_body("register: a blank email", "POST", RG, [], reg(email=""), want=400),
        with_body("register: the passwords differ", "POST", RG, [], reg(password2="another-passphrase"),
                  want=400),
        with_body("register: a password like the email (the validators with the user)", "POST", RG, [],
                  reg(password1="rareg_@s@@example.com", password2="rareg_@s@@example.com"), want=400),
        with_body("register: malformed JSON", "POST", RG, [], ([("Content-Type", "application/json")], b"{"),
                  want=400),
        S("register: GET", "GET", RG, want=405),
        with_body("register", "POST", RG, [], reg(), want=201, check=check_rest_auth_login,
                  capture=remember_login("rg")),
        Step("register: the user's row (email lower-cased, logged in)", action=user_row("rareg_{s}")),
        Step("register: its address row", action=rows("rareg_{s}")),
        Step("register: the confirmation email", action=read_mail("rgm", kind="account-confirm-email")),
        S("register: the new session is the user's", "GET", "/session/", [("Cookie", "sessionid=@rg_sessionid@")],
          want=200),
        with_body("register: the same name again", "POST", RG, [], reg(email="other_@s@@example.com"), want=400),
        # An address some row already has (unverified): the user is made, without an address row
        # and without an email.
        with_body("register: an address in use, unverified", "POST", RG, [],
                  reg(username="rareg2_@s@"), want=201, check=check_rest_auth_login, capture=remember_login("rg2")),
        # The login's verification stage syncs the model's email as a non-primary row, and its
        # email waits for the address's three-minute cooldown (allauth's `confirm_email` rate).
        Step("register: only the login's synced row", action=rows("rareg2_{s}")),
        Step("register: no email for it (the cooldown)", action=no_new_mail),
        with_body("register: without an email", "POST", RG, [],
                  json_body({"username": "rareg5_@s@", "password1": "a-long-passphrase",
                             "password2": "a-long-passphrase"}), want=201, check=check_rest_auth_login,
                  capture=remember_login("rg5")),
        Step("register: no row, no email", action=rows("rareg5_{s}")),
        Step("register: nothing sent", action=no_new_mail),
        # verify-email
        with_body("verify: no key", "POST", V, [], json_body({}), want=400),
        with_body("verify: a blank key", "POST", V, [], json_body({"key": " "}), want=400),
        with_body("verify: a wrong key", "POST", V, [], json_body({"key": "MQ:1xai9r:bad"}), want=404),
        with_body("verify: a number", "POST", V, [], json_body({"key": 5}), want=404),
        S("verify: GET", "GET", V, want=405),
        with_body("verify: the key", "POST", V, [], json_body({"key": "@rgm_key@"}), want=200),
        Step("verify: the address is verified (and stays primary)", action=rows("rareg_{s}")),
        with_body("verify: the key again (verified now)", "POST", V, [], json_body({"key": "@rgm_key@"}),
                  want=404),
        with_body("verify: without the slash", "POST", "/dj-rest-auth/registration/verify-email", [],
                  json_body({"key": "@rgm_key@"}), want=404),
        with_body("register: an address another user verified", "POST", RG, [],
                  reg(username="rareg3_@s@"), want=400),
        # resend-email
        with_body("register: another user", "POST", RG, [],
                  reg(username="rareg4_@s@", email="rareg4_@s@@example.com"), want=201, check=check_rest_auth_login,
                  capture=remember_login("rg4")),
        Step("register: its confirmation email", action=read_mail("rg4m", kind="account-confirm-email")),
        with_body("resend: the unverified address", "POST", RE, [], json_body({"email": "rareg4_@s@@example.com"}),
                  want=200),
        Step("resend: the email (not the signup one)", action=read_mail("rg4r", kind="account-confirm-email")),
        with_body("resend: another case (no row has it)", "POST", RE, [],
                  json_body({"email": "RAREG4_@s@@example.com"}), want=200),
        with_body("resend: a verified address", "POST", RE, [], json_body({"email": "rareg_@s@@example.com"}),
                  want=200),
        with_body("resend: an unknown address", "POST", RE, [], json_body({"email": "nobody-here@example.com"}),
                  want=200),
        Step("resend: no email for those", action=no_new_mail),
        with_body("resend: an invalid address", "POST", RE, [], json_body({"email": "nope"}), want=400),
        with_body("resend: without the slash", "POST", "/dj-rest-auth/registration/resend-email", [],
                  json_body({"email": "nobody-here@example.com"}), want=200),
        S("resend: GET", "GET", RE, want=405),
        with_body("verify: the resent key", "POST", V, [], json_body({"key": "@rg4r_key@"}), want=200),
        Step("verify: that address is verified", action=rows("rareg4_{s}")),
        with_body("verify: the first key, now verified", "POST", V, [], json_body({"key": "@rg4m_key@"}), want=404),
    ]
    interop = [
        with_body("register", "POST", RG, [],
                  json_body({"username": "rarxv_@s@", "email": "rarxv_@s@@example.com",
                             "password1": "a-long-passphrase", "password2": "a-long-passphrase"}), want=201,
                  check=check_rest_auth_login, capture=remember_login("rxv")),
        Step("the email", action=read_mail("rxv", kind="account-confirm-email")),
        with_body("the other server's key", "POST", V, [], json_body({"key": "@their_rxv_key@"}), want=200),
        Step("the other server's address is verified",
             action=lambda ctx: db_email_address_rows(ctx, f"rarxv_{ctx['other']['s']}")),
        with_body("the other server's key again", "POST", V, [], json_body({"key": "@their_rxv_key@"}), want=404),
    ]
    return [Group("rest-auth-registration", steps),
            Group("rest-auth-registration-interop", interop, interleave=True)]


# --------------------------------------------------------------------------------------------------
# djoser (third-party spec §5): the account views with the emails they send, read from each
# server's mail directory (Django's file backend format on both sides).

MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
LINK = re.compile(r"https?://[^/\s\"<>]+/(activate|password/reset/confirm|username/reset/confirm|reset)/([A-Za-z0-9_=-]+)/([0-9a-z]+-[0-9a-f]+)")
# allauth's reset link as dj-rest-auth builds it: `password-reset/confirm/<base36 uid>-<token>/`.
ALLAUTH_LINK = re.compile(r"https?://[^/\s\"<>]+/(password-reset/confirm)/([0-9a-z]+)-([0-9a-z]+-[0-9a-f]+)/")
# allauth's email-confirmation link under dj-rest-auth's registration: the HMAC key
# (`signing.dumps(pk, salt="account")`: `<b64 pk>:<b62 timestamp>:<signature>`).
CONFIRM_LINK = re.compile(r"https?://[^/\s\"<>]+/dj-rest-auth/registration/(account-confirm-email)/([-:\w]+)/")


def new_mail(ctx, expect: int | None) -> list:
    """The messages written to the side's mail directory since the last look, parsed by Python's
    `email` package. Django sends before it answers, so its directory is complete when read
    (`expect` None). The Rust server sends after answering: wait up to ten seconds for the
    `expect` messages Django's side had at the same step, and, when that is none, a second for a
    stray one. A message arriving later is counted at the next look, so it still shows."""
    import email
    import email.policy
    # Bytes read so far, per file: Django names a file by the second and `id(self)` of its
    # backend, which Python reuses, so a later send may append to a file already read.
    read = ctx.setdefault("mail_read", {})
    messages = []
    deadline = time.time() + (10 if expect else 1 if expect == 0 else 0)
    while True:
        # What a file holds is whole: Django writes before answering, and the Rust file backend
        # renames a finished file into place.
        for path in sorted(Path(ctx["mail_dir"]).glob("*.log")):
            data = path.read_bytes()
            fresh, read[path.name] = data[read.get(path.name, 0):], len(data)
            for chunk in fresh.split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        if expect is None or (expect and len(messages) >= expect) or time.time() >= deadline:
            return messages
        time.sleep(0.05)


def mail_summary(message) -> dict:
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        text = part.get_content().replace("\r\n", "\n").rstrip("\n")
        # A link's uid and token are per side (each server has its own users and clock).
        text = LINK.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + "<uid>/<token>", text)
        text = ALLAUTH_LINK.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + "<uid>-<token>/", text)
        text = CONFIRM_LINK.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + "<key>/", text)
        parts.append([part.get_content_type(), text])
    return {"subject": str(message["subject"]), "from": str(message["from"]), "to": str(message["to"]),
            "cc": message["cc"], "bcc": message["bcc"], "has_date": message["date"] is not None,
            "has_message_id": message["message-id"] is not None, "parts": parts}


def read_mail(slot, kind="password/reset/confirm"):
    """The emails sent since the last look, compared as decoded text; the uid and token of the
    `kind` link (`password/reset/confirm`, `activate`, `reset`, `password-reset/confirm`) are kept
    as `<slot>_uid` / `<slot>_token`, the key of an `account-confirm-email` link as `<slot>_key`
    (and given to the other side as `their_<slot>_…`)."""
    def action(ctx):
        # How many Django's side found here (it runs each step first): the Rust side's count.
        expect = ctx["other"].get("mail_counts", {}).get(slot) if ctx["side"] == "rust" else None
        messages = new_mail(ctx, expect)
        ctx.setdefault("mail_counts", {})[slot] = len(messages)
        for message in messages:
            for part in message.walk():
                if part.get_content_type() != "text/plain":
                    continue
                if kind == "account-confirm-email":
                    for found in CONFIRM_LINK.finditer(part.get_content()):
                        ctx[f"{slot}_key"] = ctx["other"][f"their_{slot}_key"] = found.group(2)
                    continue
                for found in (ALLAUTH_LINK if kind == "password-reset/confirm" else LINK).finditer(
                        part.get_content()):
                    uid, token = found.group(2), found.group(3)
                    if found.group(1) == kind:
                        ctx[f"{slot}_uid"], ctx[f"{slot}_token"] = uid, token
                        ctx["other"][f"their_{slot}_uid"] = uid
                        ctx["other"][f"their_{slot}_token"] = token
        # Sorted: the order of files written within one second is not the order of sending.
        summaries = sorted((mail_summary(message) for message in messages),
                           key=lambda m: json.dumps(normalize(m, ctx), sort_keys=True))
        return pseudo({"messages": summaries})
    return action


def no_new_mail(ctx) -> Resp:
    """What arrived within a second (the Rust server sends after answering): nothing, expected."""
    return pseudo({"messages": [mail_summary(message)
                                for message in new_mail(ctx, None if ctx["side"] == "django" else 0)]})


def django_link(slot, username):
    """A uid and token made by Django's `default_token_generator` for `username` (djoser's
    `encode_uid` and `make_token`), as `<slot>_uid` / `<slot>_token`."""
    def action(ctx):
        code = ("from django.contrib.auth import get_user_model\n"
                "from django.contrib.auth.tokens import default_token_generator as g\n"
                "from djoser.utils import encode_uid\n"
                f"u = get_user_model().objects.get(username={username.format(s=ctx['s'])!r})\n"
                "print(encode_uid(u.pk), g.make_token(u))")
        proc = subprocess.run([ctx["python"], "manage.py", "shell", "-c", code], cwd=DJANGO_DIR,
                              env=ctx["django_env"], capture_output=True, text=True)
        if proc.returncode != 0:
            return pseudo({"shell failed": proc.stderr.strip().splitlines()[-1:]})
        uid, token = proc.stdout.strip().splitlines()[-1].split()  # after the shell's own notices
        ctx[f"{slot}_uid"], ctx[f"{slot}_token"] = uid, token
        return pseudo({"made": True})
    return action


def check_auth_token(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    if dj.status != 200 and (dj.status, dj.body) == (rs.status, rs.body):
        return []  # the same refusal (an inactive user under SEND_ACTIVATION_EMAIL)
    diffs = []
    for side, resp in (("django", dj), ("rust", rs)):
        data = resp.json()
        if not (isinstance(data, dict) and set(data) == {"auth_token"} and HEX40.match(str(data["auth_token"]))):
            diffs.append(f"{side} body is not {{\"auth_token\": <40 hex>}}: {show_body(resp)}")
    return diffs


def check_user_body(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """A user's representation: the same members in the same order and values, the per-side
    `id` / `pk` (each server made its own user) only an integer on both, the per-side names
    normalized."""
    def one(data, ctx):
        if not isinstance(data, dict):
            return normalize(data, ctx)
        return [(key, "<int>" if key in ("id", "pk") and isinstance(value, int) else normalize(value, ctx))
                for key, value in data.items()]

    def shape(resp, ctx):
        data = resp.json()
        return [one(item, ctx) for item in data] if isinstance(data, list) else one(data, ctx)
    a, b = shape(dj, ctx_dj), shape(rs, ctx_rs)
    return [] if a == b else [f"user bodies differ: django {a} / rust {b}"]


def djoser_groups(djoser: dict | None = None) -> list[Group]:
    """djoser 2.3.5's views under /auth/ with the reference project's DJOSER (its defaults and
    the contract's link templates): the reset link emailed, read from the mail directory and
    redeemed once; unknown, inactive and miscased emails answered alike without an email;
    activation by a link Django's token generator made; set_password; token login and logout.
    Then `djoser-interop`: a reset link emailed by each server redeemed by the other. `djoser`
    is the run's DJOSER over those defaults (`--djoser`): the same steps, answered per the
    settings, plus the retype mismatches when those are on."""
    djoser = djoser or {}
    R, C = "/auth/users/reset_password/", "/auth/users/reset_password_confirm/"
    A, RA = "/auth/users/activation/", "/auth/users/resend_activation/"
    SP, TL, TO = "/auth/users/set_password/", "/auth/token/login/", "/auth/token/logout/"
    reset_me = {"email": "djreset_@s@@example.com"}
    # `re_new_password` is ignored without PASSWORD_RESET_CONFIRM_RETYPE / SET_PASSWORD_RETYPE.
    confirm = lambda **fields: json_body({"uid": "@reset_uid@", "token": "@reset_token@",
                                          "new_password": "a-new-long-passphrase",
                                          "re_new_password": fields.get("new_password", "a-new-long-passphrase"),
                                          **fields})
    djpw = [("Authorization", lambda ctx: basic(f"djpw_{ctx['s']}", "password"))]
    djpw_new = [("Authorization", lambda ctx: basic(f"djpw_{ctx['s']}", "another-long-passphrase"))]
    djtok = [("Authorization", lambda ctx: basic(f"djtok_{ctx['s']}", "password"))]
    steps = [
        with_body("reset: a known email", "POST", R, [], json_body(reset_me), want=204),
        Step("reset: the email", action=read_mail("reset")),
        with_body("reset: an unknown email", "POST", R, [], json_body({"email": "nobody-here@example.com"}),
                  want=204),
        with_body("reset: an inactive user's email", "POST", R, [], json_body({"email": "inactive@example.com"}),
                  want=204),
        with_body("reset: another case", "POST", R, [], json_body({"email": "DJRESET_@s@@example.com"}), want=204),
        Step("reset: no email for those", action=no_new_mail),
        with_body("reset: form body", "POST", R, [], form_body({"email": "nobody-here@example.com"}), want=204),
        with_body("reset: an invalid email", "POST", R, [], json_body({"email": "not-an-email"}), want=400),
        with_body("reset: a blank email", "POST", R, [], json_body({"email": " "}), want=400),
        with_body("reset: a number", "POST", R, [], json_body({"email": 5}), want=400),
        with_body("reset: a list", "POST", R, [], json_body({"email": ["a@example.com"]}), want=400),
        with_body("reset: an email with a NUL", "POST", R, [], json_body({"email": "a\u0000b@example.com"}),
                  want=400),
        with_body("reset: no field", "POST", R, [], json_body({}), want=400),
        with_body("reset: a JSON list", "POST", R, [], json_body([]), want=400),
        S("reset: empty body", "POST", R, want=400),
        S("reset: malformed JSON", "POST", R, [("Content-Type", "application/json")], b'{"email":', want=400),
        S("reset: GET (djoser's default permission first: 403)", "GET", R, want=403),
        S("reset: GET by a logged-in user", "GET", R, djtok, want=405),
        S("reset: PUT by a logged-in user", "PUT", R, djtok, want=405),
        S("token login: GET", "GET", TL, want=405),
        with_body("reset: a wrong Basic header (the default authentication runs; Session is first: 403)",
                  "POST", R, auth(BAD), json_body(reset_me), want=403),
        # the confirmation
        with_body("confirm: a weak password (validators first)", "POST", C, [], confirm(new_password="123"),
                  want=400),
        with_body("confirm: weak and a bad uid", "POST", C, [], confirm(new_password="123", uid="x"), want=400),
        with_body("confirm: a bad uid", "POST", C, [], confirm(uid="bm9ib2R5"), want=400),
        with_body("confirm: an undecodable uid", "POST", C, [], confirm(uid="!!!"), want=400),
        with_body("confirm: an unknown user", "POST", C, [], confirm(uid="OTk5OTk"), want=400),
        with_body("confirm: a wrong token", "POST", C, [], confirm(token="dj4uam-0123"), want=400),
        with_body("confirm: a token without a dash", "POST", C, [], confirm(token="abc"), want=400),
        with_body("confirm: a blank token", "POST", C, [], confirm(token=""), want=400),
        with_body("confirm: no fields", "POST", C, [], json_body({}), want=400),
        with_body("confirm: null fields", "POST", C, [], json_body({"uid": None, "token": None,
                                                                    "new_password": None}), want=400),
        *([with_body("confirm: the retype differs", "POST", C, [], confirm(re_new_password="something-else-long"),
                     want=400)] if djoser.get("PASSWORD_RESET_CONFIRM_RETYPE") else []),
        with_body("confirm: the link", "POST", C, [], confirm(), want=204),
        Step("confirm: the row (password set, last_login now)", action=lambda ctx: db_user_row(ctx, f"djreset_{ctx['s']}")),
        with_body("confirm: the link again", "POST", C, [], confirm(new_password="another-long-passphrase"),
                  want=400),
        S("confirm: the new password logs in", "GET", "/basic/",
          [("Authorization", lambda ctx: basic(f"djreset_{ctx['s']}", "a-new-long-passphrase"))], want=200),
        # activation by a link made by Django's generator
        Step("activation: Django makes the link", action=django_link("act", "djact_{s}")),
        with_body("activation: a wrong token", "POST", A, [], json_body({"uid": "@act_uid@", "token": "x-y"}),
                  want=400),
        with_body("activation: the link", "POST", A, [], json_body({"uid": "@act_uid@", "token": "@act_token@"}),
                  want=204),
        Step("activation: the row", action=lambda ctx: db_user_row(ctx, f"djact_{ctx['s']}")),
        # With SEND_CONFIRMATION_EMAIL: the confirmation.
        Step("activation: the emails", action=read_mail("actc")),
        with_body("activation: the link again (stale)", "POST", A, [],
                  json_body({"uid": "@act_uid@", "token": "@act_token@"}), want=403),
        with_body("activation: no fields", "POST", A, [], json_body({}), want=400),
        with_body("resend activation: off by default", "POST", RA, [], json_body({"email": "djact_@s@@example.com"}),
                  want=400),
        with_body("resend activation: an invalid email", "POST", RA, [], json_body({"email": "x"}), want=400),
        # set_password
        with_body("set_password: anonymous", "POST", SP, [], json_body({}), want=403),
        with_body("set_password: no fields", "POST", SP, djpw, json_body({}), want=400),
        with_body("set_password: a wrong current password", "POST", SP, djpw,
                  json_body({"new_password": "another-long-passphrase", "current_password": "nope"}), want=400),
        with_body("set_password: too similar", "POST", SP, djpw,
                  json_body({"new_password": "djpw_@s@@example.com", "current_password": "password"}), want=400),
        *([with_body("set_password: the retype differs", "POST", SP, djpw,
                     json_body({"new_password": "another-long-passphrase", "re_new_password": "x-long-passphrase",
                                "current_password": "password"}), want=400)]
          if djoser.get("SET_PASSWORD_RETYPE") else []),
        with_body("set_password", "POST", SP, djpw,
                  json_body({"new_password": "another-long-passphrase", "re_new_password": "another-long-passphrase",
                             "current_password": "password"}), want=204),
        Step("set_password: the emails", action=read_mail("pw")),
        S("set_password: the old password is refused", "GET", "/basic/", djpw, want=401),
        S("set_password: the new one works", "GET", "/basic/", djpw_new, want=200),
        # token login and logout
        with_body("token login: wrong password", "POST", TL, [],
                  json_body({"username": "djtok_@s@", "password": "nope"}), want=400),
        with_body("token login: blank username", "POST", TL, [], json_body({"username": "", "password": "x"}),
                  want=400),
        with_body("token login: no fields", "POST", TL, [], json_body({}), want=400),
        with_body("token login: an inactive user", "POST", TL, [],
                  json_body({"username": "inactive", "password": "password"}), want=400),
        with_body("token login", "POST", TL, [], json_body({"username": "djtok_@s@", "password": "password"}),
                  want=200, check=check_auth_token),
        with_body("token login without the slash", "POST", "/auth/token/login", [],
                  json_body({"username": "djtok_@s@", "password": "password"}), want=200, check=check_auth_token),
        Step("token login: the row", action=lambda ctx: db_token_row(ctx, f"djtok_{ctx['s']}")),
        S("token logout: anonymous", "POST", TO, want=403),
        S("token logout", "POST", TO, djtok, want=204),
        Step("token logout: the row is gone", action=lambda ctx: db_token_row(ctx, f"djtok_{ctx['s']}")),
        S("token logout: GET", "GET", TO, djtok, want=405),
        S("token logout: anonymous GET (its permission first: 403)", "GET", TO, want=403),
    ]
    SU, RU, RUC = "/auth/users/set_username/", "/auth/users/reset_username/", "/auth/users/reset_username_confirm/"
    djsetu = [("Authorization", lambda ctx: basic(f"djsetu_{ctx['s']}", "password"))]
    djsetu_new = [("Authorization", lambda ctx: basic(f"djsetu2_{ctx['s']}", "password"))]
    set_name = lambda **fields: json_body({"new_username": "djsetu2_@s@", "re_new_username": "djsetu2_@s@",
                                           "current_password": "password", **fields})
    confirm_name = lambda **fields: json_body({"uid": "@ru_uid@", "token": "@ru_token@",
                                               "new_username": "djresu2_@s@", "re_new_username": "djresu2_@s@",
                                               **fields})
    steps += [
        # set_username (`re_new_username` is ignored without SET_USERNAME_RETYPE)
        with_body("set_username: anonymous", "POST", SU, [], json_body({}), want=403),
        with_body("set_username: no fields", "POST", SU, djsetu, json_body({}), want=400),
        with_body("set_username: a wrong current password", "POST", SU, djsetu, set_name(current_password="nope"),
                  want=400),
        with_body("set_username: a taken name", "POST", SU, djsetu, set_name(new_username="djtok_@s@"), want=400),
        with_body("set_username: an invalid name and a wrong password", "POST", SU, djsetu,
                  set_name(new_username="has space", current_password="nope"), want=400),
        with_body("set_username: too long", "POST", SU, djsetu, set_name(new_username="a" * 151), want=400),
        with_body("set_username: a null name", "POST", SU, djsetu, set_name(new_username=None), want=400),
        with_body("set_username: the model's field name", "POST", SU, djsetu,
                  json_body({"username": "djsetu2_@s@", "current_password": "password"}), want=400),
        *([with_body("set_username: the retype differs", "POST", SU, djsetu,
                     set_name(re_new_username="djsetu3_@s@"), want=400)]
          if djoser.get("SET_USERNAME_RETYPE") else []),
        S("set_username: GET", "GET", SU, djsetu, want=405),
        with_body("set_username", "POST", SU, djsetu, set_name(new_username=" djsetu2_@s@ "), want=204),
        Step("set_username: the emails", action=read_mail("su")),
        Step("set_username: the row", action=lambda ctx: db_user_row(ctx, f"djsetu2_{ctx['s']}")),
        S("set_username: the old name is refused", "GET", "/basic/", djsetu, want=401),
        S("set_username: the new name works", "GET", "/basic/", djsetu_new, want=200),
        # reset_username and its confirmation
        with_body("reset_username: a known email", "POST", RU, [], json_body({"email": "djresu_@s@@example.com"}),
                  want=204),
        Step("reset_username: the email", action=read_mail("ru", kind="username/reset/confirm")),
        with_body("reset_username: an unknown email", "POST", RU, [], json_body({"email": "nobody-here@example.com"}),
                  want=204),
        Step("reset_username: no email for it", action=no_new_mail),
        with_body("reset_username: an invalid email", "POST", RU, [], json_body({"email": "x"}), want=400),
        S("reset_username: GET by a logged-in user", "GET", RU, djtok, want=405),
        with_body("reset_username_confirm: no fields", "POST", RUC, [], json_body({}), want=400),
        with_body("reset_username_confirm: only the name", "POST", RUC, [],
                  json_body({"new_username": "djresu2_@s@"}), want=400),
        with_body("reset_username_confirm: a bad uid", "POST", RUC, [], confirm_name(uid="bm9ib2R5"), want=400),
        with_body("reset_username_confirm: an unknown user", "POST", RUC, [], confirm_name(uid="OTk5OTk"), want=400),
        with_body("reset_username_confirm: a wrong token", "POST", RUC, [], confirm_name(token="dj4uam-0123"),
                  want=400),
        # `token` is not a field there: djoser's `check_token` calls `split` on the number (500).
        with_body("reset_username_confirm: a number as token", "POST", RUC, [], confirm_name(token=5),
                  check=reference_crash_refused(400, {"token": ["Invalid token for given user."]}),
                  generic=False),
        with_body("reset_username_confirm: an invalid name", "POST", RUC, [], confirm_name(new_username="has space"),
                  want=400),
        with_body("reset_username_confirm: a taken name and a bad uid", "POST", RUC, [],
                  confirm_name(new_username="djtok_@s@", uid="x"), want=400),
        *([with_body("reset_username_confirm: the retype differs", "POST", RUC, [],
                     confirm_name(re_new_username="djresu3_@s@"), want=400)]
          if djoser.get("USERNAME_RESET_CONFIRM_RETYPE") else []),
        with_body("reset_username_confirm: the link", "POST", RUC, [], confirm_name(), want=204),
        Step("reset_username_confirm: the row (last_login now)",
             action=lambda ctx: db_user_row(ctx, f"djresu2_{ctx['s']}")),
        Step("reset_username_confirm: the emails", action=read_mail("ruc")),
        with_body("reset_username_confirm: the link again", "POST", RUC, [],
                  confirm_name(new_username="djresu3_@s@", re_new_username="djresu3_@s@"), want=400),
        S("reset_username_confirm: the new name logs in", "GET", "/basic/",
          [("Authorization", lambda ctx: basic(f"djresu2_{ctx['s']}", "password"))], want=200),
        # djoser.urls.jwt: simplejwt's views under `jwt/` (`^jwt/create/?`: no `$`)
        with_body("jwt/create", "POST", "/auth/jwt/create/", [],
                  json_body({"username": "djsetu2_@s@", "password": "password"}), want=200,
                  check=check_jwt_body, capture=remember_jwts("djjwt")),
        with_body("jwt/create: wrong password", "POST", "/auth/jwt/create/", [],
                  json_body({"username": "djsetu2_@s@", "password": "nope"}), want=401),
        with_body("jwt/create without the slash", "POST", "/auth/jwt/create", [],
                  json_body({"username": "djsetu2_@s@", "password": "nope"}), want=401),
        with_body("jwt/create with a tail (the pattern has no $)", "POST", "/auth/jwt/create/more", [],
                  json_body({"username": "djsetu2_@s@", "password": "nope"}), want=401),
        with_body("jwt/refresh", "POST", "/auth/jwt/refresh/", [], json_body({"refresh": "@djjwt_refresh@"}),
                  want=200, check=check_jwt_body, capture=remember_jwts("djjwt2")),
        with_body("jwt/verify", "POST", "/auth/jwt/verify/", [], json_body({"token": "@djjwt_access@"}), want=200),
        with_body("jwt/verify: not a token", "POST", "/auth/jwt/verify/", [], json_body({"token": "x"}), want=401),
        S("jwt/verify: GET", "GET", "/auth/jwt/verify/", want=405),
    ]
    U, ME = "/auth/users/", "/auth/users/me/"
    new = lambda **fields: json_body({"username": "djnew_@s@", "password": "a-new-long-passphrase",
                                      "email": "djnew_@s@@Example.COM", **fields})
    steps += [
        with_body("create: a user", "POST", U, [], new(), want=201, check=check_user_body),
        Step("create: the row", action=lambda ctx: db_user_row(ctx, f"djnew_{ctx['s']}")),
        # With SEND_ACTIVATION_EMAIL: the activation email, and its link followed (without it
        # there is no email, and the placeholders stay unresolved: an invalid uid on both).
        Step("create: the emails", action=read_mail("new", kind="activate")),
        with_body("create: the activation link", "POST", A, [], json_body({"uid": "@new_uid@", "token": "@new_token@"})),
        Step("create: the confirmation email", action=read_mail("newc")),
        with_body("create: the name again", "POST", U, [], new(), want=400),
        with_body("create: no fields", "POST", U, [], json_body({}), want=400),
        with_body("create: blank fields", "POST", U, [], json_body({"username": " ", "password": "", "email": ""}),
                  want=400),
        with_body("create: null fields", "POST", U, [], json_body({"username": None, "password": None,
                                                                   "email": None}), want=400),
        with_body("create: an invalid username", "POST", U, [], new(username="has space"), want=400),
        with_body("create: a long invalid username", "POST", U, [], new(username="a b" * 60), want=400),
        with_body("create: a username with a NUL", "POST", U, [], new(username="djnul\u0000_@s@"), want=400),
        with_body("create: an invalid email", "POST", U, [], new(username="djbad_@s@", email="not-an-email"),
                  want=400),
        with_body("create: a long email", "POST", U, [], new(username="djbad_@s@", email="a" * 250 + "@example.com"),
                  want=400),
        with_body("create: a list as email", "POST", U, [], new(username="djbad_@s@", email=["a@example.com"]),
                  want=400),
        with_body("create: a weak password", "POST", U, [], new(username="djweak_@s@", password="123"), want=400),
        with_body("create: a password like the name", "POST", U, [],
                  new(username="djweak_@s@", password="djweak_@s@", email=""), want=400),
        with_body("create: errors of every field", "POST", U, [],
                  json_body({"username": "has space", "email": "x", "password": ""}), want=400),
        with_body("create: without an email", "POST", U, [],
                  json_body({"username": "djnomail_@s@", "password": "a-new-long-passphrase"}), want=201,
                  check=check_user_body),
        with_body("create: form body", "POST", U, [],
                  form_body({"username": "djform_@s@", "password": "a-new-long-passphrase", "email": ""}),
                  want=201, check=check_user_body),
        with_body("create: the new user logs in", "POST", TL, [],
                  json_body({"username": "djnew_@s@", "password": "a-new-long-passphrase"}), want=200,
                  check=check_auth_token),
        S("list: anonymous", "GET", U, want=403),
        S("me: anonymous", "GET", ME, want=403),
        S("me: Basic", "GET", ME, djtok, want=200, check=check_user_body),
        S("me: the new user", "GET", ME,
          [("Authorization", lambda ctx: basic(f"djnew_{ctx['s']}", "a-new-long-passphrase"))], want=200,
          check=check_user_body, capture=lambda resp, ctx: ctx.__setitem__("djnew_id", (resp.json() or {}).get("id"))),
        S("list: a user sees only itself", "GET", U, djtok, want=200, check=check_user_body),
        with_body("me: PUT a new email", "PUT", ME, djtok, json_body({"email": "djtok_@s@@example.org"}), want=200,
                  check=check_user_body),
        with_body("me: PATCH nothing", "PATCH", ME, djtok, json_body({}), want=200, check=check_user_body),
        with_body("me: PATCH the username (read-only, ignored)", "PATCH", ME, djtok,
                  json_body({"username": "someone-else", "id": 1}), want=200, check=check_user_body),
        with_body("me: PATCH an invalid email", "PATCH", ME, djtok, json_body({"email": "x"}), want=400),
        with_body("me: PATCH a null email", "PATCH", ME, djtok, json_body({"email": None}), want=400),
        with_body("me: PUT a blank email", "PUT", ME, djtok, form_body({"email": ""}), want=200,
                  check=check_user_body),
        with_body("me: a JSON list", "PUT", ME, djtok, json_body([]), want=400),
        S("me: POST", "POST", ME, djtok, want=405),
        Step("me: the row", action=lambda ctx: db_user_row(ctx, f"djtok_{ctx['s']}")),
        S("detail: another user is not found", "GET", "/auth/users/1/", djtok, want=404),
        S("detail: another user, PATCH", "PATCH", "/auth/users/1/", djtok, want=404),
        S("detail: another user, DELETE", "DELETE", "/auth/users/1/", djtok, want=403),
        S("detail: nobody", "GET", "/auth/users/999999/", djtok, want=404),
        S("detail: not a number", "GET", "/auth/users/abc/", djtok, want=404),
        S("detail: anonymous", "GET", "/auth/users/1/", want=403),
        S("detail: the new user by its id", "GET", "/auth/users/@djnew_id@/",
          [("Authorization", lambda ctx: basic(f"djnew_{ctx['s']}", "a-new-long-passphrase"))], want=200,
          check=check_user_body),
        with_body("delete: a user to delete", "POST", U, [],
                  json_body({"username": "djdel_@s@", "password": "a-new-long-passphrase"}), want=201,
                  check=check_user_body),
        with_body("delete: no password", "DELETE", ME,
                  [("Authorization", lambda ctx: basic(f"djdel_{ctx['s']}", "a-new-long-passphrase"))],
                  json_body({}), want=400),
        with_body("delete: a wrong password", "DELETE", ME,
                  [("Authorization", lambda ctx: basic(f"djdel_{ctx['s']}", "a-new-long-passphrase"))],
                  json_body({"current_password": "nope"}), want=400),
        with_body("delete: me", "DELETE", ME,
                  [("Authorization", lambda ctx: basic(f"djdel_{ctx['s']}", "a-new-long-passphrase"))],
                  json_body({"current_password": "a-new-long-passphrase"}), want=204),
        Step("delete: the row is gone", action=lambda ctx: db_user_row(ctx, f"djdel_{ctx['s']}")),
        # With SEND_ACTIVATION_EMAIL: one for each user created and for the new email.
        Step("the other emails", action=read_mail("rest", kind="activate")),
    ]
    interop = [
        with_body("reset requested", "POST", R, [], json_body({"email": "djx_@s@@example.com"}), want=204),
        Step("the email", action=read_mail("x")),
        with_body("the other server's link", "POST", C, [],
                  json_body({"uid": "@their_x_uid@", "token": "@their_x_token@",
                             "new_password": "a-new-long-passphrase",
                             "re_new_password": "a-new-long-passphrase"}), want=204),
        S("the other server's user has the new password", "GET", "/basic/",
          [("Authorization", lambda ctx: basic(f"djx_{ctx['other']['s']}", "a-new-long-passphrase"))], want=200),
        with_body("the other server's link again", "POST", C, [],
                  json_body({"uid": "@their_x_uid@", "token": "@their_x_token@",
                             "new_password": "another-long-passphrase",
                             "re_new_password": "another-long-passphrase"}), want=400),
    ]
    return [Group("djoser", steps), Group("djoser-interop", interop, interleave=True)]


def simplejwt_endpoint_groups() -> list[Group]:
    """simplejwt's six views (third-party spec §1.1, first table), JWTStatelessUserAuthentication
    and a JWT-or-session view; each side with its own users, then tokens across the two servers.
    Run once with simplejwt's defaults and once with rotation, blacklist-after-rotation, revoke
    checks and two header types (`--simple-jwt`): the same scenarios, answered per the settings."""
    T, R, V, B = "/api/token/", "/api/token/refresh/", "/api/token/verify/", "/api/token/blacklist/"
    SL, SR = "/api/token/sliding/", "/api/token/sliding/refresh/"
    J, ST, JS = "/jwt/", "/jwt-stateless/", "/jwt-or-session/"
    cred = lambda name, password="password": {"username": f"{name}_@s@", "password": password}
    bearer = lambda key: auth(f"Bearer @{key}@")
    steps = [
        Step("mint tokens (Django's simplejwt)", action=jwt_mint),
        # obtain
        with_body("obtain a pair (JSON)", "POST", T, [], json_body(cred("jwtuser")), want=200,
                  check=check_jwt_body, capture=remember_jwts("pair")),
        with_body("obtain a pair (form)", "POST", T, [], form_body(cred("jwtuser")), want=200,
                  check=check_jwt_body, capture=remember_jwts("formpair")),
        with_body("obtain a pair (multipart)", "POST", T, [], multipart_body(cred("jwtuser")), want=200,
                  check=check_jwt_body),
        with_body("obtain: the password is trimmed (PasswordField is a CharField)", "POST", T, [],
                  json_body(cred("jwtuser", "  password\t")), want=200, check=check_jwt_body),
        with_body("obtain: wrong password", "POST", T, [], json_body(cred("jwtuser", "nope")), want=401),
        with_body("obtain: inactive user", "POST", T, [],
                  json_body({"username": "inactive", "password": "password"}), want=401),
        with_body("obtain: unknown user", "POST", T, [],
                  json_body({"username": "nobody-here", "password": "password"}), want=401),
        with_body("obtain: missing fields", "POST", T, [], json_body({}), want=400),
        with_body("obtain: blank and null", "POST", T, [], json_body({"username": "", "password": None}),
                  want=400),
        with_body("obtain: a list", "POST", T, [], json_body([]), want=400),
        with_body("obtain: repeated form fields (last wins)", "POST", T, [],
                  form_body([("username", "nobody"), ("username", "jwtuser_@s@"), ("password", "x"),
                             ("password", "password")]), want=200, check=check_jwt_body),
        S("obtain: empty body", "POST", T, want=400),
        S("obtain: malformed JSON", "POST", T, [("Content-Type", "application/json")], b'{"username":',
          want=400),
        S("obtain: XML", "POST", T, [("Content-Type", "application/xml")], b"<a/>", want=415),
        S("obtain: GET", "GET", T, want=405),
        S("obtain: PUT with credentials", "PUT", T, auth(JOHN), want=405),
        # the tokens in use
        S("pair's access on JWTAuthentication", "GET", J, bearer("pair_access"), want=200),
        S("pair's refresh on JWTAuthentication", "GET", J, bearer("pair_refresh"), want=401),
        S("pair's access with the JWT keyword", "GET", J, auth("JWT @pair_access@")),
        S("pair's access on JWT-or-session", "GET", JS, bearer("pair_access"), want=200),
        S("JWT-or-session: session", "GET", JS, [("Cookie", "sessionid=@sid@")], want=200),
        S("JWT-or-session: nothing", "GET", JS, want=401),
        S("JWT-or-session: bad token beats the session", "GET", JS,
          [("Authorization", "Bearer garbage"), ("Cookie", "sessionid=@sid@")], want=401),
        S("JWT-or-session: session POST without CSRF", "POST", JS, [("Cookie", "sessionid=@sid@")],
          want=403),
        S("stateless: john's access", "GET", ST, bearer("jwt_access"), want=200),
        S("stateless: a user that does not exist", "GET", ST, bearer("jwt_unknown_user"), want=200),
        S("stateless: staff claims", "GET", ST, bearer("jwt_ghost_staff"), want=200),
        S("stateless: inactive user's token", "GET", ST, bearer("jwt_inactive"), want=200),
        S("stateless: no user claim", "GET", ST, bearer("jwt_no_user"), want=401),
        S("stateless: expired", "GET", ST, bearer("jwt_expired"), want=401),
        S("stateless: refresh token", "GET", ST, bearer("jwt_refresh"), want=401),
        S("stateless: nothing", "GET", ST, want=401),
        S("stateless: Bearer a b", "GET", ST, auth("Bearer a b"), want=401),
        # refresh
        with_body("refresh", "POST", R, [], json_body({"refresh": "@pair_refresh@"}), want=200,
                  check=check_jwt_body, capture=remember_jwts("refreshed")),
        S("refreshed access works", "GET", J, bearer("refreshed_access"), want=200),
        with_body("refresh again with the same token (rotation blacklists it)", "POST", R, [],
                  json_body({"refresh": "@pair_refresh@"}), check=check_jwt_body),
        with_body("refresh with an access token", "POST", R, [], json_body({"refresh": "@pair_access@"}),
                  want=401),
        with_body("refresh with garbage", "POST", R, [], json_body({"refresh": "garbage"}), want=401),
        with_body("refresh with an expired token", "POST", R, [], json_body({"refresh": "@jwt_expired@"}),
                  want=401),
        with_body("refresh: missing field", "POST", R, [], json_body({}), want=400),
        with_body("refresh: form", "POST", R, [], form_body({"refresh": "@formpair_refresh@"}), want=200,
                  check=check_jwt_body),
        S("refresh: GET", "GET", R, want=405),
        # verify
        with_body("verify an access token", "POST", V, [], json_body({"token": "@pair_access@"}), want=200),
        with_body("verify a refresh token", "POST", V, [], json_body({"token": "@formpair_refresh@"}),
                  want=200),
        with_body("verify a sliding token", "POST", V, [], json_body({"token": "@jwt_sliding@"}), want=200),
        with_body("verify garbage", "POST", V, [], json_body({"token": "garbage"}), want=401),
        with_body("verify an expired token", "POST", V, [], json_body({"token": "@jwt_expired@"}),
                  want=401),
        with_body("verify a token without jti", "POST", V, [], json_body({"token": "@jwt_no_jti@"}),
                  want=401),
        with_body("verify: the field is token", "POST", V, [], json_body({"refresh": "@pair_access@"}),
                  want=400),
        with_body("verify: a number", "POST", V, [], json_body({"token": 12}), want=401),
        with_body("verify: a list", "POST", V, [], json_body({"token": ["x"]}), want=400),
        # blacklist
        with_body("blacklist the form pair's refresh", "POST", B, [],
                  json_body({"refresh": "@formpair_refresh@"}), want=200),
        with_body("blacklist it again", "POST", B, [], json_body({"refresh": "@formpair_refresh@"}),
                  want=401),
        with_body("refresh with the blacklisted token", "POST", R, [],
                  json_body({"refresh": "@formpair_refresh@"}), want=401),
        with_body("verify the blacklisted token", "POST", V, [],
                  json_body({"token": "@formpair_refresh@"})),
        S("the blacklisted pair's access still works (simplejwt never checks access tokens)", "GET", J,
          bearer("formpair_access"), want=200),
        with_body("blacklist an access token", "POST", B, [], json_body({"refresh": "@pair_access@"}),
                  want=401),
        with_body("blacklist a token without jti (reference crashes)", "POST", B, [],
                  json_body({"refresh": "@jwt_no_jti@"}), check=check_reference_crash, generic=False,
                  note="simplejwt's blacklist check reads payload['jti'] (KeyError, 500); the port answers "
                       "401 Token has no id"),
        with_body("refresh with a token without jti (reference crashes)", "POST", R, [],
                  json_body({"refresh": "@jwt_no_jti@"}), check=check_reference_crash, generic=False,
                  note="simplejwt's blacklist check reads payload['jti'] (KeyError, 500); the port answers "
                       "401 Token has no id"),
        with_body("refresh with a tampered token", "POST", R, [], json_body({"refresh": "@jwt_tampered@"}),
                  want=401),
        with_body("blacklist a tampered token", "POST", B, [], json_body({"refresh": "@jwt_tampered@"}),
                  want=401),
        with_body("refresh a sliding token with a tampered one", "POST", SR, [],
                  json_body({"token": "@jwt_tampered@"}), want=401),
        with_body("blacklist: missing field", "POST", B, [], json_body({"token": "x"}), want=400),
        Step("jwtuser's outstanding and blacklisted rows",
             action=lambda ctx: db_outstanding_rows(ctx, "jwtuser_" + ctx["s"])),
        # sliding
        with_body("obtain a sliding token", "POST", SL, [], json_body(cred("jwtuser")), want=200,
                  check=check_jwt_body, capture=remember_jwts("sliding")),
        S("sliding token on JWTAuthentication (AUTH_TOKEN_CLASSES: access only)", "GET", J,
          bearer("sliding_token"), want=401),
        with_body("refresh the sliding token", "POST", SR, [], json_body({"token": "@sliding_token@"}),
                  want=200, check=check_jwt_body),
        with_body("refresh a sliding token with an access token", "POST", SR, [],
                  json_body({"token": "@pair_access@"}), want=401),
        with_body("sliding refresh: missing field", "POST", SR, [], json_body({}), want=400),
        with_body("obtain sliding: wrong password", "POST", SL, [], json_body(cred("jwtuser", "no")),
                  want=401),
        S("obtain sliding: GET", "GET", SL, want=405),
        Step("jwtuser's rows after the sliding token",
             action=lambda ctx: db_outstanding_rows(ctx, "jwtuser_" + ctx["s"])),
        # the user changes
        with_body("jwtpw obtains a pair", "POST", T, [], json_body(cred("jwtpw")), want=200,
                  check=check_jwt_body, capture=remember_jwts("pw")),
        Step("change jwtpw's password", action=lambda ctx: manage(
            ctx, "parity_fixtures", "--user", f"jwtpw_{ctx['s']}:another password")),
        S("jwtpw's access after the password change (CHECK_REVOKE_TOKEN)", "GET", J, bearer("pw_access")),
        with_body("jwtpw's refresh after the password change", "POST", R, [],
                  json_body({"refresh": "@pw_refresh@"}), want=200, check=check_jwt_body),
        with_body("jwtoff obtains a pair", "POST", T, [], json_body(cred("jwtoff")), want=200,
                  check=check_jwt_body, capture=remember_jwts("off")),
        Step("deactivate jwtoff", action=lambda ctx: manage(
            ctx, "parity_fixtures", "--user", f"jwtoff_{ctx['s']}:password:inactive")),
        S("jwtoff's access", "GET", J, bearer("off_access"), want=401),
        with_body("jwtoff's refresh", "POST", R, [], json_body({"refresh": "@off_refresh@"}), want=401),
        with_body("jwtoff's refresh is still verifiable", "POST", V, [], json_body({"token": "@off_refresh@"}),
                  want=200),
        with_body("jwtgone obtains a pair", "POST", T, [], json_body(cred("jwtgone")), want=200,
                  check=check_jwt_body, capture=remember_jwts("gone")),
        Step("delete jwtgone", action=lambda ctx: delete_user(ctx, "jwtgone_" + ctx["s"])),
        S("jwtgone's access", "GET", J, bearer("gone_access"), want=401),
        with_body("jwtgone's refresh (reference crashes)", "POST", R, [],
                  json_body({"refresh": "@gone_refresh@"}), check=check_reference_crash, generic=False,
                  note="simplejwt 5.5.1's refresh lets User.DoesNotExist escape (500); the port answers "
                       "401 No active account found for the given token."),
        with_body("jwtgone's refresh can still be blacklisted", "POST", B, [],
                  json_body({"refresh": "@gone_refresh@"}), want=200),
    ]
    groups = [Group("simplejwt-endpoints", steps)]

    # Across the servers (shared database and key): a token one issues, the other takes.
    steps = [
        with_body("each obtains a pair", "POST", T, [], json_body(cred("jwtx")), want=200,
                  check=check_jwt_body, capture=remember_jwts("mine")),
        S("the other server's access works here", "GET", J, auth("Bearer @their_access@"), want=200),
        with_body("the other server's refresh refreshes here", "POST", R, [],
                  json_body({"refresh": "@their_refresh@"}), want=200, check=check_jwt_body),
        with_body("blacklist the other server's refresh here", "POST", B, [],
                  json_body({"refresh": "@their_refresh@"}), want=200),
        with_body("own refresh, blacklisted by the other server", "POST", R, [],
                  json_body({"refresh": "@mine_refresh@"}), want=401),
    ]
    groups.append(Group("simplejwt-interop", steps, interleave=True))
    return groups


def obtain_token_stateful_groups() -> list[Group]:
    P = "/api-token-auth/"
    cred = {"username": "tokenless_@s@", "password": "password"}

    def remember(resp, ctx):
        data = resp.json() or {}
        if isinstance(data.get("token"), str):
            ctx["newkey"] = data["token"]
            ctx["norm"][data["token"]] = "<new key>"
            ctx["other"]["norm"][data["token"]] = "<new key of the other server>"

    def same_as_before(dj, rs, ctx_dj, ctx_rs):
        diffs = check_token_shape(dj, rs)
        for side, resp, ctx in (("django", dj, ctx_dj), ("rust", rs, ctx_rs)):
            data = resp.json() or {}
            if data.get("token") != ctx.get("newkey"):
                diffs.append(f"{side} returned another key the second time ({data.get('token')!r} vs "
                             f"{ctx.get('newkey')!r}): the endpoint must not rotate keys")
        return diffs

    steps = [
        Step("no token row yet", action=lambda ctx: db_token_row(ctx, "tokenless_" + ctx["s"])),
        with_body("user without token -> new key", "POST", P, [], json_body(cred), want=200,
                  check=lambda dj, rs, a, b: check_token_shape(dj, rs), capture=remember),
        with_body("second call -> same key", "POST", P, [], json_body(cred), want=200, check=same_as_before),
        Step("authtoken_token row", action=lambda ctx: db_token_row(ctx, "tokenless_" + ctx["s"])),
        Step("Django ORM reads the new token row", action=lambda ctx: orm_probe(ctx, "tokenless_" + ctx["s"])),
        Step("obtain-token does not log in (last_login)",
             action=lambda ctx: db_user_row(ctx, "tokenless_" + ctx["s"])),
        S("new key works on /token/", "GET", "/token/", auth("Token @newkey@"), want=200),
        S("token before deletion", "GET", "/token/", auth("Token revoked_@s@_key"), want=200),
        Step("delete the token row", action=lambda ctx: manage(ctx, "parity_fixtures", "--delete-token",
                                                               f"revoked_{ctx['s']}_key")),
        S("token after its row was deleted", "GET", "/token/", auth("Token revoked_@s@_key"), want=401),
    ]
    groups = [Group("obtain-token-new-key", steps)]
    steps = [
        S("key issued by the other server works here", "GET", "/token/", auth("Token @theirnewkey@"), want=200),
    ]
    groups.append(Group("obtain-token-interop", steps, interleave=True))
    return groups


def expiry_today_groups() -> list[Group]:
    """Rows written by Django that expire later today (UTC): SQLite holds datetimes as text, so a
    server comparing them with another text format gets the wrong answer on that day."""
    issue = lambda name, slot: S(name, "POST", "/knox/login/", auth(per_side_basic("sib")), want=200,
                                 check=check_knox_login, capture=knox_capture(slot), target="django")
    steps = [
        issue("Django issues knox token A", "sib_a"),
        issue("Django issues knox token B", "sib_b"),
        Step("expiry of A, B and of sesstoday's session -> later today", action=lambda ctx: manage(
            ctx, "parity_expire_today", "--user", f"sib_{ctx['s']}", "--user", f"sesstoday_{ctx['s']}")),
        S("B (expires later today) works", "GET", "/knox/", auth("Token @sib_b@"), want=200),
        S("A still works after B was used (sibling clean-up must keep it)", "GET", "/knox/",
          auth("Token @sib_a@"), want=200),
        Step("knox_authtoken rows left for sib", action=lambda ctx: db_knox_rows(ctx, "sib_" + ctx["s"])),
        S("Django session expiring later today", "GET", "/session/", [("Cookie", "sessionid=@sesstoday_sid@")],
          want=200),
    ]
    return [Group("expiry-today", steps)]


def throttle_groups() -> list[Group]:
    A, U, C = "/anon-throttle/", "/user-throttle/", "/scoped-throttle/"
    xff = lambda v: [("X-Forwarded-For", v)]
    steps = [
        S("anon #1", "GET", A, want=200),
        S("anon #2", "GET", A, want=200),
        S("anon #3", "GET", A, want=200),
        S("anon #4 -> 429", "GET", A, want=429),
        S("anon #5 POST -> 429", "POST", A, want=429),
        S("anon with Basic (no auth classes: still anonymous)", "GET", A, auth(JOHN), want=429),
        S("XFF '1.1.1.1, 2.2.2.2' #1 (own bucket)", "GET", A, xff("1.1.1.1, 2.2.2.2"), want=200),
        S("XFF '1.1.1.1,2.2.2.2' #2 (same bucket)", "GET", A, xff("1.1.1.1,2.2.2.2"), want=200),
        S("XFF ' 1.1.1.1 ,\\t2.2.2.2 ' #3", "GET", A, xff(" 1.1.1.1 ,\t2.2.2.2 "), want=200),
        S("XFF '1.1.1.1, 2.2.2.2' #4 -> 429", "GET", A, xff("1.1.1.1, 2.2.2.2"), want=429),
        S("XFF '2.2.2.2' (other bucket)", "GET", A, xff("2.2.2.2"), want=200),
        S("user: john #1", "GET", U, auth(JOHN), want=200),
        S("user: john #2", "GET", U, auth(JOHN), want=200),
        S("user: bad Basic (401, not counted)", "GET", U, auth(BAD), want=401),
        S("user: john #3", "GET", U, auth(JOHN), want=200),
        S("user: john #4 -> 429", "GET", U, auth(JOHN), want=429),
        S("user: admin (own bucket)", "GET", U, auth(ADMIN), want=200),
        S("user: anonymous #1 (ident bucket)", "GET", U, want=200),
        S("user: anonymous #2", "GET", U, want=200),
        S("user: anonymous #3", "GET", U, want=200),
        S("user: anonymous #4 -> 429", "GET", U, want=429),
        S("user: anonymous other XFF", "GET", U, xff("9.9.9.9"), want=200),
        S("scoped: #1", "GET", C, want=200),
        S("scoped: #2", "GET", C, want=200),
        S("scoped: #3 -> 429", "GET", C, want=429),
        S("scoped: with Basic (no auth classes)", "GET", C, auth(JOHN), want=429),
        S("scoped: other XFF", "GET", C, xff("8.8.8.8"), want=200),
        S("scoped: HEAD -> 429", "HEAD", C, want=429),
    ]
    return [Group("throttle", steps)]


def session_groups() -> list[Group]:
    """§7.7 CSRF rows with a session created by Django's own login view, sent to both servers."""
    SP = "/session/"
    ck = lambda extra="": [("Cookie", "sessionid=@sid@; csrftoken=@csrf@" + extra)]
    sid_only = [("Cookie", "sessionid=@sid@")]
    hdr = lambda token: [("X-CSRFToken", token)]
    https = [(SSL_HEADER, "https")]
    J = json_body({"a": 1})
    F = form_body({"a": "b"})
    steps = [
        S("GET with session", "GET", SP, ck(), want=200),
        S("GET with sessionid only", "GET", SP, sid_only, want=200),
        S("HEAD with session, no CSRF", "HEAD", SP, sid_only, want=200),
        S("OPTIONS with session, no CSRF", "OPTIONS", SP, sid_only, want=200),
        S("TRACE with session (safe for CSRF, no handler)", "TRACE", SP, sid_only, want=405),
        with_body("POST, no csrftoken cookie", "POST", SP, sid_only, J, want=403),
        S("PUT, no csrftoken cookie", "PUT", SP, sid_only, want=403),
        S("PATCH, no csrftoken cookie", "PATCH", SP, sid_only, want=403),
        S("DELETE, no csrftoken cookie", "DELETE", SP, sid_only, want=403),
        with_body("POST JSON, cookie, no token", "POST", SP, ck(), J, want=403),
        with_body("POST form, cookie, no token", "POST", SP, ck(), F, want=403),
        with_body("header 'abc'", "POST", SP, ck() + hdr("abc"), J, want=403),
        with_body("header '!' x32", "POST", SP, ck() + hdr("!" * 32), J, want=403),
        with_body("header 'a' x32", "POST", SP, ck() + hdr("a" * 32), J, want=403),
        with_body("header 'a' x64", "POST", SP, ck() + hdr("a" * 64), J, want=403),
        with_body("header = secret (32)", "POST", SP, ck() + hdr("@csrf@"), J, want=200),
        with_body("header = masked secret (64)", "POST", SP, ck() + hdr("@csrf_masked@"), J, want=200),
        with_body("header name lower-case", "POST", SP, ck() + [("x-csrftoken", "@csrf@")], J, want=200),
        S("PUT header = secret", "PUT", SP, ck() + hdr("@csrf@"), want=200),
        S("DELETE header = secret", "DELETE", SP, ck() + hdr("@csrf@"), want=200),
        with_body("form field 'b' x64", "POST", SP, ck(), form_body({"csrfmiddlewaretoken": "b" * 64}), want=403),
        with_body("form field 'b' x10", "POST", SP, ck(), form_body({"csrfmiddlewaretoken": "b" * 10}), want=403),
        with_body("form field '!' x32", "POST", SP, ck(), form_body({"csrfmiddlewaretoken": "!" * 32}), want=403),
        with_body("form field wrong + header right (field wins)", "POST", SP, ck() + hdr("@csrf@"),
                  form_body({"csrfmiddlewaretoken": "b" * 64}), want=403),
        with_body("form field empty + header right (header used)", "POST", SP, ck() + hdr("@csrf@"),
                  form_body({"csrfmiddlewaretoken": ""}), want=200),
        with_body("form field masked", "POST", SP, ck(), form_body({"csrfmiddlewaretoken": "@csrf_masked@"}),
                  want=200),
        with_body("form field = secret", "POST", SP, ck(), form_body({"csrfmiddlewaretoken": "@csrf@"}), want=200),
        with_body("multipart field masked", "POST", SP, ck(),
                  multipart_body({"csrfmiddlewaretoken": "@csrf_masked@"}), want=200),
        with_body("JSON body field ignored", "POST", SP, ck(), json_body({"csrfmiddlewaretoken": "@csrf@"}),
                  want=403),
        S("PUT form field ignored (POST only)", "PUT", SP, ck() + [("Content-Type",
          "application/x-www-form-urlencoded")], b"csrfmiddlewaretoken=@csrf@", want=403),
        with_body("cookie 'short'", "POST", SP, [("Cookie", "sessionid=@sid@; csrftoken=short")] + hdr("@csrf@"),
                  J, want=403),
        with_body("cookie '!' x32", "POST", SP, [("Cookie", "sessionid=@sid@; csrftoken=" + "!" * 32)]
                  + hdr("@csrf@"), J, want=403),
        with_body("legacy masked 64-char cookie + multipart field = cookie", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf_masked@")],
                  multipart_body({"csrfmiddlewaretoken": "@csrf_masked@"}), want=200),
        with_body("legacy masked cookie + header = secret", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf_masked@")] + hdr("@csrf@"), J, want=200),
        with_body("Origin http://evil.com + valid token", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "http://evil.com")], J, want=403),
        with_body("Origin null", "POST", SP, ck() + hdr("@csrf@") + [("Origin", "null")], J, want=403),
        with_body("Origin = own origin", "POST", SP, ck() + hdr("@csrf@") + [("Origin", "http://@host@")], J,
                  want=200),
        with_body("Origin own host, other port", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "http://127.0.0.1:1")], J, want=403),
        with_body("Origin own origin, bad token", "POST", SP, ck() + hdr("a" * 32)
                  + [("Origin", "http://@host@")], J, want=403),
        with_body("HTTP, Origin trusted exact", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "https://trusted.example.com")], J, want=200),
        with_body("HTTP, Origin http://trusted.example.com", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "http://trusted.example.com")], J, want=403),
        with_body("HTTP, Origin trusted wildcard", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "https://a.wild.example.com")], J, want=200),
        with_body("HTTP, Origin wildcard look-alike", "POST", SP, ck() + hdr("@csrf@")
                  + [("Origin", "https://a.wild.example.com.evil.com")], J, want=403),
        with_body("HTTP, Referer evil (ignored over HTTP)", "POST", SP, ck() + hdr("@csrf@")
                  + [("Referer", "https://evil.com/")], J, want=200),
        with_body("HTTPS, Origin http://own", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Origin", "http://@host@")], J, want=403),
        with_body("HTTPS, Origin https://own", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Origin", "https://@host@")], J, want=200),
        with_body("HTTPS, no Origin, no Referer", "POST", SP, ck() + hdr("@csrf@") + https, J, want=403),
        with_body("HTTPS, Referer http://own/", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "http://@host@/")], J, want=403),
        with_body("HTTPS, Referer 'https://'", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "https://")], J, want=403),
        with_body("HTTPS, Referer 'not a url'", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "not a url")], J, want=403),
        with_body("HTTPS, Referer https://evil.com/path?q=1", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "https://evil.com/path?q=1")], J, want=403),
        with_body("HTTPS, Referer https://own/page", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "https://@host@/page")], J, want=200),
        with_body("HTTPS, Referer trusted wildcard", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "https://x.wild.example.com/p")], J, want=200),
        with_body("HTTPS, Referer trusted exact", "POST", SP, ck() + hdr("@csrf@") + https
                  + [("Referer", "https://trusted.example.com/p")], J, want=200),
        with_body("HTTPS (header 'https, http'), Referer own", "POST", SP, ck() + hdr("@csrf@")
                  + [(SSL_HEADER, "https, http"), ("Referer", "https://@host@/")], J, want=200),
        with_body("X-Forwarded-Proto http, no Referer", "POST", SP, ck() + hdr("@csrf@")
                  + [(SSL_HEADER, "http")], J, want=200),
        with_body("HTTPS, Referer checked before cookie", "POST", SP, sid_only + https, J, want=403),
        S("POST malformed JSON, valid CSRF", "POST", SP, ck() + hdr("@csrf@")
          + [("Content-Type", "application/json")], b"{bad", want=400),
        S("POST text/plain, valid CSRF", "POST", SP, ck() + hdr("@csrf@") + [("Content-Type", "text/plain")],
          b"hello", want=415),
        S("PUT malformed JSON, valid CSRF (not parsed)", "PUT", SP, ck() + hdr("@csrf@")
          + [("Content-Type", "application/json")], b"{bad", want=200),
        S("POST malformed JSON, no cookie (CSRF first)", "POST", SP, sid_only
          + [("Content-Type", "application/json")], b"{bad", want=403),
        # other routes with the same session
        S("default: GET with session", "GET", "/default/", sid_only, want=200),
        with_body("default: POST session + valid Basic, no CSRF (session first)", "POST", "/default/",
                  sid_only + auth(JOHN), J, want=403),
        with_body("default: POST session, cookie, no token", "POST", "/default/", ck(), J, want=403),
        with_body("default: POST session + bad Basic + valid CSRF", "POST", "/default/",
                  ck() + hdr("@csrf@") + auth(BAD), J, want=200),
        with_body("basic-session: POST session + valid Basic, no CSRF (Basic first)", "POST", "/basic-session/",
                  sid_only + auth(JOHN), J, want=200),
        with_body("basic-session: POST session only, no token", "POST", "/basic-session/", ck(), J, want=403),
        S("basic-session: GET session only", "GET", "/basic-session/", sid_only, want=200),
        with_body("session-token: POST session + Token, no CSRF", "POST", "/session-token/",
                  sid_only + auth("Token abcd1234"), J, want=403),
        S("session-token: GET session + Token (session wins)", "GET", "/session-token/",
          sid_only + auth("Token abcd1234"), want=200),
        S("token-basic: session ignored", "GET", "/token-basic/", sid_only, want=401),
        with_body("obtain-token: session, no CSRF cookie", "POST", "/api-token-auth/", sid_only,
                  json_body({"username": "john", "password": "password"}), want=403),
        with_body("obtain-token: session + valid CSRF", "POST", "/api-token-auth/", ck() + hdr("@csrf@"),
                  json_body({"username": "john", "password": "password"}), want=200),
        S("knox login: session ignored (Basic only)", "POST", "/knox/login/", ck() + hdr("@csrf@"), want=401),
        S("unknown sessionid cookie", "GET", SP, [("Cookie", "sessionid=doesnotexist0123456789abcdefghij")],
          want=403),
        S("unknown sessionid cookie on a non-session view", "GET", "/basic/",
          auth(JOHN) + [("Cookie", "sessionid=doesnotexist0123456789abcdefghij")], want=200),
        S("short sessionid cookie", "GET", SP, [("Cookie", "sessionid=abc")], want=403),
        S("tampered sessionid", "GET", SP, [("Cookie", "sessionid=@sid@x")], want=403),
    ]
    groups = [Group("session-csrf", steps)]

    # Session lifecycle: each server gets its own user and its own Django session.
    steps = [
        S("pw: GET with session", "GET", SP, [("Cookie", "sessionid=@pw_sid@")], want=200),
        Step("change pw's password", action=lambda ctx: manage(ctx, "parity_fixtures", "--user",
                                                               f"pw_{ctx['s']}:changed-password")),
        S("pw: session after password change", "GET", SP, [("Cookie", "sessionid=@pw_sid@")], want=403),
        S("pw: the same cookie again (row gone)", "GET", SP, [("Cookie", "sessionid=@pw_sid@")], want=403),
        S("gone: GET with session", "GET", SP, [("Cookie", "sessionid=@gone_sid@")], want=200),
        Step("deactivate gone", action=lambda ctx: manage(ctx, "parity_fixtures", "--user",
                                                          f"gone_{ctx['s']}:password:inactive")),
        S("gone: GET after deactivation", "GET", SP, [("Cookie", "sessionid=@gone_sid@")], want=403),
        with_body("gone: POST after deactivation", "POST", SP, [("Cookie", "sessionid=@gone_sid@; csrftoken=@csrf@"),
                  ("X-CSRFToken", "@csrf@")], J, want=403),
    ]
    groups.append(Group("session-lifecycle", steps))
    return groups


# --------------------------------------------------------------------------------------------------
# django-oauth-toolkit (issue 21): DRF's OAuth2Authentication and DOT's scope permissions
#
# The tokens and applications are written by `manage.py parity_oauth2` (DOT's own models). Every
# route x token x method, the Authorization header shapes oauthlib's `str.split()` sees, tokens in
# the query string and in bodies, RFC 8707 resource-restricted tokens under several Host headers,
# sessions beside tokens, DRF's `|` and `&` over DOT's permissions, and tokens issued by Django's
# `/o/token/` used on both servers. `--oauth2-provider JSON` sets OAUTH2_PROVIDER on both sides.

# The settings both servers start from (parity_site/settings.py; `--oauth2-provider` goes over them).
OAUTH2_PROVIDER_BASE = {"COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True, "ERROR_RESPONSE_WITH_SCOPES": False}

# The configurations the oauth2 group is checked under: `--oauth2-runs` runs the group once per entry
# (None: the base settings), each on a fresh database with both servers restarted.
OAUTH2_PROVIDER_RUNS = [
    None,
    '{"ERROR_RESPONSE_WITH_SCOPES": true}',
    '{"COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": false}',
    # The port's switch back to DOT's behaviour for tokens of inactive users (DOT ignores the
    # key): the inactive user's rows then compare byte for byte.
    '{"AUTHENTICATE_INACTIVE_USERS": true}',
]


@dataclass(frozen=True)
class OAuth2Token:
    raw: str | None  # None: no Authorization header
    user: str | None  # the user str(request.user) names when the token authenticates; None: no user
    scopes: frozenset = frozenset()
    state: str = "valid"  # valid | invalid | expired | resource (restricted to another audience here)


def _tok(raw, user, scope, state="valid"):
    return OAuth2Token(raw, user, frozenset(scope.split()), state)


OAUTH2_TOKENS = {
    "no header": OAuth2Token(None, None, frozenset(), "absent"),
    "unknown": _tok("UnknownToken0000000000000000Z", None, "", "invalid"),
    "read (john)": _tok("ReadJohn000000000000000000000A", "john", "read"),
    "read write (john)": _tok("ReadWriteJohn0000000000000000B", "john", "read write"),
    "all scopes (john)": _tok("AllScopesJohn0000000000000000C", "john",
                              "read write orders:read orders:write create admin"),
    "expired": _tok("ExpiredJohn000000000000000000D", "john", "read write", "expired"),
    "client credentials (no user)": _tok("ClientCredentials000000000000E", None, "read write"),
    "inactive user": _tok("InactiveUser0000000000000000F", "inactive", "read write"),
    "resource http://api.example.com/oauth2": _tok("ResourceMatch0000000000000000G", "john", "read write",
                                                   "resource"),
    "resource https://other.example.com/": _tok("ResourceOther0000000000000000H", "john", "read write",
                                                "resource"),
    "no application": _tok("NoApplication0000000000000000I", "john", "read write"),
    "admin, read": _tok("AdminReadOnly0000000000000000J", "admin", "read"),
    "empty scope": _tok("EmptyScope000000000000000000K", "john", ""),
    "orders:write only": _tok("OrdersWriter0000000000000000L", "john", "orders:write"),
}
OAUTH2_RW = OAUTH2_TOKENS["read write (john)"].raw
OAUTH2_UNKNOWN = OAUTH2_TOKENS["unknown"].raw
OAUTH2_MATCH = OAUTH2_TOKENS["resource http://api.example.com/oauth2"].raw
OAUTH2_OTHER = OAUTH2_TOKENS["resource https://other.example.com/"].raw
OAUTH2_ADMIN_DRF_TOKEN = "adminoauth2"  # a DRF token of `admin` (parity_oauth2)

OAUTH2_SAFE = ("GET", "HEAD", "OPTIONS")
OAUTH2_OAS = {"GET": [["read"]], "POST": [["create", "write"], ["admin"]], "PUT": [["write"]]}


def _has(scopes, needed):
    return set(needed) <= scopes


# path -> has_permission(user, scopes, method) for a request a token authenticated (parity_site/views.py)
OAUTH2_ROUTES = {
    "/oauth2/": lambda u, s, m: u is not None,  # IsAuthenticated
    "/oauth2-open/": lambda u, s, m: True,  # AllowAny
    # OAuth2ProtectedResourceAuthentication + IsAuthenticated: RFC 9728's `resource_metadata`.
    "/oauth2-protected-resource/": lambda u, s, m: u is not None,
    "/oauth2-scope/": lambda u, s, m: _has(s, ["read", "write"]),  # TokenHasScope
    "/oauth2-rw/": lambda u, s, m: _has(s, ["read" if m in OAUTH2_SAFE else "write"]),
    "/oauth2-rw-admin/": lambda u, s, m: _has(s, ["admin", "read" if m in OAUTH2_SAFE else "write"]),
    "/oauth2-resource/": lambda u, s, m: _has(s, ["orders:read" if m in OAUTH2_SAFE else "orders:write"]),
    "/oauth2-or-session/": lambda u, s, m: _has(s, ["read"]),  # a token: TokenHasScope only
    "/oauth2-oas/": lambda u, s, m: any(_has(s, alt) for alt in OAUTH2_OAS.get(m, [])),
    "/oauth2-composed/": lambda u, s, m: _has(s, ["admin"]) or u == "admin",  # TokenHasScope | IsAdminUser
    "/oauth2-and/": lambda u, s, m: u is not None and _has(s, ["read"]),  # IsAuthenticated & TokenHasScope
}


def oauth2_want(path, token: OAuth2Token | None, method="GET", authenticated=None):
    """DOT's status for a request with `token` in a well-formed header (or `authenticated`
    forced): 200 when the permission admits it, else 403 after an authentication, else 401
    (200 on AllowAny)."""
    if authenticated is None:
        authenticated = token is not None and token.state == "valid"
    if not authenticated:
        return 200 if path == "/oauth2-open/" else 401
    return 200 if OAUTH2_ROUTES[path](token.user, token.scopes, method) else 403


def oauth2_issue(slot, grant_fields, client_id, client_secret):
    """POST to Django's `/o/token/` (only Django serves it): the first pass issues the token, the
    second reuses that answer, so both servers then see the same token (and `AccessToken #pk`)."""

    def action(ctx):
        key = f"oauth2_issued_{slot}"
        if key in ctx["other"]:
            resp = ctx["other"][key]
        else:
            port = ctx["port"] if ctx["side"] == "django" else ctx["other"]["port"]
            headers, body = form_body(grant_fields)
            resp = http_request(port, "POST", "/o/token/", auth(basic(client_id, client_secret)) + headers, body)
        ctx[key] = resp
        data = resp.json() or {}
        ctx[slot] = data.get("access_token", "<not issued>")
        return resp

    return action


OAUTH2_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9]{30}$")  # oauthlib's random_token_generator


def check_oauth2_issued(scope: str, refresh: bool) -> Check:
    """Django's `/o/token/` answer: 200, `Cache-Control: no-store`, `Pragma: no-cache`, JSON with
    exactly these keys, a 30-character token, 36000 s (ACCESS_TOKEN_EXPIRE_SECONDS), `Bearer`."""

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = []
        if dj.body != rs.body:
            diffs.append("the two passes did not share one issued token")
        data = dj.json()
        want_keys = {"access_token", "expires_in", "token_type", "scope"} | ({"refresh_token"} if refresh else set())
        if dj.status != 200 or not isinstance(data, dict):
            return diffs + [f"/o/token/ answered {dj.status} {show_body(dj)}"]
        if set(data) != want_keys:
            diffs.append(f"keys {sorted(data)}, expected {sorted(want_keys)}")
        for name in ("access_token",) + (("refresh_token",) if refresh else ()):
            if not OAUTH2_TOKEN_CHARS.match(str(data.get(name))):
                diffs.append(f"{name} {data.get(name)!r} is not 30 characters of [A-Za-z0-9]")
        if data.get("expires_in") != 36000 or data.get("token_type") != "Bearer" or data.get("scope") != scope:
            diffs.append(f"expires_in/token_type/scope: {data.get('expires_in')!r} {data.get('token_type')!r} "
                         f"{data.get('scope')!r} (expected 36000 'Bearer' {scope!r})")
        for name, value in (("content-type", "application/json"), ("cache-control", "no-store"),
                            ("pragma", "no-cache")):
            if dj.header(name) != value:
                diffs.append(f"{name}: {dj.header(name)!r}, expected {value!r}")
        return diffs

    return check


def db_oauth2_row(ctx, slot) -> Resp:
    """The oauth2_provider_accesstoken row of an issued token (raw token, checksum, user, application)."""
    token = ctx.get(slot, "")
    with db_connect(ctx) as conn:
        row = conn.execute(
            "SELECT t.token, t.token_checksum, u.username, a.client_id, t.scope, t.resource, t.expires, t.created"
            " FROM oauth2_provider_accesstoken t LEFT JOIN auth_user u ON u.id = t.user_id"
            " LEFT JOIN oauth2_provider_application a ON a.id = t.application_id WHERE t.token_checksum = ?",
            (hashlib.sha256(token.encode()).hexdigest(),)).fetchone()
    if row is None:
        return pseudo({"row": None})
    raw, checksum, username, client_id, scope, resource, expires, created = row
    lifetime = (datetime.fromisoformat(expires) - datetime.fromisoformat(created)).total_seconds()
    return pseudo({"token stored raw": raw == token, "checksum": len(checksum), "user": username,
                   "client_id": client_id, "scope": scope, "resource": resource,
                   "lifetime about 36000 s": abs(lifetime - 36000) < 5, "expires": shape_of(expires)})


OAUTH2_INVALID_CHALLENGE = 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."'


def refused_as_invalid(step: Step, want_invalid: int) -> Step:
    """A documented divergence (docs/oauth2.md): Django (DOT) authenticates the inactive user's
    token; the port must answer as DOT answers an unknown token — the same status, DOT's
    `invalid_token` challenge on a 401, and never the inactive user in a body."""
    from dataclasses import replace

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = []
        if dj.status != step.want:
            diffs.append(f"django answered {dj.status}, DOT's model says {step.want}")
        if rs.status != want_invalid:
            diffs.append(f"rust answered {rs.status}: expected {want_invalid}, an unknown token's answer")
        expected = OAUTH2_INVALID_CHALLENGE
        if step.path == "/oauth2-protected-resource/":  # RFC 9728's parameter follows
            expected += f',resource_metadata="http://{ctx_rs["host"]}/o/.well-known/oauth-protected-resource"'
        if rs.status == 401 and rs.header("www-authenticate") != expected:
            diffs.append(f"rust challenge {rs.header('www-authenticate')!r}: expected invalid_token")
        if b"inactive" in rs.body:
            diffs.append(f"rust authenticated the inactive user: {show_body(rs)}")
        return diffs

    return replace(step, check=check, generic=False, note="inactive user's token refused (divergence)")


def oauth2_groups(provider: dict | None = None) -> list[Group]:
    settings = dict(OAUTH2_PROVIDER_BASE, **(provider or {}))
    compliant = bool(settings["COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT"])
    O, OPEN, SCOPE = "/oauth2/", "/oauth2-open/", "/oauth2-scope/"
    RW = OAUTH2_TOKENS["read write (john)"]
    bearer = lambda raw: auth(f"Bearer {raw}")
    methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
    steps = []

    # Every route x every token x every method (POST with an empty body). The inactive user's
    # token is a documented divergence unless the port is switched back to DOT's behaviour:
    # DOT never looks at `is_active`; the port refuses the token as invalid.
    inactive_refused = not settings.get("AUTHENTICATE_INACTIVE_USERS", False)
    for path in OAUTH2_ROUTES:
        for name, token in OAUTH2_TOKENS.items():
            headers = bearer(token.raw) if token.raw else []
            for method in methods:
                step = S(f"{path} {name} {method}", method, path, headers, b"" if method == "POST" else None,
                         want=oauth2_want(path, token, method))
                if token.user == "inactive" and inactive_refused:
                    step = refused_as_invalid(step, oauth2_want(path, OAUTH2_TOKENS["unknown"], method))
                steps.append(step)

    # Authorization header shapes: oauthlib takes `value.split()` (Python's whitespace: also
    # 0x1C-0x1F, 0x85, 0xA0) and needs exactly two parts, the first `bearer` in any case.
    T = RW.raw.encode()
    VALID, INVALID = RW, OAUTH2_TOKENS["unknown"]
    shapes = [
        ("'Bearer'", auth("Bearer"), None),
        ("'Bearer ' (trailing space)", auth("Bearer "), None),
        ("'Bearer  ' (two trailing spaces)", auth("Bearer  "), None),
        ("'Bearer a b'", auth("Bearer a b"), None),
        ("'Bearer <tok> x' (three parts)", auth(f"Bearer {RW.raw} x"), None),
        ("'Bearer:<tok>'", auth(f"Bearer:{RW.raw}"), None),
        ("'bearer <tok>'", auth(f"bearer {RW.raw}"), VALID),
        ("'BEARER <tok>'", auth(f"BEARER {RW.raw}"), VALID),
        ("'BeArEr <tok>'", auth(f"BeArEr {RW.raw}"), VALID),
        ("'Bearer\\t<tok>'", auth(f"Bearer\t{RW.raw}"), VALID),
        ("'Bearer  <tok>  ' (runs of spaces)", auth(f"Bearer  {RW.raw}  "), VALID),
        ("'  Bearer <tok>' (leading spaces)", auth(f"  Bearer {RW.raw}"), VALID),
        ("'Bearer\\xa0<tok>' (Latin-1 NBSP)", auth(b"Bearer\xa0" + T), VALID),
        ("'Bearer <tok>\\xa0'", auth(b"Bearer " + T + b"\xa0"), VALID),
        ("'Bearer\\x85<tok>' (Latin-1 NEL)", auth(b"Bearer\x85" + T), VALID),
        ("'Bearer <tok>\\xe9' (Latin-1 byte)", auth(b"Bearer " + T + b"\xe9"), INVALID),
        ("'Bearer <tok>é' (UTF-8 bytes)", auth(b"Bearer " + T + "\u00e9".encode()), INVALID),
        ("'Bearer\\xa0\\xa0<tok>\\x85'", auth(b"Bearer\xa0\xa0" + T + b"\x85"), VALID),
        ("empty Authorization", auth(""), None),
        ("'Token abcd1234' (another scheme)", auth("Token abcd1234"), None),
        ("'Token <tok>'", auth(f"Token {RW.raw}"), None),
        ("Basic john", auth(JOHN), None),
        ("two headers: Bearer <tok> + Token abcd1234", bearer(RW.raw) + auth("Token abcd1234"), None),
        ("two headers: Token abcd1234 + Bearer <tok>", auth("Token abcd1234") + bearer(RW.raw), None),
        ("two headers: Bearer <tok> twice", bearer(RW.raw) + bearer(RW.raw), None),
        ("two headers: Bearer <tok> + Bearer unknown", bearer(RW.raw) + bearer(OAUTH2_UNKNOWN), None),
        ("two headers: Bearer <tok> + empty", bearer(RW.raw) + auth(""), INVALID),
        ("two headers: empty + Bearer <tok>", auth("") + bearer(RW.raw), INVALID),
        ("token in lower case", bearer(RW.raw.lower()), INVALID),
        ("token in upper case", bearer(RW.raw.upper()), INVALID),
        ("token with its last character dropped", bearer(RW.raw[:-1]), INVALID),
        ("DRF token abcd1234 as a Bearer", bearer("abcd1234"), INVALID),
        ("X-Authorization header only", [("X-Authorization", f"Bearer {RW.raw}")], None),
    ]
    control = [
        ("'Bearer\\x1c<tok>' (0x1C)", auth(b"Bearer\x1c" + T)),
        ("'Bearer\\x0b<tok>' (0x0B)", auth(b"Bearer\x0b" + T)),
        ("'Bearer\\x0c<tok>' (0x0C)", auth(b"Bearer\x0c" + T)),
    ]
    for path in (O, OPEN):
        for name, headers, token in shapes:
            want = oauth2_want(path, token, authenticated=token is not None and token.state == "valid")
            steps.append(S(f"{path} header {name}", "GET", path, headers, want=want))
        for name, headers in control:
            # Python's str.split() separates on these too (Django: the token authenticates); actix-web
            # refuses a control byte in a header with 400 (see TRANSPORT_NOTE).
            steps.append(S(f"{path} header {name}", "GET", path, headers, want=200,
                           check=transport_refusal(200), generic=False, note=TRANSPORT_NOTE))
        steps.append(S(f"{path} header 'Bearer <tok>' POST, no CSRF", "POST", path, bearer(RW.raw), b"",
                       want=200))

    # The token in the query string (refused whole under COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT,
    # even beside a valid header) and in bodies (a form or multipart body of any method; never JSON).
    q_ok = 401 if compliant else 200  # ?access_token=<valid> and the request is otherwise fine
    unk = OAUTH2_UNKNOWN
    query = [
        ("?access_token=<tok>", O, f"?access_token={RW.raw}", [], q_ok),
        ("?access_token=<tok> on AllowAny", OPEN, f"?access_token={RW.raw}", [], 200),
        ("?access_token=<tok> on TokenHasScope", SCOPE, f"?access_token={RW.raw}", [], q_ok),
        ("?access_token=<tok> + Bearer <tok>", O, f"?access_token={RW.raw}", bearer(RW.raw), q_ok),
        ("?access_token=unknown + Bearer <tok>", O, f"?access_token={unk}", bearer(RW.raw), q_ok),
        ("?access_token=<tok> + Bearer unknown", O, f"?access_token={RW.raw}", bearer(unk), 401),
        ("?access_token=<tok> + Token abcd1234", O, f"?access_token={RW.raw}", auth("Token abcd1234"), 401),
        ("?access_token=<tok> + empty Authorization", O, f"?access_token={RW.raw}", auth(""), 401),
        ("?access_token= (empty)", O, "?access_token=", [], 401),
        ("?access_token (no '=')", O, "?access_token", [], 401),
        ("?access_token= + Bearer <tok>", O, "?access_token=", bearer(RW.raw), q_ok),
        ("?access%5Ftoken=<tok>", O, f"?access%5Ftoken={RW.raw}", [], q_ok),
        ("?access%5ftoken=<tok> (lower-case hex)", O, f"?access%5ftoken={RW.raw}", [], q_ok),
        ("?ACCESS_TOKEN=<tok>", O, f"?ACCESS_TOKEN={RW.raw}", [], 401),
        ("?ACCESS_TOKEN=<tok> + Bearer <tok>", O, f"?ACCESS_TOKEN={RW.raw}", bearer(RW.raw), 200),
        ("?access_token=<tok>&access_token=unknown", O, f"?access_token={RW.raw}&access_token={unk}", [], 401),
        ("?access_token=unknown&access_token=<tok>", O, f"?access_token={unk}&access_token={RW.raw}", [], q_ok),
        ("?access_token=<tok>%20 (trailing encoded space)", O, f"?access_token={RW.raw}%20", [], 401),
        ("?access_token=<tok>+ (trailing '+')", O, f"?access_token={RW.raw}+", [], 401),
        ("?x=1;access_token=<tok> (';' is no separator)", O, f"?x=1;access_token={RW.raw}", [], 401),
        ("?access_token=<expired>", O, f"?access_token={OAUTH2_TOKENS['expired'].raw}", [], 401),
        ("?x=%zz (invalid percent escape)", O, "?x=%zz", [], 400),
        ("?x=%zz + Bearer <tok>", O, "?x=%zz", bearer(RW.raw), 400),
        ("?x=%zz on AllowAny", OPEN, "?x=%zz", [], 400),
        ("?x=%zz + Bearer <tok> on AllowAny", OPEN, "?x=%zz", bearer(RW.raw), 400),
        ("?access_token=<tok>&x=%zz", O, f"?access_token={RW.raw}&x=%zz", [], 401 if compliant else 400),
        ("?x=%4g", O, "?x=%4g", bearer(RW.raw), 400),
        ("?x=% (lone '%')", O, "?x=%", bearer(RW.raw), 200),
        ("?x=%4 (one hex digit at the end)", O, "?x=%4", bearer(RW.raw), 200),
        ("?x=%ff (not UTF-8)", O, "?x=%ff", bearer(RW.raw), 200),
        ("?x={}[]|^`\\ (escaped by DOT)", O, "?x={}[]|^`\\", bearer(RW.raw), 200),
        ("?x=%C3%A9 + Bearer <tok>", O, "?x=%C3%A9", bearer(RW.raw), 200),
        ("?%% + Bearer <tok>", O, "?%%", bearer(RW.raw), 400),
        ("?x=a+b&y=%2B + Bearer <tok>", O, "?x=a+b&y=%2B", bearer(RW.raw), 200),
    ]
    for name, path, qs, headers, want in query:
        steps.append(S(f"query {name}", "GET", path + qs, headers, want=want))
    # `"`, `<` and `>` in the request target: Django's runserver passes them on (DOT escapes them),
    # actix-web's parser refuses the request with 400 (RFC 3986 excludes them from a URI).
    for name, qs in (("?x=\"", '?x="'), ("?x=<>", "?x=<>")):
        steps.append(S(f"query {name} (not a URI character)", "GET", O + qs, bearer(RW.raw), want=200,
                       check=transport_refusal(200, "a non-URI character in the request target"), generic=False,
                       note=URI_TRANSPORT_NOTE))

    form = lambda *pairs: form_body(list(pairs))
    multi = lambda *pairs: multipart_body(list(pairs))
    bodies = [
        ("form access_token=<tok>", "POST", O, [], form(("access_token", RW.raw)), 200),
        ("form access_token=<tok> on TokenHasScope", "POST", SCOPE, [], form(("access_token", RW.raw)), 200),
        ("form access_token=<tok> on AllowAny", "POST", OPEN, [], form(("access_token", RW.raw)), 200),
        ("form access_token=<read only> on TokenHasScope", "POST", SCOPE, [],
         form(("access_token", OAUTH2_TOKENS["read (john)"].raw)), 403),
        ("form twice, the last valid", "POST", O, [], form(("access_token", unk), ("access_token", RW.raw)), 200),
        ("form twice, the first valid", "POST", O, [], form(("access_token", RW.raw), ("access_token", unk)), 401),
        ("form access_token=<tok> + other fields", "POST", O, [],
         form(("a", "1"), ("access_token", RW.raw), ("b", "%zz")), 200),
        ("form access_token=<tok>, charset=utf-8", "POST", O, [],
         ([("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
          f"access_token={RW.raw}".encode()), 200),
        ("form access_token=<tok> with a raw 0xE9", "POST", O, [],
         ([("Content-Type", "application/x-www-form-urlencoded")], f"access_token={RW.raw}\xe9".encode("latin-1")),
         401),
        ("form access_token=<tok>%ff", "POST", O, [],
         ([("Content-Type", "application/x-www-form-urlencoded")], f"access_token={RW.raw}%ff".encode()), 401),
        ("form raw x=%zz + access_token=<tok>", "POST", O, [],
         ([("Content-Type", "application/x-www-form-urlencoded")], f"x=%zz&access_token={RW.raw}".encode()), 200),
        ("form access_token= (empty)", "POST", O, [], form(("access_token", "")), 401),
        ("form access_token=<expired>", "POST", O, [], form(("access_token", OAUTH2_TOKENS["expired"].raw)), 401),
        ("form access_token=<tok> + Bearer unknown (header wins)", "POST", O, bearer(unk),
         form(("access_token", RW.raw)), 401),
        ("form access_token=unknown + Bearer <tok> (header wins)", "POST", O, bearer(RW.raw),
         form(("access_token", unk)), 200),
        ("form access_token=<tok> + Token abcd1234", "POST", O, auth("Token abcd1234"),
         form(("access_token", RW.raw)), 401),
        ("form access_token=<tok> + empty Authorization", "POST", O, auth(""), form(("access_token", RW.raw)), 401),
        ("form access_token=<tok> + ?access_token=<tok>", "POST", O + f"?access_token={RW.raw}", [],
         form(("access_token", RW.raw)), q_ok),
        ("form access_token=<tok> + ?access_token=unknown", "POST", O + f"?access_token={unk}", [],
         form(("access_token", RW.raw)), q_ok),
        ("form access_token=unknown + ?access_token=<tok>", "POST", O + f"?access_token={RW.raw}", [],
         form(("access_token", unk)), 401),
        ("GET with a form body access_token=<tok>", "GET", O, [], form(("access_token", RW.raw)), 200),
        ("PUT form access_token=<tok>", "PUT", O, [], form(("access_token", RW.raw)), 200),
        ("PATCH form access_token=<tok>", "PATCH", O, [], form(("access_token", RW.raw)), 200),
        ("DELETE form access_token=<tok>", "DELETE", O, [], form(("access_token", RW.raw)), 200),
        ("multipart access_token=<tok>", "POST", O, [], multi(("access_token", RW.raw)), 200),
        ("multipart twice, the last valid", "POST", O, [], multi(("access_token", unk), ("access_token", RW.raw)),
         200),
        ("multipart twice, the first valid", "POST", O, [],
         multi(("access_token", RW.raw), ("access_token", unk)), 401),
        ("JSON {access_token: <tok>}", "POST", O, [], json_body({"access_token": RW.raw}), 401),
        ("JSON {access_token: <tok>} on AllowAny", "POST", OPEN, [], json_body({"access_token": RW.raw}), 200),
        ("JSON {} + Bearer <tok>", "POST", O, bearer(RW.raw), json_body({}), 200),
        ("malformed JSON + Bearer <tok>", "POST", O, bearer(RW.raw),
         ([("Content-Type", "application/json")], b"{bad"), 400),
        ("malformed JSON, no Authorization", "POST", O, [], ([("Content-Type", "application/json")], b"{bad"), 400),
        ("malformed JSON + Bearer <tok> on AllowAny", "POST", OPEN, bearer(RW.raw),
         ([("Content-Type", "application/json")], b"{bad"), 400),
        ("malformed JSON + Bearer <tok>, GET", "GET", O, bearer(RW.raw),
         ([("Content-Type", "application/json")], b"{bad"), 400),
        ("malformed JSON + Bearer unknown", "POST", O, bearer(unk),
         ([("Content-Type", "application/json")], b"{bad"), 400),
        ("text/plain + Bearer <tok>", "POST", O, bearer(RW.raw), ([("Content-Type", "text/plain")], b"hello"), 415),
        ("text/plain, no Authorization", "POST", O, [], ([("Content-Type", "text/plain")], b"hello"), 415),
        ("text/plain + Bearer <tok> on AllowAny", "POST", OPEN, bearer(RW.raw),
         ([("Content-Type", "text/plain")], b"hello"), 415),
        ("application/xml + Bearer <tok>", "PUT", O, bearer(RW.raw),
         ([("Content-Type", "application/xml")], b"<a/>"), 415),
        ("text/plain, empty body + Bearer <tok>", "POST", O, bearer(RW.raw), ([("Content-Type", "text/plain")], b""),
         200),
        ("multipart without boundary + Bearer <tok>", "POST", O, bearer(RW.raw),
         ([("Content-Type", "multipart/form-data")], b"--x\r\n"), 400),
        ("multipart access_token as a file (not a field)", "POST", O, [],
         ([("Content-Type", "multipart/form-data; boundary=xyz")],
          f'--xyz\r\nContent-Disposition: form-data; name="access_token"; filename="t.txt"\r\n\r\n{RW.raw}'
          '\r\n--xyz--\r\n'.encode()), 401),
        ("form access_token=<tok>, charset=latin-1", "POST", O, [],
         ([("Content-Type", "application/x-www-form-urlencoded; charset=latin-1")],
          f"access_token={RW.raw}".encode()), 200),
        ("form resource=a&resource=b + Bearer <tok>", "POST", O, bearer(RW.raw),
         ([("Content-Type", "application/x-www-form-urlencoded")], b"resource=a&resource=b"), 200),
        ("JSON [1] + Bearer <tok>", "POST", O, bearer(RW.raw), json_body([1]), 200),
        ("Bearer + a 20,000-character token", "GET", O, auth("Bearer " + "a" * 20000), None, 401),
    ]
    for name, method, path, headers, hb, want in bodies:
        if hb is None:
            steps.append(S(f"body {name}", method, path, headers, want=want))
        else:
            steps.append(with_body(f"body {name}", method, path, headers, hb, want=want))

    # RFC 8707 resource indicators: DOT compares scheme, host (lower-cased), port (80/443 by
    # default) and path prefix of `request.build_absolute_uri()` with the token's audiences.
    api = [("Host", "api.example.com")]
    https = [(SSL_HEADER, "https")]
    hosts = [
        ("G, Host 127.0.0.1:port (the runner's)", O, OAUTH2_MATCH, [], 401),
        ("G, Host api.example.com", O, OAUTH2_MATCH, api, 200),
        ("G, Host api.example.com, query", O + "?x=1", OAUTH2_MATCH, api, 200),
        ("G, Host api.example.com, POST", O, OAUTH2_MATCH, api, 200),
        ("G, Host api.example.com on AllowAny (outside /oauth2)", OPEN, OAUTH2_MATCH, api, 200),
        ("G, Host api.example.com on /oauth2-scope/", SCOPE, OAUTH2_MATCH, api, 401),
        ("G, Host api.example.com on /oauth2-rw/", "/oauth2-rw/", OAUTH2_MATCH, api, 401),
        ("G, Host API.EXAMPLE.COM", O, OAUTH2_MATCH, [("Host", "API.EXAMPLE.COM")], 200),
        ("G, Host api.example.com:80", O, OAUTH2_MATCH, [("Host", "api.example.com:80")], 200),
        ("G, Host api.example.com:8080", O, OAUTH2_MATCH, [("Host", "api.example.com:8080")], 401),
        ("G, Host api.example.com. (trailing dot)", O, OAUTH2_MATCH, [("Host", "api.example.com.")], 401),
        ("G, Host api.example.com + X-Forwarded-Proto https", O, OAUTH2_MATCH, api + https, 401),
        ("G, Host api.example.com:443 + X-Forwarded-Proto https", O, OAUTH2_MATCH,
         [("Host", "api.example.com:443")] + https, 401),
        ("G, X-Forwarded-Host api.example.com (not trusted)", O, OAUTH2_MATCH,
         [("X-Forwarded-Host", "api.example.com")], 401),
        ("G, Host api.example.com:080", O, OAUTH2_MATCH, [("Host", "api.example.com:080")], 200),
        ("G, Host API.example.com:80", O, OAUTH2_MATCH, [("Host", "API.example.com:80")], 200),
        ("G, Host 'api.example.com ' (trailing space)", O, OAUTH2_MATCH, [("Host", "api.example.com ")], 200),
        ("G, Host api.example.com, path '/oauth2/?'", O + "?", OAUTH2_MATCH, api, 200),
        ("G, Host api.example.com + X-Forwarded-Proto HTTPS (not 'https')", O, OAUTH2_MATCH,
         api + [(SSL_HEADER, "HTTPS")], 200),
        ("G, Host [::1]", O, OAUTH2_MATCH, [("Host", "[::1]")], 401),
        ("G, Host api.example.com: (empty port, DisallowedHost)", O, OAUTH2_MATCH,
         [("Host", "api.example.com:")], 400),
        ("G, Host x@api.example.com (DisallowedHost)", O, OAUTH2_MATCH, [("Host", "x@api.example.com")], 400),
        ("G, Host api.example.com, ?access_token=", O + f"?access_token={OAUTH2_MATCH}", None, api, q_ok),
        ("H, Host other.example.com + X-Forwarded-Proto https", O, OAUTH2_OTHER,
         [("Host", "other.example.com")] + https, 200),
        ("H, Host other.example.com + https on /oauth2-scope/", SCOPE, OAUTH2_OTHER,
         [("Host", "other.example.com")] + https, 200),
        ("H, Host other.example.com:443 + https", O, OAUTH2_OTHER, [("Host", "other.example.com:443")] + https, 200),
        ("H, Host other.example.com (http)", O, OAUTH2_OTHER, [("Host", "other.example.com")], 401),
        ("H, Host other.example.com + X-Forwarded-Proto 'https, http'", O, OAUTH2_OTHER,
         [("Host", "other.example.com"), (SSL_HEADER, "https, http")], 200),
        ("H, Host other.example.com + X-Forwarded-Proto 'http, https'", O, OAUTH2_OTHER,
         [("Host", "other.example.com"), (SSL_HEADER, "http, https")], 401),
        ("H, Host other.example.com:443 (http)", O, OAUTH2_OTHER, [("Host", "other.example.com:443")], 401),
        ("H, Host api.example.com", O, OAUTH2_OTHER, api, 401),
        ("H, Host 127.0.0.1:port", O, OAUTH2_OTHER, [], 401),
        ("B (unrestricted), Host api.example.com", O, RW.raw, api, 200),
        ("B, Host bad_host (DisallowedHost)", O, RW.raw, [("Host", "bad_host")], 400),
        ("B, Host api.example.com:abc (DisallowedHost)", O, RW.raw, [("Host", "api.example.com:abc")], 400),
        ("no token, Host bad_host on AllowAny", OPEN, None, [("Host", "bad_host")], 400),
    ]
    for name, path, raw, headers, want in hosts:
        method = "POST" if "POST" in name else "GET"
        steps.append(S(f"host {name}", method, path, (bearer(raw) if raw else []) + headers,
                       b"" if method == "POST" else None, want=want))

    # Sessions beside tokens ([OAuth2, Session]: a token that authenticates skips the CSRF check;
    # one that does not leaves the request to the session).
    ck = [("Cookie", "sessionid=@sid@; csrftoken=@csrf@")]
    csrf = [("X-CSRFToken", "@csrf@")]
    T_read, T_cc = OAUTH2_TOKENS["read (john)"].raw, OAUTH2_TOKENS["client credentials (no user)"].raw
    T_empty, T_exp = OAUTH2_TOKENS["empty scope"].raw, OAUTH2_TOKENS["expired"].raw
    T_orders = OAUTH2_TOKENS["orders:write only"].raw
    sessions = []
    for path, session_ok in (("/oauth2-or-session/", 200), ("/oauth2-and/", 403)):
        sessions += [
            ("session", "GET", path, ck, session_ok),
            ("session, HEAD", "HEAD", path, ck, session_ok),
            ("session, OPTIONS", "OPTIONS", path, ck, session_ok),
            ("session, POST without CSRF token", "POST", path, ck, 403),
            ("session, POST with CSRF token", "POST", path, ck + csrf, session_ok),
            ("session, DELETE with CSRF token", "DELETE", path, ck + csrf, session_ok),
            ("read token", "GET", path, bearer(T_read), 200),
            ("session + read token", "GET", path, ck + bearer(T_read), 200),
            ("session + read token, POST without CSRF", "POST", path, ck + bearer(T_read), 200),
            ("session + orders:write token (no read)", "GET", path, ck + bearer(T_orders), 403),
            ("session + empty-scope token", "GET", path, ck + bearer(T_empty), 403),
            ("session + client-credentials token", "GET", path, ck + bearer(T_cc), oauth2_want(
                path, OAUTH2_TOKENS["client credentials (no user)"])),
            ("session + unknown token (the session decides)", "GET", path, ck + bearer(unk), session_ok),
            ("session + expired token", "GET", path, ck + bearer(T_exp), session_ok),
            ("session + unknown token, POST without CSRF", "POST", path, ck + bearer(unk), 403),
            ("session + 'Bearer' only", "GET", path, ck + auth("Bearer"), session_ok),
            ("session + Token abcd1234", "GET", path, ck + auth("Token abcd1234"), session_ok),
            ("sessionid only, POST + read token", "POST", path,
             [("Cookie", "sessionid=@sid@")] + bearer(T_read), 200),
            ("nothing", "GET", path, [], 401),
            ("unknown sessionid cookie", "GET", path, [("Cookie", "sessionid=doesnotexist0123456789abcdefghij")], 401),
        ]
    for name, method, path, headers, want in sessions:
        steps.append(S(f"{path} {name}", method, path, headers, b"" if method == "POST" else None, want=want))

    # `[OAuth2Authentication, TokenAuthentication]` with `TokenHasScope | IsAdminUser` (admin scope).
    C = "/oauth2-composed/"
    composed = [
        ("Token abcd1234 (john)", "GET", auth("Token abcd1234"), 403),
        ("Token abcd1234 (john), POST", "POST", auth("Token abcd1234"), 403),
        (f"Token {OAUTH2_ADMIN_DRF_TOKEN} (admin, staff)", "GET", auth(f"Token {OAUTH2_ADMIN_DRF_TOKEN}"), 200),
        (f"Token {OAUTH2_ADMIN_DRF_TOKEN} (admin), POST", "POST", auth(f"Token {OAUTH2_ADMIN_DRF_TOKEN}"), 200),
        ("Token inactivetoken", "GET", auth("Token inactivetoken"), 401),
        ("Token nope", "GET", auth("Token nope"), 401),
        ("'Token'", "GET", auth("Token"), 401),
        ("Basic admin (no Basic class)", "GET", auth(ADMIN), 401),
        ("Bearer abcd1234 (a DRF key as a Bearer)", "GET", bearer("abcd1234"), 401),
    ]
    for name, method, headers, want in composed:
        steps.append(S(f"{C} {name}", method, C, headers, b"" if method == "POST" else None, want=want))

    # Tokens issued by Django's DOT (`/o/token/`), used on both servers.
    issued = [
        ("cc", "client_credentials, default scopes", [("grant_type", "client_credentials")],
         ("parity-cc-client", "parity-cc-secret"), "read write introspection orders:read orders:write create admin",
         False, None, {"/oauth2/": 403, "/oauth2-open/": 200, "/oauth2-scope/": 200}),
        ("cc_read", "client_credentials, scope=read", [("grant_type", "client_credentials"), ("scope", "read")],
         ("parity-cc-client", "parity-cc-secret"), "read", False, None,
         {"/oauth2/": 403, "/oauth2-open/": 200, "/oauth2-scope/": 403}),
        ("pw", "password, default scopes", [("grant_type", "password"), ("username", "john"),
                                            ("password", "password")],
         ("parity-pw-client", "parity-pw-secret"), "read write introspection orders:read orders:write create admin",
         True, "john", {"/oauth2/": 200, "/oauth2-open/": 200, "/oauth2-scope/": 200}),
        ("pw_rw", "password, scope='read write'", [("grant_type", "password"), ("username", "john"),
                                                   ("password", "password"), ("scope", "read write")],
         ("parity-pw-client", "parity-pw-secret"), "read write", True, "john",
         {"/oauth2/": 200, "/oauth2-open/": 200, "/oauth2-scope/": 200}),
    ]
    for slot, label, fields, (client_id, secret), scope, refresh, user, wants in issued:
        slot = f"oauth2_{slot}"
        steps.append(Step(f"/o/token/ {label} (Django issues)", action=oauth2_issue(slot, fields, client_id, secret),
                          check=check_oauth2_issued(scope, refresh)))
        steps.append(Step(f"/o/token/ {label}: the access-token row", action=lambda ctx, slot=slot: db_oauth2_row(
            ctx, slot)))
        for path, want in wants.items():
            steps.append(S(f"/o/token/ {label}: on {path}", "GET", path, auth(f"Bearer @{slot}@"), want=want))
        steps.append(S(f"/o/token/ {label}: on /oauth2/, POST", "POST", O, auth(f"Bearer @{slot}@"), b"",
                       want=wants["/oauth2/"]))
        steps.append(S(f"/o/token/ {label}: in a form body", "POST", SCOPE, [],
                       f"access_token=@{slot}@", want=wants["/oauth2-scope/"]))
        steps[-1].headers.append(("Content-Type", "application/x-www-form-urlencoded"))

    # RFC 9728: OAuth2ProtectedResourceAuthentication's challenge (every token and method above),
    # here under other hosts and schemes, and the metadata document it names (DOT's
    # OAuthProtectedResourceMetadataView, public, `Access-Control-Allow-Origin: *`).
    PR, WK = "/oauth2-protected-resource/", "/o/.well-known/oauth-protected-resource"
    for label, headers in [("Host api.example.com", [("Host", "api.example.com")]),
                           ("Host api.example.com:8443 over HTTPS",
                            [("Host", "api.example.com:8443"), (SSL_HEADER, "https")])]:
        steps.append(S(f"{PR} no token, {label}", "GET", PR, headers, want=401))
        steps.append(S(f"{PR} unknown token, {label}", "GET", PR, headers + bearer(OAUTH2_UNKNOWN), want=401))
        steps.append(S(f"{WK} {label}", "GET", WK, headers, want=200))
        steps.append(S(f"{WK}/tenant1/x {label}", "GET", WK + "/tenant1/x", headers, want=200))
    for method, want in [("GET", 200), ("HEAD", 200), ("OPTIONS", 200), ("POST", 405), ("PUT", 405),
                         ("DELETE", 405)]:
        steps.append(S(f"{WK} {method}", method, WK, [], b"" if method in ("POST", "PUT") else None, want=want))
    steps.append(S(f"{WK} with a Bearer token (ignored)", "GET", WK, bearer(RW.raw), want=200))
    steps.append(S(f"{WK}/a%20b/%C3%A9 (escaped path component)", "GET", WK + "/a%20b/%C3%A9", [], want=200))
    return [Group("oauth2", steps)]


# --------------------------------------------------------------------------------------------------
# django-oauth-toolkit's provider endpoints (issue 21): `/o/token/`, `/o/revoke_token/`, `/o/introspect/`
#
# The group `oauth2-provider` sends DOT's three endpoints every request shape the runner can think of
# and compares the answers byte for byte, with each access / refresh token value replaced by the
# name of the scenario that issued it (every issued value must be 30 characters of [A-Za-z0-9]),
# and with `Content-Type`, `Cache-Control`, `Pragma`, `WWW-Authenticate`, `Allow` and
# `Access-Control-Allow-Origin` compared exactly. Database checks read the rows each server wrote
# (`oauth2_provider_accesstoken` / `oauth2_provider_refreshtoken`) and compare their facts: token
# stored raw, checksum, user, application, scope, resource, expiry (ACCESS_TOKEN_EXPIRE_SECONDS after
# the server issued the token, within 3 s), the refresh token's family, `revoked`, `access_token_id`
# and `source_refresh_token_id` (by name, never by id), and per token family how many refresh
# tokens are live, hold an access token, and how many access tokens were minted from the family.
# A DOT answer that crashes (500) or is insecure is recorded with `p_divergence`: the other server
# passes with DOT's answer or with a secure refusal (listed in the notes when it diverges).
#
# State: the group runs whole on Django, then whole on the other server. Everything a scenario
# changes is the server's own: tokens it issued itself, or the per-server fixture pairs
# `prov-at-<name>-<dj|rs>` / `prov-rt-<name>-<dj|rs>` of `manage.py parity_oauth2` (P_PAIRS).
# Shared fixtures (the `oauth2` group's tokens, the introspection tokens, the authorization codes)
# are only read. Cross-server scenarios (`target="other"`) use a token the pass's own server issued
# on the other server: the Django pass checks the other server's answer to Django's token and the
# other pass Django's answer to the other server's token.
#
# `--oauth2-provider-runs` runs the group once per configuration of OAUTH2_PROVIDER_PROVIDER_RUNS
# (rotation off, a grace period, reuse protection, short access tokens, refresh-token expiry).

P_TOKEN, P_REVOKE, P_INTROSPECT = "/o/token/", "/o/revoke_token/", "/o/introspect/"

OAUTH2_PROVIDER_PROVIDER_RUNS = [
    None,
    '{"ROTATE_REFRESH_TOKEN": false}',
    '{"REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 120}',
    '{"REFRESH_TOKEN_REUSE_PROTECTION": true}',
    '{"REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 120, "REFRESH_TOKEN_REUSE_PROTECTION": true}',
    '{"ACCESS_TOKEN_EXPIRE_SECONDS": 60}',
    '{"REFRESH_TOKEN_EXPIRE_SECONDS": 3600}',
]

# parity_oauth2's applications: client_id, secret.
P_CLIENTS = {
    "cc": ("parity-cc-client", "parity-cc-secret"),  # confidential, client-credentials, hashed
    "pw": ("parity-pw-client", "parity-pw-secret"),  # confidential, password, hashed
    "public": ("parity-public-client", "parity-public-secret"),  # public, password, hashed
    "public_cc": ("parity-public-cc-client", "parity-public-cc-secret"),  # public, client-credentials
    "plain": ("parity-plain-client", "parity-plain-secret"),  # confidential, client-credentials, unhashed
    "empty": ("parity-empty-client", ""),  # confidential, client-credentials, empty unhashed secret
    "ac": ("parity-ac-client", "parity-ac-secret"),  # confidential, authorization-code
    "cors": ("parity-cors-client", "parity-cors-secret"),  # confidential, password, origin https://app.example.com
}
# parity_oauth2's PROVIDER_PAIRS (per server): name -> (client, user, scope).
P_PAIRS = {
    "std": ("pw", "john", "read write"), "narrow": ("pw", "john", "read write orders:read"),
    "widen": ("pw", "john", "read"), "old": ("pw", "john", "read write"),  # access token expired 2 h ago
    "revoked": ("pw", "john", "read write"),  # refresh token revoked a day ago, no access token
    "orphan": ("pw", "john", "read write"),  # live refresh token without access token
    "cc": ("cc", "john", "read"), "resource": ("pw", "john", "read write"),  # resource http://api.example.com/oauth2
    "public": ("public", "john", "read"), "inactive": ("pw", "inactive", "read write"),
    "cors": ("cors", "john", "read"), "revacc": ("pw", "john", "read write"), "revref": ("pw", "john", "read write"),
    "revother": ("pw", "john", "read write"), "revexp": ("pw", "john", "read"),  # access token expired 2 h ago
    "rand1": ("pw", "john", "read write"), "rand2": ("cc", "admin", "read"), "rand3": ("public", "john", "read write"),
}
P_ALL_SCOPES = "read write introspection orders:read orders:write create admin"  # DEFAULT_SCOPES ["__all__"]
P_CODE_VERIFIER = "parity-code-verifier-0123456789abcdefghijklmnopqrstuvwxyz"  # parity_oauth2's PKCE verifier
P_INTROSPECTOR = "Introspector0000000000000000M"  # client credentials, scope `introspection`
P_INTROSPECTOR_EXPIRED = "IntrospectorExpired000000000N"
P_INTROSPECTOR_JOHN = "IntrospectorJohn000000000000O"  # john, `read introspection`
P_INTROSPECTOR_RESOURCE = "IntrospectorResource00000000P"  # restricted to https://other.example.com/
P_PUBLIC_TOKEN = "PublicClientToken00000000000Q"  # an access token of the public client (shared)
P_HEADERS = ("content-type", "cache-control", "pragma", "www-authenticate", "allow", "access-control-allow-origin",
             "location")
P_TRANSPORT_HEADERS = {"date", "server", "content-length", "connection"}
P_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9]{30}$")


def p_basic(client):
    return auth(basic(*P_CLIENTS[client]))


def p_body_auth(client, secret=True):
    client_id, client_secret = P_CLIENTS[client]
    return [("client_id", client_id)] + ([("client_secret", client_secret)] if secret else [])


def p_remember(ctx, slot, value):
    """ctx[slot] = value (for @slot@), and the value's name in bodies (the first name wins)."""
    ctx[slot] = value
    ctx.setdefault("p_names", {}).setdefault(value, slot)


def p_access_pk(ctx, value):
    with db_connect(ctx) as conn:
        row = conn.execute("SELECT id FROM oauth2_provider_accesstoken WHERE token_checksum = ?",
                           (hashlib.sha256(value.encode()).hexdigest(),)).fetchone()
    return row[0] if row else None


def p_capture(prefix):
    """Stamps the answer's time; registers the tokens of a 200 answer as `p_<prefix>_at` /
    `p_<prefix>_rt`, the access token's pk (for `AccessToken #<pk>`) and the time it was issued
    (an `exp` / `expires` of that time + ACCESS_TOKEN_EXPIRE_SECONDS is then a placeholder)."""

    def capture(resp, ctx):
        resp.t = time.time()
        if prefix is None or resp.status != 200:
            return
        data = resp.json()
        if not isinstance(data, dict):
            return
        if isinstance(data.get("access_token"), str):
            ctx.setdefault("p_issue_times", []).append(resp.t)
        for key, suffix in (("access_token", "at"), ("refresh_token", "rt")):
            value = data.get(key)
            if isinstance(value, str):
                p_remember(ctx, f"p_{prefix}_{suffix}", value)
                if suffix == "at":
                    pk = p_access_pk(ctx, value)
                    if pk is not None:
                        ctx.setdefault("p_pks", {}).setdefault(pk, ctx["p_names"][value])

    return capture


P_EXP = re.compile(r'"exp": (\d+)')
P_AUTH_PK = re.compile(r"AccessToken #(\d+)")


def p_text(resp: Resp, ctx) -> str:
    """The body as text: known token values -> <name>, `AccessToken #<pk>` of a named token ->
    `AccessToken #<name>`, and an `exp` of about now + ACCESS_TOKEN_EXPIRE_SECONDS -> a placeholder."""
    text = resp.body.decode("utf-8", "backslashreplace")
    for value, name in sorted(ctx.get("p_names", {}).items(), key=lambda kv: -len(kv[0])):
        if value:
            text = text.replace(value, f"<{name}>")
    pks = ctx.get("p_pks", {})
    text = P_AUTH_PK.sub(lambda m: f"AccessToken #<{pks[int(m.group(1))]}>" if int(m.group(1)) in pks
                         else m.group(0), text)
    def exp(m):
        issued = p_issued_expiry(ctx, int(m.group(1)))
        return f'"exp": <{issued}>' if issued else m.group(0)

    return P_EXP.sub(exp, text)


def p_issued_expiry(ctx, timestamp: float) -> str | None:
    """`timestamp` is ACCESS_TOKEN_EXPIRE_SECONDS after the server issued a token in this run
    (within 3 s): a placeholder, since the two servers issue at different times."""
    expire = ctx.get("p_expire", 36000)
    if any(abs(timestamp - (issued + expire)) <= 3 for issued in ctx.get("p_issue_times", [])):
        return "issued in the run + ACCESS_TOKEN_EXPIRE_SECONDS"
    return None


def p_shape_diffs(side, resp, ctx) -> list[str]:
    """Every token value of a 200 JSON answer is a fixture's or 30 characters of [A-Za-z0-9]."""
    data = resp.json()
    if resp.status != 200 or not isinstance(data, dict):
        return []
    diffs = []
    for key in ("access_token", "refresh_token"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            diffs.append(f"{side}: {key} is not a string: {value!r}")
        elif not P_TOKEN_SHAPE.match(value) and not value.startswith(("prov-at-", "prov-rt-")):
            diffs.append(f"{side}: {key} {value!r} is not 30 characters of [A-Za-z0-9]")
    return diffs


def p_check(mode="dot") -> Check:
    """`dot`: a DOT endpoint, compared byte for byte (after token names) with its headers;
    `drf`: a DRF view, JSON-compared after the same names (as the rest of the runner compares)."""

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = p_shape_diffs("django", dj, ctx_dj) + p_shape_diffs("rust", rs, ctx_rs)
        if dj.error or rs.error:
            return diffs + [f"transport: django {dj.error or 'ok'} / rust {rs.error or 'ok'}"]
        ta, tb = p_text(dj, ctx_dj), p_text(rs, ctx_rs)
        if mode == "dot":
            for name in P_HEADERS:
                a, b = dj.all(name), rs.all(name)
                if a != b:
                    diffs.append(f"{name}: django {a} / rust {b}")
            na = sorted({k for k, _ in dj.headers} - P_TRANSPORT_HEADERS)
            nb = sorted({k for k, _ in rs.headers} - P_TRANSPORT_HEADERS)
            if na != nb:
                diffs.append(f"header names: django {na} / rust {nb}")
            if ta != tb:
                diffs.append(f"body: django {ta[:400]!r} / rust {tb[:400]!r}")
        else:
            try:
                ja, jb = json.loads(ta), json.loads(tb)
            except ValueError:
                ja, jb = ta, tb
            if ja != jb:
                diffs.append(f"body: django {ta[:400]!r} / rust {tb[:400]!r}")
        return diffs

    return check


def p_refused(statuses=(400, 401), json_error=True) -> Callable[[Resp], list[str]]:
    """A secure answer for a divergence: one of `statuses`, never a token; with `json_error`, an
    OAuth 2 error object (`{"error": ...}`) as `application/json`."""

    def secure(rs: Resp) -> list[str]:
        problems = []
        if rs.status not in statuses:
            problems.append(f"rust answered {rs.status}: expected one of {list(statuses)}")
        data = rs.json()
        if isinstance(data, dict) and ("access_token" in data or data.get("active") is True):
            problems.append(f"rust issued or disclosed a token: {show_body(rs)}")
        if json_error and (not isinstance(data, dict) or not isinstance(data.get("error"), str)
                           or main_type(rs) != "application/json"):
            problems.append(f"rust answer is not an OAuth 2 error object: {rs.header('content-type')!r} "
                            f"{show_body(rs)}")
        return problems

    return secure


def p_query_refused(rs: Resp) -> list[str]:
    """The token endpoint's refusal of a query string (DOT's own for `?x=1`): 400, oauthlib's
    error raised outside the grant, so DOT's bare `text/html` type."""
    want = b'{"error": "invalid_request", "error_description": "URL query parameters are not allowed"}'
    if rs.status == 400 and rs.body == want and rs.header("content-type") == "text/html; charset=utf-8":
        return []
    return [f"rust answered {rs.status} {rs.header('content-type')!r} {show_body(rs)}: expected DOT's "
            f"answer to any query string"]


def p_inactive_refused(rs: Resp) -> list[str]:
    """Introspection of a token the port does not accept (its user is inactive): `{"active": false}`."""
    if rs.status == 200 and rs.body == b'{"active": false}':
        return []
    return [f"rust answered {rs.status} {show_body(rs)}: expected 200 {{\"active\": false}}"]


def p_divergence(step: Step, note: str, secure: Callable[[Resp], list[str]], django_status: int | None = None) -> Step:
    """A DOT answer that crashes (500) or is insecure: recorded, and the other server passes when
    it answers as DOT does or when `secure(answer)` finds nothing wrong (a documented divergence:
    the Rust provider is secure by default there). `django_status`: what DOT is expected to say."""
    from dataclasses import replace

    plain = replace(step)

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = []
        if django_status is not None and dj.status != django_status:
            diffs.append(f"django answered {dj.status}; DOT is expected to answer {django_status} here")
        same = compare(plain, dj, rs, ctx_dj, ctx_rs)[0]
        if not same:
            rs.same_as_reference = True  # the same answer as DOT's (token values aside): no divergence note
            return diffs
        problems = secure(rs)
        return diffs + (problems + ["and the answer differs from DOT's: " + "; ".join(same)] if problems else [])

    return replace(step, check=check, generic=False, note=f"divergence: {note}")


_P_COUNTER = [0]


def P(name, method="POST", path=P_TOKEN, headers=(), fields=None, body="form", query="", want=None,
      prefix=None, mode="dot", target=None) -> Step:
    """One provider scenario. `fields`: (name, value) pairs sent as `body` (`form`, `multipart`,
    `json` (an object of the pairs), `none` (no body; so is `fields=None`), or a (headers, bytes)
    tuple). A token answer of `/o/token/` is registered as `p_<prefix>_at` / `_rt` (an automatic
    prefix unless given); `mode`: see p_check."""
    if prefix is None and path == P_TOKEN:
        _P_COUNTER[0] += 1
        prefix = f"t{_P_COUNTER[0]}"
    headers = list(headers)
    raw = None
    if isinstance(body, tuple):
        body_headers, raw = body
        headers += body_headers
    elif body == "form" and fields is not None:
        body_headers, raw = form_body(fields)
        headers += body_headers
    elif body == "multipart":
        body_headers, raw = multipart_body(fields or [])
        headers += body_headers
    elif body == "json":
        body_headers, raw = json_body(dict(fields or []))
        headers += body_headers
    elif body not in ("none", "form"):
        raise ValueError(body)
    return Step(name=name, method=method, path=path + query, headers=headers, body=raw, want=want,
                check=p_check(mode), capture=p_capture(prefix), target=target)


def p_iso(value):
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def p_shape(value):
    """A datetime text's shape; Django leaves out `.ffffff` when the microseconds are 0."""
    shape = shape_of(value)
    return re.sub(r"(\.d{6})?$", "[.ffffff]", shape, count=1) if isinstance(shape, str) \
        and re.match(r"^d{4}-", shape) else shape


def p_expiry(value, ctx):
    """An expiry as a fact: ACCESS_TOKEN_EXPIRE_SECONDS after a token was issued in the run, or
    whole hours from now (the fixtures)."""
    if value is None:
        return None
    moment = p_iso(value)
    issued = p_issued_expiry(ctx, moment.timestamp())
    if issued:
        return issued
    return f"{round((moment - datetime.now(timezone.utc)).total_seconds() / 3600)} h from now"


def p_db(*slots, families=True):
    """The database facts of the named tokens (slots ending in `_at`: the access token row;
    `_rt`: every refresh token row of that value), compared between the servers by name."""

    def action(ctx) -> Resp:
        names = ctx.get("p_names", {})
        by_checksum = {hashlib.sha256(v.encode()).hexdigest(): n for v, n in names.items()}
        out, fams = {}, {}
        with db_connect(ctx) as conn:
            def access_name(pk):
                if pk is None:
                    return None
                row = conn.execute("SELECT token_checksum FROM oauth2_provider_accesstoken WHERE id = ?",
                                   (pk,)).fetchone()
                if row is None:
                    return "<dangling access_token_id>"
                return by_checksum.get(row[0], "<unnamed access token>")

            def refresh_name(pk):
                if pk is None:
                    return None
                row = conn.execute("SELECT token_checksum FROM oauth2_provider_refreshtoken WHERE id = ?",
                                   (pk,)).fetchone()
                if row is None:
                    return "<dangling source_refresh_token_id>"
                return by_checksum.get(row[0], "<unnamed refresh token>")

            for slot in slots:
                value = ctx.get(slot)
                if value is None:
                    out[slot] = "<not issued>"
                    continue
                checksum = hashlib.sha256(value.encode()).hexdigest()
                if slot.endswith("_at"):
                    row = conn.execute(
                        "SELECT t.id, t.token, t.token_checksum, u.username, a.client_id, t.scope, t.resource,"
                        " t.expires, t.created, t.updated, t.source_refresh_token_id, t.id_token_id, t.user_id"
                        " FROM oauth2_provider_accesstoken t"
                        " LEFT JOIN auth_user u ON u.id = t.user_id"
                        " LEFT JOIN oauth2_provider_application a ON a.id = t.application_id"
                        " WHERE t.token_checksum = ?", (checksum,)).fetchone()
                    if row is None:
                        out[slot] = "<no row>"
                        continue
                    (pk, raw, chk, username, client_id, scope, resource, expires, created, updated, source,
                     id_token, user_id) = row
                    held_by = conn.execute("SELECT token_checksum FROM oauth2_provider_refreshtoken"
                                           " WHERE access_token_id = ? ORDER BY id", (pk,)).fetchall()
                    out[slot] = {
                        "token stored raw": raw == value, "checksum": chk == checksum,
                        "user": username if user_id is not None else None, "client_id": client_id,
                        "scope": scope, "resource": json.loads(resource) if resource else resource,
                        "expires": p_expiry(expires, ctx), "source_refresh_token": refresh_name(source),
                        "held by refresh tokens": [by_checksum.get(c, "<unnamed refresh token>") for (c,) in held_by],
                        "id_token": id_token, "date shapes": [p_shape(expires), p_shape(created), p_shape(updated)],
                    }
                else:
                    rows = conn.execute(
                        "SELECT r.id, r.token, u.username, a.client_id, r.access_token_id, r.revoked, r.token_family,"
                        " r.resource, r.created, r.updated FROM oauth2_provider_refreshtoken r"
                        " LEFT JOIN auth_user u ON u.id = r.user_id"
                        " LEFT JOIN oauth2_provider_application a ON a.id = r.application_id"
                        " WHERE r.token_checksum = ? ORDER BY r.id", (checksum,)).fetchall()
                    facts = []
                    for pk, raw, username, client_id, access_id, revoked, family, resource, created, updated in rows:
                        if family is not None and family not in fams:
                            fams[family] = f"family of {slot}"
                        in_run = revoked is not None and p_iso(revoked).timestamp() >= ctx["p_start"] - 5
                        facts.append({
                            "token stored raw": raw == value, "user": username, "client_id": client_id,
                            "access_token": access_name(access_id),
                            "revoked": None if revoked is None else ("in this run" if in_run else "before the run"),
                            "token_family": None if family is None else (
                                fams[family] if re.match(r"^[0-9a-f]{32}$", family) else f"malformed {family!r}"),
                            "resource": json.loads(resource) if resource else resource,
                            "date shapes": [p_shape(created), p_shape(updated), p_shape(revoked)],
                        })
                    out[slot] = facts or "<no row>"
            if families:
                for family, label in fams.items():
                    members = conn.execute("SELECT id, revoked, access_token_id FROM oauth2_provider_refreshtoken"
                                           " WHERE token_family = ?", (family,)).fetchall()
                    ids = [m[0] for m in members]
                    marks = ",".join("?" * len(ids))
                    minted = conn.execute(f"SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE"
                                          f" source_refresh_token_id IN ({marks})", ids).fetchone()[0]
                    out[label] = {"refresh tokens": len(members), "live": sum(1 for m in members if m[1] is None),
                                  "holding an access token": sum(1 for m in members if m[2] is not None),
                                  "access tokens minted from the family": minted}
        return pseudo(out)

    return action


def p_setup(provider: dict):
    """Registers the per-server fixture tokens (`f_<pair>_at` / `_rt`), the shared ones, the
    settings the checks need, and answers with the fixtures' facts (as parity_oauth2 wrote them)."""
    expire = int(provider.get("ACCESS_TOKEN_EXPIRE_SECONDS", 36000))

    def action(ctx) -> Resp:
        ctx["p_expire"] = expire
        ctx["p_start"] = time.time()
        for name in P_PAIRS:
            p_remember(ctx, f"f_{name}_at", f"prov-at-{name}-{ctx['s']}")
            p_remember(ctx, f"f_{name}_rt", f"prov-rt-{name}-{ctx['s']}")
            pk = p_access_pk(ctx, ctx[f"f_{name}_at"])
            if pk is not None:
                ctx.setdefault("p_pks", {})[pk] = f"f_{name}_at"
        with db_connect(ctx) as conn:
            stored = conn.execute("SELECT client_secret FROM oauth2_provider_application WHERE client_id = ?",
                                  (P_CLIENTS["cc"][0],)).fetchone()[0]
        ctx["p_cc_hash_q"] = quote(stored, safe="")  # the stored PBKDF2 hash, form-encoded
        return p_db(*[f"f_{n}_{k}" for n in P_PAIRS for k in ("at", "rt")])(ctx)

    return action


P_500_NOTE = "DOT answers 500 (an uncaught exception); the port refuses the request as a client error"


def p_token_steps(settings) -> list[Step]:
    """`/o/token/`: methods, media types, client authentication, and the client-credentials and
    password grants (success, with their rows, and every refusal)."""
    steps = []
    cc, pw, pub = p_basic("cc"), p_basic("pw"), p_basic("public")
    CCG = [("grant_type", "client_credentials")]
    PWG = [("grant_type", "password"), ("username", "john"), ("password", "password")]
    form_ct = "application/x-www-form-urlencoded"
    raw = lambda data, ct=form_ct: ([("Content-Type", ct)] if ct is not None else [], data)

    # Methods on the three endpoints (Django's View: 405 with `Allow`, OPTIONS 200).
    for path in (P_TOKEN, P_REVOKE):
        for method in ("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
            steps.append(P(f"{path} {method}", method, path, cc, CCG if method not in ("GET", "HEAD") else None,
                           want=200 if method == "OPTIONS" else 405))
        steps.append(P(f"{path} GET with a query", "GET", path, cc, None, query="?grant_type=client_credentials",
                       want=405))
        steps.append(P(f"{path} OPTIONS without credentials", "OPTIONS", path, [], None, want=200))
    steps.append(P(f"{P_INTROSPECT} OPTIONS without credentials", "OPTIONS", P_INTROSPECT, [], None, want=200))
    for method in ("PUT", "PATCH", "DELETE", "TRACE"):
        steps.append(P(f"{P_INTROSPECT} {method} without credentials", method, P_INTROSPECT, [],
                       [("token", OAUTH2_RW)], want=403))
        steps.append(P(f"{P_INTROSPECT} {method} with Basic cc", method, P_INTROSPECT, cc,
                       [("token", OAUTH2_RW)], want=405))

    # Media types.
    steps += [
        P("client_credentials, form", headers=cc, fields=CCG, want=200, prefix="cc1"),
        Step("client_credentials, form: the access-token row", action=p_db("p_cc1_at")),
        P("client_credentials, multipart", headers=cc, fields=CCG, body="multipart", want=200, prefix="cc2"),
        Step("client_credentials, multipart: the access-token row", action=p_db("p_cc2_at")),
        P("client_credentials, JSON body", headers=cc, fields=CCG, body="json", want=400),
        P("client_credentials, JSON body with the grant in the form too", headers=cc, fields=CCG,
          body=raw(b'{"grant_type": "client_credentials"}', "application/json"), want=400),
        P("form without Content-Type", headers=cc, body=raw(b"grant_type=client_credentials", None), want=400),
        P("form as text/plain", headers=cc, body=raw(b"grant_type=client_credentials", "text/plain"), want=400),
        P("form, charset=utf-8", headers=cc, body=raw(b"grant_type=client_credentials", form_ct + "; charset=utf-8"),
          want=200),
        P("form, charset=latin-1 (Django 6: form bodies must be UTF-8)", headers=cc,
          body=raw(b"grant_type=client_credentials", form_ct + "; charset=latin-1"), want=400),
        P("form, Content-Type in upper case", headers=cc,
          body=raw(b"grant_type=client_credentials", "APPLICATION/X-WWW-FORM-URLENCODED")),
        P("form, charset=unknown-charset", headers=cc,
          body=raw(b"grant_type=client_credentials", form_ct + "; charset=no-such-charset")),
        P("empty body", headers=cc, body=raw(b""), want=400),
        P("no body at all", headers=cc, body="none", want=400),
        P("multipart without boundary", headers=cc, body=raw(b"--x\r\n", "multipart/form-data"), want=400),
        P("multipart, grant_type as a file", headers=cc, body=raw(
            b'--xyz\r\nContent-Disposition: form-data; name="grant_type"; filename="g.txt"\r\n\r\n'
            b'client_credentials\r\n--xyz--\r\n', "multipart/form-data; boundary=xyz"), want=400),
        P("form with %zz in another field", headers=cc, body=raw(b"x=%zz&grant_type=client_credentials"), want=200),
        P("form with a field without '='", headers=cc, body=raw(b"flag&grant_type=client_credentials"), want=200),
        P("form, grant_type percent-encoded (client%5Fcredentials)", headers=cc,
          body=raw(b"grant_type=client%5Fcredentials"), want=200),
        P("form, name percent-encoded (grant%5Ftype)", headers=cc, body=raw(b"grant%5Ftype=client_credentials"),
          want=200),
        P("form separated by ';'", headers=cc, body=raw(b"x=1;grant_type=client_credentials"), want=400),
        P("form with a leading '&' and empty pairs", headers=cc, body=raw(b"&&grant_type=client_credentials&&"),
          want=200),
        P("form with a UTF-8 BOM", headers=cc, body=raw(b"\xef\xbb\xbfgrant_type=client_credentials")),
        P("POST with a query (?x=1)", headers=cc, fields=CCG, query="?x=1", want=400),
        P("POST with grant_type in the query only", headers=cc, fields=[], query="?grant_type=client_credentials",
          want=400),
        P("POST with grant_type in the query and the body", headers=cc, fields=CCG,
          query="?grant_type=client_credentials", want=400),
        P("POST with client credentials in the query", headers=[], fields=CCG,
          query="?client_id=parity-cc-client&client_secret=parity-cc-secret", want=400),
        P("POST with an empty query ('?')", headers=cc, fields=CCG, query="?", want=200),
        P("POST with a query of '&'", headers=cc, fields=CCG, query="?&", want=400),
    ]
    # The port refuses a query oauthlib cannot decode as DOT refuses any other query string.
    steps.append(p_divergence(P("POST with ?x=%zz (invalid percent escape)", headers=cc, fields=CCG, query="?x=%zz"),
                              P_500_NOTE, p_query_refused, django_status=500))
    steps.append(p_divergence(P("POST with ?x=%zz and no credentials", headers=[], fields=CCG, query="?x=%zz"),
                              P_500_NOTE, p_query_refused, django_status=500))

    # Request size limits of Django (DATA_UPLOAD_MAX_NUMBER_FIELDS 1000, DATA_UPLOAD_MAX_MEMORY_SIZE 2.5 MiB).
    steps += [
        P("form of 1000 fields", headers=cc, fields=CCG + [(f"f{i}", "x") for i in range(999)], want=200),
        P("form of 1001 fields", headers=cc, fields=CCG + [(f"f{i}", "x") for i in range(1000)], want=400),
        P("form of exactly 2.5 MiB", headers=cc, fields=CCG + [("pad", "x" * (2621440 - 34))], want=200),
        P("form of 2.5 MiB + 1 byte", headers=cc, fields=CCG + [("pad", "x" * (2621440 - 33))], want=400),
    ]

    # oauthlib copies the request's `state` into every error object (never into a success).
    steps += [
        P("state on a success (not echoed)", headers=cc, fields=CCG + [("state", "abc")], want=200),
        P("state on invalid_client", headers=auth(basic(P_CLIENTS["cc"][0], "x")),
          fields=CCG + [("state", "abc")], want=401),
        P("state on unsupported_grant_type", headers=cc, fields=[("grant_type", "foo"), ("state", "abc")], want=400),
        P("state on invalid_scope", headers=cc, fields=CCG + [("scope", "foo"), ("state", "abc")], want=400),
        P("state on invalid_request (query)", headers=cc, fields=CCG + [("state", "abc")], query="?x=1", want=400),
        P("state on the password grant's invalid_grant", headers=pw,
          fields=[("grant_type", "password"), ("username", "john"), ("password", "x"), ("state", "abc")], want=400),
        P("state on the refresh grant's invalid_grant", headers=pw,
          fields=[("grant_type", "refresh_token"), ("refresh_token", "nope"), ("state", "abc")], want=400),
        P("state empty", headers=cc, fields=[("grant_type", "foo"), ("state", "")], want=400),
        P("state twice", headers=cc, fields=[("grant_type", "foo"), ("state", "a"), ("state", "b")], want=400),
        P("state with characters JSON escapes", headers=cc,
          fields=[("grant_type", "foo"), ("state", 'q"\\/</script>\u00e9\u2028\x01\x7f\U0001F600')], want=400),
        P("state of 3000 characters", headers=cc, fields=[("grant_type", "foo"), ("state", "s" * 3000)], want=400),
        P("state on the revocation endpoint's invalid_client", "POST", P_REVOKE, auth(basic("parity-pw-client", "x")),
          [("token", "nope"), ("state", "abc")], want=401),
        P("state on the revocation endpoint's missing token", "POST", P_REVOKE, pw, [("state", "abc")], want=400),
        P("state on the introspection endpoint's missing token", "POST", P_INTROSPECT, cc, [("state", "abc")],
          want=400),
    ]

    # Grant types.
    for label, value, want in [
        ("absent", None, 400), ("empty", "", 400), ("unknown 'foo'", "foo", 400),
        ("CLIENT_CREDENTIALS", "CLIENT_CREDENTIALS", 400), ("Client_Credentials", "Client_Credentials", 400),
        ("' client_credentials' (leading space)", " client_credentials", 400),
        ("'client_credentials ' (trailing space)", "client_credentials ", 400),
        ("'client credentials'", "client credentials", 400), ("implicit", "implicit", 400),
        ("token", "token", 400), ("openid", "openid", 400),
        ("jwt-bearer URN", "urn:ietf:params:oauth:grant-type:jwt-bearer", 400),
        ("token-exchange URN", "urn:ietf:params:oauth:grant-type:token-exchange", 400),
        ("client_credentials with a NUL", "client_credentials\x00", 400),
        ("PASSWORD", "PASSWORD", 400), ("Refresh_Token", "Refresh_Token", 400),
        ("authorization_code (cc client)", "authorization_code", 400),
    ]:
        fields = [] if value is None else [("grant_type", value)]
        steps.append(P(f"grant_type {label}", headers=cc, fields=fields, want=want))
        steps.append(P(f"grant_type {label}, no client authentication", headers=[], fields=fields, want=want))
    steps += [
        P("grant_type twice, the last client_credentials", headers=cc,
          fields=[("grant_type", "foo"), ("grant_type", "client_credentials")], want=200),
        P("grant_type twice, the first client_credentials", headers=cc,
          fields=[("grant_type", "client_credentials"), ("grant_type", "foo")], want=400),
        P("grant_type client_credentials twice", headers=cc, fields=CCG + CCG, want=200),
        P("grant_type twice (multipart), the last client_credentials", headers=cc,
          fields=[("grant_type", "password"), ("grant_type", "client_credentials")], body="multipart", want=200),
    ]
    # The device-code grant: DOT's TokenView reads `device_code` before anything else.
    steps.append(p_divergence(
        P("device_code grant without device_code", headers=cc,
          fields=[("grant_type", "urn:ietf:params:oauth:grant-type:device_code")]),
        "DOT reads request.POST['device_code'] unguarded (KeyError, 500)", p_refused((400, 401)), django_status=500))
    steps.append(p_divergence(
        P("device_code grant, unknown device_code", headers=cc,
          fields=[("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", "nope")]),
        "DOT answers 404 {\"error\": \"device_not_found\"} before authenticating the client (a device-code "
        "oracle); the port may refuse the grant as any other unsupported one", p_refused((400, 401, 404)),
        django_status=404))
    steps.append(p_divergence(
        P("device_code grant, unknown device_code, no client", headers=[],
          fields=[("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", "nope")]),
        "as above, without any client authentication", p_refused((400, 401, 404)), django_status=404))

    # Client authentication: HTTP Basic as DOT parses it (`Basic` exactly, split on the first space,
    # Python's lenient base64, UTF-8, split on the first ':', each half form-decoded).
    cid, csec = P_CLIENTS["cc"]
    good_b64 = b64(f"{cid}:{csec}")
    basics = [
        ("Basic cc", basic(cid, csec), 200),
        ("Basic cc, wrong secret", basic(cid, "wrong"), 401),
        ("Basic cc, secret in upper case", basic(cid, csec.upper()), 401),
        ("Basic cc, secret with a trailing space", basic(cid, csec + " "), 401),
        ("Basic cc, secret with a trailing '+' (form-decoded to a space)", basic(cid, csec + "+"), 401),
        ("Basic cc, empty secret", basic(cid, ""), 401),
        ("Basic cc, no ':'", "Basic " + b64(cid), 401),
        ("Basic ':' only", "Basic " + b64(":"), 401),
        ("Basic unknown client", basic("nobody", "secret"), 401),
        ("Basic pw's secret for cc", basic(cid, P_CLIENTS["pw"][1]), 401),
        ("Basic client_id with a trailing space", basic(cid + " ", csec), 401),
        ("Basic client_id in upper case", basic(cid.upper(), csec), 401),
        ("lower-case 'basic'", "basic " + good_b64, 401),
        ("upper-case 'BASIC'", "BASIC " + good_b64, 401),
        ("'Basic' with two spaces", "Basic  " + good_b64, 200),
        ("'Basic' + tab", "Basic\t" + good_b64, 401),
        ("'Basic' alone", "Basic", 401),
        ("'Basic ' (nothing after)", "Basic ", 401),
        ("'Basic !!!' (no base64 characters)", "Basic !!!", 401),
        ("'Basic abc' (bad padding)", "Basic abc", 401),
        ("base64 without its padding (public client: unauthorized_client once authenticated)",
         "Basic " + b64("parity-public-client:parity-public-secret").rstrip("="), 401),
        ("base64 with its padding (public client: unauthorized_client once authenticated)",
         "Basic " + b64("parity-public-client:parity-public-secret"), 400),
        ("base64 with a '!' inside (Python drops it)", "Basic " + good_b64[:8] + "!" + good_b64[8:], 200),
        ("base64 with a space inside", "Basic " + good_b64[:8] + " " + good_b64[8:], 200),
        ("base64 with extra '=' after the padding", "Basic " + good_b64 + "==", 200),
        ("base64 twice (second ignored?)", "Basic " + good_b64 + good_b64, 401),
        ("URL-safe base64 alphabet", "Basic " + base64.urlsafe_b64encode(b"parity-cc-client:parity-cc-secret??>>")
         .decode(), 401),
        ("%-escaped id and secret", basic("parity%2Dcc%2Dclient", "parity%2dcc%2Dsecret"), 200),
        ("%-escape of ':' in the secret", basic(cid, "parity-cc-secret%3A"), 401),
        ("'+' for '-' in the id", basic("parity+cc+client", csec), 401),
        ("invalid %-escape in the secret", basic(cid, csec + "%zz"), 401),
        ("non-UTF-8 byte in the secret", "Basic " + b64(f"{cid}:{csec}".encode() + b"\xe9"), 401),
        ("Latin-1 encoded id (é)", "Basic " + b64("parity-cc-clienté:x".encode("latin-1")), 401),
        ("UTF-8 non-ASCII secret", basic(cid, "sécret"), 401),
        ("NUL appended to the secret (PBKDF2-HMAC pads the key with NULs)", basic(cid, csec + "\x00"), 200),
        ("two NULs appended to the secret", basic(cid, csec + "\x00\x00"), 200),
        ("NUL inside the secret", basic(cid, "parity-cc\x00secret"), 401),
        ("NUL in the id", basic(cid + "\x00", csec), 401),
        ("Bearer <access token> instead of Basic", f"Bearer {OAUTH2_RW}", 401),
        ("Token abcd1234 instead of Basic", "Token abcd1234", 401),
        ("Basic of a Django user (john:password)", basic("john", "password"), 401),
        ("plain client (unhashed secret)", basic(*P_CLIENTS["plain"]), 200),
        ("plain client, wrong secret", basic(P_CLIENTS["plain"][0], "parity-plain-secreT"), 401),
        ("plain client, secret prefix only", basic(P_CLIENTS["plain"][0], "parity-plain"), 401),
        ("plain client, empty secret", basic(P_CLIENTS["plain"][0], ""), 401),
        ("plain client, NUL appended (compared as text)", basic(P_CLIENTS["plain"][0], "parity-plain-secret\x00"), 401),
    ]
    for label, header, want in basics:
        steps.append(P(f"client auth: {label}", headers=auth(header), fields=CCG, want=want))
    steps.append(P("client auth: two Authorization headers (Basic cc twice)", headers=cc + cc, fields=CCG))
    # Body authentication and both at once.
    body_auth = [
        ("body cc", [], p_body_auth("cc"), 200),
        ("body cc, wrong secret", [], [("client_id", cid), ("client_secret", "wrong")], 401),
        ("body cc, client_id only", [], [("client_id", cid)], 401),
        ("body cc, client_secret only", [], [("client_secret", csec)], 401),
        ("body cc, empty client_secret", [], [("client_id", cid), ("client_secret", "")], 401),
        ("body cc, the stored PBKDF2 hash as the secret", [], [("client_id", cid), ("client_secret", "@p_cc_hash_q@")],
         401),
        ("body unknown client", [], [("client_id", "nobody"), ("client_secret", "x")], 401),
        ("body client_id with a NUL", [], [("client_id", cid + "\x00"), ("client_secret", csec)], 401),
        ("body client_id with \\x01", [], [("client_id", cid + "\x01"), ("client_secret", csec)], 401),
        ("body non-ASCII client_id", [], [("client_id", "parity-cc-cliént"), ("client_secret", csec)], 401),
        ("body client_secret twice, the last right", [], [("client_id", cid), ("client_secret", "x"),
                                                          ("client_secret", csec)], 200),
        ("body client_secret twice, the first right", [], [("client_id", cid), ("client_secret", csec),
                                                           ("client_secret", "x")], 401),
        ("body plain client", [], p_body_auth("plain"), 200),
        ("body plain client, wrong secret", [], [("client_id", "parity-plain-client"), ("client_secret", "x")], 401),
        ("Basic cc + body cc", cc, p_body_auth("cc"), 200),
        ("Basic cc + body client_id cc", cc, [("client_id", cid)], 200),
        ("Basic wrong + body cc", auth(basic(cid, "wrong")), p_body_auth("cc"), 200),
        ("Basic cc + body wrong secret", cc, [("client_id", cid), ("client_secret", "wrong")], 200),
        ("lower-case basic + body cc", auth("basic " + good_b64), p_body_auth("cc"), 200),
        ("Basic unknown + body cc", auth(basic("nobody", "x")), p_body_auth("cc"), 200),
        ("Basic pw + body cc", pw, p_body_auth("cc"), 400),
        ("Basic cc + body client_id pw", cc, [("client_id", "parity-pw-client")], 400),
        ("Basic cc + body pw with its secret", cc, p_body_auth("pw"), 400),
        ("Basic cc + body client_id unknown", cc, [("client_id", "nobody")], 400),
        ("Basic cc + body empty client_id", cc, [("client_id", "")], 200),
    ]
    for label, headers, fields, want in body_auth:
        steps.append(P(f"client auth: {label}", headers=headers, fields=CCG + fields, want=want))
    # Clients that should not get client-credentials tokens.
    steps.append(p_divergence(
        P("client auth: confidential client with an empty stored secret, client_id only", headers=[],
          fields=CCG + [("client_id", "parity-empty-client")]),
        "DOT compares an empty stored (unhashed) secret with the absent one and authenticates the client on "
        "its client_id alone", p_refused((400, 401)), django_status=200))
    steps.append(p_divergence(
        P("client auth: confidential client with an empty stored secret, Basic 'id:'", headers=auth(basic(
            "parity-empty-client", "")), fields=CCG),
        "as above, through HTTP Basic", p_refused((400, 401)), django_status=200))
    steps.append(p_divergence(
        P("client auth: public client of the client-credentials grant, with its secret", headers=p_basic("public_cc"),
          fields=CCG),
        "RFC 6749 §4.4: the client credentials grant is for confidential clients; DOT issues a token to a "
        "public application that has a secret", p_refused((400, 401)), django_status=200))
    steps += [
        P("client auth: public client of the client-credentials grant, client_id only", headers=[],
          fields=CCG + [("client_id", "parity-public-cc-client")], want=401),
        P("client_credentials by a public password client, client_id only", headers=[],
          fields=CCG + [("client_id", "parity-public-client")], want=401),
        P("client_credentials by a public password client, with its secret", headers=pub, fields=CCG, want=400),
        P("client_credentials by the password client", headers=pw, fields=CCG, want=400),
        P("client_credentials by the authorization-code client", headers=p_basic("ac"), fields=CCG, want=400),
        P("client_credentials by the password client, wrong secret", headers=auth(basic("parity-pw-client", "x")),
          fields=CCG, want=401),
        P("client_credentials, no client authentication", headers=[], fields=CCG, want=401),
    ]

    # Scopes of the client-credentials grant.
    for label, scope, want in [
        ("read", "read", 200), ("read write", "read write", 200), ("write read (order kept)", "write read", 200),
        ("read read (repeated)", "read read", 200), ("introspection", "introspection", 200),
        ("all seven", P_ALL_SCOPES, 200), ("unknown 'foo'", "foo", 400), ("'read foo'", "read foo", 400),
        ("empty", "", 400), ("' read' (leading space)", " read", 200), ("'read ' (trailing space)", "read ", 200),
        ("'read  write' (two spaces)", "read  write", 400), ("'read\\twrite' (tab)", "read\twrite", 400),
        ("READ (case)", "READ", 400), ("__all__", "__all__", 400), ("'read,write'", "read,write", 400),
        ("orders:read", "orders:read", 200), ("'read\\x00'", "read\x00", 400), ("'rëad'", "rëad", 400),
    ]:
        steps.append(P(f"client_credentials scope={label}", headers=cc, fields=CCG + [("scope", scope)], want=want))
    steps += [
        P("client_credentials scope twice, the last read", headers=cc,
          fields=CCG + [("scope", "foo"), ("scope", "read")], want=200),
        P("client_credentials scope twice, the last unknown", headers=cc,
          fields=CCG + [("scope", "read"), ("scope", "foo")], want=400),
        P("client_credentials scope=read, wrong secret (client checked first)", headers=auth(basic(cid, "x")),
          fields=CCG + [("scope", "foo")], want=401),
        P("client_credentials, scope=read write, prefix cc3", headers=cc, fields=CCG + [("scope", "read write")],
          want=200, prefix="cc3"),
        Step("client_credentials scope=read write: the row", action=p_db("p_cc3_at")),
        P("client_credentials with unknown extra fields", headers=cc,
          fields=CCG + [("foo", "bar"), ("username", "john"), ("password", "wrong"), ("refresh_token", "x")],
          want=200),
        P("client_credentials with redirect_uri and state", headers=cc,
          fields=CCG + [("redirect_uri", "https://x.example/"), ("state", "xyz")], want=200),
    ]
    # RFC 8707 resource indicators at the token endpoint.
    api = "http://api.example.com/oauth2"
    for label, resources, want in [
        ("one resource", [api], 200), ("two resources", [api, "https://other.example.com/"], 200),
        ("not absolute", ["api.example.com/oauth2"], 400), ("with a fragment", [api + "#x"], 400),
        ("with userinfo", ["http://u@api.example.com/"], 400), ("a URN", ["urn:example:api"], 400),
        ("empty", [""], 200), ("with a query", [api + "?x=1"], 200),
        ("one valid, one not", [api, "nope"], 400), ("port 99999", ["http://api.example.com:99999/"], 400),
    ]:
        steps.append(P(f"client_credentials resource: {label}", headers=cc,
                       fields=CCG + [("scope", "read write")] + [("resource", r) for r in resources], want=want,
                       prefix=f"res{len(steps)}"))
    steps += [
        P("client_credentials resource=" + api + ", prefix ccr", headers=cc,
          fields=CCG + [("scope", "read write"), ("resource", api)], want=200, prefix="ccr"),
        Step("client_credentials resource: the row", action=p_db("p_ccr_at")),
        P("client_credentials resource token on /oauth2-scope/, Host api.example.com", "GET", "/oauth2-scope/",
          auth("Bearer @p_ccr_at@") + [("Host", "api.example.com")], mode="drf", want=401),
        P("client_credentials resource token on /oauth2/, Host api.example.com", "GET", "/oauth2/",
          auth("Bearer @p_ccr_at@") + [("Host", "api.example.com")], mode="drf", want=403),
        P("client_credentials resource token on /oauth2/, the runner's Host", "GET", "/oauth2/",
          auth("Bearer @p_ccr_at@"), mode="drf", want=401),
    ]
    # The issued client-credentials tokens on DRF's views of the same database.
    steps += [
        P("cc1 token on /oauth2/ (no user: 403)", "GET", "/oauth2/", auth("Bearer @p_cc1_at@"), mode="drf", want=403),
        P("cc1 token on /oauth2-scope/", "GET", "/oauth2-scope/", auth("Bearer @p_cc1_at@"), mode="drf", want=200),
        P("cc1 token on /oauth2-open/", "GET", "/oauth2-open/", auth("Bearer @p_cc1_at@"), mode="drf", want=200),
        P("cc3 token (read write) on /oauth2-rw-admin/", "GET", "/oauth2-rw-admin/", auth("Bearer @p_cc3_at@"),
          mode="drf", want=403),
        P("plain-client token: issue", headers=p_basic("plain"), fields=CCG + [("scope", "read")], prefix="plain1",
          want=200),
        Step("plain-client token: the row", action=p_db("p_plain1_at")),
    ]

    # The password grant.
    steps += [
        P("password john", headers=pw, fields=PWG, want=200, prefix="pw1"),
        Step("password john: the rows", action=p_db("p_pw1_at", "p_pw1_rt")),
        P("password john, scope=read", headers=pw, fields=PWG + [("scope", "read")], want=200, prefix="pw2"),
        Step("password john, scope=read: the rows", action=p_db("p_pw2_at", "p_pw2_rt")),
        P("password john, multipart", headers=pw, fields=PWG + [("scope", "read write")], body="multipart", want=200),
        P("password john, body client authentication", headers=[], fields=PWG + p_body_auth("pw"), want=200),
        P("pw1 token on /oauth2/", "GET", "/oauth2/", auth("Bearer @p_pw1_at@"), mode="drf", want=200),
        P("pw2 token on /oauth2-scope/ (read only)", "GET", "/oauth2-scope/", auth("Bearer @p_pw2_at@"), mode="drf",
          want=403),
        P("pw1 refresh token as a Bearer", "GET", "/oauth2/", auth("Bearer @p_pw1_rt@"), mode="drf", want=401),
        P("walterwhité / pässwörd", headers=pw,
          fields=[("grant_type", "password"), ("username", "walterwhité"), ("password", "pässwörd")], want=200,
          prefix="pw3"),
        Step("walterwhité: the rows", action=p_db("p_pw3_at", "p_pw3_rt")),
        P("walterwhité / pässwörd, Latin-1 body with charset=latin-1 (refused)", headers=pw,
          body=raw("grant_type=password&username=walterwhit\xe9&password=p\xe4ssw\xf6rd".encode("latin-1"),
                   form_ct + "; charset=latin-1"), want=400),
        P("walterwhité / pässwörd, raw Latin-1 bytes (not UTF-8: Django decodes the body as Latin-1)", headers=pw,
          body=raw("grant_type=password&username=walterwhit\xe9&password=p\xe4ssw\xf6rd".encode("latin-1")),
          want=200),
        P("walterwhité / pässwörd, raw UTF-8 bytes (not %-escaped)", headers=pw,
          body=raw("grant_type=password&username=walterwhité&password=pässwörd".encode()), want=200),
        P("walterwhite (no accent)", headers=pw,
          fields=[("grant_type", "password"), ("username", "walterwhite"), ("password", "pässwörd")], want=400),
        P("walterwhité in NFD (e + combining accent)", headers=pw,
          fields=[("grant_type", "password"), ("username", "walterwhite\u0301"), ("password", "pässwörd")], want=400),
        P("password + in the password (form-decoded to a space)", headers=pw,
          body=raw(b"grant_type=password&username=john&password=pass+word"), want=400),
    ]
    for label, fields, want in [
        ("wrong password", [("username", "john"), ("password", "wrong")], 400),
        ("unknown user", [("username", "nobody"), ("password", "password")], 400),
        ("inactive user", [("username", "inactive"), ("password", "password")], 400),
        ("inactive user, wrong password", [("username", "inactive"), ("password", "x")], 400),
        ("username 'John' (case)", [("username", "John"), ("password", "password")], 400),
        ("username 'john ' (trailing space)", [("username", "john "), ("password", "password")], 400),
        ("username ' john'", [("username", " john"), ("password", "password")], 400),
        ("password 'password ' (trailing space)", [("username", "john"), ("password", "password ")], 400),
        ("password in upper case", [("username", "john"), ("password", "PASSWORD")], 400),
        ("missing username", [("password", "password")], 400),
        ("missing password", [("username", "john")], 400),
        ("missing both", [], 400),
        ("empty username", [("username", ""), ("password", "password")], 400),
        ("empty password", [("username", "john"), ("password", "")], 400),
        ("username with a NUL", [("username", "john\x00"), ("password", "password")], 400),
        ("password with a NUL appended (PBKDF2-HMAC pads the key with NULs)",
         [("username", "john"), ("password", "password\x00")], 200),
        ("password with a NUL inside", [("username", "john"), ("password", "pass\x00word")], 400),
        ("username with \\x01", [("username", "jo\x01hn"), ("password", "password")], 400),
        ("password with \\r\\n", [("username", "john"), ("password", "pass\r\nword")], 400),
        ("username of 300 characters", [("username", "j" * 300), ("password", "password")], 400),
        ("password of 5000 characters", [("username", "john"), ("password", "p" * 5000)], 400),
        ("username with an emoji", [("username", "jo\U0001F600hn"), ("password", "password")], 400),
        ("username twice, the last john", [("username", "x"), ("username", "john"), ("password", "password")], 200),
        ("password twice, the first right", [("username", "john"), ("password", "password"),
                                             ("password", "x")], 400),
        ("admin (staff)", [("username", "admin"), ("password", "password")], 200),
        ("scope unknown", [("username", "john"), ("password", "password"), ("scope", "foo")], 400),
        ("scope empty", [("username", "john"), ("password", "password"), ("scope", "")], 400),
        ("scope twice, the last read", [("username", "john"), ("password", "password"), ("scope", "foo"),
                                        ("scope", "read")], 200),
        ("wrong password and unknown scope", [("username", "john"), ("password", "x"), ("scope", "foo")], 400),
    ]:
        steps.append(P(f"password {label}", headers=pw, fields=[("grant_type", "password")] + fields, want=want))
    for label, headers, fields, want in [
        ("no client authentication", [], PWG, 401),
        ("wrong client secret", auth(basic("parity-pw-client", "x")), PWG, 401),
        ("wrong client secret and wrong password", auth(basic("parity-pw-client", "x")),
         [("grant_type", "password"), ("username", "john"), ("password", "x")], 401),
        ("by the client-credentials client", cc, PWG, 400),
        ("by the authorization-code client", p_basic("ac"), PWG, 400),
        ("public client, client_id only", [], PWG + [("client_id", "parity-public-client")], 200),
        ("public client, client_id + right secret", [], PWG + p_body_auth("public"), 200),
        ("public client, client_id + wrong secret", [], PWG + [("client_id", "parity-public-client"),
                                                               ("client_secret", "x")], 401),
        ("public client, Basic with its secret", pub, PWG, 200),
        ("public client, Basic 'id:' (empty secret)", auth(basic("parity-public-client", "")), PWG, 401),
        ("public client, Basic 'id:' + body client_id", auth(basic("parity-public-client", "")),
         PWG + [("client_id", "parity-public-client")], 401),
        ("public client, client_id only, wrong password", [],
         [("grant_type", "password"), ("username", "john"), ("password", "x"), ("client_id", "parity-public-client")],
         400),
        ("public client, client_id only, inactive user", [],
         [("grant_type", "password"), ("username", "inactive"), ("password", "password"),
          ("client_id", "parity-public-client")], 400),
        ("unknown client_id only", [], PWG + [("client_id", "nobody")], 401),
        ("Basic pw + body client_id public", pw, PWG + [("client_id", "parity-public-client")], 400),
        ("cors client", p_basic("cors"), PWG, 200),
        ("cors client with an allowed Origin (no CORS header on this grant)",
         p_basic("cors") + [("Origin", "https://app.example.com")], PWG, 200),
    ]:
        steps.append(P(f"password, {label}", headers=headers, fields=fields, want=want))
    # DOT checks the user's password before the client's grant type: a client that may not use the
    # password grant still learns whether a password is right (invalid_grant / unauthorized_client).
    for label, client in (("client-credentials", cc), ("authorization-code", p_basic("ac"))):
        steps.append(p_divergence(
            P(f"password, by the {label} client, wrong password", headers=client,
              fields=[("grant_type", "password"), ("username", "john"), ("password", "x")]),
            "a password oracle for clients not allowed the password grant (DOT validates the user before the "
            "grant type); the port may answer unauthorized_client whatever the password", p_refused((400,)),
            django_status=400))
    steps += [
        P("password, public client: issue", headers=[], fields=PWG + [("client_id", "parity-public-client"),
                                                                     ("scope", "read")], want=200, prefix="pub1"),
        Step("password, public client: the rows", action=p_db("p_pub1_at", "p_pub1_rt")),
        P("password with resource=" + api, headers=pw, fields=PWG + [("scope", "read write"), ("resource", api)],
          want=200, prefix="pwr"),
        Step("password with a resource: the rows", action=p_db("p_pwr_at", "p_pwr_rt")),
        P("pwr token on /oauth2/, Host api.example.com", "GET", "/oauth2/",
          auth("Bearer @p_pwr_at@") + [("Host", "api.example.com")], mode="drf", want=200),
        P("pwr token on /oauth2/, the runner's Host", "GET", "/oauth2/", auth("Bearer @p_pwr_at@"), mode="drf",
          want=401),
        P("password with the password in the query", headers=pw, fields=[("grant_type", "password"),
                                                                         ("username", "john")],
          query="?password=password", want=400),
    ]
    return steps


def p_code_steps() -> list[Step]:
    """The authorization-code grant's refusals (parity_oauth2's pending codes are never exchanged)."""
    ac = p_basic("ac")
    redirect = ("redirect_uri", "https://client.example.com/cb")
    verifier = ("code_verifier", P_CODE_VERIFIER)
    G = ("grant_type", "authorization_code")
    steps = []
    for label, headers, fields, want in [
        ("missing code", ac, [G, redirect], 400),
        ("unknown code", ac, [G, ("code", "nope"), redirect, verifier], 400),
        ("empty code", ac, [G, ("code", ""), redirect, verifier], 400),
        ("expired code", ac, [G, ("code", "parity-code-expired"), redirect, verifier], 400),
        ("live code, no code_verifier", ac, [G, ("code", "parity-code-live"), redirect], 400),
        ("live code, wrong code_verifier", ac, [G, ("code", "parity-code-live"), redirect,
                                                ("code_verifier", "x" * 50)], 400),
        ("live code, right verifier, wrong redirect_uri", ac,
         [G, ("code", "parity-code-live"), ("redirect_uri", "https://evil.example.com/cb"), verifier], 400),
        ("live code, no client authentication", [], [G, ("code", "parity-code-live"), redirect, verifier], 401),
        ("live code, wrong client secret", auth(basic("parity-ac-client", "x")),
         [G, ("code", "parity-code-live"), redirect, verifier], 401),
        ("live code, by the client-credentials client", p_basic("cc"),
         [G, ("code", "parity-code-live"), redirect, verifier], 400),
        ("live code, by the password client", p_basic("pw"), [G, ("code", "parity-code-live"), redirect, verifier],
         400),
        ("code twice", ac, [G, ("code", "nope"), ("code", "parity-code-live"), redirect], 400),
        ("redirect_uri twice", ac, [G, ("code", "nope"), redirect, redirect, verifier], 400),
        ("client_id in the body too", ac, [G, ("code", "nope"), redirect, verifier,
                                           ("client_id", "parity-ac-client")], 400),
    ]:
        steps.append(P(f"authorization_code {label}", headers=headers, fields=fields, want=want))
    steps.append(Step("authorization_code: the pending codes are untouched", action=p_grant_rows))
    return steps


def p_grant_rows(ctx) -> Resp:
    with db_connect(ctx) as conn:
        rows = conn.execute("SELECT code, redirect_uri, scope, code_challenge_method FROM oauth2_provider_grant"
                            " ORDER BY code").fetchall()
    return pseudo({"grants": [list(r) for r in rows]})


def p_refresh_steps(settings) -> list[Step]:
    """The refresh-token grant: a live chain (issue, refresh, reuse, refresh again), the per-server
    fixture pairs (scope narrowing and widening, revoked, orphaned, old, another client's, resource,
    public client, inactive user, CORS), every refusal, with the rows after each change."""
    rotate = settings.get("ROTATE_REFRESH_TOKEN", True)
    grace = int(settings.get("REFRESH_TOKEN_GRACE_PERIOD_SECONDS", 0) or 0)
    reuse = bool(settings.get("REFRESH_TOKEN_REUSE_PROTECTION", False))
    max_age = settings.get("REFRESH_TOKEN_EXPIRE_SECONDS")
    pw, cc = p_basic("pw"), p_basic("cc")
    R = lambda token, *more: [("grant_type", "refresh_token"), ("refresh_token", token), *more]
    PWG = [("grant_type", "password"), ("username", "john"), ("password", "password")]
    # A superseded refresh token presented again: refused, unless rotation is off (still live) or
    # within the grace period (DOT answers with the tokens it issued the first time).
    reuse_ok = (not rotate) or grace > 0
    steps = [
        P("refresh chain: issue (password, read write)", headers=pw, fields=PWG + [("scope", "read write")], want=200,
          prefix="ra"),
        Step("refresh chain: issued rows", action=p_db("p_ra_at", "p_ra_rt")),
        P("refresh chain: refresh ra", headers=pw, fields=R("@p_ra_rt@"), want=200, prefix="rb"),
        Step("refresh chain: rows after refreshing ra", action=p_db("p_ra_at", "p_ra_rt", "p_rb_at", "p_rb_rt")),
        P("refresh chain: ra's access token on /oauth2/", "GET", "/oauth2/", auth("Bearer @p_ra_at@"), mode="drf",
          want=401),
        P("refresh chain: rb's access token on /oauth2/ (after refreshing ra)", "GET", "/oauth2/",
          auth("Bearer @p_rb_at@"), mode="drf",
          want=200),
        P("refresh chain: ra presented again", headers=pw, fields=R("@p_ra_rt@"), want=200 if reuse_ok else 400,
          prefix="rc"),
        Step("refresh chain: rows after presenting ra again",
             action=p_db("p_ra_rt", "p_rb_at", "p_rb_rt", "p_rc_at", "p_rc_rt")),
        P("refresh chain: refresh rb", headers=pw, fields=R("@p_rb_rt@"),
          want=400 if (reuse and rotate and not grace) else 200, prefix="rd"),
        Step("refresh chain: rows after refreshing rb", action=p_db("p_rb_at", "p_rb_rt", "p_rd_at", "p_rd_rt")),
        P("refresh chain: rd's access token on /oauth2/", "GET", "/oauth2/", auth("Bearer @p_rd_at@"), mode="drf"),
        P("refresh chain: rb's access token on /oauth2/ (after refreshing rb)", "GET", "/oauth2/",
          auth("Bearer @p_rb_at@"), mode="drf"),
        P("refresh chain: rb presented again", headers=pw, fields=R("@p_rb_rt@"), prefix="re"),
        Step("refresh chain: rows at the end", action=p_db("p_ra_rt", "p_rb_rt", "p_rd_at", "p_rd_rt", "p_re_at",
                                                            "p_re_rt")),
        P("refresh chain: introspect rd's access token", "POST", P_INTROSPECT, auth(f"Bearer {P_INTROSPECTOR}"),
          [("token", "@p_rd_at@")]),
        P("refresh chain: introspect ra's access token", "POST", P_INTROSPECT, auth(f"Bearer {P_INTROSPECTOR}"),
          [("token", "@p_ra_at@")], want=200),
    ]

    # The `std` pair: refusals that change nothing, then the refresh, then a second presentation.
    steps += [
        P("std: wrong client secret", headers=auth(basic("parity-pw-client", "x")), fields=R("@f_std_rt@"), want=401),
        P("std: no client authentication", headers=[], fields=R("@f_std_rt@"), want=401),
        P("std: client_id only (confidential)", headers=[], fields=R("@f_std_rt@", ("client_id", "parity-pw-client")),
          want=401),
        P("std: by the client-credentials client (another client's token)", headers=cc, fields=R("@f_std_rt@"),
          want=400),
        P("std: by the public client (another client's token)", headers=[],
          fields=R("@f_std_rt@", ("client_id", "parity-public-client")), want=400),
        P("std: by the authorization-code client", headers=p_basic("ac"), fields=R("@f_std_rt@"), want=400),
        P("std: refresh_token in the query", headers=pw, fields=[("grant_type", "refresh_token")],
          query="?refresh_token=@f_std_rt@", want=400),
        P("std: JSON body", headers=pw, fields=R("@f_std_rt@"), body="json", want=400),
        P("std: scope widened (read write admin)", headers=pw, fields=R("@f_std_rt@", ("scope", "read write admin")),
          want=400),
        P("std: unknown scope", headers=pw, fields=R("@f_std_rt@", ("scope", "foo")), want=400),
        P("std: in upper case (unknown)", headers=pw, fields=R("PROV-RT-STD-@s@"), want=400),
        P("std: refresh", headers=pw, fields=R("@f_std_rt@"), want=200, prefix="fs1"),
        Step("std: rows after the refresh", action=p_db("f_std_at", "f_std_rt", "p_fs1_at", "p_fs1_rt")),
        P("std: presented again", headers=pw, fields=R("@f_std_rt@"), want=200 if reuse_ok else 400, prefix="fs2"),
        Step("std: rows after presenting it again", action=p_db("f_std_rt", "p_fs1_at", "p_fs1_rt", "p_fs2_at",
                                                                "p_fs2_rt")),
        P("std: the new refresh token, refreshed (multipart)", headers=pw, fields=R("@p_fs1_rt@"), body="multipart",
          prefix="fs3"),
        Step("std: rows at the end", action=p_db("f_std_rt", "p_fs1_rt", "p_fs3_at", "p_fs3_rt")),
    ]
    # Scopes: narrowing is kept by the next refresh (the original scope is the access token's).
    steps += [
        P("narrow: scope=read", headers=pw, fields=R("@f_narrow_rt@", ("scope", "read")), want=200, prefix="fn1"),
        Step("narrow: rows", action=p_db("f_narrow_rt", "p_fn1_at", "p_fn1_rt")),
        P("narrow: then scope=read write (wider than the new token)", headers=pw,
          fields=R("@p_fn1_rt@", ("scope", "read write")), want=400),
        P("narrow: then scope=orders:read", headers=pw, fields=R("@p_fn1_rt@", ("scope", "orders:read")), want=400),
        P("narrow: then no scope", headers=pw, fields=R("@p_fn1_rt@"), want=200, prefix="fn2"),
        Step("narrow: rows at the end", action=p_db("p_fn1_rt", "p_fn2_at", "p_fn2_rt")),
        P("widen: scope=read write", headers=pw, fields=R("@f_widen_rt@", ("scope", "read write")), want=400),
        P("widen: scope=write", headers=pw, fields=R("@f_widen_rt@", ("scope", "write")), want=400),
        P("widen: scope=foo", headers=pw, fields=R("@f_widen_rt@", ("scope", "foo")), want=400),
        P("widen: scope='read  read' (an empty scope between)", headers=pw,
          fields=R("@f_widen_rt@", ("scope", "read  read")), want=400),
        P("widen: scope='read read'", headers=pw, fields=R("@f_widen_rt@", ("scope", "read read")), want=200,
          prefix="fw1"),
        P("widen: then scope='' (empty: the original scope)", headers=pw, fields=R("@p_fw1_rt@", ("scope", "")),
          want=200, prefix="fw2"),
        Step("widen: rows", action=p_db("f_widen_rt", "p_fw1_at", "p_fw1_rt", "p_fw2_at", "p_fw2_rt")),
    ]
    # Refresh tokens that are not valid.
    steps += [
        P("unknown refresh token", headers=pw, fields=R("nope"), want=400),
        P("empty refresh_token", headers=pw, fields=R(""), want=400),
        P("missing refresh_token", headers=pw, fields=[("grant_type", "refresh_token")], want=400),
        P("missing refresh_token, no client", headers=[], fields=[("grant_type", "refresh_token")], want=400),
        P("an access token as the refresh token", headers=pw, fields=R("@f_narrow_at@"), want=400),
        P("refresh_token twice, the last unknown", headers=pw, fields=R("@p_fn2_rt@", ("refresh_token", "nope")),
          want=400),
        P("refresh token with a NUL", headers=pw, fields=R("prov-rt-std\x00"), want=400),
        P("revoked refresh token", headers=pw, fields=R("@f_revoked_rt@"), want=400),
        Step("revoked refresh token: rows", action=p_db("f_revoked_rt")),
        P("revoked refresh token, by another client", headers=cc, fields=R("@f_revoked_rt@"), want=400),
        P("orphaned refresh token (no access token)", headers=pw, fields=R("@f_orphan_rt@"), want=400),
        Step("orphaned refresh token: rows", action=p_db("f_orphan_rt")),
        P("old refresh token (its access token expired 2 h ago)", headers=pw, fields=R("@f_old_rt@"),
          want=400 if max_age and int(max_age) <= 7200 else 200, prefix="fo1"),
        Step("old refresh token: rows", action=p_db("f_old_at", "f_old_rt", "p_fo1_at", "p_fo1_rt")),
        P("another client's refresh token (cc's, by pw)", headers=pw, fields=R("@f_cc_rt@"), want=400),
        P("the client-credentials client's refresh token, by it", headers=cc, fields=R("@f_cc_rt@"), want=200,
          prefix="fc1"),
        Step("client-credentials client's refresh: rows", action=p_db("f_cc_rt", "p_fc1_at", "p_fc1_rt")),
        P("resource pair: resource=https://other.example.com/ (not the token's)", headers=pw,
          fields=R("@f_resource_rt@", ("resource", "https://other.example.com/")), want=400),
        P("resource pair: resource not a URI", headers=pw, fields=R("@f_resource_rt@", ("resource", "nope")),
          want=400),
        P("resource pair: inherited", headers=pw, fields=R("@f_resource_rt@"), want=200, prefix="fr1"),
        Step("resource pair: rows", action=p_db("f_resource_rt", "p_fr1_at", "p_fr1_rt")),
        P("resource pair: the same resource again", headers=pw,
          fields=R("@p_fr1_rt@", ("resource", "http://api.example.com/oauth2")), want=200, prefix="fr2"),
        Step("resource pair: rows at the end", action=p_db("p_fr2_at", "p_fr2_rt")),
        P("resource pair: new token, Host api.example.com", "GET", "/oauth2/",
          auth("Bearer @p_fr2_at@") + [("Host", "api.example.com")], mode="drf", want=200),
        P("resource pair: new token, the runner's Host", "GET", "/oauth2/", auth("Bearer @p_fr2_at@"), mode="drf",
          want=401),
        P("public pair: wrong secret", headers=[],
          fields=R("@f_public_rt@", ("client_id", "parity-public-client"), ("client_secret", "x")), want=401),
        P("public pair: client_id only", headers=[], fields=R("@f_public_rt@", ("client_id", "parity-public-client")),
          want=200, prefix="fp1"),
        Step("public pair: rows", action=p_db("f_public_rt", "p_fp1_at", "p_fp1_rt")),
        P("public pair: refreshed by the password client", headers=pw, fields=R("@p_fp1_rt@"), want=400),
        P("cors: Origin https://other.example.com (not allowed)",
          headers=p_basic("cors") + [("Origin", "https://other.example.com")], fields=R("@f_cors_rt@"), want=200,
          prefix="co1"),
        P("cors: Origin http://app.example.com (not https)",
          headers=p_basic("cors") + [("Origin", "http://app.example.com")], fields=R("@p_co1_rt@"), want=200,
          prefix="co2"),
        P("cors: Origin https://app.example.com (allowed)",
          headers=p_basic("cors") + [("Origin", "https://app.example.com")], fields=R("@p_co2_rt@"), want=200,
          prefix="co3"),
        P("cors: Origin https://APP.example.com", headers=p_basic("cors") + [("Origin", "https://APP.example.com")],
          fields=R("@p_co3_rt@"), want=200, prefix="co4"),
        P("cors: allowed Origin on a refused refresh",
          headers=p_basic("cors") + [("Origin", "https://app.example.com")],
          fields=R("nope"), want=400),
    ]
    steps.append(p_divergence(
        P("inactive user's refresh token", headers=pw, fields=R("@f_inactive_rt@"), prefix="fi1"),
        "DOT never looks at is_active: it issues a new access token to a deactivated user (the port's "
        "resource server refuses such tokens; its provider refuses the grant)", p_refused((400,)), django_status=200))
    return steps


def p_revoke_steps() -> list[Step]:
    """`/o/revoke_token/` (RFC 7009 as DOT answers it)."""
    pw, cc, pub = p_basic("pw"), p_basic("cc"), p_basic("public")
    RV = lambda token, *more: [("token", token), *more]
    PWG = [("grant_type", "password"), ("username", "john"), ("password", "password")]
    CCG = [("grant_type", "client_credentials"), ("scope", "read write")]
    steps = [
        P("revoke: missing token", "POST", P_REVOKE, pw, [], want=400),
        P("revoke: empty token", "POST", P_REVOKE, pw, RV(""), want=400),
        P("revoke: missing token, no client", "POST", P_REVOKE, [], [], want=400),
        P("revoke: unknown token", "POST", P_REVOKE, pw, RV("nope"), want=200),
        P("revoke: unknown token, hint access_token", "POST", P_REVOKE, pw,
          RV("nope", ("token_type_hint", "access_token")), want=200),
        P("revoke: unknown token, hint refresh_token", "POST", P_REVOKE, pw,
          RV("nope", ("token_type_hint", "refresh_token")), want=200),
        P("revoke: unknown token, hint foo", "POST", P_REVOKE, pw, RV("nope", ("token_type_hint", "foo")), want=200),
        P("revoke: unknown token, wrong client secret", "POST", P_REVOKE, auth(basic("parity-pw-client", "x")),
          RV("nope"), want=401),
        P("revoke: unknown token, no client", "POST", P_REVOKE, [], RV("nope"), want=401),
        P("revoke: unknown token, confidential client_id only", "POST", P_REVOKE, [],
          RV("nope", ("client_id", "parity-pw-client")), want=401),
        P("revoke: unknown token, body client authentication", "POST", P_REVOKE, [],
          RV("nope") + p_body_auth("pw"), want=200),
        P("revoke: unknown token, public client_id only", "POST", P_REVOKE, [],
          RV("nope", ("client_id", "parity-public-client")), want=200),
        P("revoke: unknown token, unknown client_id", "POST", P_REVOKE, [], RV("nope", ("client_id", "nobody")),
          want=401),
        P("revoke: token in the query", "POST", P_REVOKE, pw, [], query="?token=nope", want=400),
        P("revoke: token in the query and the body", "POST", P_REVOKE, pw, RV("nope"), query="?token=nope", want=400),
        P("revoke: JSON body", "POST", P_REVOKE, pw, RV("nope"), body="json", want=400),
        P("revoke: multipart", "POST", P_REVOKE, pw, RV("nope"), body="multipart", want=200),
        P("revoke: Basic pw + body client_id cc", "POST", P_REVOKE, pw, RV("nope", ("client_id", "parity-cc-client")),
          want=200),
        P("revoke: a shared cc token by the password client (not its own)", "POST", P_REVOKE, pw, RV(OAUTH2_RW),
          want=200),
        P("revoke: a shared cc token by the public client", "POST", P_REVOKE, [],
          RV(OAUTH2_RW, ("client_id", "parity-public-client")), want=200),
        P("revoke: the shared token without application, by pw", "POST", P_REVOKE, pw,
          RV(OAUTH2_TOKENS["no application"].raw), want=200),
        P("revoke: the shared public-client token by pw", "POST", P_REVOKE, pw, RV(P_PUBLIC_TOKEN), want=200),
        P("revoke: the shared tokens are still there", "POST", P_INTROSPECT, auth(f"Bearer {P_INTROSPECTOR}"),
          RV(OAUTH2_RW), want=200),
    ]
    steps.append(p_divergence(
        P("revoke: ?x=%zz", "POST", P_REVOKE, pw, RV("nope"), query="?x=%zz"), P_500_NOTE, p_refused((400,)),
        django_status=500))

    # Per-server pairs.
    steps += [
        P("revoke revacc's access token (no hint)", "POST", P_REVOKE, pw, RV("@f_revacc_at@"), want=200),
        Step("revoke revacc: rows (the bound refresh token revoked too)", action=p_db("f_revacc_at", "f_revacc_rt")),
        P("revoke revacc: its refresh token refused", headers=pw,
          fields=[("grant_type", "refresh_token"), ("refresh_token", "@f_revacc_rt@")], want=400),
        P("revoke revacc: its access token on /oauth2/", "GET", "/oauth2/", auth("Bearer @f_revacc_at@"), mode="drf",
          want=401),
        P("revoke revacc again (200, nothing left)", "POST", P_REVOKE, pw, RV("@f_revacc_at@"), want=200),
        P("revoke revref's refresh token, hint refresh_token", "POST", P_REVOKE, pw,
          RV("@f_revref_rt@", ("token_type_hint", "refresh_token")), want=200),
        Step("revoke revref: rows", action=p_db("f_revref_at", "f_revref_rt")),
        P("revoke revref's refresh token again", "POST", P_REVOKE, pw, RV("@f_revref_rt@"), want=200),
        Step("revoke revref: rows after the second revocation", action=p_db("f_revref_at", "f_revref_rt")),
        P("revoke revother's access token by the cc client (not its own)", "POST", P_REVOKE, cc, RV("@f_revother_at@"),
          want=200),
        P("revoke revother's refresh token by the public client", "POST", P_REVOKE, [],
          RV("@f_revother_rt@", ("client_id", "parity-public-client")), want=200),
        P("revoke revother's access token by the cors client", "POST", P_REVOKE, p_basic("cors"),
          RV("@f_revother_at@", ("token_type_hint", "access_token")), want=200),
        Step("revoke revother: rows untouched", action=p_db("f_revother_at", "f_revother_rt")),
        P("revoke revother's refresh token, hint access_token (wrong hint)", "POST", P_REVOKE, pw,
          RV("@f_revother_rt@", ("token_type_hint", "access_token")), want=200),
        Step("revoke revother: rows", action=p_db("f_revother_at", "f_revother_rt")),
        P("revoke revexp's expired access token", "POST", P_REVOKE, pw,
          RV("@f_revexp_at@", ("token_type_hint", "access_token")), want=200),
        Step("revoke revexp: rows", action=p_db("f_revexp_at", "f_revexp_rt")),
    ]
    # Tokens issued in the run, each revoked another way.
    for prefix, label, issue_headers, issue_fields, revoke_headers, extra, rows in [
        ("rv1", "cc token, hint access_token", cc, CCG, cc, [("token_type_hint", "access_token")], ("at",)),
        ("rv2", "access token, hint refresh_token (wrong)", pw, PWG, pw, [("token_type_hint", "refresh_token")],
         ("at", "rt")),
        ("rv3", "refresh token, hint foo", pw, PWG, pw, [("token_type_hint", "foo")], ("at", "rt")),
        ("rv4", "refresh token, empty hint", pw, PWG, pw, [("token_type_hint", "")], ("at", "rt")),
        ("rv5", "access token, hint ACCESS_TOKEN", pw, PWG, pw, [("token_type_hint", "ACCESS_TOKEN")], ("at", "rt")),
        ("rv6", "public client's refresh token, client_id only", [], PWG + [("client_id", "parity-public-client")],
         [], [("client_id", "parity-public-client")], ("at", "rt")),
        ("rv7", "refresh token, body client authentication", pw, PWG, [], p_body_auth("pw"), ("at", "rt")),
        ("rv8", "access token, multipart", pw, PWG, pw, [], ("at", "rt")),
        ("rv9", "public client's access token, its secret in Basic", [], PWG + [("client_id", "parity-public-client")],
         pub, [], ("at", "rt")),
    ]:
        which = "rt" if "refresh token" in label else "at"
        steps.append(P(f"revoke {label}: issue", headers=issue_headers, fields=issue_fields, want=200, prefix=prefix))
        steps.append(P(f"revoke {label}", "POST", P_REVOKE, revoke_headers,
                       [("token", f"@p_{prefix}_{which}@")] + extra, want=200,
                       body="multipart" if "multipart" in label else "form"))
        steps.append(Step(f"revoke {label}: rows", action=p_db(*[f"p_{prefix}_{r}" for r in rows])))
    steps += [
        P("revoke: rv1's access token on /oauth2-scope/", "GET", "/oauth2-scope/", auth("Bearer @p_rv1_at@"),
          mode="drf", want=401),
        P("revoke: rv1's access token introspected", "POST", P_INTROSPECT, auth(f"Bearer {P_INTROSPECTOR}"),
          [("token", "@p_rv1_at@")], want=200),
        P("revoke: rv3's refresh token refused", headers=pw,
          fields=[("grant_type", "refresh_token"), ("refresh_token", "@p_rv3_rt@")], want=400),
        P("revoke: rv6's access token by the password client (not its own)", "POST", P_REVOKE, pw,
          [("token", "@p_rv6_at@")], want=200),
    ]
    return steps


def p_introspect_steps(settings) -> list[Step]:
    """`/o/introspect/`: who may ask (a Bearer token with `introspection`, any client's credentials),
    what it answers for each kind of token, GET and POST."""
    compliant = bool(settings.get("COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT", True))
    I = auth(f"Bearer {P_INTROSPECTOR}")
    RW = OAUTH2_RW
    steps = []
    for label, headers, fields, query, want in [
        ("Bearer introspector", I, [("token", RW)], "", 200),
        ("Bearer introspector, lower-case 'bearer'", auth(f"bearer {P_INTROSPECTOR}"), [("token", RW)], "", 200),
        ("Bearer john's introspection token", auth(f"Bearer {P_INTROSPECTOR_JOHN}"), [("token", RW)], "", 200),
        ("Bearer expired introspection token", auth(f"Bearer {P_INTROSPECTOR_EXPIRED}"), [("token", RW)], "", 403),
        ("Bearer introspection token for another resource", auth(f"Bearer {P_INTROSPECTOR_RESOURCE}"),
         [("token", RW)], "", 403),
        ("Bearer without the introspection scope", auth(f"Bearer {RW}"), [("token", RW)], "", 403),
        ("Bearer with all other scopes", auth(f"Bearer {OAUTH2_TOKENS['all scopes (john)'].raw}"), [("token", RW)], "",
         403),
        ("Bearer unknown", auth(f"Bearer {OAUTH2_UNKNOWN}"), [("token", RW)], "", 403),
        ("Bearer with the issued cc1 token (all scopes)", auth("Bearer @p_cc1_at@"), [("token", RW)], "", 200),
        ("introspector in a form access_token", [], [("access_token", P_INTROSPECTOR), ("token", RW)], "", 200),
        ("introspector in the query", [], [("token", RW)], f"?access_token={P_INTROSPECTOR}",
         403 if compliant else 200),
        ("no credentials", [], [("token", RW)], "", 403),
        ("Basic cc", p_basic("cc"), [("token", RW)], "", 200),
        ("Basic pw (any client)", p_basic("pw"), [("token", RW)], "", 200),
        ("Basic plain (unhashed secret)", p_basic("plain"), [("token", RW)], "", 200),
        ("Basic ac", p_basic("ac"), [("token", RW)], "", 200),
        ("Basic cc, wrong secret", auth(basic("parity-cc-client", "x")), [("token", RW)], "", 403),
        ("lower-case basic cc", auth("basic " + b64("parity-cc-client:parity-cc-secret")), [("token", RW)], "", 403),
        ("Basic of a Django user", auth(JOHN), [("token", RW)], "", 403),
        ("body client authentication", [], [("token", RW)] + p_body_auth("cc"), "", 200),
        ("body client_id only (confidential)", [], [("token", RW), ("client_id", "parity-cc-client")], "", 403),
        ("body client_id + wrong secret", [], [("token", RW), ("client_id", "parity-cc-client"),
                                               ("client_secret", "x")], "", 403),
        ("Basic cc wrong + introspector in a form access_token (the header wins)", auth(basic("parity-cc-client", "x")),
         [("token", RW), ("access_token", P_INTROSPECTOR)], "", 403),
        ("Basic wrong + body cc", auth(basic("parity-cc-client", "x")), [("token", RW)] + p_body_auth("cc"), "", 200),
        ("public client_id only", [], [("token", RW), ("client_id", "parity-public-client")], "", 403),
    ]:
        steps.append(P(f"introspect auth: {label}", "POST", P_INTROSPECT, headers, fields, query=query, want=want))
    steps.append(P("introspect auth: Bearer introspector, GET", "GET", P_INTROSPECT, I, None,
                   query=f"?token={RW}", want=200))
    steps.append(P("introspect auth: Basic cc, GET", "GET", P_INTROSPECT, p_basic("cc"), None, query=f"?token={RW}",
                   want=200))
    steps.append(P("introspect auth: no credentials, GET", "GET", P_INTROSPECT, [], None, query=f"?token={RW}",
                   want=403))
    steps.append(p_divergence(
        P("introspect auth: client secret in the query (GET)", "GET", P_INTROSPECT, [], None,
          query=f"?token={RW}&client_id=parity-cc-client&client_secret=parity-cc-secret"),
        "DOT reads client_id/client_secret from the query string (the secret then sits in access logs)",
        p_refused((401, 403), json_error=False), django_status=200))
    steps.append(p_divergence(
        P("introspect auth: public client with its secret", "POST", P_INTROSPECT, p_basic("public"), [("token", RW)]),
        "a public client's secret is no credential (RFC 6749 §2.1), yet DOT lets it introspect every token",
        p_refused((401, 403), json_error=False), django_status=200))
    steps.append(p_divergence(
        P("introspect auth: empty stored secret, client_id only", "POST", P_INTROSPECT, [],
          [("token", RW), ("client_id", "parity-empty-client")]),
        "DOT authenticates a client whose stored secret is empty on its client_id alone",
        p_refused((401, 403), json_error=False), django_status=200))
    steps.append(p_divergence(
        P("introspect: ?x=%zz", "POST", P_INTROSPECT, p_basic("cc"), [("token", RW)], query="?x=%zz"), P_500_NOTE,
        p_refused((400, 401, 403), json_error=False), django_status=500))

    # What it answers, by token (POST and GET).
    for name, token in OAUTH2_TOKENS.items():
        if token.raw is None:
            continue
        for method in ("POST", "GET"):
            fields, query = ([("token", token.raw)], "") if method == "POST" else (None, f"?token={token.raw}")
            step = P(f"introspect {name}, {method}", method, P_INTROSPECT, I, fields, query=query, want=200)
            if token.user == "inactive":
                step = p_divergence(step, "DOT reports the token of an inactive user as active (the port's "
                                          "resource server refuses it)", p_inactive_refused, django_status=200)
            steps.append(step)
    for label, headers, fields, query, method, want in [
        ("missing token", I, [], "", "POST", 400),
        ("missing token, GET", I, None, "", "GET", 400),
        ("empty token", I, [("token", "")], "", "POST", 200),
        ("token twice, the last known", I, [("token", "nope"), ("token", RW)], "", "POST", 200),
        ("token twice, the first known", I, [("token", RW), ("token", "nope")], "", "POST", 200),
        ("token in the query of a POST", I, [], f"?token={RW}", "POST", 400),
        ("token in the body of a GET", I, [("token", RW)], "", "GET", 400),
        ("JSON body", I, [("token", RW)], "", "POST", 400),
        ("multipart", I, [("token", RW)], "", "POST", 200),
        ("a refresh token", I, [("token", "@f_narrow_rt@")], "", "POST", 200),
        ("a per-server access token", I, [("token", "@f_narrow_at@")], "", "POST", 200),
        ("the introspector itself", I, [("token", P_INTROSPECTOR)], "", "POST", 200),
        ("the public client's token", I, [("token", P_PUBLIC_TOKEN)], "", "POST", 200),
        ("the expired introspector", I, [("token", P_INTROSPECTOR_EXPIRED)], "", "POST", 200),
        ("the resource introspector (aud)", I, [("token", P_INTROSPECTOR_RESOURCE)], "", "POST", 200),
        ("token with a NUL", I, [("token", RW + "\x00")], "", "POST", 200),
        ("token of 5000 characters", I, [("token", "a" * 5000)], "", "POST", 200),
        ("token with non-ASCII", I, [("token", "tökén")], "", "POST", 200),
        ("token in lower case", I, [("token", RW.lower())], "", "POST", 200),
        ("issued cc1 token (exp)", I, [("token", "@p_cc1_at@")], "", "POST", 200),
        ("issued pw1 token", I, [("token", "@p_pw1_at@")], "", "POST", 200),
        ("issued pwr token (resource)", I, [("token", "@p_pwr_at@")], "", "POST", 200),
        ("issued pw1 refresh token", I, [("token", "@p_pw1_rt@")], "", "POST", 200),
        ("HEAD", I, None, f"?token={RW}", "HEAD", 200),
        ("HEAD, no credentials", [], None, f"?token={RW}", "HEAD", 403),
        ("PUT, introspector", I, [("token", RW)], "", "PUT", 405),
        ("DELETE, introspector", I, None, f"?token={RW}", "DELETE", 405),
    ]:
        body = "json" if label == "JSON body" else "multipart" if label == "multipart" else "form"
        steps.append(P(f"introspect {label}", method, P_INTROSPECT, headers, fields, query=query, want=want,
                       body=body))
    return steps


def p_cross_steps(settings) -> list[Step]:
    """Both servers on one database: a token the pass's own server issued, used, introspected,
    refreshed and revoked on the other server (`target="other"`), and the reverse."""
    rotate = settings.get("ROTATE_REFRESH_TOKEN", True)
    pw, cc = p_basic("pw"), p_basic("cc")
    PWG = [("grant_type", "password"), ("username", "john"), ("password", "password")]
    R = lambda token: [("grant_type", "refresh_token"), ("refresh_token", token)]
    I = auth(f"Bearer {P_INTROSPECTOR}")
    O = "other"
    return [
        P("cross: issue cc (introspection scope)", headers=cc,
          fields=[("grant_type", "client_credentials"), ("scope", "read write introspection")], want=200, prefix="x1"),
        P("cross: x1 on the other server's /oauth2-scope/", "GET", "/oauth2-scope/", auth("Bearer @p_x1_at@"),
          mode="drf", target=O, want=200),
        P("cross: x1 on the other server's /oauth2/", "GET", "/oauth2/", auth("Bearer @p_x1_at@"), mode="drf",
          target=O, want=403),
        P("cross: x1 introspected by the other server (Basic cc)", "POST", P_INTROSPECT, cc, [("token", "@p_x1_at@")],
          target=O, want=200),
        P("cross: x1 introspects itself on the other server", "POST", P_INTROSPECT, auth("Bearer @p_x1_at@"),
          [("token", "@p_x1_at@")], target=O, want=200),
        P("cross: x1 revoked by the other server", "POST", P_REVOKE, cc, [("token", "@p_x1_at@")], target=O, want=200),
        Step("cross: x1's row", action=p_db("p_x1_at")),
        P("cross: x1 on the own server after the revocation", "GET", "/oauth2-scope/", auth("Bearer @p_x1_at@"),
          mode="drf", want=401),
        P("cross: x1 introspected by the own server", "POST", P_INTROSPECT, I, [("token", "@p_x1_at@")], want=200),
        P("cross: issue password", headers=pw, fields=PWG, want=200, prefix="x2"),
        P("cross: x2 on the other server's /oauth2/", "GET", "/oauth2/", auth("Bearer @p_x2_at@"), mode="drf",
          target=O, want=200),
        P("cross: x2 introspected by the other server", "GET", P_INTROSPECT, I, None, query="?token=@p_x2_at@",
          target=O, want=200),
        P("cross: x2 refreshed by the other server", headers=pw, fields=R("@p_x2_rt@"), target=O, want=200,
          prefix="x3"),
        Step("cross: rows after the other server's refresh", action=p_db("p_x2_at", "p_x2_rt", "p_x3_at", "p_x3_rt")),
        P("cross: x3 on the own server's /oauth2/", "GET", "/oauth2/", auth("Bearer @p_x3_at@"), mode="drf", want=200),
        P("cross: x2's access token on the own server", "GET", "/oauth2/", auth("Bearer @p_x2_at@"), mode="drf",
          want=401),
        P("cross: x3 refreshed by the own server", headers=pw, fields=R("@p_x3_rt@"), want=200, prefix="x4"),
        Step("cross: rows after the own server's refresh", action=p_db("p_x3_at", "p_x3_rt", "p_x4_at", "p_x4_rt")),
        P("cross: x2's refresh token again, on the other server", headers=pw, fields=R("@p_x2_rt@"), target=O,
          want=200 if not rotate else 400, prefix="x5"),
        Step("cross: rows at the end of the chain", action=p_db("p_x2_rt", "p_x4_at", "p_x4_rt", "p_x5_at",
                                                                "p_x5_rt")),
        P("cross: issue password on the other server", headers=pw, fields=PWG + [("scope", "read")], target=O,
          want=200, prefix="x6"),
        P("cross: x6 refreshed by the own server", headers=pw, fields=R("@p_x6_rt@"), want=200, prefix="x7"),
        Step("cross: x6 / x7 rows", action=p_db("p_x6_at", "p_x6_rt", "p_x7_at", "p_x7_rt")),
        P("cross: x7 on the other server's /oauth2-scope/ (read only)", "GET", "/oauth2-scope/",
          auth("Bearer @p_x7_at@"), mode="drf", target=O, want=403),
        P("cross: issue password (to revoke)", headers=pw, fields=PWG, want=200, prefix="x8"),
        P("cross: x8's refresh token revoked by the other server", "POST", P_REVOKE, pw, [("token", "@p_x8_rt@")],
          target=O, want=200),
        Step("cross: x8 rows", action=p_db("p_x8_at", "p_x8_rt")),
        P("cross: x8's refresh token on the own server", headers=pw, fields=R("@p_x8_rt@"), want=400),
        P("cross: x8's access token on the own server", "GET", "/oauth2/", auth("Bearer @p_x8_at@"), mode="drf",
          want=401),
        P("cross: issue public (to revoke)", headers=[], fields=PWG + [("client_id", "parity-public-client")],
          want=200, prefix="x9"),
        P("cross: x9 revoked by the other server, public client_id", "POST", P_REVOKE, [],
          [("token", "@p_x9_at@"), ("client_id", "parity-public-client")], target=O, want=200),
        Step("cross: x9 rows", action=p_db("p_x9_at", "p_x9_rt")),
    ]


RANDOM_PROVIDER_REQUESTS = int(os.environ.get("PARITY_PROVIDER_RANDOM_REQUESTS", "240"))


def p_random_steps(seed: int, count: int) -> list[Step]:
    """Seeded random requests to the three endpoints, mixing grants, client authentications,
    credentials, scopes, refresh tokens (the per-server `rand` pairs and tokens issued earlier in
    the section), duplicated and unknown fields, and body encodings. Only per-server tokens and
    refusals change anything, so both servers see the same sequence of states."""
    rng = random.Random(seed)
    wrong_pw = auth(basic("parity-pw-client", "x"))
    clients = [
        ("Basic cc", p_basic("cc"), []), ("Basic pw", p_basic("pw"), []), ("Basic public", p_basic("public"), []),
        ("Basic plain", p_basic("plain"), []), ("body cc", [], p_body_auth("cc")), ("body pw", [], p_body_auth("pw")),
        ("public client_id", [], [("client_id", "parity-public-client")]), ("Basic pw, wrong secret", wrong_pw, []),
        ("lower-case basic pw", auth("basic " + b64("parity-pw-client:parity-pw-secret")), []), ("none", [], []),
        ("Basic cc + body client_id pw", p_basic("cc"), [("client_id", "parity-pw-client")]),
        ("Basic ac", p_basic("ac"), []), ("Basic cors", p_basic("cors"), []),
        ("body pw, client_id twice", [], p_body_auth("pw") + [("client_id", "parity-pw-client")]),
    ]
    matching = {"client_credentials": ("Basic cc", "Basic plain", "body cc"),
                "password": ("Basic pw", "body pw", "public client_id", "Basic public", "Basic cors"),
                "refresh_token": ("Basic pw", "body pw", "Basic cc", "public client_id")}
    grants = (["client_credentials"] * 4 + ["password"] * 4 + ["refresh_token"] * 4
              + ["authorization_code", "CLIENT_CREDENTIALS", "foo", "", None, "Password"])
    users = [("john", "password")] * 3 + [("john", "wrong"), ("inactive", "password"), ("walterwhité", "pässwörd"),
                                          ("admin", "password"), ("nobody", "x"), (None, "password"), ("john", None),
                                          ("", ""), ("john\x00", "password")]
    scopes = [None] * 5 + ["read", "read write", "foo", "", "write read", P_ALL_SCOPES, "introspection", "read  write",
                           "orders:read orders:write"]
    fixture_refresh = ["@f_rand1_rt@", "@f_rand2_rt@", "@f_rand3_rt@", "@f_revoked_rt@", "@f_orphan_rt@", "nope", "",
                       OAUTH2_RW]
    shared = [t.raw for n, t in OAUTH2_TOKENS.items() if t.raw and t.user != "inactive"]
    steps, issued = [], []
    for i in range(count):
        kind = rng.choices(["token", "introspect", "revoke"], weights=[6, 3, 2])[0]
        prefix = f"rnd{i}"
        if kind == "token":
            grant = rng.choice(grants)
            label, headers, fields = rng.choice(clients)
            if rng.random() < 0.5 and grant in matching:  # a client the grant suits, so that some succeed
                label, headers, fields = rng.choice([c for c in clients if c[0] in matching[grant]])
            fields = list(fields)
            if grant is not None:
                fields.append(("grant_type", grant))
            if grant in ("password", "Password") or rng.random() < 0.1:
                username, password = rng.choice(users)
                if username is not None:
                    fields.append(("username", username))
                if password is not None:
                    fields.append(("password", password))
            if grant == "refresh_token" or rng.random() < 0.05:
                pool = fixture_refresh + [f"@p_{p}_rt@" for p in issued[-6:]]
                fields.append(("refresh_token", rng.choice(pool)))
            if grant == "authorization_code":
                fields += [("code", rng.choice(["nope", "parity-code-live", "parity-code-expired"])),
                           ("redirect_uri", "https://client.example.com/cb")]
            scope = rng.choice(scopes)
            if scope is not None:
                fields.append(("scope", scope))
            if rng.random() < 0.15 and fields:
                fields.insert(rng.randrange(len(fields) + 1), rng.choice(fields))  # a repeated field
            if rng.random() < 0.1:
                fields.append((rng.choice(["foo", "state", "nonce", "resource"]),
                               rng.choice(["1", "http://api.example.com/oauth2", "x y"])))
            if rng.random() < 0.3:
                rng.shuffle(fields)
            body = rng.choices(["form", "multipart", "json"], weights=[14, 5, 1])[0]
            query = "?x=1" if rng.random() < 0.03 else ""
            steps.append(P(f"random {i}: token {grant!r} {label} {body}", headers=headers, fields=fields, body=body,
                           query=query, prefix=prefix))
            issued.append(prefix)
        elif kind == "introspect":
            auths = [("Bearer introspector", auth(f"Bearer {P_INTROSPECTOR}"), []),
                     ("Bearer read write", auth(f"Bearer {OAUTH2_RW}"), []),
                     ("Basic cc", p_basic("cc"), []), ("Basic pw", p_basic("pw"), []),
                     ("Basic cc wrong", auth(basic("parity-cc-client", "x")), []),
                     ("body cc", [], p_body_auth("cc")), ("none", [], []),
                     ("bearer introspector", auth(f"bearer {P_INTROSPECTOR}"), []),
                     ("Bearer expired introspector", auth(f"Bearer {P_INTROSPECTOR_EXPIRED}"), [])]
            label, headers, extra = rng.choice(auths)
            token = rng.choice(shared + [P_INTROSPECTOR, "@f_rand1_at@", "@f_rand2_at@", "@f_rand3_at@",
                                         "@f_rand1_rt@", "nope", "", None]
                               + [f"@p_{p}_at@" for p in issued[-4:]])
            method = rng.choice(["GET", "POST", "POST"]) if not extra else "POST"
            fields = ([("token", token)] if token is not None else []) + list(extra)
            if method == "GET":
                query = "?" + "&".join(f"{k}={quote(v, safe='@')}" for k, v in fields) if fields else ""
                steps.append(P(f"random {i}: introspect {label} GET", "GET", P_INTROSPECT, headers, None, query=query))
            else:
                steps.append(P(f"random {i}: introspect {label} POST", "POST", P_INTROSPECT, headers, fields,
                               body=rng.choices(["form", "multipart"], weights=[4, 1])[0]))
        else:
            label, headers, extra = rng.choice([c for c in clients if c[0] != "Basic cc + body client_id pw"])
            pool = ["@f_rand1_at@", "@f_rand1_rt@", "@f_rand2_at@", "@f_rand2_rt@", "@f_rand3_at@", "@f_rand3_rt@",
                    "nope", "", None] + [f"@p_{p}_{k}@" for p in issued[-4:] for k in ("at", "rt")]
            if label in ("Basic pw", "public client_id", "Basic public", "Basic pw, wrong secret", "none", "body pw",
                         "Basic cors"):
                pool += [OAUTH2_RW, OAUTH2_TOKENS["read (john)"].raw]  # cc's shared tokens: never this client's
            token = rng.choice(pool)
            fields = ([("token", token)] if token is not None else []) + list(extra)
            hint = rng.choice([None, None, "access_token", "refresh_token", "foo"])
            if hint is not None:
                fields.append(("token_type_hint", hint))
            steps.append(P(f"random {i}: revoke {label} hint {hint}", "POST", P_REVOKE, headers, fields))
    steps.append(Step("random: the rand pairs at the end",
                      action=p_db(*[f"f_rand{n}_{k}" for n in (1, 2, 3) for k in ("at", "rt")])))
    return steps


def oauth2_provider_groups(provider: dict | None = None) -> list[Group]:
    """The `oauth2-provider` group (see the section's comment); `provider`: the run's OAUTH2_PROVIDER
    overrides (the expected statuses of the refresh rows follow them)."""
    settings = dict(OAUTH2_PROVIDER_BASE, **(provider or {}))
    _P_COUNTER[0] = 0
    steps = [Step("fixtures: parity_oauth2's per-server token pairs", action=p_setup(settings))]
    steps += p_token_steps(settings)
    steps += p_code_steps()
    steps += p_refresh_steps(settings)
    steps += p_revoke_steps()
    steps += p_introspect_steps(settings)
    steps += p_cross_steps(settings)
    steps += p_random_steps(PARITY_SEED + 21, RANDOM_PROVIDER_REQUESTS)
    return [Group("oauth2-provider", steps)]


# --------------------------------------------------------------------------------------------------
# django-oauth-toolkit's `/o/authorize/` (issue 21): the authorization-code flow's consent page
#
# The group `oauth2-authorize` sends DOT's AuthorizationView (GET: validation, then the consent page,
# an error page, an error redirect to the client, or a code at once; POST: the consent form) every
# request shape of the spec's §5 and compares the answers byte for byte: status, every header but
# the transport ones (`Location` with the 30-character code, or an implicit access token, replaced
# by its shape), which cookies are set or deleted, and the body with the consent form's 64-character
# `csrfmiddlewaretoken` value replaced by its shape. Each code a side issues is then checked in
# `oauth2_provider_grant` (code, expiry = the answer + AUTHORIZATION_CODE_EXPIRE_SECONDS within 3 s,
# redirect_uri, scope, PKCE challenge and method, nonce, claims, resource, user, application) and
# redeemed at `/o/token/`, on the side that issued it and on the other side (`target="other"`: the
# Django pass sends Django's code to the other server and the other pass the other server's code
# to Django), with the rows of the tokens it bought.
#
# Sessions: each server gets its own user, `authz_dj` / `authz_rs` (manage.py parity_oauth2), logged
# in through Django's `/accounts/login/` (a Django session and csrftoken cookie the Rust side reads),
# so that the codes and tokens one side creates (approval_prompt=auto looks for the user's tokens)
# never change what the other side answers. `authzoff_<side>` is deactivated during the run.
#
# CSRF: the reference project has no CsrfViewMiddleware, so DOT takes a consent POST without a CSRF
# token; the port protects the form. Every ordinary POST carries the csrftoken cookie and the
# `csrfmiddlewaretoken` field of the side's own last consent page; the scenarios without a valid
# token (and the unsafe methods that Django's CsrfViewMiddleware would check first) are divergences
# that pass with DOT's answer or a 403. A `csrftoken` cookie set by the other side alone (as
# CsrfViewMiddleware does on every page that renders a token) is tolerated.
#
# Recorded divergences (the other side passes with DOT's answer or with the secure one): a consent
# POST with an unknown client_id (DOT: 500; secure: the fatal page `Invalid client_id parameter
# value.`), the implicit grant (`response_type=token` on an implicit application: DOT shows the
# consent page and issues a token in the fragment; secure: an `unauthorized_client` redirect, RFC
# 9700 §2.1.2), `prompt=create` (DOT: JSON 400; anything that issues nothing), malformed `%`
# escapes in the query (DOT: 500; secure: 400) and a code whose redirect the application's schemes
# do not allow (DOT writes the grant, then answers 400).

AZ = "/o/authorize/"
AZ_CB = "https://client.example.com/cb"
AZ_OTHER = "https://client.example.com/other?x=1"
AZ_LOOPBACK, AZ_NATIVE = "http://127.0.0.1/cb", "com.example.app:/cb"
# parity_oauth2's AUTHORIZE_APPLICATIONS: key -> (client_id, secret)
AZ_CLIENTS = {
    "one": ("parity-authz-client", "parity-authz-secret"),  # authorization-code, AZ_CB
    "two": ("parity-authz-two-client", "parity-authz-two-secret"),  # AZ_CB and AZ_OTHER
    "skip": ("parity-authz-skip-client", "parity-authz-skip-secret"),  # skip_authorization
    "pw": ("parity-authz-pw-client", "parity-authz-pw-secret"),  # password grant, AZ_CB
    "implicit": ("parity-authz-implicit-client", "parity-authz-implicit-secret"),  # implicit grant, AZ_CB
    "public": ("parity-authz-public-client", "parity-authz-public-secret"),  # public, name ""
    "native": ("parity-authz-native-client", "parity-authz-native-secret"),  # AZ_LOOPBACK, AZ_NATIVE; HTML name
    "none": ("parity-authz-none-client", "parity-authz-none-secret"),  # no redirect URI
}
AZ_USERS = ("authz", "authzoff")  # per-server users (`<base>_dj` / `<base>_rs`) of parity_oauth2
AZ_VERIFIER = P_CODE_VERIFIER
AZ_CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(AZ_VERIFIER.encode()).digest()).decode().rstrip("=")
AZ_PLAIN = "plain-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"  # PKCE `plain`: challenge = verifier
# `X-Frame-Options: DENY`: the Rust side always sends it on the authorization step (a stock
# Django project gets it from `XFrameOptionsMiddleware`, which the reference project lacks).
AZ_TRANSPORT_HEADERS = {"date", "server", "content-length", "connection", "transfer-encoding", "set-cookie",
                        "x-frame-options"}
AZ_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
AZ_CODE_PARAM = re.compile(r"(?<=[?&#])(code|access_token)=([^&#]*)")
AZ_SHAPE_30 = re.compile(r"[A-Za-z0-9]{30}")
AZ_SHAPE_64 = re.compile(rb"[A-Za-z0-9]{64}")
AZ_COOKIE = {
    "authz": "sessionid=@authz_sid@; csrftoken=@authz_csrf@",
    "authzoff": "sessionid=@authzoff_sid@; csrftoken=@authzoff_csrf@",
    "nocsrf": "sessionid=@authz_sid@",
    "badsession": "sessionid=0123456789abcdefghijklmnopqrstuv; csrftoken=@authz_csrf@",
    "anonymous-csrf": "csrftoken=@authz_csrf@",
}

# DOT's templates (spec Appendix B): the page around the consent form / the fatal error.
AZ_PAGE_TOP = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="utf-8">\n    <title></title>\n'
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
    '    <meta name="description" content="">\n    <meta name="author" content="">\n\n    \n'
    '        <link href="oauth2_provider/css/oauth2_provider.css" rel="stylesheet">\n    \n</head>\n\n<body>\n\n'
    '<div class="container">\n    \n    <div class="block-center">\n        \n')
AZ_PAGE_BOTTOM = '    </div>\n\n</div>\n\n</body>\n</html>\n'


def az_error_page(error: str, description: str) -> bytes:
    """DOT's fatal error page (400), as `authorize.html` renders `{{ error.error }}` and
    `{{ error.description }}` (the descriptions here need no escaping)."""
    return (AZ_PAGE_TOP + f"            <h2>Error: {error}</h2>\n            <p>{description}</p>\n        \n"
            + AZ_PAGE_BOTTOM).encode()


def az_pairs(client="one", drop=(), **values) -> list:
    """The query (or form) pairs of a valid authorization request of `client`: client_id,
    response_type=code, redirect_uri, state=xyz, scope='read write', S256 PKCE; `drop` removes
    fields, keyword values replace them (in place) or are appended."""
    base = [("client_id", AZ_CLIENTS[client][0] if client in AZ_CLIENTS else client), ("response_type", "code"),
            ("redirect_uri", AZ_CB), ("state", "xyz"), ("scope", "read write"), ("code_challenge", AZ_CHALLENGE),
            ("code_challenge_method", "S256")]
    out = [(k, values.pop(k, v)) for k, v in base if k not in drop]
    return out + list(values.items())


def az_form(client="one", drop=(), allow="Authorize", **values) -> list:
    """The fields a browser posts from the consent page of a valid request (every hidden input, in
    AllowForm's order, empty ones as ""; then the clicked `allow` button unless `allow` is None)."""
    base = [("redirect_uri", AZ_CB), ("scope", "read write"), ("nonce", ""),
            ("client_id", AZ_CLIENTS[client][0] if client in AZ_CLIENTS else client), ("state", "xyz"),
            ("response_type", "code"), ("code_challenge", AZ_CHALLENGE), ("code_challenge_method", "S256"),
            ("claims", ""), ("resource", "")]
    out = [(k, values.pop(k, v)) for k, v in base if k not in drop]
    out += list(values.items())
    if allow is not None:
        out.append(("allow", allow))
    return out


def az_q(pairs) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(pairs)


def az_location(value: str | None) -> str | None:
    """A `Location` with each `code` / `access_token` value replaced by its shape."""
    if value is None:
        return None

    def shape(m):
        ok = AZ_SHAPE_30.fullmatch(m.group(2))
        return f"{m.group(1)}=" + ("<30 chars>" if ok else f"<not 30 characters of [A-Za-z0-9]: {m.group(2)!r}>")

    return AZ_CODE_PARAM.sub(shape, value)


def az_body(resp: Resp) -> bytes:
    """The body with the consent form's CSRF token replaced by its shape."""
    def shape(m):
        ok = AZ_SHAPE_64.fullmatch(m.group(2))
        return m.group(1) + (b"<64 chars>" if ok else b"<not 64 characters of [A-Za-z0-9]: " + m.group(2) + b">") \
            + m.group(3)

    return AZ_CSRF_INPUT.sub(shape, resp.body)


def az_headers(resp: Resp) -> list:
    return sorted((k, az_location(v) if k == "location" else v) for k, v in resp.headers
                  if k not in AZ_TRANSPORT_HEADERS)


def az_first_difference(a: bytes, b: bytes) -> str:
    i = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, i - 60)
    return f"at byte {i}: django {a[lo:i + 100]!r} / rust {b[lo:i + 100]!r}"


def az_check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """Status, every non-transport header (Location by shape), cookies set / deleted and the body
    (CSRF token by shape), byte for byte."""
    if dj.error or rs.error:
        return [f"transport: django {dj.error or 'ok'} / rust {rs.error or 'ok'}"]
    diffs = []
    if dj.status != rs.status:
        diffs.append(f"status: django {dj.status} / rust {rs.status}")
    ha, hb = az_headers(dj), az_headers(rs)
    if ha != hb:
        diffs.append(f"headers: django {ha} / rust {hb}")
    ca, cb = cookie_summary(dj), cookie_summary(rs)
    if cb.get("csrftoken") == "set" and "csrftoken" not in ca:
        del cb["csrftoken"]  # CsrfViewMiddleware's behaviour; the reference project has none
    if ca != cb:
        diffs.append(f"cookies set/deleted: django {ca} / rust {cb}")
    ba, bb = az_body(dj), az_body(rs)
    if ba != bb:
        diffs.append(f"body {az_first_difference(ba, bb)}")
    if not diffs:
        rs.same_as_reference = True
    return diffs


def az_capture(prefix, session):
    """Stamps the answer's time; a code in `Location` -> ctx `az_<prefix>_code` (and the time:
    `az_<prefix>_t`); on `authz`'s session, the consent form's CSRF token -> `az_csrf_form` (the
    next POSTs send it) and a csrftoken cookie the server sets -> `authz_csrf`."""

    def capture(resp, ctx):
        resp.t = time.time()
        location = resp.header("location") or ""
        m = re.search(r"[?&]code=([A-Za-z0-9]{30})(?:&|#|$)", location)
        if m and prefix:
            ctx[f"az_{prefix}_code"] = m.group(1)
            ctx[f"az_{prefix}_t"] = resp.t
        if session != "authz":
            return
        m = AZ_CSRF_INPUT.search(resp.body or b"")
        if m and AZ_SHAPE_64.fullmatch(m.group(2)):
            ctx["az_csrf_form"] = m.group(2).decode()
        for line in resp.all("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0].strip()
            if name.strip() == "csrftoken" and value and value != '""':
                ctx["authz_csrf"] = value

    return capture


def AZS(name, method="GET", query="", fields=None, session="authz", csrf=True, headers=(), body="form",
        want=None, prefix=None, path=AZ, check=None) -> Step:
    """One `/o/authorize/` scenario. `session`: a key of AZ_COOKIE or None (no cookie); `fields`:
    (name, value) pairs of a POST, preceded by the side's `csrfmiddlewaretoken` unless `csrf` is
    False (or a string: that token); `body`: `form`, `multipart`, `json` or a (headers, bytes) pair.
    A code in the answer's `Location` is remembered as `az_<prefix>_code`; `check` replaces az_check."""
    headers = list(headers)
    if session is not None:
        headers.append(("Cookie", AZ_COOKIE[session]))
    raw = None
    if fields is not None:
        fields = list(fields)
        if csrf:
            fields.insert(0, ("csrfmiddlewaretoken", csrf if isinstance(csrf, str) else "@az_csrf_form@"))
        if body == "form":
            body_headers, raw = form_body(fields)
        elif body == "multipart":
            body_headers, raw = multipart_body(fields)
        elif body == "json":
            body_headers, raw = json_body(dict(fields))
        else:
            raise ValueError(body)
        headers += body_headers
    elif isinstance(body, tuple):
        headers += body[0]
        raw = body[1]
    return Step(name=name, method=method, path=path + query, headers=headers, body=raw, want=want,
                check=check or az_check, capture=az_capture(prefix, session), generic=False)


def az_grant(prefix):
    """The `oauth2_provider_grant` row of the code `az_<prefix>_code` as facts (dates relative to
    the answer that carried the code)."""

    def action(ctx) -> Resp:
        code = ctx.get(f"az_{prefix}_code")
        if code is None:
            return pseudo({"grant": "<no code was issued>"})
        with db_connect(ctx) as conn:
            row = conn.execute(
                "SELECT g.code, g.expires, g.created, g.updated, g.redirect_uri, g.scope, a.client_id, u.username,"
                " g.code_challenge, g.code_challenge_method, g.nonce, g.claims, g.resource"
                " FROM oauth2_provider_grant g"
                " LEFT JOIN oauth2_provider_application a ON a.id = g.application_id"
                " LEFT JOIN auth_user u ON u.id = g.user_id WHERE g.code = ?", (code,)).fetchone()
        if row is None:
            return pseudo({"grant": "<no row>"})
        (stored, expires, created, updated, redirect_uri, scope, client_id, username, challenge, method, nonce,
         claims, resource) = row
        t = ctx[f"az_{prefix}_t"]

        def rel(value, expected):
            seconds = p_iso(value).timestamp() - t
            if abs(seconds - expected) <= 3:
                return f"the answer + {expected} s"
            return f"the answer {seconds:+.1f} s (expected + {expected} s)"

        return pseudo({
            "code stored as issued": stored == code, "expires": rel(expires, ctx["az_code_expire"]),
            "created": rel(created, 0), "updated": rel(updated, 0),
            "date shapes": [p_shape(expires), p_shape(created), p_shape(updated)],
            "redirect_uri": redirect_uri, "scope": scope, "client_id": client_id, "user": username,
            "code_challenge": challenge, "code_challenge_method": method, "nonce": nonce, "claims": claims,
            "resource": json.loads(resource) if resource else resource,
        })

    return action


def az_grant_count(client):
    """How many codes `authz_<side>` holds for `client` (pending grants)."""

    def action(ctx) -> Resp:
        with db_connect(ctx) as conn:
            n = conn.execute(
                "SELECT COUNT(*) FROM oauth2_provider_grant g"
                " JOIN oauth2_provider_application a ON a.id = g.application_id"
                " JOIN auth_user u ON u.id = g.user_id WHERE a.client_id = ? AND u.username = ?",
                (AZ_CLIENTS[client][0], f"authz_{ctx['s']}")).fetchone()[0]
        return pseudo({f"pending codes of authz for {client}": n})

    return action


def az_fewer_grants(why):
    """A grant count where the other side may hold fewer codes than DOT's side (`why`: it refused
    what DOT accepted)."""

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        a, b = dj.json(), rs.json()
        (key, na), = a.items()
        nb = b.get(key)
        if nb == na:
            rs.same_as_reference = True
            return []
        return [] if isinstance(nb, int) and nb < na else [f"pending codes: django {na} / rust {nb} (at most "
                                                           f"django's: {why})"]

    return check


def az_setup(settings: dict):
    """Settings the checks need, and the group's fixtures as facts (parity_oauth2 wrote them)."""

    def action(ctx) -> Resp:
        ctx["p_expire"] = int(settings.get("ACCESS_TOKEN_EXPIRE_SECONDS", 36000) or 3600)
        ctx["az_code_expire"] = int(settings.get("AUTHORIZATION_CODE_EXPIRE_SECONDS", 60))
        ctx.setdefault("p_start", time.time())
        # Until a consent page gives one: the csrftoken cookie's secret, masked as Django does.
        ctx["az_csrf_form"] = mask_csrf(ctx["authz_csrf"])
        ctx["authzoff_csrf_masked"] = mask_csrf(ctx["authzoff_csrf"])
        with db_connect(ctx) as conn:
            apps = conn.execute(
                "SELECT client_id, name, client_type, authorization_grant_type, redirect_uris, skip_authorization"
                " FROM oauth2_provider_application WHERE client_id LIKE 'parity-authz%' ORDER BY client_id"
            ).fetchall()
            tokens = conn.execute(
                "SELECT a.client_id, t.scope, t.expires > strftime('%Y-%m-%d %H:%M:%f', 'now')"
                " FROM oauth2_provider_accesstoken t JOIN auth_user u ON u.id = t.user_id"
                " JOIN oauth2_provider_application a ON a.id = t.application_id"
                " WHERE u.username = ? ORDER BY a.client_id, t.id", (f"authz_{ctx['s']}",)).fetchall()
            users = conn.execute("SELECT username, is_active FROM auth_user WHERE username IN (?, ?)"
                                 " ORDER BY username", tuple(f"{b}_{ctx['s']}" for b in AZ_USERS)).fetchall()
        return pseudo({"applications": [list(r) for r in apps], "tokens of authz": [list(r) for r in tokens],
                       "users": [list(r) for r in users]})

    return action


def az_deactivate(base):
    def action(ctx) -> Resp:
        with db_connect(ctx) as conn:
            conn.execute("UPDATE auth_user SET is_active = 0 WHERE username = ?", (f"{base}_{ctx['s']}",))
        return pseudo({"deactivated": f"{base}_<side>"})

    return action


def az_secure_csrf(rs: Resp) -> list[str]:
    """The port's CSRF refusal: 403, no redirect."""
    if rs.status == 403 and rs.header("location") is None:
        return []
    return [f"rust answered {rs.status} Location {rs.header('location')!r}: expected DOT's answer or a 403"]


def az_secure_fatal(description: str) -> Callable[[Resp], list[str]]:
    want = az_error_page("invalid_request", description)

    def secure(rs: Resp) -> list[str]:
        if rs.status == 400 and rs.header("content-type") == "text/html; charset=utf-8" and rs.body == want:
            return []
        return [f"rust answered {rs.status} {rs.header('content-type')!r} {show_body(rs, 200)}: expected DOT's "
                f"fatal error page `{description}`"]

    return secure


def az_secure_redirect(*locations: str) -> Callable[[Resp], list[str]]:
    def secure(rs: Resp) -> list[str]:
        if rs.status == 302 and rs.header("location") in locations and not rs.body:
            return []
        return [f"rust answered {rs.status} Location {rs.header('location')!r}: expected a redirect to one of "
                f"{list(locations)}"]

    return secure


def az_secure_not_redirected(rs: Resp) -> list[str]:
    """A refusal that sends the user nowhere (a redirect URI the application never registered)."""
    if rs.status == 400 and rs.header("location") is None:
        return []
    return [f"rust answered {rs.status} Location {rs.header('location')!r}: expected DOT's answer or a 400 "
            f"without redirect"]


def az_secure_no_code(rs: Resp) -> list[str]:
    """`prompt=create`: anything that issues nothing and redirects only to the login page or, with an
    error, to the registered redirect URI (or shows the consent page, create being a no-op for a
    logged-in user)."""
    location = rs.header("location") or ""
    problems = []
    if AZ_CODE_PARAM.search(location):
        problems.append(f"rust issued a code or token: {location!r}")
    if rs.status == 302:
        if not (location.startswith("/accounts/login/") or location.startswith(AZ_CB + "?error=")):
            problems.append(f"rust redirected to {location!r}")
    elif rs.status == 200:
        if b'id="authorizationForm"' not in rs.body:
            problems.append("rust answered 200 without the consent form")
    elif rs.status != 400:
        problems.append(f"rust answered {rs.status}: expected DOT's answer, a 400, a login or error redirect")
    return problems


def az_secure_bad_escape(rs: Resp) -> list[str]:
    if rs.status == 400 and not AZ_CODE_PARAM.search(rs.header("location") or ""):
        return []
    return [f"rust answered {rs.status} {show_body(rs, 120)}: expected DOT's 500 or a 400"]


def az_page_is(description: str) -> Callable:
    """DOT's answer must be the fatal page `az_error_page` builds (the secure answer of the unknown
    client_id POST is that page): a check on the reference, then the ordinary comparison."""
    want = az_error_page("invalid_request", description)

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        diffs = az_check(dj, rs, ctx_dj, ctx_rs)
        if dj.body != want:
            diffs.append(f"django's fatal page is not the runner's template: {az_first_difference(dj.body, want)}")
        return diffs

    return check


def az_redeem(name, prefix, code_slot, client="one", redirect=AZ_CB, verifier=AZ_VERIFIER, want=200, target=None,
              auth_mode="basic") -> Step:
    """`/o/token/` with the code `az_<code_slot>_code`; tokens registered as `p_<prefix>_at` / `_rt`."""
    fields = [("grant_type", "authorization_code"), ("code", f"@az_{code_slot}_code@")]
    if redirect is not None:
        fields.append(("redirect_uri", redirect))
    if verifier is not None:
        fields.append(("code_verifier", verifier))
    client_id, secret = AZ_CLIENTS[client]
    headers = []
    if auth_mode == "basic":
        headers = auth(basic(client_id, secret))
    elif auth_mode == "client_id":
        fields.append(("client_id", client_id))
    return P(name, headers=headers, fields=fields, want=want, prefix=prefix, target=target)


def az_anonymous_steps() -> list[Step]:
    """No session (or one Django no longer accepts): the login redirect, `prompt` none / login /
    create, and the methods."""
    q = az_q(az_pairs())
    steps = [
        AZS("anonymous GET", query=q, session=None, want=302),
        AZS("anonymous GET, no query", session=None, want=302),
        AZS("anonymous GET, state with é, a space and &", query=az_q(az_pairs(state="é x&y")), session=None,
            want=302),
        AZS("anonymous GET, raw \" < > { } | in the query", session=None, want=302,
            query='?client_id=parity-authz-client&response_type=code&state=<a|"b">{c}'),
        AZS("anonymous GET, a session cookie Django does not know", query=q, session="badsession", want=302),
        AZS("anonymous GET, only a csrftoken cookie", query=q, session="anonymous-csrf", want=302),
        AZS("anonymous prompt=none", query=az_q(az_pairs(prompt="none")), session=None, want=302),
        AZS("anonymous prompt=none, no state", query=az_q(az_pairs(drop=("state",), prompt="none")), session=None,
            want=302),
        AZS("anonymous prompt=none, empty state", query=az_q(az_pairs(state="", prompt="none")), session=None,
            want=302),
        AZS("anonymous prompt=none, redirect URI with a query", session=None, want=302,
            query=az_q(az_pairs("two", redirect_uri=AZ_OTHER, state="s t", prompt="none"))),
        AZS("anonymous prompt=none, no redirect_uri (the default)", session=None, want=302,
            query=az_q(az_pairs(drop=("redirect_uri",), prompt="none"))),
        AZS("anonymous prompt=none, unknown client", query=az_q(az_pairs("nope", prompt="none")), session=None,
            want=400),
        AZS("anonymous prompt=none, mismatching redirect_uri", session=None, want=400,
            query=az_q(az_pairs(redirect_uri="https://evil.example.com/cb", prompt="none"))),
        AZS("anonymous prompt=none, no PKCE", session=None, want=302,
            query=az_q(az_pairs(drop=("code_challenge", "code_challenge_method"), prompt="none"))),
        AZS("anonymous prompt=none, invalid scope", query=az_q(az_pairs(scope="foo", prompt="none")), session=None,
            want=302),
        AZS("anonymous prompt=none, skip_authorization app", query=az_q(az_pairs("skip", prompt="none")),
            session=None, want=302),
        AZS("anonymous prompt=none, password app", query=az_q(az_pairs("pw", prompt="none")), session=None,
            want=302),
        AZS("anonymous prompt='none login'", query=az_q(az_pairs(prompt="none login")), session=None, want=302),
        AZS("anonymous prompt=login", query=az_q(az_pairs(prompt="login")), session=None, want=302),
        AZS("anonymous prompt=login, blank and repeated parameters", session=None, want=302,
            query="?prompt=login&client_id=parity-authz-client&state=&scope=read&scope=write&nonce=n%20%2B"),
        AZS("anonymous prompt=LOGIN (case-sensitive)", query=az_q(az_pairs(prompt="LOGIN")), session=None,
            want=302),
        p_divergence(AZS("anonymous prompt=create", query=az_q(az_pairs(prompt="create")), session=None),
                     "prompt=create: DOT answers its JSON 400 `prompt=create is not supported`; the port may "
                     "handle it otherwise as long as nothing is issued", az_secure_no_code),
        AZS("anonymous POST, csrftoken cookie and token", "POST", fields=az_form(), session="anonymous-csrf",
            want=302),
        AZS("anonymous POST with a query, csrftoken cookie and token", "POST", query="?state=q&x=%C3%A9",
            fields=az_form(), session="anonymous-csrf", want=302),
        p_divergence(AZS("anonymous POST without CSRF token", "POST", fields=az_form(), session=None, csrf=False),
                     "no CSRF token: DOT redirects to the login page, the port may refuse first (403)",
                     az_secure_csrf, django_status=302),
        p_divergence(AZS("anonymous PUT without CSRF token", "PUT", query=q, session=None),
                     "no CSRF token on an unsafe method: DOT redirects to the login page, the port may refuse "
                     "first (403)", az_secure_csrf, django_status=302),
        AZS("anonymous OPTIONS", "OPTIONS", query=q, session=None, want=302),
        AZS("anonymous HEAD", "HEAD", query=q, session=None, want=302),
        AZS("anonymous TRACE", "TRACE", query=q, session=None, want=302),
        # A session whose user Django stops accepting: AnonymousUser, the login redirect.
        AZS("authzoff: consent page while active", query=q, session="authzoff", want=200),
        Step("deactivate authzoff", action=az_deactivate("authzoff")),
        AZS("authzoff: GET after deactivation", query=q, session="authzoff", want=302),
        AZS("authzoff: prompt=none after deactivation", query=az_q(az_pairs(prompt="none")), session="authzoff",
            want=302),
        AZS("authzoff: POST after deactivation", "POST", fields=az_form(), session="authzoff",
            csrf="@authzoff_csrf_masked@", want=302),
    ]
    return steps


def az_consent_steps() -> list[Step]:
    """Logged in: valid requests that show the consent page (the body compared byte for byte but
    the CSRF token), including odd but valid inputs."""
    G = lambda name, pairs, **kw: AZS(name, query=pairs if isinstance(pairs, str) else az_q(pairs), want=200, **kw)
    return [
        G("consent page (S256)", az_pairs()),
        G("consent page, no redirect_uri (the one registered URI)", az_pairs(drop=("redirect_uri",))),
        G("consent page, no scope (DEFAULT_SCOPES: all seven)", az_pairs(drop=("scope",))),
        G("consent page, no state", az_pairs(drop=("state",))),
        G("consent page, empty state", az_pairs(state="")),
        G("consent page, two URIs, the one with a query", az_pairs("two", redirect_uri=AZ_OTHER)),
        G("consent page, two URIs, the first", az_pairs("two")),
        G("consent page, PKCE plain", az_pairs(code_challenge=AZ_PLAIN, code_challenge_method="plain")),
        G("consent page, challenge without a method", az_pairs(drop=("code_challenge_method",))),
        G("consent page, a 3-character challenge", az_pairs(code_challenge="abc")),
        G("consent page, scope 'write read read'", az_pairs(scope="write read read")),
        G("consent page, scope ' read ' (stripped)", az_pairs(scope=" read ")),
        G("consent page, scope orders:read admin", az_pairs(scope="orders:read admin")),
        G("consent page, public client with an empty name", az_pairs("public")),
        G("consent page, HTML in the application name (loopback URI)", az_pairs("native", redirect_uri=AZ_LOOPBACK)),
        G("consent page, loopback URI with another port", az_pairs("native", redirect_uri="http://127.0.0.1:8765/cb")),
        G("consent page, custom-scheme redirect URI", az_pairs("native", redirect_uri=AZ_NATIVE)),
        G("consent page, state with HTML specials", az_pairs(state="<script>alert(\"x\")</script>&'amp;")),
        G("consent page, state é and emoji", az_pairs(state="é\u00e8 \U0001f600")),
        G("consent page, state with raw \" < > in the query",
          '?client_id=parity-authz-client&response_type=code&state=a"<b>\'c&scope=read&code_challenge='
          + AZ_CHALLENGE + "&code_challenge_method=S256"),
        G("consent page, state %2B and +", az_pairs(state="a+b c")),
        G("consent page, state of 2000 characters", az_pairs(state="s" * 2000)),
        G("consent page, resource", az_pairs(resource="https://api.example.com/x")),
        G("consent page, two resources", az_pairs() + [("resource", "https://api.example.com/x"),
                                                      ("resource", "https://b.example.com/")]),
        G("consent page, nonce and claims", az_pairs(nonce="n-<1>", claims='{"id_token": {"email": null}}')),
        G("consent page, OIDC parameters (response_mode, display, ui_locales, max_age, login_hint)",
          az_pairs(response_mode="fragment", display="popup", ui_locales="fr en", max_age="0", login_hint="x@y")),
        G("consent page, unknown parameters", az_pairs(foo="bar", client_secret="s", access_token="t")),
        G("consent page, code_challenge twice (the last counts)",
          az_pairs() + [("code_challenge", "second-challenge")]),
        G("consent page, prompt=none while logged in", az_pairs(prompt="none")),
        G("consent page, prompt=consent", az_pairs(prompt="consent")),
        G("consent page, prompt=select_account", az_pairs(prompt="select_account")),
        G("consent page, approval_prompt=force", az_pairs(approval_prompt="force")),
        G("consent page, approval_prompt=auto, no token for the application", az_pairs("two", approval_prompt="auto")),
        G("consent page, approval_prompt=auto, the token does not cover orders:read",
          az_pairs(scope="read write orders:read", approval_prompt="auto")),
        G("consent page, approval_prompt=auto, default scopes (all seven)",
          az_pairs(drop=("scope",), approval_prompt="auto")),
        G("consent page, approval_prompt=auto, only an expired token", az_pairs("public", approval_prompt="auto")),
        G("consent page, approval_prompt=AUTO (case-sensitive)", az_pairs(approval_prompt="AUTO")),
        G("consent page, approval_prompt=auto twice, then force (the last counts)",
          az_pairs(approval_prompt="auto") + [("approval_prompt", "force")]),
        G("consent page, %20 and + in scope", "?client_id=parity-authz-client&response_type=code&scope=read%20write"
          "+orders:read&code_challenge=" + AZ_CHALLENGE),
        G("consent page, a trailing lone %",
          "?client_id=parity-authz-client&response_type=code&code_challenge=" + AZ_CHALLENGE + "&x=%"),
        G("consent page, the last page (its CSRF token is posted next)", az_pairs()),
    ]


def az_error_steps() -> list[Step]:
    """Logged in: every validation error in oauthlib's order (fatal: DOT's 400 page; the others: a
    redirect to the client), the methods, prompt=login, skip_authorization and approval_prompt=auto
    (a code at once: its row, then redeemed)."""
    E = lambda name, pairs, want=None, **kw: AZS(name, query=pairs if isinstance(pairs, str) else az_q(pairs),
                                                  want=want, **kw)
    evil = "https://evil.example.com/cb"
    no_pkce = ("code_challenge", "code_challenge_method")
    steps = []
    # 1. duplicates (fatal)
    for field in ("client_id", "response_type", "redirect_uri", "scope", "state"):
        value = dict(az_pairs())[field]
        steps.append(E(f"duplicate {field}", az_pairs() + [(field, value)], 400))
    steps += [
        E("duplicate state, both empty", az_pairs(state="") + [("state", "")], 400),
        E("duplicate scope and client_id (client_id reported)", az_pairs() + [("scope", "read"), ("client_id", "x")],
          400),
        E("duplicate state and no client_id", az_pairs(drop=("client_id",)) + [("state", "b")], 400),
        E("duplicate code_challenge_method (not checked: the last counts)",
          az_pairs() + [("code_challenge_method", "plain")], 200),
        # 2. client_id (fatal)
        E("no client_id", az_pairs(drop=("client_id",)), 400),
        E("empty client_id", az_pairs(client_id=""), 400),
        AZS("unknown client_id", query=az_q(az_pairs("nope")), want=400,
            check=az_page_is("Invalid client_id parameter value.")),
        E("client_id in upper case", az_pairs(client_id="PARITY-AUTHZ-CLIENT"), 400),
        E("client_id with a NUL", az_pairs(client_id="parity-authz-client\x00"), 400),
        E("client_id with HTML", az_pairs(client_id="<b>&\"x\""), 400),
        E("no query at all", "", 400),
        # 3. redirect_uri (fatal)
        E("redirect_uri relative", az_pairs(redirect_uri="/cb"), 400),
        E("redirect_uri with a fragment", az_pairs(redirect_uri=AZ_CB + "#frag"), 400),
        E("redirect_uri with userinfo", az_pairs(redirect_uri="https://user:pw@client.example.com/cb"), 400),
        E("redirect_uri of another host", az_pairs(redirect_uri=evil), 400),
        E("redirect_uri with a longer path", az_pairs(redirect_uri=AZ_CB + "/extra"), 400),
        E("redirect_uri with a trailing slash", az_pairs(redirect_uri=AZ_CB + "/"), 400),
        E("redirect_uri over http", az_pairs(redirect_uri="http://client.example.com/cb"), 400),
        E("redirect_uri with the default port", az_pairs(redirect_uri="https://client.example.com:443/cb"), 400),
        E("redirect_uri with an upper-case host (allowed)", az_pairs(redirect_uri="https://CLIENT.example.com/cb"),
          200),
        E("redirect_uri with an empty query", az_pairs(redirect_uri=AZ_CB + "?"), 400),
        E("redirect_uri with a query", az_pairs(redirect_uri=AZ_CB + "?a=1"), 400),
        E("empty redirect_uri", az_pairs(redirect_uri=""), 400),
        E("redirect_uri with HTML", az_pairs(redirect_uri="https://client.example.com/<b>\"x\""), 400),
        E("two URIs registered, none given", az_pairs("two", drop=("redirect_uri",)), 400),
        E("two URIs: the one with a query, without it",
          az_pairs("two", redirect_uri="https://client.example.com/other"), 400),
        E("two URIs: the one with a query, another value", az_pairs("two", redirect_uri=AZ_OTHER.replace("1", "2")),
          400),
        E("two URIs: the one with a query, an extra parameter", az_pairs("two", redirect_uri=AZ_OTHER + "&y=2"), 400),
        E("no URI registered, none given", az_pairs("none", drop=("redirect_uri",)), 400),
        E("no URI registered, one given", az_pairs("none"), 400),
        E("loopback: localhost for 127.0.0.1", az_pairs("native", redirect_uri="http://localhost:8765/cb"), 400),
        E("loopback: another path", az_pairs("native", redirect_uri="http://127.0.0.1:8765/other"), 400),
        E("loopback: https", az_pairs("native", redirect_uri="https://127.0.0.1/cb"), 400),
        E("custom scheme: another path", az_pairs("native", redirect_uri="com.example.app:/other"), 400),
        E("client-credentials app without redirect URIs, response_type=code",
          az_pairs("parity-cc-client", drop=("redirect_uri",)), 400),
        E("bad client and bad redirect_uri (client first)", az_pairs("nope", redirect_uri="/cb"), 400),
        # 4. response_type (redirects)
        E("no response_type", az_pairs(drop=("response_type",)), 302),
        E("empty response_type", az_pairs(response_type=""), 302),
        E("response_type foo", az_pairs(response_type="foo"), 302),
        E("response_type CODE", az_pairs(response_type="CODE"), 302),
        E("response_type token on an authorization-code app", az_pairs(response_type="token"), 302),
        E("response_type 'token code'", az_pairs(response_type="token code"), 302),
        E("response_type 'code token'", az_pairs(response_type="code token"), 302),
        E("response_type none", az_pairs(response_type="none"), 302),
        E("';' is not a separator (scope 'read;state=x')", "?client_id=parity-authz-client&response_type=code"
          "&scope=read;state=x&code_challenge=" + AZ_CHALLENGE, 302),
        E("password app, response_type=code", az_pairs("pw"), 302),
        E("password app, no PKCE, bad scope (unauthorized_client first)",
          az_pairs("pw", drop=no_pkce, scope="foo"), 302),
        E("implicit app, response_type=code", az_pairs("implicit"), 302),
        E("no response_type and no PKCE", az_pairs(drop=("response_type",) + no_pkce), 302),
        E("response_type foo and a bad scope", az_pairs(response_type="foo", scope="foo"), 302),
        # 5. PKCE
        E("no PKCE", az_pairs(drop=no_pkce), 302),
        E("empty code_challenge (only a missing one is refused)", az_pairs(code_challenge=""), 200),
        E("empty code_challenge and no method", az_pairs(code_challenge="", drop=("code_challenge_method",)), 200),
        E("code_challenge_method without a challenge", az_pairs(drop=("code_challenge",)), 302),
        E("code_challenge_method S512", az_pairs(code_challenge_method="S512"), 302),
        E("code_challenge_method s256", az_pairs(code_challenge_method="s256"), 302),
        E("empty code_challenge_method", az_pairs(code_challenge_method=""), 302),
        E("no PKCE and a bad scope (PKCE first)", az_pairs(drop=no_pkce, scope="foo"), 302),
        # 6. scope
        E("scope foo", az_pairs(scope="foo"), 302),
        E("scope 'read foo'", az_pairs(scope="read foo"), 302),
        E("empty scope", az_pairs(scope=""), 302),
        E("scope with two spaces", az_pairs(scope="read  write"), 302),
        E("scope with a tab", az_pairs(scope="read\twrite"), 302),
        E("scope with HTML", az_pairs(scope="<b>read</b>"), 302),
        E("scope READ", az_pairs(scope="READ"), 302),
        # resource (RFC 8707)
        E("resource urn:x", az_pairs(state="s", resource="urn:x"), 302),
        E("resource with userinfo", az_pairs(resource="https://u@api.example.com/"), 302),
        E("resource with a fragment", az_pairs(resource="https://api.example.com/#f"), 302),
        E("empty resource", az_pairs(resource=""), 302),
        E("a valid and an invalid resource", az_pairs() + [("resource", "https://api.example.com/"),
                                                           ("resource", "/relative")], 302),
        E("resource urn:x and a bad scope (scope first)", az_pairs(scope="foo", resource="urn:x"), 302),
        # The error redirect's encoding
        E("error redirect onto a URI with a query, state 's t'",
          az_pairs("two", drop=no_pkce, redirect_uri=AZ_OTHER, state="s t"), 302),
        E("error redirect, state é è", az_pairs(drop=no_pkce, state="éè"), 302),
        E("error redirect, state with HTML and &=?#", az_pairs(drop=no_pkce, state="<a href=\"x\">&=?#</a>"), 302),
        E("error redirect, no state", az_pairs(drop=no_pkce + ("state",)), 302),
        E("error redirect, the default redirect URI", az_pairs(drop=no_pkce + ("redirect_uri",)), 302),
        E("error redirect to a loopback port", az_pairs("native", drop=no_pkce,
                                                        redirect_uri="http://127.0.0.1:8765/cb"), 302),
        E("error redirect to a custom scheme (not an allowed scheme)",
          az_pairs("native", drop=no_pkce, redirect_uri=AZ_NATIVE), 400),
        p_divergence(E("a malformed % escape in the query", "?client_id=parity-authz-client&response_type=code&a=%zz"),
                     "DOT answers 500 (oauthlib's ValueError); the port refuses the query (400)",
                     az_secure_bad_escape, django_status=500),
        p_divergence(E("a malformed % escape %2z", "?client_id=parity-authz-client&a=%2z&response_type=code"),
                     "DOT answers 500 (oauthlib's ValueError); the port refuses the query (400)",
                     az_secure_bad_escape, django_status=500),
        # prompt
        E("prompt=login while logged in", az_pairs(prompt="login"), 302),
        E("prompt=login with an invalid request (validation first)", az_pairs(prompt="login", scope="foo"), 302),
        E("prompt='consent login'", az_pairs(prompt="consent login"), 302),
        p_divergence(E("prompt=create while logged in", az_pairs(prompt="create")),
                     "prompt=create: DOT answers its JSON 400 `prompt=create is not supported`; the port may "
                     "handle it otherwise as long as nothing is issued", az_secure_no_code),
        p_divergence(E("prompt='create login' while logged in", az_pairs(prompt="create login")),
                     "prompt=create: DOT answers its JSON 400; the port may handle it otherwise as long as "
                     "nothing is issued", az_secure_no_code),
        # The implicit grant
        p_divergence(E("implicit app, response_type=token", az_pairs("implicit", response_type="token", scope="read",
                                                                     state="q")),
                     "the implicit grant: DOT shows the consent page; the port refuses it (unauthorized_client, "
                     "RFC 9700 §2.1.2)", az_secure_redirect(AZ_CB + "?error=unauthorized_client&state=q"),
                     django_status=200),
        p_divergence(AZS("implicit app, response_type=token, anonymous prompt=none", session=None,
                         query=az_q(az_pairs("implicit", response_type="token", state="q", prompt="none"))),
                     "the implicit grant: DOT validates it (login_required); the port refuses it "
                     "(unauthorized_client)", az_secure_redirect(AZ_CB + "?error=unauthorized_client&state=q"),
                     django_status=302),
        # Methods
        AZS("OPTIONS", "OPTIONS", query=az_q(az_pairs()), want=200),
        AZS("HEAD", "HEAD", query=az_q(az_pairs()), want=200),
        AZS("TRACE", "TRACE", query=az_q(az_pairs()), want=405),
        p_divergence(AZS("DELETE", "DELETE", query=az_q(az_pairs())),
                     "an unsafe method without a CSRF token: DOT answers 405, CsrfViewMiddleware would refuse first",
                     az_secure_csrf, django_status=405),
        p_divergence(AZS("PATCH", "PATCH", query=az_q(az_pairs())),
                     "an unsafe method without a CSRF token: DOT answers 405, CsrfViewMiddleware would refuse first",
                     az_secure_csrf, django_status=405),
        p_divergence(AZS("PUT with the CSRF token in X-CSRFToken (an empty form: errors)", "PUT",
                         query=az_q(az_pairs()), headers=[("X-CSRFToken", "@az_csrf_form@")]),
                     "PUT: DOT re-renders the empty form; a port that reads the CSRF token from the form only "
                     "refuses (403)", az_secure_csrf, django_status=200),
        p_divergence(AZS("PUT without a CSRF token", "PUT", query=az_q(az_pairs())),
                     "no CSRF token: DOT re-renders the empty form, the port refuses (403)", az_secure_csrf,
                     django_status=200),
    ]
    # skip_authorization and approval_prompt=auto: a code at once.
    steps += [
        E("skip_authorization: a code at once", az_pairs("skip", state="st"), 302, prefix="skip1"),
        Step("skip_authorization: the grant row", action=az_grant("skip1")),
        az_redeem("skip_authorization: the code redeemed", "azskip1", "skip1", client="skip"),
        Step("skip_authorization: the token rows", action=p_db("p_azskip1_at", "p_azskip1_rt")),
        Step("skip_authorization: the grant row is gone", action=az_grant("skip1")),
        E("skip_authorization, no PKCE (validation first)", az_pairs("skip", drop=no_pkce), 302),
        E("skip_authorization, default redirect URI and scopes, no state", az_pairs(
            "skip", drop=("redirect_uri", "scope", "state")), 302, prefix="skip2"),
        Step("skip_authorization, defaults: the grant row", action=az_grant("skip2")),
        E("skip_authorization, prompt=none", az_pairs("skip", prompt="none"), 302, prefix="skip3"),
        E("skip_authorization, invalid resource", az_pairs("skip", resource="urn:x"), 302),
        E("skip_authorization, a resource", az_pairs("skip", resource="https://api.example.com/x"), 302,
          prefix="skip4"),
        Step("skip_authorization, a resource: the grant row", action=az_grant("skip4")),
        AZS("skip_authorization, anonymous", query=az_q(az_pairs("skip")), session=None, want=302),
        E("approval_prompt=auto, a token covers 'read'", az_pairs(scope="read", approval_prompt="auto", state="q"),
          302, prefix="auto1"),
        Step("approval_prompt=auto: the grant row", action=az_grant("auto1")),
        E("approval_prompt=auto, a token covers 'write read'", az_pairs(scope="write read", approval_prompt="auto",
                                                                        drop=("state",)), 302, prefix="auto2"),
        az_redeem("approval_prompt=auto: the code redeemed", "azauto2", "auto2"),
        Step("approval_prompt=auto: the token rows", action=p_db("p_azauto2_at", "p_azauto2_rt")),
        E("approval_prompt=auto, a covered scope but no PKCE", az_pairs(scope="read", approval_prompt="auto",
                                                                       drop=no_pkce), 302),
        Step("pending codes of skip", action=az_grant_count("skip")),
    ]
    return steps


def az_post_steps() -> list[Step]:
    """Logged in: the consent form posted (allow, deny, form errors, tampered fields), each code's
    grant row, and codes redeemed on the side that issued them and on the other side."""
    POST = lambda name, fields, want=None, **kw: AZS(name, "POST", fields=fields, want=want, **kw)
    other = "other"
    no_pkce = ("code_challenge", "code_challenge_method")
    steps = [
        # Allow, then redeem: on the same server, then (a fresh code) on the other server.
        POST("allow (S256)", az_form(), 302, prefix="c1"),
        Step("allow (S256): the grant row", action=az_grant("c1")),
        az_redeem("allow (S256): the code redeemed", "azc1", "c1"),
        Step("allow (S256): the token rows", action=p_db("p_azc1_at", "p_azc1_rt")),
        Step("allow (S256): the grant row is gone", action=az_grant("c1")),
        az_redeem("allow (S256): the code redeemed again", "azc1b", "c1", want=400),
        POST("allow, a code for the other server", az_form(state="cross"), 302, prefix="c2"),
        Step("allow, a code for the other server: the grant row", action=az_grant("c2")),
        az_redeem("the code redeemed by the other server", "azc2", "c2", target=other),
        Step("the other server's redemption: the token rows", action=p_db("p_azc2_at", "p_azc2_rt")),
        Step("the other server's redemption: the grant row is gone", action=az_grant("c2")),
        az_redeem("the code redeemed again, on this server", "azc2b", "c2", want=400),
        POST("allow, a code for the other server's refusals", az_form(), 302, prefix="c3"),
        az_redeem("the other server: wrong code_verifier", "azc3x", "c3", verifier="x" * 50, want=400, target=other),
        az_redeem("the other server: no code_verifier", "azc3y", "c3", verifier=None, want=400, target=other),
        az_redeem("the other server: another redirect_uri", "azc3z", "c3", redirect=AZ_OTHER, want=400,
                  target=other),
        az_redeem("the other server: another client", "azc3w", "c3", client="two", want=400, target=other),
        Step("after the other server's refusals: the grant row", action=az_grant("c3")),
        az_redeem("the other server: then the right verifier", "azc3", "c3", target=other),
        Step("after the other server's redemption: the token rows", action=p_db("p_azc3_at", "p_azc3_rt")),
        POST("allow, redeemed without redirect_uri", az_form(), 302, prefix="c4"),
        az_redeem("redeemed without redirect_uri (the one registered URI)", "azc4", "c4", redirect=None),
        POST("allow, PKCE plain", az_form(code_challenge=AZ_PLAIN, code_challenge_method="plain"), 302, prefix="c5"),
        Step("allow, PKCE plain: the grant row", action=az_grant("c5")),
        az_redeem("PKCE plain: redeemed by the other server with the S256 verifier", "azc5x", "c5", want=400,
                  target=other),
        az_redeem("PKCE plain: redeemed by the other server", "azc5", "c5", verifier=AZ_PLAIN, target=other),
        POST("allow, a challenge without a method", az_form(code_challenge=AZ_PLAIN, code_challenge_method=""), 302,
             prefix="c6"),
        Step("allow, a challenge without a method: the grant row", action=az_grant("c6")),
        az_redeem("a challenge without a method: redeemed as plain", "azc6", "c6", verifier=AZ_PLAIN),
        POST("allow, no state", az_form(state=""), 302, prefix="c7"),
        POST("allow, state é and HTML", az_form(state="é <b>&amp;\"x\" ?#"), 302, prefix="c8"),
        Step("allow, state é and HTML: the grant row", action=az_grant("c8")),
        POST("allow, the redirect URI with a query", az_form("two", redirect_uri=AZ_OTHER, state="s t"), 302,
             prefix="c9"),
        Step("allow, the redirect URI with a query: the grant row", action=az_grant("c9")),
        az_redeem("two URIs: redeemed without redirect_uri", "azc9x", "c9", client="two", redirect=None, want=400),
        az_redeem("two URIs: redeemed with the other URI", "azc9y", "c9", client="two", want=400, target=other),
        POST("allow, public client", az_form("public"), 302, prefix="c10"),
        az_redeem("public client: redeemed by the other server with client_id only", "azc10", "c10", client="public",
                  auth_mode="client_id", target=other),
        Step("public client: the token rows", action=p_db("p_azc10_at", "p_azc10_rt")),
        POST("allow, two resources", az_form(resource="https://api.example.com/x https://b.example.com/"), 302,
             prefix="c11"),
        Step("allow, two resources: the grant row", action=az_grant("c11")),
        az_redeem("two resources: redeemed", "azc11", "c11"),
        Step("two resources: the token rows", action=p_db("p_azc11_at", "p_azc11_rt")),
        POST("allow, nonce and claims", az_form(nonce="n-1", claims='{"id_token": {"email": null}}'), 302,
             prefix="c12"),
        Step("allow, nonce and claims: the grant row", action=az_grant("c12")),
        POST("allow, a loopback port", az_form("native", redirect_uri="http://127.0.0.1:8765/cb"), 302, prefix="c13"),
        Step("allow, a loopback port: the grant row", action=az_grant("c13")),
        az_redeem("a loopback port: redeemed by the other server", "azc13", "c13", client="native",
                  redirect="http://127.0.0.1:8765/cb", target=other),
        Step("pending codes of native before the custom scheme", action=az_grant_count("native")),
        POST("allow, a custom-scheme redirect URI (not an allowed scheme)", az_form("native", redirect_uri=AZ_NATIVE),
             400),
        Step("pending codes of native after the custom scheme", action=az_grant_count("native"),
             check=az_fewer_grants("DOT writes the grant before it refuses the redirect"), generic=False,
             note="divergence: DOT writes the code before it refuses the redirect's scheme; the port may not"),
        POST("deny, a custom-scheme redirect URI", az_form("native", redirect_uri=AZ_NATIVE, allow=None), 400),
        # The `allow` field (a BooleanField: "false" / "0" (any case) and missing are False)
        POST("allow=on", az_form(allow="on"), 302, prefix="c14"),
        POST("allow=true", az_form(allow="true"), 302),
        POST("allow=no (true for Django)", az_form(allow="no"), 302, prefix="c15"),
        POST("allow=False", az_form(allow="False"), 302),
        POST("allow=FALSE", az_form(allow="FALSE"), 302),
        POST("allow=0 (true: CheckboxInput maps only 'true' / 'false')", az_form(allow="0"), 302),
        POST("allow= (empty)", az_form(allow=""), 302),
        POST("allow twice, the last false", az_form(allow="Authorize") + [("allow", "false")], 302),
        POST("deny", az_form(allow=None), 302),
        POST("deny, no state", az_form(allow=None, state=""), 302),
        POST("deny, state é", az_form(allow=None, state="é x"), 302),
        POST("deny, the redirect URI with a query", az_form("two", redirect_uri=AZ_OTHER, allow=None), 302),
        POST("deny, an invalid scope (denied first)", az_form(allow=None, scope="foo"), 302),
        POST("deny, no PKCE (denied first)", az_form(allow=None, drop=no_pkce), 302),
        p_divergence(POST("deny, a redirect_uri the application never registered",
                          az_form(allow=None, redirect_uri="https://evil.example.com/cb")),
                     "DOT denies before it validates: an open redirect to the form's redirect_uri; the port "
                     "refuses without redirecting", az_secure_not_redirected, django_status=302),
        p_divergence(POST("deny, an application without redirect URIs", az_form("none", allow=None)),
                     "DOT denies before it validates: a redirect to a URI the application never registered; "
                     "the port refuses without redirecting", az_secure_not_redirected, django_status=302),
        p_divergence(POST("deny, redirect_uri javascript:", az_form(allow=None, redirect_uri="javascript:alert(1)")),
                     "DOT denies before it validates (then Django refuses the scheme, 400); the port refuses "
                     "without redirecting", az_secure_not_redirected, django_status=400),
        p_divergence(POST("deny, redirect_uri relative", az_form(allow=None, redirect_uri="/cb")),
                     "DOT denies before it validates (then refuses a redirect without scheme, 400); the port "
                     "refuses without redirecting", az_secure_not_redirected, django_status=400),
        POST("deny, skip_authorization app", az_form("skip", allow=None), 302),
        Step("pending codes of one after the denials", action=az_grant_count("one")),
        # Form errors: 200, the form again with Django's errorlist.
        POST("form error: no client_id", az_form(drop=("client_id",)), 200),
        POST("form error: empty client_id", az_form(client_id=""), 200),
        POST("form error: no redirect_uri", az_form(drop=("redirect_uri",)), 200),
        POST("form error: no scope", az_form(drop=("scope",)), 200),
        POST("form error: empty response_type", az_form(response_type=""), 200),
        POST("form error: only the CSRF token", [], 200),
        POST("form error: only allow", [("allow", "Authorize")], 200),
        p_divergence(POST("form error: a JSON body", az_form(), body="json"),
                     "a JSON body (the CSRF token in it is no form field): DOT re-renders the empty form, the port "
                     "refuses (403)", az_secure_csrf, django_status=200),
        POST("form error: HTML in the other fields (escaped)",
             az_form(drop=("client_id",), state="<i>\"s\"</i>&'", scope="read \"<b>\" & 'x'", nonce="<n>",
                     code_challenge="a&b", resource="https://x/?a=<1>"), 200),
        POST("form error: the deny button", az_form(drop=("scope", "response_type"), allow=None), 200),
        POST("multipart form", az_form(), 302, body="multipart", prefix="c16"),
        Step("multipart form: the grant row", action=az_grant("c16")),
        POST("repeated fields (the last counts)", az_form() + [("scope", "read"), ("state", "last")], 302,
             prefix="c17"),
        Step("repeated fields: the grant row", action=az_grant("c17")),
        # Tampered fields: oauthlib validates the form's values again.
        POST("tampered: scope foo", az_form(scope="foo"), 302),
        POST("tampered: scope widened to a valid one", az_form(scope="read write admin"), 302, prefix="c18"),
        Step("tampered scope: the grant row", action=az_grant("c18")),
        POST("tampered: redirect_uri of another host", az_form(redirect_uri="https://evil.example.com/cb"), 400),
        POST("tampered: redirect_uri relative", az_form(redirect_uri="/cb"), 400),
        POST("tampered: redirect_uri with a fragment", az_form(redirect_uri=AZ_CB + "#f"), 400),
        POST("tampered: PKCE removed", az_form(drop=no_pkce), 302),
        POST("tampered: PKCE emptied", az_form(code_challenge="", code_challenge_method=""), 302),
        POST("tampered: code_challenge_method S512", az_form(code_challenge_method="S512"), 302),
        p_divergence(POST("tampered: response_type token", az_form(response_type="token")),
                     "the implicit grant's handler: DOT sends unauthorized_client in the fragment; the port refuses "
                     "response_type=token in the query as on GET",
                     az_secure_redirect(AZ_CB + "?error=unauthorized_client&state=xyz"), django_status=302),
        POST("tampered: response_type foo", az_form(response_type="foo"), 302),
        POST("tampered: client_id of the password app", az_form("pw"), 302),
        POST("tampered: client_id of the two-URI app", az_form("two"), 302, prefix="c19"),
        Step("tampered client_id: the grant row", action=az_grant("c19")),
        POST("tampered: client_id of an app without redirect URIs", az_form("none"), 400),
        POST("tampered: resource urn:x", az_form(resource="urn:x", state="r"), 302),
        POST("tampered: resource, one valid one relative", az_form(resource="https://a.example.com/ /x"), 302),
        POST("skip_authorization app, allow", az_form("skip"), 302, prefix="c20"),
        # The POST URL's query string: oauthlib reads it, the form's values win.
        POST("a query string: client_id, scope, redirect_uri (the form wins)", az_form(), 302, prefix="c21",
             query="?client_id=evil&scope=foo&redirect_uri=https%3A%2F%2Fevil.example.com%2F&state=q"),
        Step("a query string: the grant row", action=az_grant("c21")),
        POST("a query string supplies the PKCE the form lacks", az_form(drop=no_pkce), 302, prefix="c22",
             query=f"?code_challenge={AZ_CHALLENGE}&code_challenge_method=S256"),
        Step("PKCE from the query: the grant row", action=az_grant("c22")),
        POST("a query string with state twice", az_form(), 400, query="?state=a&state=b"),
        POST("a query string with nonce", az_form(), 302, query="?nonce=from-query", prefix="c23"),
        Step("nonce from the query: the grant row", action=az_grant("c23")),
        p_divergence(POST("a query string with a malformed % escape", az_form(), query="?a=%zz"),
                     "DOT answers 500 (oauthlib's ValueError); the port refuses the query (400)",
                     az_secure_bad_escape, django_status=500),
        # Recorded divergences
        p_divergence(POST("unknown client_id", az_form("nope")),
                     "DOT answers 500 (Application.DoesNotExist); the port shows the fatal error page",
                     az_secure_fatal("Invalid client_id parameter value."), django_status=500),
        p_divergence(POST("deny, unknown client_id", az_form("nope", allow=None)),
                     "DOT answers 500 (Application.DoesNotExist); the port shows the fatal error page",
                     az_secure_fatal("Invalid client_id parameter value."), django_status=500),
        p_divergence(POST("implicit app, response_type=token, allow",
                          az_form("implicit", response_type="token", scope="read", state="q", drop=no_pkce),
                          prefix="imp1"),
                     "the implicit grant: DOT issues an access token in the fragment; the port refuses it "
                     "(unauthorized_client, RFC 9700 §2.1.2)",
                     az_secure_redirect(AZ_CB + "?error=unauthorized_client&state=q"), django_status=302),
        p_divergence(POST("implicit app, response_type=token, deny",
                          az_form("implicit", response_type="token", scope="read", state="q", drop=no_pkce,
                                  allow=None)),
                     "the implicit grant: DOT answers access_denied; the port may refuse the grant first",
                     az_secure_redirect(AZ_CB + "?error=unauthorized_client&state=q",
                                        AZ_CB + "?error=access_denied&state=q"), django_status=302),
        Step("pending codes of one at the end", action=az_grant_count("one")),
        Step("pending codes of public at the end", action=az_grant_count("public")),
    ]
    return steps


def az_csrf_steps() -> list[Step]:
    """Consent POSTs without a valid CSRF token (the two-URI application, whose codes are never
    redeemed): DOT takes them (no CsrfViewMiddleware in the reference project); the port refuses
    them (403)."""
    note = "no valid CSRF token: DOT (no CsrfViewMiddleware) takes the POST; the port refuses it (403)"
    origin_note = "a cross-site Origin: DOT (no CsrfViewMiddleware) takes the POST; the port refuses it (403)"
    D = lambda step, status=302: p_divergence(step, note, az_secure_csrf, django_status=status)
    form = az_form("two")
    other_secret = "Z" * 32
    return [
        Step("pending codes of two before the CSRF refusals", action=az_grant_count("two")),
        D(AZS("CSRF: no csrftoken cookie, no token", "POST", fields=form, session="nocsrf", csrf=False)),
        D(AZS("CSRF: the cookie, no token", "POST", fields=form, csrf=False)),
        D(AZS("CSRF: the cookie, an empty token", "POST", fields=[("csrfmiddlewaretoken", "")] + form, csrf=False)),
        D(AZS("CSRF: the cookie, a wrong 64-character token", "POST", fields=form, csrf="a" * 64)),
        D(AZS("CSRF: the cookie, a token of another secret", "POST", fields=form,
              csrf=mask_csrf(other_secret, "0123456789ABCDEFGHIJKLMNOPQRSTUV"))),
        D(AZS("CSRF: the page's token, no cookie", "POST", fields=form, session="nocsrf")),
        D(AZS("CSRF: the page's token, a cookie of another secret", "POST", fields=form, session=None,
              headers=[("Cookie", f"sessionid=@authz_sid@; csrftoken={other_secret}")])),
        D(AZS("CSRF: deny without a token", "POST", fields=az_form("two", allow=None), csrf=False)),
        D(AZS("CSRF: a form error without a token", "POST", fields=az_form("two", drop=("client_id",)), csrf=False),
          200),
        p_divergence(AZS("CSRF: Origin of another site with a valid token", "POST", fields=form,
                         headers=[("Origin", "http://evil.example.com")]), origin_note, az_secure_csrf,
                     django_status=302),
        p_divergence(AZS("CSRF: Origin null with a valid token", "POST", fields=form, headers=[("Origin", "null")]),
                     origin_note, az_secure_csrf, django_status=302),
        p_divergence(AZS("CSRF: the token in X-CSRFToken instead of the form", "POST", fields=form, csrf=False,
                         headers=[("X-CSRFToken", "@az_csrf_form@")]),
                     "Django's CsrfViewMiddleware also takes the X-CSRFToken header; a port that reads the form "
                     "field only refuses (403)", az_secure_csrf, django_status=302),
        AZS("CSRF: a valid token and the own Origin", "POST", fields=form, headers=[("Origin", "http://@host@")],
            want=302),
        Step("pending codes of two after the CSRF refusals", action=az_grant_count("two"),
             check=az_fewer_grants("the port refused the POSTs without a valid CSRF token"), generic=False,
             note="divergence: the CSRF refusals write no code on the port"),
    ]


RANDOM_AUTHORIZE_REQUESTS = int(os.environ.get("PARITY_AUTHORIZE_RANDOM_REQUESTS", "40"))


def az_random_steps(seed: int, count: int) -> list[Step]:
    """Seeded random GETs and consent POSTs: a valid request of a random application with zero to
    three random defects (another client, a dropped, repeated or changed parameter: redirect URI,
    response type, state, scope, PKCE, resource, prompt, approval_prompt, unknown parameters, the
    order) on a random session; never a recorded divergence. Codes issued here are never redeemed."""
    rng = random.Random(seed)
    bases = ["one"] * 5 + ["two", "skip", "public", "native"]
    registered = {"one": (AZ_CB,), "two": (AZ_CB, AZ_OTHER), "skip": (AZ_CB,), "public": (AZ_CB,)}
    values = {
        "client_id": [AZ_CLIENTS[c][0] for c in ("one", "two", "skip", "pw", "public", "none")] + ["nope", ""],
        "redirect_uri": [AZ_CB, AZ_CB, AZ_OTHER, "https://evil.example.com/cb", "/cb", AZ_CB + "#f",
                         "http://127.0.0.1:5000/cb", AZ_LOOPBACK, AZ_CB + "/", ""],
        "response_type": ["code", "", "token", "foo", "none", "code token", "CODE"],
        "state": ["xyz", "", "é", "<&>\"'", "a b+c", "%41", "x" * 300],
        "scope": ["read", "read write", "write read", "foo", "", "orders:read admin", "read  write", P_ALL_SCOPES],
        "code_challenge": [AZ_CHALLENGE, AZ_PLAIN, "", "abc"],
        "code_challenge_method": ["S256", "plain", "S512", ""],
        "resource": ["https://api.example.com/x", "urn:x", ""],
        "prompt": ["none", "login", "consent", "none login"],
        "approval_prompt": ["auto", "auto", "force"],
        "nonce": ["n", "<n>"], "foo": ["1", "a b"],
    }
    steps = []
    for i in range(count):
        base = rng.choice(bases)
        pairs = az_pairs(base, redirect_uri=AZ_LOOPBACK) if base == "native" else az_pairs(base)
        defects = rng.choices([0, 1, 2, 3], weights=[3, 4, 3, 1])[0]
        labels = []
        for _ in range(defects):
            kind = rng.choice(["drop", "repeat", "set", "set", "set", "set", "add", "shuffle"])
            if kind == "drop" and pairs:
                gone = pairs.pop(rng.randrange(len(pairs)))
                labels.append(f"no {gone[0]}")
            elif kind == "repeat" and pairs:
                again = rng.choice(pairs)
                pairs.insert(rng.randrange(len(pairs) + 1), (again[0], rng.choice([again[1]] + values.get(again[0],
                                                                                                          [""]))))
                labels.append(f"{again[0]} twice")
            elif kind == "set":
                name = rng.choice(["client_id", "redirect_uri", "response_type", "state", "scope", "code_challenge",
                                   "code_challenge_method"])
                value = rng.choice(values[name])
                pairs = [(k, value if k == name else v) for k, v in pairs]
                if name not in dict(pairs):
                    pairs.append((name, value))
                labels.append(f"{name}={value[:20]!r}")
            elif kind == "add":
                name = rng.choice(["resource", "prompt", "approval_prompt", "nonce", "foo"])
                pairs.append((name, rng.choice(values[name])))
                labels.append(f"+{name}")
            else:
                rng.shuffle(pairs)
                labels.append("shuffled")
        label = f"{base}" + (f" ({', '.join(labels)})" if labels else "")
        session = rng.choices(["authz", None, "badsession"], weights=[17, 2, 1])[0]
        last = dict(pairs)
        if session == "authz" and rng.random() < 0.3:
            fields = [(k, v) for k, v in pairs if k in ("redirect_uri", "scope", "nonce", "client_id", "state",
                                                         "response_type", "code_challenge",
                                                         "code_challenge_method", "claims", "resource")]
            if last.get("client_id") == "nope":  # an unknown client_id: DOT's 500, a recorded divergence
                fields = [(k, v) for k, v in fields if k != "client_id"]
            # response_type=token: the implicit handler's fragment, a recorded divergence
            fields = [(k, "code" if (k, v) == ("response_type", "token") else v) for k, v in fields]
            allow = rng.choice(["Authorize", "Authorize", "Authorize", "on", "false", "", None])
            client = next((c for c, (cid, _) in AZ_CLIENTS.items() if cid == last.get("client_id")), None)
            if allow in ("false", "", None) and last.get("redirect_uri", AZ_CB) not in registered.get(client, ()):
                allow = "Authorize"  # DOT denies before it validates: its open redirect is a recorded divergence
            if allow is not None:
                fields.append(("allow", allow))
            body = rng.choices(["form", "multipart"], weights=[4, 1])[0]
            steps.append(AZS(f"random {i}: POST {label}, allow={allow!r}, {body}", "POST", fields=fields, body=body))
        else:
            steps.append(AZS(f"random {i}: GET {label}, session {session}", query=az_q(pairs) if pairs else "",
                             session=session))
    steps.append(Step("random: pending codes of one at the end", action=az_grant_count("one")))
    return steps


def oauth2_authorize_groups(provider: dict | None = None) -> list[Group]:
    """The `oauth2-authorize` group (see the section's comment)."""
    settings = dict(OAUTH2_PROVIDER_BASE, **(provider or {}))
    steps = [Step("fixtures: the applications, users and tokens of parity_oauth2", action=az_setup(settings))]
    steps += az_anonymous_steps()
    steps += az_consent_steps()
    steps += az_error_steps()
    steps += az_post_steps()
    steps += az_csrf_steps()
    steps += az_random_steps(PARITY_SEED + 22, RANDOM_AUTHORIZE_REQUESTS)
    # `"`, `<`, `>` (and `{`, `|`, `}`) in the request target: actix-web's parser refuses the
    # request before any library code, as in the oauth2 group.
    for step in steps:
        if step.name.startswith(("anonymous GET, raw \"", "consent page, state with raw \"")):
            step.check = transport_refusal(step.want or 200, "a non-URI character in the request target")
            step.generic = False
            step.note = URI_TRANSPORT_NOTE
    return [Group("oauth2-authorize", steps)]


# --------------------------------------------------------------------------------------------------
# Running and comparing

PLACEHOLDER = re.compile(r"@([a-z_0-9]+)@")
PLACEHOLDER_B = re.compile(rb"@([a-z_0-9]+)@")


# WSGI semantics: what gunicorn hands Django ------------------------------------------------------------
# Repeated cookies (the last counts, nothing percent-decoded, quoted values unquoted), several
# `Cookie` lines (joined by "," before Django parses them), repeated form fields (the last
# counts), header bytes outside ASCII (Latin-1 in `request.META`), a JSON body of `null`, a NUL
# in a lookup key. Deterministic scenarios first, then seeded random requests mixing them.

PARITY_SEED = int(os.environ.get("PARITY_SEED", "20261206"))
RANDOM_WSGI_REQUESTS = int(os.environ.get("PARITY_RANDOM_REQUESTS", "160"))


def percent_first(ctx_key):
    """The value with its first character percent-encoded (Django does not decode it)."""
    return lambda ctx: "%{:02X}{}".format(ord(ctx[ctx_key][0]), ctx[ctx_key][1:])


def wsgi_semantics_groups() -> list[Group]:
    SP, P, RU = "/session/", "/api-token-auth/", "/remote-user/"
    J = json_body({"a": 1})
    hdr = lambda token: [("X-CSRFToken", token)]
    wrong_csrf = "b" * 32
    steps = [
        # Repeated cookie names: Django keeps the last.
        S("sessionid twice, valid last", "GET", SP, [("Cookie", "sessionid=garbage; sessionid=@sid@")], want=200),
        S("sessionid twice, valid first", "GET", SP, [("Cookie", "sessionid=@sid@; sessionid=garbage")], want=403),
        S("sessionid twice, empty last", "GET", SP, [("Cookie", "sessionid=@sid@; sessionid=")], want=403),
        S("sessionid quoted", "GET", SP, [("Cookie", 'sessionid="@sid@"')], want=200),
        S("sessionid percent-encoded (not decoded)", "GET", SP,
          [("Cookie", lambda ctx: "sessionid=" + percent_first("sid")(ctx))], want=403),
        S("sessionid name in another case", "GET", SP, [("Cookie", "SessionID=@sid@")], want=403),
        S("sessionid with spaces around = and ;", "GET", SP, [("Cookie", " sessionid =  @sid@ ;x=1")], want=200),
        S("sessionid after a part without =", "GET", SP, [("Cookie", "junk; sessionid=@sid@")], want=200),
        S("sessionid with a non-ASCII cookie before it", "GET", SP, [("Cookie", b"n=\xe9\xff; sessionid=@sid@")],
          want=200),
        # Several Cookie lines: one value joined by ",".
        S("two Cookie lines, sessionid in the second", "GET", SP, [("Cookie", "a=1"), ("Cookie", "sessionid=@sid@")],
          want=403),
        S("two Cookie lines, sessionid in the first", "GET", SP,
          [("Cookie", "sessionid=@sid@"), ("Cookie", "csrftoken=@csrf@")], want=403),
        S("two Cookie lines, sessionid whole in the second after ;", "GET", SP,
          [("Cookie", "a=1;"), ("Cookie", "sessionid=@sid@")], want=403),
        S("three Cookie lines ending with ; sessionid", "GET", SP,
          [("Cookie", "a=1"), ("Cookie", "b=2"), ("Cookie", "c=3; sessionid=@sid@")], want=200),
        # Repeated csrftoken: the last decides.
        with_body("csrftoken twice, valid last", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=" + wrong_csrf + "; csrftoken=@csrf@")] + hdr("@csrf@"),
                  J, want=200),
        with_body("csrftoken twice, valid first", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@; csrftoken=" + wrong_csrf)] + hdr("@csrf@"),
                  J, want=403),
        with_body("csrftoken quoted", "POST", SP, [("Cookie", 'sessionid=@sid@; csrftoken="@csrf@"')] + hdr("@csrf@"),
                  J, want=200),
        # Repeated form fields: the last counts.
        with_body("csrfmiddlewaretoken twice, valid last", "POST", SP, [("Cookie", "sessionid=@sid@; csrftoken=@csrf@")],
                  form_body([("csrfmiddlewaretoken", wrong_csrf), ("csrfmiddlewaretoken", "@csrf@")]), want=200),
        with_body("csrfmiddlewaretoken twice, valid first", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@")],
                  form_body([("csrfmiddlewaretoken", "@csrf@"), ("csrfmiddlewaretoken", wrong_csrf)]), want=403),
        with_body("multipart csrfmiddlewaretoken twice, valid last", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@")],
                  multipart_body([("csrfmiddlewaretoken", wrong_csrf), ("csrfmiddlewaretoken", "@csrf_masked@")]),
                  want=200),
        with_body("obtain-token: username twice, valid last", "POST", P, [],
                  form_body([("username", "nobody"), ("username", "john"), ("password", "password")]), want=200),
        with_body("obtain-token: password twice, valid first", "POST", P, [],
                  form_body([("username", "john"), ("password", "password"), ("password", "nope")]), want=400),
        # A JSON body of null, and other non-objects.
        S("obtain-token: JSON null", "POST", P, [("Content-Type", "application/json")], b"null", want=400),
        S("obtain-token: JSON null with spaces", "POST", P, [("Content-Type", "application/json")], b" null\n",
          want=400),
        S("obtain-token: JSON string", "POST", P, [("Content-Type", "application/json")], b'"john"', want=400),
        S("obtain-token: JSON number", "POST", P, [("Content-Type", "application/json")], b"1.5", want=400),
        S("obtain-token: JSON true", "POST", P, [("Content-Type", "application/json")], b"true", want=400),
        # Header bytes outside ASCII: Latin-1 in request.META.
        S("X-Remote-User: UTF-8 bytes of jöhn", "GET", RU, [("X-Remote-User", "jöhn_@s@".encode("utf-8"))],
          want=200),
        S("X-Remote-User: Latin-1 byte of jöhn", "GET", RU, [("X-Remote-User", "jöhn_@s@".encode("latin-1"))],
          want=200),
        S("X-Remote-User: two lines", "GET", RU, [("X-Remote-User", "john"), ("X-Remote-User", "x_@s@")],
          want=200),
        with_body("Origin with UTF-8 bytes (in the refusal)", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@"), ("Origin", "http://\u00e9vil.com".encode("utf-8"))]
                  + hdr("@csrf@"), J, want=403),
        with_body("Referer with UTF-8 bytes over HTTPS (in the refusal)", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@"), (SSL_HEADER, "https"),
                   ("Referer", "https://\u00e9vil.com/x".encode("utf-8"))] + hdr("@csrf@"), J, want=403),
        with_body("X-CSRFToken of 16 two-byte characters (32 bytes)", "POST", SP,
                  [("Cookie", "sessionid=@sid@; csrftoken=@csrf@"), ("X-CSRFToken", ("\u00e9" * 16).encode("utf-8"))],
                  J, want=403),
        # A NUL in a lookup key: no row can match; 401 without a database error.
        S("Basic username with NUL", "GET", "/basic/", auth(basic("jo\x00hn", "password")), want=401),
        S("Basic username NUL only", "GET", "/basic/", auth(basic("\x00", "password")), want=401),
        with_body("obtain-token: username with NUL (field validation)", "POST", P, [],
                  json_body({"username": "jo\u0000hn", "password": "password"}), want=400),
    ]
    groups = [Group("wsgi-semantics", steps)]
    groups.append(Group(f"wsgi-random (seed {PARITY_SEED})", random_wsgi_steps(PARITY_SEED, RANDOM_WSGI_REQUESTS)))
    return groups


def check_rendered(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """A rendered answer compared byte for byte: the whole Content-Type, Vary and the body."""
    diffs = []
    for name in ("content-type", "vary"):
        if dj.header(name) != rs.header(name):
            diffs.append(f"{name}: django {dj.header(name)!r} / rust {rs.header(name)!r}")
    if dj.body != rs.body:
        diffs.append(f"body: django {show_body(dj)!r} / rust {show_body(rs)!r}")
    return diffs


HTML_CRASH_NOTE = ("DRF renders an HTML refusal raised before authentication (406, or 404 for ?format=) through "
                   "Django's template engine, whose auth context processor reads request.user: wrong credentials "
                   "then raise inside the renderer and the reference answers 500; here the refusal's page")


SET_ORDER_NOTE = ("two equally specific Accept entries match JSON with different parameters: DRF takes the one its "
                  "Python set yields first (string hashes, different in each process), so its `indent` varies; "
                  "here the first in the header")


def json_entries_tie(step: Step) -> bool:
    """Whether the step's Accept carries `indent` and more than one entry JSON can match (where DRF's
    choice among equally specific ones follows Python's set order)."""
    values = [value.decode("latin-1") if isinstance(value, bytes) else value
              for name, value in step.headers if isinstance(name, str) and name.lower() == "accept"]
    accept = ",".join(v for v in values if isinstance(v, str))
    if "indent" not in accept:
        return False
    json_like = [e for e in accept.split(",")
                 if e.strip().lower().startswith(("application/json", "application/*", "*/*"))]
    return len(json_like) > 1


def rendered(step: Step) -> Step:
    """`step` compared byte for byte (`check_rendered`), except where the reference crashes on an
    HTML refusal made before authentication (HTML_CRASH_NOTE): there the port must answer that
    refusal (404 or 406) as an HTML page."""
    from dataclasses import replace

    plain = replace(step, check=check_rendered)

    def check(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
        if dj.status == 500:
            html = (rs.header("content-type") or "").startswith("text/html")
            if rs.status in (404, 406) and html:
                return []
            return [f"django crashed (500); rust answered {rs.status} {rs.header('content-type')!r}: expected the "
                    "refusal made before authentication, as an HTML page"]
        diffs = compare(plain, dj, rs, ctx_dj, ctx_rs)[0]
        if diffs and ties and all(d.startswith("body:") for d in diffs) and dj.json() == rs.json() is not None:
            return []
        return diffs

    ties = json_entries_tie(step)
    note = SET_ORDER_NOTE if ties else HTML_CRASH_NOTE
    return replace(step, check=check, generic=False, note=note)


RENDERER_ROUTES = ("/renderers/csv/", "/renderers/csv-json/", "/renderers/html/", "/renderers/json-html/",
                   "/renderers/json/")
BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                  "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")
# Accept entries for the random requests: media types DRF matches in each way, odd casing and
# spacing, parameters (quoted `;`, bare names, q only), empty entries, Latin-1 bytes that Python
# strips (0xA0, 0x85) and one it does not (0xE9), and JSON's `indent` (valid, clamped, refused).
ACCEPT_ENTRIES = (
    "text/csv", "text/html", "application/json", "*/*", "text/*", "application/*", "image/webp",
    "TEXT/CSV", "Text/Html", "APPLICATION/Json", "application/xml", "application/json;q=0.5",
    "text/csv; charset=utf-8", "text/html;level=1", "*/*;q=0.8", "", " ", "text/csv;", "text/csv;q",
    'text/csv;foo="a;b"', "text/csv ;q=1", "text/html;Q=0.1", "text/csv;=x", "text/csv/extra", "csv",
    "text/ csv", "*/json", "*", "text/csv;q=0;q=1", b"\xa0text/csv", b"text/html\x85", b"text/csv\xe9",
    "text/html; level=1; q=0.2", "application/json;charset=utf-8",
    "application/json; indent=4", "*/*;indent=2", "application/json;indent=0", "application/json;indent=12",
    "application/json;indent=x", "application/json;indent=-1", "application/*; indent=3", 'application/json;indent="2"',
)


def renderer_groups() -> list[Group]:
    """Content negotiation against a view's declared renderers (DRF's `renderer_classes`; the CSV
    renderer is djangorestframework-csv's): which renderer answers, its Content-Type and `Vary`,
    the refusals it renders (406 by the first renderer, 401/403 by the chosen one), `?format=`."""
    steps = []
    accepts = [None, BROWSER_ACCEPT, "text/csv", "text/html", "application/json", "*/*", "text/*",
               "text/csv;q=0.1, application/json", "application/json;x=1, text/csv", "text/xml", ""]
    for path in RENDERER_ROUTES:
        for accept in accepts:
            headers = [] if accept is None else [("Accept", accept)]
            label = "no Accept" if accept is None else f"Accept {accept[:40]!r}"
            steps.append(rendered(S(f"{path} john, {label}", "GET", path, auth(JOHN) + headers)))
            steps.append(rendered(S(f"{path} anonymous, {label}", "GET", path, headers)))
            steps.append(rendered(S(f"{path} bad password, {label}", "GET", path, auth(BAD) + headers)))
        steps.append(rendered(S(f"{path} TRACE (405 rendered)", "TRACE", path,
                                auth(JOHN) + [("Accept", "text/csv, text/html")])))
        for query in ("format=csv", "format=json", "format=html", "format=xml", "format=", "format=csv&format=json",
                      "%66ormat=json", "format=CSV"):
            steps.append(rendered(S(f"{path}?{query}", "GET", f"{path}?{query}", auth(JOHN))))
            steps.append(rendered(S(f"{path}?{query} bad password", "GET", f"{path}?{query}", auth(BAD))))
        steps.append(rendered(S(f"{path} two Accept lines", "GET", path,
                                auth(JOHN) + [("Accept", "text/xml"), ("Accept", "text/html")])))
    # The JSON-only views: repeated Accept lines are one list; `?format=` filters.
    for name, headers, query in (
        ("two Accept lines, JSON in the second", [("Accept", "text/xml"), ("Accept", "application/json")], ""),
        ("two Accept lines, none JSON", [("Accept", "text/xml"), ("Accept", "image/png")], ""),
        ("Accept with 0xA0 around JSON", [("Accept", b"\xa0application/json\xa0")], ""),
        ("?format=json", [], "?format=json"),
        ("?format=xml (404 before auth)", [], "?format=xml"),
        ("?format= (empty)", [], "?format="),
        ("Accept indent=4", [("Accept", "application/json; indent=4")], ""),
        ("Accept */*;indent=2", [("Accept", "*/*;indent=2")], ""),
        ("Accept indent=9 (clamped to 8)", [("Accept", "application/json;indent=9")], ""),
        ("Accept indent=0", [("Accept", "application/json;indent=0")], ""),
        ("Accept indent=x", [("Accept", "application/json;indent=x")], ""),
        ("Accept indent=4, 406 compact", [("Accept", "text/xml;indent=4")], ""),
        ("Accept indent=4, ?format=xml (404)", [("Accept", "application/json; indent=4")], "?format=xml"),
        ("1000 query fields", [], "?" + "&" * 999),
        ("1001 query fields (Django's TooManyFieldsSent, 400)", [], "?" + "&" * 1000),
        ("1001 query fields with ?format=json", [], "?format=json" + "&" * 1000),
    ):
        steps.append(rendered(S(f"/basic/ {name}", "GET", "/basic/" + query, auth(JOHN) + headers)))
        steps.append(rendered(S(f"/basic/ anonymous, {name}", "GET", "/basic/" + query, headers)))
    # The bundled obtain-token view lays its JSON out too.
    for accept in ("application/json; indent=2", "*/*;indent=8"):
        steps.append(rendered(with_body(f"obtain-token, Accept {accept}", "POST", "/api-token-auth/",
                                         [("Accept", accept)], json_body({"username": "john", "password": "password"}))))
        steps.append(rendered(with_body(f"obtain-token refused, Accept {accept}", "POST", "/api-token-auth/",
                                         [("Accept", accept)], json_body({"username": "john"}))))
    groups = [Group("renderers", steps)]
    groups.append(Group(f"renderers-random (seed {PARITY_SEED})",
                        random_renderer_steps(PARITY_SEED, RANDOM_WSGI_REQUESTS)))
    return groups


SET_ORDER_ALLOW_NOTE = ("DRF's `api_view` lists `Allow` in a Python set's order (string hashes, different in each "
                        "process); here in the attribute's order, OPTIONS last: compared as a set")
OPTIONS_RENDERER_NOTE = ("DRF renders the OPTIONS metadata with the accepted renderer (a CSV table of its keys); "
                         "here it is JSON whatever was negotiated")


def check_api_view(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """An `@api_view` answer: status, WWW-Authenticate, the whole Content-Type, Vary and the body
    byte for byte; `Allow` as a set of methods (SET_ORDER_ALLOW_NOTE)."""
    diffs = []
    if dj.error or rs.error:
        return [f"transport: django {dj.error or 'ok'} / rust {rs.error or 'ok'}"]
    if dj.status != rs.status:
        diffs.append(f"status: django {dj.status} / rust {rs.status}")
    if dj.header("www-authenticate") != rs.header("www-authenticate"):
        diffs.append(f"WWW-Authenticate: django {dj.header('www-authenticate')!r} / "
                     f"rust {rs.header('www-authenticate')!r}")
    allowed = [{m.strip() for m in (r.header("allow") or "").split(",")} for r in (dj, rs)]
    if allowed[0] != allowed[1] or not rs.header("allow"):
        diffs.append(f"Allow: django {dj.header('allow')!r} / rust {rs.header('allow')!r}")
    return diffs + check_rendered(dj, rs, ctx_dj, ctx_rs)


def check_options_rendered_as_json(dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> list[str]:
    """OPTIONS on a view whose accepted renderer is not JSON (OPTIONS_RENDERER_NOTE): both 200 with
    the same Allow and Vary; DRF's body in the negotiated type, Rust's the same metadata as JSON."""
    if dj.status == rs.status == 200 and rs.header("content-type") == "application/json":
        meta = rs.json()
        if isinstance(meta, dict) and list(meta) == ["name", "description", "renders", "parses"]:
            return [d for d in check_api_view(dj, rs, ctx_dj, ctx_rs)
                    if not d.startswith(("content-type", "body"))]
    return [f"expected 200 with JSON metadata from rust; django {dj.status} {dj.header('content-type')!r}, "
            f"rust {rs.status} {rs.header('content-type')!r} {show_body(rs)}"]


def api_view_groups() -> list[Group]:
    """DRF's function views (`@api_view([...])`): every method, with and without credentials, with
    the Accept variants of a browser, CSV, JSON `indent` and `?format=`: the listed methods reach
    the function; OPTIONS gets DRF's `SimpleMetadata`; any other method 405 after the policy; each
    answer carries the view's Allow."""
    from dataclasses import replace

    steps = []
    methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
    for path in ("/api-view/basic/", "/api-view/open/", "/api-view/csv/"):
        for method in methods:
            for who, creds in (("john", auth(JOHN)), ("anonymous", []), ("bad password", auth(BAD))):
                for label, headers in (("no Accept", []), ("browser", [("Accept", BROWSER_ACCEPT)]),
                                       ("text/csv", [("Accept", "text/csv")]),
                                       ("indent=2", [("Accept", "application/json; indent=2")])):
                    if label == "browser" and path != "/api-view/csv/":
                        # DRF's default renderers answer a browser with the browsable API, which
                        # this library lists but does not serve (docs/renderers.md).
                        continue
                    step = S(f"{path} {method} {who}, {label}", method, path, creds + headers)
                    json_metadata = path != "/api-view/csv/" or label == "indent=2"
                    if method == "OPTIONS" and who != "anonymous" and not json_metadata and (
                            who == "john" or path == "/api-view/open/"):
                        steps.append(replace(step, check=check_options_rendered_as_json, generic=False,
                                             note=OPTIONS_RENDERER_NOTE))
                    else:
                        steps.append(replace(step, check=check_api_view, generic=False, note=SET_ORDER_ALLOW_NOTE))
        for query in ("format=json", "format=csv", "format=xml"):
            step = S(f"{path}?{query} PUT john", "PUT", f"{path}?{query}", auth(JOHN))
            steps.append(replace(step, check=check_api_view, generic=False, note=SET_ORDER_ALLOW_NOTE))
    return [Group("api-view", steps)]


PERM_USERS = ("perm_none", "perm_user", "perm_group", "perm_both", "perm_staff", "perm_super", "perm_inactive")
# Django's permission rows in the reference project, and names no row has.
PERM_NAMES = tuple(f"{app}.{action}_{model}" for app, models in (
    ("auth", ("group", "permission", "user")), ("contenttypes", ("contenttype",)), ("sessions", ("session",)),
    ("authtoken", ("token", "tokenproxy")), ("knox", ("authtoken",)),
    ("token_blacklist", ("outstandingtoken", "blacklistedtoken"))) for model in models
    for action in ("add", "change", "delete", "view")) + (
    "auth.add_group ", "AUTH.add_group", "auth.Add_Group", "auth", "auth.", ".add_group", "", "nope.nothing",
    "auth.add_group.extra", "auth.add_gröup")


def model_permission_groups() -> list[Group]:
    """DRF's `DjangoModelPermissions`, `DjangoModelPermissionsOrAnonReadOnly` and
    `DjangoObjectPermissions` (DRF's map, and the documented one that needs the view permission to
    read: its 404 for what one cannot see) on `auth.Group` (`queryset = Group.objects.all()`; the
    users of `manage.py parity_perms`): every method for
    anonymous, bad credentials, and users with no, direct, group and both kinds of permissions,
    staff, superuser and inactive. Then `request.user.has_perm(p)` for random (user, permission)
    pairs, compared byte for byte."""
    from dataclasses import replace

    steps = []
    methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
    who = [("anonymous", [])] + [(user, auth(basic(user, "password"))) for user in PERM_USERS] + [
        ("bad password", auth(basic("perm_user", "wrong")))]
    for path in ("/model-perms/", "/model-perms-anon/", "/object-perms/", "/object-perms-view/"):
        for method in methods:
            for name, headers in who:
                steps.append(S(f"{path} {method} {name}", method, path, headers))
    groups = [Group("model-permissions", steps)]
    rng = random.Random(PARITY_SEED)
    askers = [user for user in PERM_USERS if user != "perm_inactive"] + ["john", "admin", None]
    random_steps = []
    for index in range(50):
        user = rng.choice(askers)
        # Half of them the ones the users hold or lack on purpose.
        perms = [rng.choice(PERM_NAMES[:4] if rng.random() < 0.5 else PERM_NAMES) for _ in range(20)]
        query = "&".join(f"perm={quote(p, safe='')}" for p in perms)
        headers = [] if user is None else auth(basic(user, "password"))
        step = S(f"has-perm {index} as {user or 'anonymous'}", "GET", f"/has-perm/?{query}", headers)
        # An `@api_view`: Allow compared as a set (SET_ORDER_ALLOW_NOTE), the rest byte for byte.
        random_steps.append(replace(step, check=check_api_view, generic=False, note=SET_ORDER_ALLOW_NOTE))
    groups.append(Group(f"has-perm-random (seed {PARITY_SEED})", random_steps))
    return groups


def random_renderer_steps(seed: int, count: int) -> list[Step]:
    """Seeded random Accept headers (one to four entries, joined by `,` with random spacing, split
    over one or two lines), random `?format=`, credentials and methods, on the renderer routes and
    a JSON-only one. Rerun one failure with PARITY_SEED=<seed>."""
    rng = random.Random(seed)
    steps = []
    for index in range(count):
        entries = [rng.choice(ACCEPT_ENTRIES) for _ in range(rng.randint(1, 4))]
        entries = [e if isinstance(e, bytes) else e.encode("latin-1") for e in entries]
        separators = [rng.choice([b",", b", ", b" ,", b",,"]) for _ in entries[1:]]
        joined = entries[0]
        for sep, entry in zip(separators, entries[1:]):
            joined += sep + entry
        headers = []
        if rng.random() < 0.25 and len(entries) > 1:
            cut = rng.randint(1, len(entries) - 1)
            headers += [("Accept", b",".join(entries[:cut])), ("Accept", b",".join(entries[cut:]))]
        elif rng.random() < 0.9:
            headers.append(("Accept", joined))
        credentials = rng.choice([[], auth(JOHN), auth(BAD)])
        path = rng.choice(RENDERER_ROUTES)
        query = rng.choice(["", "", "", "?format=csv", "?format=json", "?format=html", "?format=xml", "?format="])
        method = rng.choice(["GET", "GET", "POST", "DELETE"])
        steps.append(rendered(S(f"#{index} {method} {path}{query} {headers!r:.80}", method, path + query,
                                credentials + headers)))
    return steps


def random_wsgi_steps(seed: int, count: int) -> list[Step]:
    """Seeded random requests mixing repeated cookies, several Cookie lines, odd spacing and
    casing, repeated form fields and non-ASCII header bytes, on the session, remote-user and
    Basic routes. Rerun one failure with PARITY_SEED=<seed>."""
    rng = random.Random(seed)
    wrong_csrf = "c" * 32
    cookie_parts = [
        lambda ctx: f"sessionid={ctx['sid']}",
        lambda ctx: f'sessionid="{ctx["sid"]}"',
        lambda ctx: f"  sessionid\t= {ctx['sid']}  ",
        lambda ctx: "sessionid=" + percent_first("sid")(ctx),
        lambda ctx: f"SESSIONID={ctx['sid']}",
        lambda ctx: "sessionid=garbage",
        lambda ctx: "sessionid=",
        lambda ctx: f"csrftoken={ctx['csrf']}",
        lambda ctx: f'csrftoken="{ctx["csrf"]}"',
        lambda ctx: f"csrftoken={wrong_csrf}",
        lambda ctx: "junk",
        lambda ctx: "a=1,b=2",
        lambda ctx: "=x",
        lambda ctx: "",
        lambda ctx: "n=\u00e9",
    ]
    separators = [";", "; ", " ;", ";;", " ; "]
    header_tokens = [
        lambda ctx: ctx["csrf"], lambda ctx: ctx["csrf_masked"], lambda ctx: wrong_csrf, lambda ctx: "",
        lambda ctx: ("\u00e9" * 16).encode("utf-8"), lambda ctx: b"\xe9" * 32,
    ]
    form_tokens = [lambda ctx: ctx["csrf"], lambda ctx: ctx["csrf_masked"], lambda ctx: wrong_csrf, lambda ctx: ""]
    remote_users = ["john", "inactive", "jöhn_{s}", "J\u00d6HN_{s}", " john", "john ", "x\u00ff_{s}", "u_{s}_\u00e9\u00e9"]

    def cookie_lines(ctx, parts, splits, seps):
        texts = [part(ctx) for part in parts]
        lines, current = [], ""
        for index, text in enumerate(texts):
            current += (seps[index] if current else "") + text
            if index in splits:
                lines.append(current)
                current = ""
        lines.append(current)
        return [line.encode("utf-8") for line in lines]

    steps = []
    for number in range(count):
        kind = rng.choice(["session-get", "session-post", "session-post", "remote", "basic"])
        name = f"#{number} {kind}"
        if kind.startswith("session"):
            parts = [rng.choice(cookie_parts) for _ in range(rng.randint(1, 5))]
            splits = set(rng.sample(range(len(parts)), rng.randint(0, min(2, len(parts) - 1))))
            seps = [rng.choice(separators) for _ in parts]
            lines = lambda ctx, p=parts, sp=splits, se=seps: cookie_lines(ctx, p, sp, se)
            # One header entry per Cookie line, computed per server.
            line_count = len(splits) + 1
            headers = [("Cookie", (lambda ctx, i=i, lines=lines: lines(ctx)[i])) for i in range(line_count)]
            if kind == "session-get":
                steps.append(Step(name=name, method="GET", path=SP_PATH, headers=headers))
                continue
            if rng.random() < 0.6:
                token = rng.choice(header_tokens)
                header_name = rng.choice(["X-CSRFToken", "x-csrftoken", "X-CSRFTOKEN"])
                headers.append((header_name, token))
            if rng.random() < 0.3:
                headers.append(("Origin", rng.choice(["http://@host@", "http://evil.com",
                                                       "http://\u00e9.com".encode("utf-8")])))
            if rng.random() < 0.5:
                fields = [("csrfmiddlewaretoken", rng.choice(form_tokens)) for _ in range(rng.randint(1, 3))]
                fields.append(("a", "b"))
                rng.shuffle(fields)
                if rng.random() < 0.5:
                    body = lambda ctx, f=fields: form_body([(k, v(ctx) if callable(v) else v) for k, v in f])[1]
                    headers.append(("Content-Type", "application/x-www-form-urlencoded"))
                else:
                    body = lambda ctx, f=fields: multipart_body([(k, v(ctx) if callable(v) else v) for k, v in f])[1]
                    headers.append(("Content-Type", multipart_body([])[0][0][1]))
            else:
                headers.append(("Content-Type", "application/json"))
                body = b'{"a": 1}'
            steps.append(Step(name=name, method="POST", path=SP_PATH, headers=headers, body=body))
        elif kind == "remote":
            values = [rng.choice(remote_users) for _ in range(rng.choice([1, 1, 1, 2]))]
            encoding = rng.choice(["utf-8", "latin-1"])
            headers = [(rng.choice(["X-Remote-User", "x-remote-user"]),
                        (lambda ctx, v=v, e=encoding: v.format(s=ctx["s"]).encode(e))) for v in values]
            steps.append(Step(name=name, method="GET", path="/remote-user/", headers=headers))
        else:
            user = rng.choice(["john", "john\x00", "\x00john", "jöhn", "nobody", "JOHN", "jo\x00hn"])
            password = rng.choice(["password", "password\x00", "wrong"])
            encoding = rng.choice(["utf-8", "latin-1"])
            steps.append(Step(name=name, method="GET", path="/basic/",
                              headers=auth(basic(user, password, encoding))))
    return steps


SP_PATH = "/session/"


def subst(value, ctx):
    """`@name@` -> ctx[name]; a callable value is called with the side's context."""
    if value is None:
        return None
    if callable(value):
        return value(ctx)
    if isinstance(value, bytes):
        return PLACEHOLDER_B.sub(
            lambda m: str(ctx[m.group(1).decode()]).encode("latin-1") if m.group(1).decode() in ctx
            else m.group(0), value)
    return PLACEHOLDER.sub(lambda m: str(ctx.get(m.group(1), m.group(0))), value)


def run_step(step: Step, ctx) -> Resp:
    if step.action is not None:
        return step.action(ctx) or pseudo({})
    headers = [(name, subst(value, ctx)) for name, value in step.headers]
    body = subst(step.body, ctx)
    if isinstance(body, str):
        body = body.encode("utf-8")
    port = ctx["port"] if step.target in (None, ctx["side"]) else ctx["other"]["port"]
    resp = http_request(port, step.method, subst(step.path, ctx), headers, body)
    if step.check in (check_jwt_body, check_jwt_cookie_body):
        cross_verify(resp, ctx)
    if step.capture is not None:
        step.capture(resp, ctx)
    return resp


def normalize(value, ctx):
    if isinstance(value, str):
        for actual, placeholder in sorted(ctx["norm"].items(), key=lambda kv: -len(kv[0])):
            value = value.replace(actual, placeholder)
        return value
    if isinstance(value, list):
        return [normalize(v, ctx) for v in value]
    if isinstance(value, dict):
        return {normalize(k, ctx): normalize(v, ctx) for k, v in value.items()}
    return value


def main_type(resp: Resp):
    ct = resp.header("content-type")
    return ct.split(";", 1)[0].strip().lower() if ct else None


def cookie_summary(resp: Resp):
    """{cookie name: 'set' | 'deleted'} from Set-Cookie headers."""
    out = {}
    for line in resp.all("set-cookie"):
        first, _, attrs = line.partition(";")
        name, _, value = first.partition("=")
        attrs_l = attrs.lower().replace(" ", "")
        deleted = value.strip() in ('', '""') or "max-age=0" in attrs_l or "1970" in attrs_l
        out[name.strip()] = "deleted" if deleted else "set"
    return out


INFO_HEADERS = ("allow", "vary")


def header_value_for_info(resp: Resp, name: str):
    value = resp.header(name)
    if value is None:
        return None
    if name == "vary":
        return ", ".join(sorted({v.strip().lower() for v in value.split(",")}))
    return value


def show_body(resp: Resp, limit=300) -> str:
    if resp.error:
        return f"<no response: {resp.error}>"
    text = resp.body.decode("utf-8", "backslashreplace")
    return (text[:limit] + "...") if len(text) > limit else (text if text else "<empty>")


def compare(step: Step, dj: Resp, rs: Resp, ctx_dj, ctx_rs) -> tuple[list, list]:
    """Returns (diffs, notes)."""
    diffs, notes = [], []
    if not step.generic:
        diffs = step.check(dj, rs, ctx_dj, ctx_rs)
        # Noted when the answers differ (a step that is only sometimes a divergence matched).
        if not diffs and (dj.status, dj.body) != (rs.status, rs.body) and not getattr(rs, "same_as_reference", False):
            notes.append(f"expected divergence ({step.note}): django {dj.status} {show_body(dj, 60)!r} / "
                         f"rust {rs.status} {show_body(rs)}")
        return diffs, notes
    if dj.error or rs.error:
        diffs.append(f"transport: django {dj.error or 'ok'} / rust {rs.error or 'ok'}")
        return diffs, notes
    if dj.status != rs.status:
        diffs.append(f"status: django {dj.status} / rust {rs.status}")
    for name in ("www-authenticate",):
        # RFC 9728's `resource_metadata` names each server's own host:port.
        a, b = (resp.header(name) and resp.header(name).replace(ctx.get("host", "\0"), "<host:port>")
                for resp, ctx in ((dj, ctx_dj), (rs, ctx_rs)))
        if a != b:
            diffs.append(f"WWW-Authenticate: django {a!r} / rust {b!r}")
    ra, rb = dj.header("retry-after"), rs.header("retry-after")
    if (ra is None) != (rb is None):
        diffs.append(f"Retry-After: django {ra!r} / rust {rb!r}")
    elif ra is not None:
        try:
            if abs(int(ra) - int(rb)) > step.retry_tolerance:
                diffs.append(f"Retry-After: django {ra} / rust {rb} (more than +-{step.retry_tolerance} s)")
        except ValueError:
            diffs.append(f"Retry-After not an integer: django {ra!r} / rust {rb!r}")
    if step.action is None:
        if main_type(dj) != main_type(rs):
            # A HEAD or 204 response has no body: its Content-Type does not matter.
            if not (step.method == "HEAD" or dj.status == 204) or (dj.body or rs.body):
                diffs.append(f"Content-Type: django {dj.header('content-type')!r} / "
                             f"rust {rs.header('content-type')!r}")
            else:
                notes.append(f"Content-Type of a bodiless answer: django {dj.header('content-type')!r} / "
                             f"rust {rs.header('content-type')!r}")
        ca, cb = cookie_summary(dj), cookie_summary(rs)
        if ca != cb:
            diffs.append(f"cookies set/deleted: django {ca} / rust {cb}")
        for name in INFO_HEADERS:
            a, b = header_value_for_info(dj, name), header_value_for_info(rs, name)
            if a != b:
                message = f"{name.title()}: django {a!r} / rust {b!r}"
                (diffs if STRICT_HEADERS else notes).append(("header", name, a, b) if not STRICT_HEADERS
                                                            else message)
    if step.check is not None:
        diffs += step.check(dj, rs, ctx_dj, ctx_rs)
        return diffs, notes
    ja, jb = dj.json(), rs.json()
    is_json_a = ja is not None or dj.body.strip() == b"null"
    is_json_b = jb is not None or rs.body.strip() == b"null"
    if is_json_a and is_json_b:
        na, nb = normalize(ja, ctx_dj), normalize(jb, ctx_rs)
        if na != nb:
            if (step.method == "OPTIONS" and dj.status == 200 and rs.status == 200
                    and isinstance(ja, dict) and {"name", "renders", "parses"} <= set(ja)):
                notes.append(f"OPTIONS body: django answers DRF metadata {show_body(dj)} / rust {show_body(rs)}"
                             " (not counted: the Rust contract answers {user, auth} on every admitted method)")
            else:
                diffs.append(f"body: django {json.dumps(na, ensure_ascii=False)} / "
                             f"rust {json.dumps(nb, ensure_ascii=False)}")
    elif dj.body != rs.body:
        diffs.append(f"body: django {show_body(dj)} / rust {show_body(rs)}")
    return diffs, notes


def describe_request(step: Step, ctx) -> str:
    if step.action is not None:
        return "(database / manage.py check)"
    parts = [f"{step.method} {step.path}"]
    for name, value in step.headers:
        value = subst(value, ctx)
        parts.append(f"{name}: {value!r}" if isinstance(value, bytes) or any(ord(c) < 32 or ord(c) > 126
                     for c in value) else f"{name}: {value}")
    if step.body is not None:
        body = subst(step.body, ctx)
        shown = body if isinstance(body, bytes) else body.encode()
        parts.append(f"body {shown[:120]!r}")
    return " | ".join(parts)


# --------------------------------------------------------------------------------------------------
# Servers


class Server:
    def __init__(self, name, argv, env, cwd, log_path, port):
        self.name, self.port = name, port
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} (see {self.log.name})")
            resp = http_request(self.port, "GET", "/basic/", [], None, timeout=2)
            if resp.status:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer on port {self.port} within {timeout} s")

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def django_login(port, username, password) -> tuple[str, str]:
    """Django's LoginView: returns (sessionid, csrftoken) as a browser would hold them."""
    page = http_request(port, "GET", "/accounts/login/", [], None)
    cookies = {}
    for line in page.all("set-cookie"):
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or not match or "csrftoken" not in cookies:
        raise RuntimeError(f"Django login page: {page.status} {show_body(page)}")
    from urllib.parse import urlencode

    body = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "username": username,
                      "password": password}).encode()
    resp = http_request(port, "POST", "/accounts/login/",
                        [("Cookie", f"csrftoken={cookies['csrftoken']}"),
                         ("Content-Type", "application/x-www-form-urlencoded")], body)
    for line in resp.all("set-cookie"):
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    if resp.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"Django login of {username} failed: {resp.status} {show_body(resp)}")
    return cookies["sessionid"], cookies["csrftoken"]


def server_env(db_path) -> dict:
    """The environment shared by manage.py, Django's runserver and the Rust server: the process's
    own minus REDIS_URL and DJANGO_SETTINGS_MODULE, plus the database URL of `db_path` and the
    common settings."""
    db_url = f"sqlite://{db_path}?mode=rwc"  # absolute path -> sqlite:///abs/path?mode=rwc
    base_env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    base_env.update({
        "DATABASE_URL": db_url,
        "SECRET_KEY": SECRET_KEY,
        "PBKDF2_ITERATIONS": PBKDF2_ITERATIONS,
        "CSRF_TRUSTED_ORIGINS": TRUSTED_ORIGINS,
        "SECURE_PROXY_SSL_HEADER": SSL_HEADER,
        "PYTHONUNBUFFERED": "1",
    })
    return base_env


def start_servers(servers: list, python, rust_bin, base_env, workdir, rust_env=None) -> tuple[int, int]:
    """Starts Django's runserver and the Rust binary on free ports with `base_env` (the Rust server
    also gets `rust_env`), appending each to `servers` as soon as it runs (the caller stops them),
    and waits until both answer; returns (django port, rust port)."""
    dj_port, rs_port = free_port(), free_port()
    servers.append(Server("django", [python, "manage.py", "runserver", "--noreload", "--skip-checks",
                                     f"127.0.0.1:{dj_port}"], base_env, DJANGO_DIR, workdir / "django.log",
                          dj_port))
    servers.append(Server("rust", [rust_bin], dict(base_env, BIND=f"127.0.0.1:{rs_port}",
                                                   RUST_LOG=base_env.get("RUST_LOG", "warn"), **(rust_env or {})),
                          workdir, workdir / "rust.log", rs_port))
    for server in servers:
        server.wait_ready()
    return dj_port, rs_port


def find_rust_bin(arg):
    candidates = [arg] if arg else []
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(os.path.join(os.environ["CARGO_TARGET_DIR"], "debug", "drf_parity"))
    candidates += [str(REPO / "target" / "debug" / "drf_parity"), "/work/target-parity/debug/drf_parity"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise SystemExit(f"run_parity.py: no drf_parity binary found (tried {candidates}); pass --rust-bin")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust-bin", help="path of the drf_parity binary (default: target/debug/drf_parity)")
    parser.add_argument("--db", help="path of a fresh SQLite database to create (default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, logs)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every scenario, not only mismatches")
    parser.add_argument("--group", action="append", help="run only these groups (repeatable)")
    parser.add_argument("--strict-headers", action="store_true",
                        help="count Allow / Vary differences as mismatches (the default; kept for old command lines)")
    parser.add_argument("--lenient-headers", action="store_true",
                        help="only summarise Allow / Vary differences as notes, not counted")
    parser.add_argument("--simple-jwt", metavar="JSON",
                        help="SIMPLE_JWT for both servers: a JSON object of simplejwt setting names "
                             "(lifetimes in seconds); default: simplejwt's defaults")
    parser.add_argument("--rest-auth", metavar="JSON",
                        help="REST_AUTH for both servers (dj-rest-auth's JWT_AUTH_* names); default: "
                             "the reference project's cookie names")
    parser.add_argument("--allauth", action="store_true",
                        help="install django-allauth in the reference project (PARITY_ALLAUTH) and run the "
                             "groups of dj-rest-auth's allauth mode (rest-auth-reset, its interop)")
    parser.add_argument("--djoser", metavar="JSON",
                        help="DJOSER for both servers (djoser's setting names), over the reference project's "
                             "(its defaults and the contract's two link templates)")
    parser.add_argument("--oauth2-provider", metavar="JSON",
                        help="OAUTH2_PROVIDER for both servers (django-oauth-toolkit's setting names), over "
                             "the reference project's base (its SCOPES, COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_"
                             "TRANSPORT true)")
    parser.add_argument("--oauth2-runs", action="store_true",
                        help="run the oauth2 group once per OAUTH2_PROVIDER_RUNS configuration (each on a "
                             "fresh database); other options are passed on")
    parser.add_argument("--oauth2-provider-runs", action="store_true",
                        help="run the oauth2-provider group once per OAUTH2_PROVIDER_PROVIDER_RUNS configuration "
                             "(each on a fresh database); other options are passed on")
    args = parser.parse_args(argv)
    if args.oauth2_runs:
        return group_runs(argv if argv is not None else sys.argv[1:], "--oauth2-runs", "oauth2", OAUTH2_PROVIDER_RUNS)
    if args.oauth2_provider_runs:
        return group_runs(argv if argv is not None else sys.argv[1:], "--oauth2-provider-runs", "oauth2-provider",
                          OAUTH2_PROVIDER_PROVIDER_RUNS)
    global STRICT_HEADERS
    STRICT_HEADERS = not args.lenient_headers

    rust_bin = find_rust_bin(args.rust_bin)
    workdir = Path(tempfile.mkdtemp(prefix="drf-parity-"))
    db_path = Path(args.db).resolve() if args.db else workdir / "parity.db"
    if db_path.exists():
        raise SystemExit(f"run_parity.py: {db_path} exists; the check needs a fresh database")
    base_env = server_env(db_path)
    if args.rest_auth:
        json.loads(args.rest_auth)
        base_env["REST_AUTH"] = args.rest_auth
        print(f"REST_AUTH: {args.rest_auth}")
    if args.allauth:
        base_env["PARITY_ALLAUTH"] = "1"
        print("PARITY_ALLAUTH: django-allauth installed")
    else:
        base_env.pop("PARITY_ALLAUTH", None)
    if args.djoser:
        if not isinstance(json.loads(args.djoser), dict):
            raise SystemExit("run_parity.py: --djoser must be a JSON object")
        base_env["DJOSER"] = args.djoser
        print(f"DJOSER: {args.djoser}")
    else:
        base_env.pop("DJOSER", None)
    if args.simple_jwt:
        json.loads(args.simple_jwt)  # a malformed value fails here, not in both servers
        base_env["SIMPLE_JWT"] = args.simple_jwt
        print(f"SIMPLE_JWT: {args.simple_jwt}")
    if args.oauth2_provider:
        if not isinstance(json.loads(args.oauth2_provider), dict):
            raise SystemExit("run_parity.py: --oauth2-provider must be a JSON object")
        base_env["OAUTH2_PROVIDER"] = args.oauth2_provider
        print(f"OAUTH2_PROVIDER: {args.oauth2_provider}")
    else:
        base_env.pop("OAUTH2_PROVIDER", None)  # the base settings, not the caller's environment
    python = sys.executable

    def manage_cmd(*cmd):
        subprocess.run([python, "manage.py", *cmd], cwd=DJANGO_DIR, env=base_env, check=True,
                       stdout=subprocess.DEVNULL)

    print(f"database: {db_path}\nrust:     {rust_bin}\nlogs:     {workdir}")
    manage_cmd("migrate", "--no-input", "-v", "0")
    extra = []
    for base, password in PER_SIDE_USERS.items():
        if password is None:
            continue
        for side in SIDES:
            extra += ["--user", f"{base}_{SHORT[side]}:{password}"]
    for side in SIDES:
        extra += ["--token", f"revoked_{SHORT[side]}_key:revoked_{SHORT[side]}"]
        extra += ["--token", f"raout_{SHORT[side]}_key:raout_{SHORT[side]}"]
    manage_cmd("parity_fixtures", *extra)
    manage_cmd("parity_perms")
    manage_cmd("parity_oauth2")

    # Each server writes its emails to its own directory (the djoser groups read them).
    mail_dirs = {side: workdir / f"mail-{side}" for side in SIDES}
    for directory in mail_dirs.values():
        directory.mkdir()
    base_env["PARITY_MAIL_DIR"] = str(mail_dirs["django"])
    servers = []
    try:
        dj_port, rs_port = start_servers(servers, python, rust_bin, base_env, workdir,
                                         {"PARITY_MAIL_DIR": str(mail_dirs["rust"])})
        return run_all(args, dj_port, rs_port, db_path, python, base_env, mail_dirs)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(args, dj_port, rs_port, db_path, python, base_env, mail_dirs=None) -> int:
    john_sid, john_csrf = django_login(dj_port, "john", "password")
    ctxs = {}
    for side, port in (("django", dj_port), ("rust", rs_port)):
        s = SHORT[side]
        ctxs[side] = {
            "side": side, "s": s, "port": port, "host": f"127.0.0.1:{port}", "db_path": str(db_path),
            "python": python, "django_env": base_env, "norm": {}, "cross_verified": {},
            "sid": john_sid, "csrf": john_csrf, "csrf_masked": mask_csrf(john_csrf),
            "mail_dir": str((mail_dirs or {}).get(side, "")),
        }
    ctxs["django"]["other"], ctxs["rust"]["other"] = ctxs["rust"], ctxs["django"]
    for side in SIDES:
        ctx = ctxs[side]
        ctx["norm"][f"_{ctx['s']}"] = "_<this server>"
        ctx["norm"][f"_{ctx['other']['s']}"] = "_<other server>"
        ctx["norm"][ctx["host"]] = "<host:port>"
    for side in SIDES:
        s = SHORT[side]
        for base in ("pw", "gone", "sesstoday"):
            sid, _ = django_login(dj_port, f"{base}_{s}", "password")
            ctxs[side][f"{base}_sid"] = sid
        for base in AZ_USERS:  # the oauth2-authorize group's users: session and csrftoken cookie
            sid, csrf = django_login(dj_port, f"{base}_{s}", "password")
            ctxs[side][f"{base}_sid"], ctxs[side][f"{base}_csrf"] = sid, csrf

    groups = (stateless_groups() + session_groups() + obtain_token_stateful_groups() + knox_groups()
              + simplejwt_groups() + simplejwt_endpoint_groups() + jwt_cookie_groups()
              + rest_auth_login_groups(args.allauth) + rest_auth_account_groups(json.loads(args.rest_auth) if args.rest_auth else None,
                                                                 args.allauth)
              + djoser_groups(json.loads(args.djoser) if args.djoser else None)
              + rest_auth_reset_groups(args.allauth)
              + (rest_auth_registration_groups() if args.allauth else [])
              + renderer_groups() + api_view_groups()
              + model_permission_groups()
              + expiry_today_groups() + throttle_groups() + wsgi_semantics_groups()
              + oauth2_groups(json.loads(args.oauth2_provider) if args.oauth2_provider else None)
              + oauth2_provider_groups(json.loads(args.oauth2_provider) if args.oauth2_provider else None)
              + oauth2_authorize_groups(json.loads(args.oauth2_provider) if args.oauth2_provider else None))
    if args.group:
        groups = [g for g in groups if g.name in args.group]

    passed = failed = 0
    notes_all, reference_warnings, failures = [], [], []
    header_notes = {}  # (name, django value, rust value) -> [scenario labels]
    for group in groups:
        results = {"django": [], "rust": []}
        if group.interleave:
            for step in group.steps:
                for side in SIDES:
                    ctx = ctxs[side]
                    # interop placeholders: the other server's values
                    ctx["theirs"] = ctx["other"].get("mine", "")
                    ctx["theirnewkey"] = ctx["other"].get("newkey", "")
                    for name in ("access", "refresh"):
                        ctx[f"their_{name}"] = ctx["other"].get(f"mine_{name}", "")
                    results[side].append(run_step(step, ctx))
        else:
            for side in SIDES:
                ctx = ctxs[side]
                for step in group.steps:
                    for slot in ("knox1",):
                        if slot in ctx:
                            ctx["knox1_bad"] = ctx[slot][:-1] + ("0" if ctx[slot][-1] != "0" else "1")
                            ctx["knox1_15"] = ctx[slot][:15]
                    results[side].append(run_step(step, ctx))
        for index, step in enumerate(group.steps):
            dj, rs = results["django"][index], results["rust"][index]
            diffs, notes = compare(step, dj, rs, ctxs["django"], ctxs["rust"])
            label = f"[{group.name}] {step.name}"
            if step.want is not None and dj.status != step.want:
                reference_warnings.append(f"{label}: Django answered {dj.status}, the spec says {step.want}")
            for note in notes:
                if isinstance(note, tuple):
                    header_notes.setdefault(note[1:], []).append(label)
                else:
                    notes_all.append(f"{label}: {note}")
            if diffs:
                failed += 1
                failures.append(label)
                print(f"\nMISMATCH {label}")
                print(f"  request: {describe_request(step, ctxs['django'])}")
                for diff in diffs:
                    print(f"  - {diff}")
                print(f"  django: {dj.status} www-auth={dj.header('www-authenticate')!r} "
                      f"retry-after={dj.header('retry-after')!r} ct={dj.header('content-type')!r} "
                      f"body={show_body(dj)}")
                print(f"  rust:   {rs.status} www-auth={rs.header('www-authenticate')!r} "
                      f"retry-after={rs.header('retry-after')!r} ct={rs.header('content-type')!r} "
                      f"body={show_body(rs)}")
            else:
                passed += 1
                if args.verbose:
                    cookies = cookie_summary(dj)
                    print(f"ok {label}: {dj.status} {show_body(dj, 120)}" + (f" cookies={cookies}" if cookies else ""))

    if notes_all:
        print(f"\nNotes (not counted, {len(notes_all)}):")
        for note in notes_all:
            print(f"  {note}")
    if header_notes:
        print(f"\nAllow / Vary differences (not counted under --lenient-headers), by value:")
        for (name, a, b), labels in sorted(header_notes.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            print(f"  {name.title()}: django {a!r} / rust {b!r}: {len(labels)} scenarios, e.g. {labels[0]}")
    if reference_warnings:
        print(f"\nReference project deviates from the spec's status ({len(reference_warnings)}):")
        for warning in reference_warnings:
            print(f"  {warning}")
    if failures:
        print(f"\nMismatched scenarios ({len(failures)}):")
        for label in failures:
            print(f"  {label}")
    print()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def group_runs(argv, flag: str, group: str, configs) -> int:
    """`--oauth2-runs` / `--oauth2-provider-runs`: `group` under each OAUTH2_PROVIDER configuration of
    `configs`, one after the other (DOT reads its settings at start-up: each run has its own servers
    and database); the other options of `argv` are passed on."""
    rest, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == flag:
            continue
        elif arg in ("--group", "--oauth2-provider", "--db"):
            skip = True
        elif not arg.startswith(("--group=", "--oauth2-provider=", "--db=")):
            rest.append(arg)
    summary, status = [], 0
    for config in configs:
        print(f"\n=== {group} group, OAUTH2_PROVIDER {config or '(base settings)'}", flush=True)
        code = main(rest + ["--group", group] + (["--oauth2-provider", config] if config else []))
        summary.append(f"{config or '(base settings)'}: {'ok' if code == 0 else 'FAILED'}")
        status |= code
    passed = sum(line.endswith(": ok") for line in summary)
    # The last line is the one tests/parity.rs shows.
    print("\n" + "\n".join(summary))
    print(f"{group} group: {passed} of {len(summary)} OAUTH2_PROVIDER configurations passed")
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())
