#!/usr/bin/env python3
"""Interop suite: what one side writes (users, password hashes, DRF tokens, knox tokens, sessions),
the other side must accept, in both directions, on one database and one SECRET_KEY.

Runs inside the parity virtualenv (see setup.sh):

    parity/.venv/bin/python parity/run_interop.py --rust-bin PATH --admin-bin PATH

Two passes, each on a fresh SQLite database migrated by Django, with Django's runserver and the Rust
`drf_parity` server started as run_parity.py starts them (its functions are imported):

- `default`: Django's `auth_user` (USERNAME_FIELD `username`);
- `custom`: `custom_users.Member` (`DJANGO_SETTINGS_MODULE=parity_site.settings_custom_user`, table
  `accounts_member`, USERNAME_FIELD `email`); the Rust server and `auth-admin` get
  `AUTH_USER_TABLE=accounts_member AUTH_USERNAME_FIELD=email`, and every "username" is an e-mail;
- `uuid`: `uuid_users.Person` (`parity_site.settings_uuid_user`, table `uuid_users_person`, a
  `UUIDField` primary key: `char(32)` hex in SQLite, hyphenated in sessions and JSON); the Rust side
  gets `AUTH_USER_TABLE`, `AUTH_USER_MODEL=uuid_users.Person` and `AUTH_USER_PK_FIELD=UUIDField`;

Every scenario prints `PASS` or `FAIL` with the reason; the last line is `N passed, M failed`
(both passes together); exit status 0 only when every scenario passed.

Django's side is asked through `manage.py parity_interop` (JSON on stdout); the Rust side's CLI is
`auth-admin`; some rows are read directly with sqlite3.
"""
from __future__ import annotations

import argparse
import json
import re
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_parity import (  # noqa: E402  (the parity runner is the library of this one)
    DJANGO_DIR,
    PBKDF2_ITERATIONS,
    REPO,
    Resp,
    basic,
    django_login,
    find_rust_bin,
    http_request,
    mask_csrf,
    server_env,
    sha512_hex,
    show_body,
    start_servers,
)

NOT_PROVIDED = "Authentication credentials were not provided."
COMMAND_TIMEOUT = 300  # auth-admin hashes with Django's default 1.5M PBKDF2 iterations (slow in debug)


# --------------------------------------------------------------------------------------------------
# Passes: which user model, and how a scenario's user is named


@dataclass
class Mode:
    name: str
    title: str
    settings_module: str | None  # DJANGO_SETTINGS_MODULE (None: manage.py's default, parity_site.settings)
    user_table: str
    username_field: str
    rust_env: dict
    make_username: Callable[[str], str]
    # Columns of the user table the Rust side does not know: a row it inserts must get their defaults.
    extra_columns: dict = field(default_factory=dict)
    # A pass of one setting's scenarios (registered with `modes=(name,)`) rather than the shared ones.
    own_scenarios: bool = False

    def username(self, base: str) -> str:
        return self.make_username(base)


MODES = {
    "default": Mode("default", "auth_user, USERNAME_FIELD username", None, "auth_user", "username", {},
                    lambda base: base),
    "custom": Mode("custom", "custom_users.Member: accounts_member, USERNAME_FIELD email",
                   "parity_site.settings_custom_user", "accounts_member", "email",
                   {"AUTH_USER_TABLE": "accounts_member", "AUTH_USERNAME_FIELD": "email"},
                   lambda base: f"{base.replace('_', '.')}@interop.example.com",
                   {"display_name": "", "shoe_size": None}),
    "uuid": Mode("uuid", "uuid_users.Person: uuid_users_person, a UUIDField primary key",
                 "parity_site.settings_uuid_user", "uuid_users_person", "username",
                 {"AUTH_USER_TABLE": "uuid_users_person", "AUTH_USER_MODEL": "uuid_users.Person",
                  "AUTH_USER_PK_FIELD": "UUIDField"},
                 lambda base: base),
    "guardian": Mode("guardian", "django-guardian: ObjectPermissionBackend after ModelBackend",
                     "parity_site.settings_guardian", "auth_user", "username",
                     {"PERMISSION_BACKENDS": "guardian"}, lambda base: base, own_scenarios=True),
    "csrf-sessions": Mode("csrf-sessions", "CSRF_USE_SESSIONS: the CSRF secret in the session, no csrftoken cookie",
                          "parity_site.settings_csrf_sessions", "auth_user", "username",
                          {"CSRF_USE_SESSIONS": "true"}, lambda base: base, own_scenarios=True),
}


class Fail(Exception):
    """A scenario's assertion failed; the message is the reason printed on the FAIL line."""


# --------------------------------------------------------------------------------------------------
# One pass's environment: servers, manage.py, auth-admin, the database


@dataclass
class Env:
    mode: Mode
    dj_port: int
    rs_port: int
    db_path: Path
    base_env: dict
    python: str
    admin_bin: str
    verbose: bool
    log: list = field(default_factory=list)

    # -- logging of the steps of the current scenario (printed with -v, or under a FAIL line)
    def note(self, text: str):
        self.log.append(text)

    # -- HTTP
    def request(self, side: str, method: str, path: str, headers=(), body: bytes | None = None) -> Resp:
        port = self.dj_port if side == "django" else self.rs_port
        resp = http_request(port, method, path, list(headers), body)
        shown = [f"{n}: {v}" for n, v in headers if n.lower() in ("authorization", "x-csrftoken", "origin")]
        cookies = [v for n, v in headers if n.lower() == "cookie"]
        self.note(f"{side} {method} {path}" + (f" [{'; '.join(shown)}]" if shown else "")
                  + (f" [Cookie: {cookies[0]}]" if cookies else "")
                  + f" -> {resp.status if resp.status else resp.error} {show_body(resp, 160)}")
        return resp

    def django(self, *args, **kw) -> Resp:
        return self.request("django", *args, **kw)

    def rust(self, *args, **kw) -> Resp:
        return self.request("rust", *args, **kw)

    def origin(self, side: str) -> str:
        return f"http://127.0.0.1:{self.dj_port if side == 'django' else self.rs_port}"

    # -- Django's ORM (manage.py parity_interop ...)
    def orm(self, *args) -> dict:
        proc = subprocess.run([self.python, "manage.py", "parity_interop", *args], cwd=DJANGO_DIR,
                              env=self.base_env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        shown = " ".join(args)
        if proc.returncode != 0:
            raise Fail(f"Django ORM `parity_interop {shown}` exited {proc.returncode}: "
                       f"{last_lines(proc.stderr or proc.stdout)}")
        try:
            out = json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise Fail(f"Django ORM `parity_interop {shown}`: no JSON on stdout: {proc.stdout!r}")
        self.note(f"ORM parity_interop {shown} -> {json.dumps(out, ensure_ascii=False)[:300]}")
        return out

    # -- The Rust CLI
    def admin(self, *args, extra_env=None) -> subprocess.CompletedProcess:
        env = dict(self.base_env, **self.mode.rust_env, **(extra_env or {}))
        argv = [self.admin_bin, "--database-url", self.base_env["DATABASE_URL"], *args]
        started = time.time()
        try:
            proc = subprocess.run(argv, env=env, cwd=self.db_path.parent, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Fail(f"`auth-admin {' '.join(args)}` did not finish within {COMMAND_TIMEOUT} s")
        self.note(f"auth-admin {' '.join(args)} -> exit {proc.returncode} in {time.time() - started:.1f} s; "
                  f"stdout {proc.stdout.strip()!r}; stderr {proc.stderr.strip()!r}")
        return proc

    # -- sqlite3
    def db_one(self, sql: str, params=()):
        with sqlite3.connect(self.db_path, timeout=10) as conn:
            row = conn.execute(sql, params).fetchone()
        self.note(f"sqlite3 {sql} {list(params)} -> {row!r}")
        return row

    def password_column(self, username: str) -> str:
        m = self.mode
        row = self.db_one(f'SELECT password FROM "{m.user_table}" WHERE "{m.username_field}" = ?', (username,))
        if row is None:
            raise Fail(f"no row for {username!r} in {m.user_table}.{m.username_field}")
        return row[0]


def last_lines(text: str, n=3) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return " | ".join(lines[-n:]) if lines else "(no output)"


# --------------------------------------------------------------------------------------------------
# Assertions


def describe(resp: Resp) -> str:
    if not resp.status:
        return f"no answer ({resp.error})"
    return f"{resp.status} {show_body(resp, 200)}"


def expect_user(resp: Resp, username: str, what: str):
    """200 and {"user": username, ...}."""
    body = resp.json()
    if resp.status != 200 or not isinstance(body, dict) or body.get("user") != username:
        raise Fail(f"{what}: expected 200 {{\"user\": {json.dumps(username, ensure_ascii=False)}, ...}}, "
                   f"got {describe(resp)}")


def expect_detail(resp: Resp, status: int, detail: str, what: str, prefix=False):
    body = resp.json()
    got = body.get("detail") if isinstance(body, dict) else None
    ok = resp.status == status and isinstance(got, str) and (got.startswith(detail) if prefix else got == detail)
    if not ok:
        raise Fail(f"{what}: expected {status} {{\"detail\": \"{detail}{'...' if prefix else ''}\"}}, "
                   f"got {describe(resp)}")


def expect(condition: bool, message: str):
    if not condition:
        raise Fail(message)


def set_cookies(resp: Resp) -> dict:
    """{name: value} of the cookies a response sets (deleted ones have value '')."""
    out = {}
    for line in resp.all("set-cookie"):
        first = line.split(";", 1)[0]
        name, _, value = first.partition("=")
        out[name.strip()] = value.strip().strip('"')
    return out


def basic_header(username: str, password: str):
    return [("Authorization", basic(username, password))]


def session_headers(env: Env, side: str, sessionid: str, csrftoken: str | None = None, csrf_header=True):
    """Cookie: sessionid (+ csrftoken); with a csrftoken, a JSON body's Content-Type and, unless
    `csrf_header` is false, a masked X-CSRFToken and the server's own Origin."""
    headers = [("Cookie", f"sessionid={sessionid}" + (f"; csrftoken={csrftoken}" if csrftoken else ""))]
    if csrftoken:
        headers.append(("Content-Type", "application/json"))
        if csrf_header:
            headers += [("X-CSRFToken", mask_csrf(csrftoken)), ("Origin", env.origin(side))]
    return headers


# --------------------------------------------------------------------------------------------------
# Flows used by several scenarios


def rust_login(env: Env, username: str, password: str) -> dict:
    """Rust's session login: GET /api-auth/csrf/ (csrftoken cookie + masked token), then
    POST /api-auth/login/ with JSON credentials and X-CSRFToken. Returns the cookies and the body."""
    page = env.rust("GET", "/api-auth/csrf/")
    token = (page.json() or {}).get("csrf_token") if isinstance(page.json(), dict) else None
    cookie = set_cookies(page).get("csrftoken")
    expect(page.status == 200 and token and cookie,
           f"Rust GET /api-auth/csrf/: expected 200 {{\"csrf_token\": ...}} and a csrftoken cookie, got "
           f"{describe(page)} cookies {set_cookies(page)}")
    body = json.dumps({"username": username, "password": password}).encode()
    resp = env.rust("POST", "/api-auth/login/", [("Cookie", f"csrftoken={cookie}"), ("X-CSRFToken", token),
                                                 ("Origin", env.origin("rust")),
                                                 ("Content-Type", "application/json")], body)
    cookies = set_cookies(resp)
    expect(resp.status == 200 and cookies.get("sessionid"),
           f"Rust POST /api-auth/login/ as {username!r}: expected 200 and a sessionid cookie, got "
           f"{describe(resp)} cookies {sorted(cookies)}")
    return {"sessionid": cookies["sessionid"], "csrftoken": cookies.get("csrftoken") or cookie,
            "body": resp.json()}


def django_login_checked(env: Env, username: str, password: str) -> tuple[str, str]:
    try:
        sessionid, csrftoken = django_login(env.dj_port, username, password)
    except RuntimeError as error:
        raise Fail(f"Django's login view (/accounts/login/) as {username!r}: {error}")
    env.note(f"django /accounts/login/ as {username!r} -> sessionid {sessionid[:8]}..., csrftoken {csrftoken[:8]}...")
    return sessionid, csrftoken


def expect_session_works(env: Env, side: str, sessionid: str, username: str, what: str):
    expect_user(env.request(side, "GET", "/session/", session_headers(env, side, sessionid)), username,
                f"{what}: {side.title()} GET /session/")


def expect_session_refused(env: Env, side: str, sessionid: str, what: str):
    expect_detail(env.request(side, "GET", "/session/", session_headers(env, side, sessionid)), 403,
                  NOT_PROVIDED, f"{what}: {side.title()} GET /session/")


# --------------------------------------------------------------------------------------------------
# Scenarios

SCENARIOS: list[tuple[str, Callable[[Env, Mode], None], tuple[str, ...] | None]] = []


def scenario(title: str, modes: tuple[str, ...] | None = None):
    """Registers a scenario: of every pass without `own_scenarios` (`modes` None), or of the
    passes named in `modes`."""
    def register(fn):
        SCENARIOS.append((title, fn, modes))
        return fn

    return register


def scenarios_of(mode: Mode):
    return [(title, fn) for title, fn, modes in SCENARIOS
            if (mode.name in modes if modes is not None else not mode.own_scenarios)]


# Django -> Rust ----------------------------------------------------------------------------------


@scenario("1. Django ORM create_user -> Rust Basic and Rust obtain-token")
def s01_django_user_on_rust(env: Env, mode: Mode):
    user, pw = mode.username("dj_user"), "dj-pass-1"
    env.orm("create-user", user, pw)
    expect_user(env.rust("GET", "/basic/", basic_header(user, pw)), user, "Rust GET /basic/ (Basic)")
    expect_detail(env.rust("GET", "/basic/", basic_header(user, "wrong")), 401,
                  "Invalid username/password.", "control: wrong password on Rust /basic/")
    resp = env.rust("POST", "/api-token-auth/", [("Content-Type", "application/json")],
                    json.dumps({"username": user, "password": pw}).encode())
    key = (resp.json() or {}).get("token") if isinstance(resp.json(), dict) else None
    expect(resp.status == 200 and isinstance(key, str) and len(key) == 40,
           f"Rust POST /api-token-auth/: expected 200 {{\"token\": <40 hex>}}, got {describe(resp)}")
    row = env.orm("token-of", user)
    expect(row["key"] == key, f"Rust's obtain-token key {key!r} is not the user's authtoken_token row "
                              f"seen by Django's ORM ({row['key']!r})")


@scenario("2. Django ORM Token.objects.create -> Rust /token/; deleted by the ORM -> refused")
def s02_django_token_on_rust(env: Env, mode: Mode):
    user = mode.username("dj_token")
    env.orm("create-user", user, "dj-pass-2")
    key = env.orm("create-token", user)["key"]
    resp = env.rust("GET", "/token/", [("Authorization", f"Token {key}")])
    expect_user(resp, user, "Rust GET /token/ with the Django-made key")
    expect(resp.json().get("auth") == key, f"Rust /token/: auth should be the key, got {describe(resp)}")
    expect(env.orm("delete-token", user)["deleted"] == 1, "Django ORM did not delete exactly one token")
    expect_detail(env.rust("GET", "/token/", [("Authorization", f"Token {key}")]), 401, "Invalid token.",
                  "Rust GET /token/ after Django's ORM deleted the token")


@scenario("3. Django knox AuthToken.objects.create -> Rust /knox/")
def s03_django_knox_on_rust(env: Env, mode: Mode):
    user = mode.username("dj_knox")
    env.orm("create-user", user, "dj-pass-3")
    token = env.orm("create-knox", user)["token"]
    expect_user(env.rust("GET", "/knox/", [("Authorization", f"Token {token}")]), user,
                "Rust GET /knox/ with the Django-made knox token")
    bad = token[:-1] + ("0" if token[-1] != "0" else "1")
    expect_detail(env.rust("GET", "/knox/", [("Authorization", f"Token {bad}")]), 401, "Invalid token.",
                  "control: Rust /knox/ with the last character changed")


@scenario("4. Django login view session -> Rust /session/ (GET, and POST with CSRF)")
def s04_django_session_on_rust(env: Env, mode: Mode):
    user, pw = mode.username("dj_session"), "dj-pass-4"
    env.orm("create-user", user, pw)
    sessionid, csrftoken = django_login_checked(env, user, pw)
    expect_session_works(env, "rust", sessionid, user, "Django session")
    resp = env.rust("POST", "/session/", session_headers(env, "rust", sessionid, csrftoken), b"{}")
    expect_user(resp, user, "Rust POST /session/ with csrftoken cookie + X-CSRFToken + Origin")
    # Control: the CSRF check really runs for this session (no header -> refused).
    resp = env.rust("POST", "/session/", session_headers(env, "rust", sessionid, csrftoken, csrf_header=False), b"{}")
    expect_detail(resp, 403, "CSRF Failed:", "control: Rust POST /session/ without X-CSRFToken", prefix=True)


# Rust -> Django ----------------------------------------------------------------------------------


def admin_createsuperuser(env: Env, mode: Mode, user: str, pw: str):
    email = user if mode.username_field == "email" else f"{user}@example.com"
    proc = env.admin("createsuperuser", "--no-input", "--username", user, "--email", email,
                     extra_env={"DJANGO_SUPERUSER_PASSWORD": pw})
    expect(proc.returncode == 0, f"auth-admin createsuperuser exited {proc.returncode}: "
                                 f"{last_lines(proc.stderr or proc.stdout)}")


@scenario("5. auth-admin createsuperuser -> Django Basic, ORM check_password, is_superuser/is_staff")
def s05_rust_superuser_on_django(env: Env, mode: Mode):
    user, pw = mode.username("rs_admin"), "rs-pass-5"
    admin_createsuperuser(env, mode, user, pw)
    info = env.orm("user", user)
    expect(info["is_superuser"] is True and info["is_staff"] is True and info["is_active"] is True,
           f"Django ORM: expected is_superuser, is_staff, is_active True, got {info}")
    check = env.orm("check-password", user, pw)
    expect(check["check_password"] is True, f"Django ORM check_password(<the password>) is False for the "
                                             f"hash auth-admin wrote: {check['password']!r}")
    expect(env.orm("check-password", user, "wrong")["check_password"] is False,
           "control: Django ORM check_password('wrong') is True")
    expect_user(env.django("GET", "/basic/", basic_header(user, pw)), user, "Django GET /basic/ (Basic)")
    if mode.extra_columns:
        names = ", ".join(f'"{name}"' for name in mode.extra_columns)
        row = env.db_one(f'SELECT {names} FROM "{mode.user_table}" WHERE "{mode.username_field}" = ?', (user,))
        expect(row == tuple(mode.extra_columns.values()),
               f"columns unknown to the Rust side ({names}) of the row auth-admin inserted: {row!r}, "
               f"want their defaults {tuple(mode.extra_columns.values())!r}")


@scenario("6. auth-admin create-token -> Django /token/; printed key = DB row")
def s06_rust_token_on_django(env: Env, mode: Mode):
    user = mode.username("rs_token")
    env.orm("create-user", user, "rs-pass-6")
    proc = env.admin("create-token", user)
    expect(proc.returncode == 0, f"auth-admin create-token exited {proc.returncode}: "
                                 f"{last_lines(proc.stderr or proc.stdout)}")
    words = proc.stdout.split()
    # DRF's drf_create_token: "Generated token KEY for user USER"
    expect(len(words) >= 6 and words[:2] == ["Generated", "token"] and words[3:5] == ["for", "user"],
           f"auth-admin create-token: expected 'Generated token KEY for user USER', got {proc.stdout.strip()!r}")
    key = words[2]
    m = mode
    row = env.db_one(f'SELECT t.key FROM authtoken_token t JOIN "{m.user_table}" u ON u.id = t.user_id '
                     f'WHERE u."{m.username_field}" = ?', (user,))
    expect(row is not None and row[0] == key, f"printed key {key!r} != authtoken_token row {row!r}")
    resp = env.django("GET", "/token/", [("Authorization", f"Token {key}")])
    expect_user(resp, user, "Django GET /token/ with the auth-admin key")
    expect(resp.json().get("auth") == key, f"Django /token/: auth should be the key, got {describe(resp)}")


@scenario("7. Rust /api-auth/login/ session -> Django /session/; Django's ORM decodes it")
def s07_rust_session_on_django(env: Env, mode: Mode):
    user, pw = mode.username("rs_session"), "rs-pass-7"
    pk = env.orm("create-user", user, pw)["pk"]
    login = rust_login(env, user, pw)
    body = login["body"]
    expect(isinstance(body, dict) and body.get("id") == pk,
           f"Rust login answer: expected {{\"id\": {pk}, ...}}, got {body!r}")
    expect_session_works(env, "django", login["sessionid"], user, "Rust session")
    resp = env.django("POST", "/session/", session_headers(env, "django", login["sessionid"], login["csrftoken"]),
                      b"{}")
    expect_user(resp, user, "Django POST /session/ with Rust's csrftoken cookie + X-CSRFToken + Origin")
    decoded = env.orm("decode-session", login["sessionid"])
    expect(decoded.get("exists") and not decoded.get("expired"),
           f"Django ORM: session row missing or expired: {decoded}")
    expect(decoded.get("_auth_user_id") == str(pk),
           f"Django ORM SessionStore(key).load(): _auth_user_id {decoded.get('_auth_user_id')!r}, want {str(pk)!r}")
    expect(decoded.get("same_as_get_decoded") and decoded.get("hash_matches_user"),
           f"Django ORM: session decoding / _auth_user_hash check failed: {decoded}")
    expect(decoded["load"].get("_auth_user_backend") == "django.contrib.auth.backends.ModelBackend",
           f"_auth_user_backend is {decoded['load'].get('_auth_user_backend')!r}")


@scenario("8. Rust /knox/login/ (Basic) token -> Django /knox/")
def s08_rust_knox_on_django(env: Env, mode: Mode):
    user, pw = mode.username("rs_knox"), "rs-pass-8"
    env.orm("create-user", user, pw)
    resp = env.rust("POST", "/knox/login/", basic_header(user, pw))
    token = (resp.json() or {}).get("token") if isinstance(resp.json(), dict) else None
    expect(resp.status == 200 and isinstance(token, str) and len(token) == 64,
           f"Rust POST /knox/login/: expected 200 {{\"token\": <64 hex>, ...}}, got {describe(resp)}")
    rows = env.orm("knox-of", user)
    expect(rows["digests"] == [sha512_hex(token)] and rows["token_keys"] == [token[:15]],
           f"knox_authtoken rows seen by Django's ORM {rows} do not match sha512/first 15 chars of the token")
    expect_user(env.django("GET", "/knox/", [("Authorization", f"Token {token}")]), user,
                "Django GET /knox/ with the Rust-made knox token")


# Password changes ---------------------------------------------------------------------------------


@scenario("9. Django ORM set_password -> Rust-made sessions refused on both; new password on Rust Basic")
def s09_django_password_change(env: Env, mode: Mode):
    user, old, new = mode.username("pw_dj"), "old-pass-9", "new-pass-9"
    env.orm("create-user", user, old)
    # Two sessions, so that each server is tested on a row the other one has not flushed.
    a, b = rust_login(env, user, old), rust_login(env, user, old)
    expect(a["sessionid"] != b["sessionid"], "two Rust logins gave the same session key")
    expect_session_works(env, "rust", a["sessionid"], user, "before the change, Rust session A")
    expect_session_works(env, "django", b["sessionid"], user, "before the change, Rust session B")
    env.orm("set-password", user, new)
    expect_session_refused(env, "rust", a["sessionid"], "after Django's set_password, session A")
    expect_session_refused(env, "django", b["sessionid"], "after Django's set_password, session B")
    expect_user(env.rust("GET", "/basic/", basic_header(user, new)), user, "Rust GET /basic/ with the new password")
    expect_detail(env.rust("GET", "/basic/", basic_header(user, old)), 401, "Invalid username/password.",
                  "Rust GET /basic/ with the old password")


@scenario("10. auth-admin changepassword -> Django sessions refused on both; new password on Django Basic")
def s10_rust_password_change(env: Env, mode: Mode):
    user, old, new = mode.username("pw_rs"), "old-pass-10", "new-pass-10"
    env.orm("create-user", user, old)
    a, _ = django_login_checked(env, user, old)
    b, _ = django_login_checked(env, user, old)
    expect_session_works(env, "rust", a, user, "before the change, Django session A")
    expect_session_works(env, "django", b, user, "before the change, Django session B")
    proc = env.admin("changepassword", user, "--password-env", "INTEROP_NEW_PASSWORD",
                     extra_env={"INTEROP_NEW_PASSWORD": new})
    expect(proc.returncode == 0, f"auth-admin changepassword exited {proc.returncode}: "
                                 f"{last_lines(proc.stderr or proc.stdout)}")
    expect(env.orm("check-password", user, new)["check_password"] is True,
           "Django ORM check_password(<new password>) is False after auth-admin changepassword")
    expect_session_refused(env, "rust", a, "after auth-admin changepassword, session A")
    expect_session_refused(env, "django", b, "after auth-admin changepassword, session B")
    expect_user(env.django("GET", "/basic/", basic_header(user, new)), user,
                "Django GET /basic/ with the new password")
    expect_detail(env.django("GET", "/basic/", basic_header(user, old)), 401, "Invalid username/password.",
                  "Django GET /basic/ with the old password")


# Hash upgrade -------------------------------------------------------------------------------------


def hash_upgrade(env: Env, mode: Mode, base: str, legacy: str, prefix: str):
    user, pw = mode.username(base), f"{base}-pass"
    env.orm("create-user", user, pw, "--legacy-hash", legacy)
    before = env.password_column(user)
    expect(before.startswith(prefix), f"Django wrote {before!r}, expected a {prefix}... hash")
    expect_user(env.rust("GET", "/basic/", basic_header(user, pw)), user, "Rust GET /basic/ with the old hash")
    after = env.password_column(user)
    want = f"pbkdf2_sha256${PBKDF2_ITERATIONS}$"
    expect(after != before and after.startswith(want),
           f"after Rust's login the hash is {after!r}; expected a new {want}... hash (before: {before!r})")
    check = env.orm("check-password", user, pw)
    expect(check["check_password"] is True and check["must_update"] is False,
           f"Django ORM on the upgraded hash: check_password {check['check_password']}, "
           f"identify_hasher(...).must_update {check['must_update']} (want True, False)")
    expect_user(env.django("GET", "/basic/", basic_header(user, pw)), user, "Django GET /basic/ after the upgrade")
    expect(env.password_column(user) == after, "Django rewrote the upgraded hash (it should need no update)")


@scenario(f"11a. pbkdf2_sha256$500$ hash (Django) -> Rust login upgrades it to "
          f"pbkdf2_sha256${PBKDF2_ITERATIONS}$; Django accepts it")
def s11a_upgrade_sha256(env: Env, mode: Mode):
    hash_upgrade(env, mode, "old_sha256", "pbkdf2_sha256_500", "pbkdf2_sha256$500$")


@scenario(f"11b. pbkdf2_sha1$500$ hash (Django) -> Rust login upgrades it to "
          f"pbkdf2_sha256${PBKDF2_ITERATIONS}$; Django accepts it")
def s11b_upgrade_sha1(env: Env, mode: Mode):
    hash_upgrade(env, mode, "old_sha1", "pbkdf2_sha1_500", "pbkdf2_sha1$500$")


@scenario("12. auth.login / auth.session / auth.logout in a Rust handler <-> Django's SessionMiddleware")
def s12_handler_session(env: Env, mode: Mode):
    user, pw = mode.username("rs_handler"), "rs-pass-12"
    pk = env.orm("create-user", user, pw)["pk"]
    body = json.dumps({"username": user, "password": pw}).encode()
    resp = env.rust("POST", "/handler-login/", [("Content-Type", "application/json")], body)
    cookies = set_cookies(resp)
    expect(resp.status == 200 and resp.json() == {"id": pk} and cookies.get("sessionid") and cookies.get("csrftoken"),
           f"Rust POST /handler-login/: expected 200 {{\"id\": {pk}}} with sessionid and csrftoken cookies, got "
           f"{describe(resp)} cookies {sorted(cookies)}")
    sessionid, csrftoken = cookies["sessionid"], cookies["csrftoken"]
    expect_session_works(env, "django", sessionid, user, "the handler's login")
    # A value written by a Rust handler, read by a plain Django view, and the other way round.
    value = {"n": 12, "text": "caf\u00e9 \u2603", "list": [1, None, True]}
    resp = env.rust("POST", "/session-value/", session_headers(env, "rust", sessionid, csrftoken),
                    json.dumps({"value": value}).encode())
    expect(resp.status == 200 and resp.json() == {"value": value},
           f"Rust POST /session-value/: {describe(resp)}")
    resp = env.django("GET", "/session-value/", session_headers(env, "django", sessionid))
    expect(resp.json() == {"value": value}, f"Django read the Rust handler's value as {describe(resp)}")
    resp = env.django("POST", "/session-value/", session_headers(env, "django", sessionid)
                      + [("Content-Type", "application/json")], json.dumps({"value": ["from", "django"]}).encode())
    expect(resp.status == 200, f"Django POST /session-value/: {describe(resp)}")
    resp = env.rust("GET", "/session-value/", session_headers(env, "rust", sessionid))
    expect(resp.status == 200 and resp.json() == {"value": ["from", "django"]},
           f"Rust read Django's value as {describe(resp)}")
    expect_session_works(env, "rust", sessionid, user, "the session after both wrote it")
    decoded = env.orm("decode-session", sessionid)
    expect(decoded.get("_auth_user_id") == str(pk) and decoded.get("hash_matches_user"),
           f"Django ORM decodes the handler's session as {decoded}")
    resp = env.rust("POST", "/handler-logout/", session_headers(env, "rust", sessionid, csrftoken), b"{}")
    expect(resp.status == 204 and set_cookies(resp).get("sessionid") == "",
           f"Rust POST /handler-logout/: expected 204 deleting the cookie, got {describe(resp)}")
    expect_session_refused(env, "django", sessionid, "after the handler's logout")


@scenario("16. auth-admin addperm / addgroup / permissions <-> Django's ORM user.has_perm (custom pass: "
          "the custom model's many-to-many tables)")
def s16_permissions(env: Env, mode: Mode):
    user = mode.username("perms_user")
    env.orm("create-user", user, "perms-pass-16")
    proc = env.admin("addperm", user, "auth.add_group", "auth.change_group")
    expect(proc.returncode == 0, f"auth-admin addperm: exit {proc.returncode}: {last_lines(proc.stderr)}")
    proc = env.admin("addgroup", user, "interop_removers")
    expect(proc.returncode == 0, f"auth-admin addgroup: exit {proc.returncode}: {last_lines(proc.stderr)}")
    answer = env.orm("has-perms", user, "auth.add_group", "auth.change_group", "auth.delete_group")
    expect(answer["has_perm"] == {"auth.add_group": True, "auth.change_group": True, "auth.delete_group": False},
           f"Django's has_perm after auth-admin addperm: {answer}")
    # Django gives one more directly: Rust lists it with its own two.
    env.orm("grant", user, "auth.view_group")
    proc = env.admin("permissions", user)
    expect(proc.returncode == 0 and proc.stdout.split() == ["auth.add_group", "auth.change_group", "auth.view_group"],
           f"auth-admin permissions after Django's grant: exit {proc.returncode}, {proc.stdout!r} {last_lines(proc.stderr)}")
    answer = env.orm("has-perms", user, "auth.view_group")
    expect(answer["all"] == ["auth.add_group", "auth.change_group", "auth.view_group"],
           f"Django's get_all_permissions: {answer}")
    proc = env.admin("removeperm", user, "auth.change_group")
    expect(proc.returncode == 0, f"auth-admin removeperm: exit {proc.returncode}: {last_lines(proc.stderr)}")
    answer = env.orm("has-perms", user, "auth.change_group")
    expect(answer["has_perm"] == {"auth.change_group": False}, f"Django's has_perm after removeperm: {answer}")


# django-oauth-toolkit --------------------------------------------------------------------------

@scenario("19. django-oauth-toolkit: `auth-admin cleartokens` deletes exactly the rows DOT's `cleartokens` "
          "deletes (revoked, orphaned and idle refresh tokens, expired access and ID tokens, grants; the "
          "access tokens' links set to NULL), under DOT's defaults, REFRESH_TOKEN_EXPIRE_SECONDS, a grace "
          "period and reuse protection", modes=("default",))
def s19_dot_cleartokens(env: Env, mode: Mode):
    runs = [
        ("defaults", {}, []),
        ("expire", {"REFRESH_TOKEN_EXPIRE_SECONDS": 3600}, ["--refresh-token-expire-seconds", "3600"]),
        ("grace", {"REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 60}, ["--refresh-token-grace-period-seconds", "60"]),
        ("reuse", {"REFRESH_TOKEN_EXPIRE_SECONDS": 3600, "REFRESH_TOKEN_REUSE_PROTECTION": True},
         ["--refresh-token-expire-seconds", "3600", "--refresh-token-reuse-protection"]),
    ]
    for name, provider, options in runs:
        rust_tag, django_tag = f"rs{name}", f"dj{name}"
        before = env.orm("dot-cleanup-fixtures", rust_tag)
        proc = env.admin("cleartokens", *options)
        expect(proc.returncode == 0, f"[{name}] auth-admin cleartokens: exit {proc.returncode}: "
                                     f"{last_lines(proc.stderr)}")
        by_rust = env.orm("dot-survivors", rust_tag)
        env.orm("dot-cleanup-fixtures", django_tag)
        dj_env = dict(env.base_env, OAUTH2_PROVIDER=json.dumps(provider))
        dj = subprocess.run([env.python, "manage.py", "cleartokens"], cwd=DJANGO_DIR, env=dj_env,
                            capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        expect(dj.returncode == 0, f"[{name}] manage.py cleartokens: exit {dj.returncode}: "
                                   f"{last_lines(dj.stderr)}")
        env.note(f"[{name}] manage.py cleartokens -> stderr {dj.stderr.strip()[:120]!r}")
        by_django = env.orm("dot-survivors", django_tag)
        expect(by_rust == by_django, f"[{name}] survivors differ:\n  auth-admin: {by_rust}\n  DOT:        {by_django}")
        expect(by_rust != before, f"[{name}] auth-admin cleartokens deleted nothing (control)")
        # DOT finds nothing more to delete among the rows auth-admin left.
        expect(env.orm("dot-survivors", rust_tag) == by_rust,
               f"[{name}] DOT's cleartokens deleted more of the rows auth-admin had kept")
        # DOT's warning when refresh tokens never age out, word for word.
        warned = "REFRESH_TOKEN_EXPIRE_SECONDS is not set" in proc.stderr
        expect(warned == ("REFRESH_TOKEN_EXPIRE_SECONDS" not in provider)
               and (not warned or proc.stderr.strip() in dj.stderr),
               f"[{name}] the warning: auth-admin {proc.stderr.strip()!r} / DOT {dj.stderr.strip()!r}")


def dot_command(env: Env, *args) -> subprocess.CompletedProcess:
    """django-oauth-toolkit's own management command `manage.py <args>` on the pass's database."""
    proc = subprocess.run([env.python, "manage.py", *args], cwd=DJANGO_DIR, env=env.base_env,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    env.note(f"manage.py {' '.join(args)} -> exit {proc.returncode}; stdout {proc.stdout.strip()!r}; "
             f"stderr {last_lines(proc.stderr)!r}")
    return proc


# The columns `createapplication` decides besides the credentials, the name and the timestamps,
# with SQLite's storage class of each (so that 1 and '1', or NULL and '', differ).
APPLICATION_COLUMNS = ["redirect_uris", "post_logout_redirect_uris", "client_type", "authorization_grant_type",
                       "hash_client_secret", "user_id", "skip_authorization", "algorithm", "allowed_origins",
                       "registration_source", "cimd_expires_at"]
DJANGO_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")


def application_row(env: Env, client_id: str) -> dict:
    columns = APPLICATION_COLUMNS + ["created", "updated"]
    row = env.db_one("SELECT " + ", ".join(f"{c}, typeof({c})" for c in columns)
                     + ", client_secret FROM oauth2_provider_application WHERE client_id = ?", (client_id,))
    expect(row is not None, f"no application {client_id!r} in oauth2_provider_application")
    out = {c: (row[2 * i], row[2 * i + 1]) for i, c in enumerate(columns)}
    out["client_secret"] = row[-1]
    return out


def token_grant(env: Env, side: str, client_id: str, secret: str):
    """`grant_type=client_credentials` at the side's `/o/token/` with Basic client credentials."""
    return env.request(side, "POST", "/o/token/",
                       basic_header(client_id, secret) + [("Content-Type", "application/x-www-form-urlencoded")],
                       b"grant_type=client_credentials")


def expect_token(env: Env, side: str, client_id: str, secret: str, what: str):
    resp = token_grant(env, side, client_id, secret)
    body = resp.json()
    expect(resp.status == 200 and isinstance(body, dict) and isinstance(body.get("access_token"), str)
           and re.fullmatch(r"[A-Za-z0-9]{30}", body["access_token"]) and body.get("token_type") == "Bearer",
           f"{what}: {side.title()} POST /o/token/ (client_credentials): expected 200 with an access token, "
           f"got {describe(resp)}")


# The same arguments to both commands: DOT's report of what is wrong, word for word (DOT prints it on
# standard output and exits 0; auth-admin prints it as `CommandError: ...` and exits 1).
CREATEAPPLICATION_REFUSED = [
    ["foo", "bar"],
    ["", "password"],
    ["public", "authorization-code"],
    ["public", "openid-hybrid", "--redirect-uris", "   "],
    ["public", "implicit", "--redirect-uris",
     "http://ok.example/cb https://a.b/c#frag ftp://x.com http:/nohost https:///x http://-bad.com "
     "http://[::1 http://[1.2.3.4]/ http://[xyz]/ http://[v1.x]/ http://a@ com.app:/cb"],
    ["public", "password", "--algorithm", "HS256"],
    ["confidential", "password", "--algorithm", "HS256", "--no-hash-client-secret", "--client-secret",
     "pbkdf2_sha256$1$salt$hash"],
    ["confidential", "password", "--algorithm", "RS256"],
    ["confidential", "password", "--algorithm", "hs256"],
    ["confidential", "password", "--user", "abc"],
    ["confidential", "password", "--user", "999999"],
    ["confidential", "password", "--name", "n" * 256, "--client-id", "c" * 300],
    ["confidentialx", "passwordx", "--client-id", "interop-taken", "--algorithm", "RS256", "--redirect-uris", "bad"],
]


@scenario("20. django-oauth-toolkit: `auth-admin createapplication` and DOT's `createapplication` write the same "
          "row (column by column) and report the same validation errors; each side's application, its secret "
          "hashed, gets tokens at both `/o/token/`s; `auth-admin listapplications` lists them, and "
          "`deleteapplication` removes one with its tokens, after which DOT refuses the client",
          modes=("default",))
def s20_dot_applications(env: Env, mode: Mode):
    owner = mode.username("app_owner")
    env.orm("create-user", owner, "owner-pass-20")
    owner_pk = str(env.orm("user", owner)["pk"])
    expect(dot_command(env, "createapplication", "public", "password", "--client-id", "interop-taken").returncode == 0,
           "manage.py createapplication of the taken client id failed")
    before = env.db_one("SELECT COUNT(*) FROM oauth2_provider_application")[0]
    for args in CREATEAPPLICATION_REFUSED:
        dj = dot_command(env, "createapplication", *args)
        expect(dj.returncode == 0 and dj.stdout.startswith("Please correct the following errors:\n"),
               f"DOT's createapplication {args!r}: expected its report of errors, got exit {dj.returncode} "
               f"{dj.stdout!r} {last_lines(dj.stderr)}")
        rs = env.admin("createapplication", *args)
        expect(rs.returncode == 1 and rs.stdout == "" and rs.stderr == "CommandError: " + dj.stdout,
               f"auth-admin createapplication {args!r}: exit {rs.returncode}\n  auth-admin: {rs.stderr!r}\n"
               f"  DOT:        {'CommandError: ' + dj.stdout!r}")
    count = env.db_one("SELECT COUNT(*) FROM oauth2_provider_application")[0]
    expect(count == before, f"refused applications were saved: {count - before} rows")

    # The same application made by each command (DOT generates the secret and prints it once).
    shared = ["confidential", "client-credentials", "--user", owner_pk, "--redirect-uris",
              "https://client.example/cb http://localhost:8000/cb?x=1", "--post-logout-redirect-uris",
              "https://client.example/bye", "--skip-authorization"]
    made = {}
    for side, client_id in (("rust", "interop-rs"), ("django", "interop-dj")):
        args = ["createapplication", *shared, "--client-id", client_id, "--name", f"app {client_id}"]
        proc = env.admin(*args) if side == "rust" else dot_command(env, *args)
        lines = proc.stdout.splitlines()
        expect(proc.returncode == 0 and len(lines) == 2
               and lines[0] == f"New application app {client_id} created successfully."
               and re.fullmatch(r"client_secret: [A-Za-z0-9]{128}", lines[1]),
               f"{side} createapplication: exit {proc.returncode}, {proc.stdout!r} {last_lines(proc.stderr)}")
        made[side] = (client_id, lines[1].split(": ", 1)[1])
    rs_row, dj_row = application_row(env, "interop-rs"), application_row(env, "interop-dj")
    for column in APPLICATION_COLUMNS:
        expect(rs_row[column] == dj_row[column],
               f"column {column}: auth-admin wrote {rs_row[column]!r}, DOT {dj_row[column]!r}")
    for side, row in (("auth-admin", rs_row), ("DOT", dj_row)):
        for column in ("created", "updated"):
            value, kind = row[column]
            expect(kind == "text" and DJANGO_DATETIME.fullmatch(value),
                   f"{side}'s {column} is not Django's SQLite datetime text: {row[column]!r}")
        expect(row["client_secret"].startswith("pbkdf2_sha256$") and made["rust"][1] not in row["client_secret"]
               and made["django"][1] not in row["client_secret"],
               f"{side}'s client_secret is not a password hash: {row['client_secret'][:20]!r}...")

    # Each application authenticates with its printed secret on both servers.
    for side_made, (client_id, secret) in made.items():
        for side in ("django", "rust"):
            expect_token(env, side, client_id, secret, f"the application {side_made} made")
        resp = token_grant(env, "django", client_id, secret[:-1])
        expect(resp.status == 401, f"DOT accepted a wrong secret for {client_id}: {describe(resp)}")

    # One line per application, in id order: id, client id, type, grant, owner, name; no secret.
    listed = env.admin("listapplications")
    rows = {line.split()[1]: line.split(None, 5) for line in listed.stdout.splitlines()}
    ids = [int(line.split()[0]) for line in listed.stdout.splitlines()]
    expect(listed.returncode == 0 and len(rows) == count + 2 and ids == sorted(ids)
           and rows.get("interop-taken", [])[2:] == ["public", "password", "<none>"]
           and all(rows.get(c, [])[2:] == ["confidential", "client-credentials", owner, f"app {c}"]
                   for c in ("interop-rs", "interop-dj"))
           and not any(secret in listed.stdout for _, secret in made.values()) and "pbkdf2" not in listed.stdout,
           f"auth-admin listapplications: exit {listed.returncode}, {listed.stdout!r}")

    # Deleted with auth-admin: its tokens (issued by both servers) go, DOT no longer knows the client.
    client_id, secret = made["django"]
    app_id = env.db_one("SELECT id FROM oauth2_provider_application WHERE client_id = ?", (client_id,))[0]
    tokens = env.db_one("SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE application_id = ?", (app_id,))[0]
    expect(tokens == 2, f"expected the 2 access tokens the servers issued to {client_id}, found {tokens}")
    proc = env.admin("deleteapplication", client_id)
    expect(proc.returncode == 0 and proc.stdout == f"Deleted application app {client_id} and its 2 access tokens, "
                                                   "0 refresh tokens, 0 grants and 0 ID tokens.\n",
           f"auth-admin deleteapplication: exit {proc.returncode}, {proc.stdout!r} {last_lines(proc.stderr)}")
    left = env.db_one("SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE application_id = ?", (app_id,))[0]
    expect(left == 0, f"{left} access tokens of the deleted application are left")
    for side in ("django", "rust"):
        resp = token_grant(env, side, client_id, secret)
        expect(resp.status == 401 and resp.json() == {"error": "invalid_client"},
               f"{side.title()} /o/token/ with the deleted application: expected 401 invalid_client, "
               f"got {describe(resp)}")
    expect_token(env, "django", *made["rust"], "the application auth-admin made, after the other one's deletion")


# django-guardian ---------------------------------------------------------------------------------

GROUP_PERMS = ["auth.add_group", "auth.change_group", "auth.delete_group", "auth.view_group"]


@scenario("18. django-guardian: DjangoObjectPermissions on group objects, Django's ModelBackend + "
          "ObjectPermissionBackend vs Rust's ObjectPermissionBackend on the same rows — every user x object "
          "x method x perms map, status, challenge and body", modes=("guardian",))
def s18_guardian_object_permissions(env: Env, mode: Mode):
    pw = "g-pass-18"
    objects = {name: env.orm("make-group", name)["pk"] for name in ("g_obj_a", "g_obj_b", "g_obj_c")}
    a, b, c = objects["g_obj_a"], objects["g_obj_b"], objects["g_obj_c"]
    users = ["g_none", "g_model", "g_direct", "g_grouped", "g_objonly", "g_super"]
    for user in users:
        env.orm("create-user", user, pw, *(["--superuser"] if user == "g_super" else []))
    for user in ("g_model", "g_direct", "g_grouped"):
        env.orm("grant", user, *GROUP_PERMS)
    # Object permissions: a user's own on A (change, view) and B (delete); a group's on B
    # (change, view); one without the model-level permissions DjangoModelPermissions needs.
    for who, perm, pk in [("g_direct", "auth.change_group", a), ("g_direct", "auth.view_group", a),
                          ("g_direct", "delete_group", b), ("group:g_editors", "auth.change_group", b),
                          ("group:g_editors", "view_group", b), ("g_objonly", "auth.change_group", a),
                          ("g_objonly", "auth.view_group", a)]:
        env.orm("assign-obj-perm", who, perm, str(pk))
    env.orm("join-group", "g_grouped", "g_editors")
    compared = 0
    for route in ("/object-perms/", "/object-perms-view/"):
        for pk in (a, b, c, 999999):
            for user in users + [None]:
                headers = basic_header(user, pw) if user else []
                for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    path = f"{route}{pk}/"
                    dj = env.django(method, path, headers)
                    rs = env.rust(method, path, headers)
                    want = (dj.status, dj.header("www-authenticate"), dj.body)
                    got = (rs.status, rs.header("www-authenticate"), rs.body)
                    expect(got == want, f"{method} {path} as {user}: Django {want!r}, Rust {got!r}")
                    compared += 1
    # The matrix is not trivially uniform: each outcome Django gives occurs.
    env.note(f"{compared} requests compared")
    samples = {(user, method): env.django(method, f"/object-perms-view/{a}/", basic_header(user, pw)).status
               for user in ("g_direct", "g_none", "g_model") for method in ("GET", "PUT", "DELETE")}
    expect(samples[("g_direct", "GET")] == 200 and samples[("g_direct", "PUT")] == 200
           and samples[("g_direct", "DELETE")] == 403 and samples[("g_model", "GET")] == 404
           and samples[("g_none", "PUT")] == 403,
           f"Django's guardian answers are not the expected mix (200, 403, 404): {samples}")


# CSRF_USE_SESSIONS ---------------------------------------------------------------------------------

CSRF_FAILED = "CSRF Failed:"


def token_headers(env: Env, side: str, sessionid: str, token: str, extra_cookie: str = ""):
    """A JSON POST's headers with the session cookie (+ `extra_cookie`), a token as X-CSRFToken and
    the server's own Origin: what a page of a CSRF_USE_SESSIONS site sends."""
    return [("Cookie", f"sessionid={sessionid}{extra_cookie}"), ("X-CSRFToken", token),
            ("Origin", env.origin(side)), ("Content-Type", "application/json")]


def csrf_token_of(env: Env, side: str, sessionid: str | None) -> tuple[str, dict]:
    """GET the side's token view (Django's `get_token` as JSON; Rust's /api-auth/csrf/): the masked
    token and the cookies the answer set. No csrftoken cookie may be among them in this pass."""
    path = "/csrf-token/" if side == "django" else "/api-auth/csrf/"
    resp = env.request(side, "GET", path, [("Cookie", f"sessionid={sessionid}")] if sessionid else [])
    body = resp.json() if isinstance(resp.json(), dict) else {}
    cookies = set_cookies(resp)
    expect(resp.status == 200 and isinstance(body.get("csrf_token"), str) and len(body["csrf_token"]) == 64,
           f"{side.title()} GET {path}: expected 200 {{\"csrf_token\": <64 characters>}}, got {describe(resp)}")
    expect("csrftoken" not in cookies,
           f"{side.title()} GET {path} sent a csrftoken cookie with CSRF_USE_SESSIONS: {cookies}")
    return body["csrf_token"], cookies


def django_login_in_session(env: Env, username: str, password: str) -> str:
    """Django's LoginView with CSRF_USE_SESSIONS: the page stores the secret in an anonymous
    session (its cookie, no csrftoken cookie) and puts a masked token in the form; the login
    cycles the session key and rotates the secret. Returns the logged-in session key."""
    page = env.django("GET", "/accounts/login/")
    cookies = set_cookies(page)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body or b"")
    expect(page.status == 200 and match and cookies.get("sessionid") and "csrftoken" not in cookies,
           f"Django GET /accounts/login/: expected 200, a form token and only a sessionid cookie, got "
           f"{describe(page)} cookies {cookies}")
    body = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "username": username,
                      "password": password}).encode()
    resp = env.django("POST", "/accounts/login/", [("Cookie", f"sessionid={cookies['sessionid']}"),
                                                   ("Content-Type", "application/x-www-form-urlencoded")], body)
    after = set_cookies(resp)
    expect(resp.status == 302 and after.get("sessionid") and after["sessionid"] != cookies["sessionid"]
           and "csrftoken" not in after,
           f"Django POST /accounts/login/ as {username!r}: expected 302 and a new sessionid only, got "
           f"{describe(resp)} cookies {after}")
    return after["sessionid"]


@scenario("17. UUID keys: the forms Django stores and writes — char(32) hex in the user, token and knox rows "
          "(Rust-made ones too), str(pk) in the session and in JSON, version 4 for a user the Rust side makes",
          modes=("uuid",))
def s17_uuid_forms(env: Env, mode: Mode):
    import uuid as uuid_module

    user, pw = mode.username("rs_uuid"), "rs-pass-17"
    admin_createsuperuser(env, mode, user, pw)
    pk = env.orm("user", user)["pk"]
    made = uuid_module.UUID(pk)
    expect(made.version == 4 and str(made) == pk, f"Django reads the Rust-made user's pk as {pk!r}: "
                                                   f"want a version-4 UUID in str() form")
    row = env.db_one(f'SELECT id FROM "{mode.user_table}" WHERE username = ?', (user,))
    expect(row == (made.hex,), f"the user row's id column is {row!r}, want Django's char(32) {made.hex!r}")
    proc = env.admin("create-token", user)
    expect(proc.returncode == 0, f"auth-admin create-token exited {proc.returncode}")
    login = rust_login(env, user, pw)
    expect(isinstance(login["body"], dict) and login["body"].get("id") == pk,
           f"Rust login answer: expected \"id\": {pk!r}, got {login['body']!r}")
    resp = env.rust("POST", "/knox/login/", basic_header(user, pw))
    expect(resp.status == 200, f"Rust POST /knox/login/: {describe(resp)}")
    for table in ("authtoken_token", "knox_authtoken"):
        rows = env.db_one(f'SELECT DISTINCT user_id FROM "{table}" WHERE user_id = ?', (made.hex,))
        expect(rows == (made.hex,), f"{table}.user_id of the Rust-made row: {rows!r}, want {made.hex!r}")
    decoded = env.orm("decode-session", login["sessionid"])
    expect(decoded.get("_auth_user_id") == pk,
           f"the Rust-made session's _auth_user_id is {decoded.get('_auth_user_id')!r}, want str(pk) {pk!r}")
    # Django's own session for the user names it the same way, and the Rust side reads it.
    sessionid, _ = django_login_checked(env, user, pw)
    expect(env.orm("decode-session", sessionid).get("_auth_user_id") == pk,
           "Django's own session names the user by str(pk)")
    expect_session_works(env, "rust", sessionid, user, "Django session")


@scenario("13. CSRF_USE_SESSIONS: Django login session -> Rust POST /session/ with Django's token; "
          "a csrftoken cookie is not read", modes=("csrf-sessions",))
def s13_django_csrf_session_on_rust(env: Env, mode: Mode):
    user, pw = mode.username("dj_csrf_session"), "dj-pass-13"
    env.orm("create-user", user, pw)
    sessionid = django_login_in_session(env, user, pw)
    decoded = env.orm("decode-session", sessionid)
    expect(len(decoded.get("load", {}).get("_csrftoken") or "") == 32,
           f"Django's session after its login has no 32-character _csrftoken: {decoded}")
    token, _ = csrf_token_of(env, "django", sessionid)
    for side in ("rust", "django"):
        expect_user(env.request(side, "POST", "/session/", token_headers(env, side, sessionid, token), b"{}"), user,
                    f"{side.title()} POST /session/ with Django's token of the session's secret")
    # Both refuse the same ways: no token, and a csrftoken cookie with its own matching token (the
    # cookie is not where the secret lives in this mode).
    forged = "abcdefghijklmnopqrstuvwxyzABCDEF"
    answers = {}
    for side in ("rust", "django"):
        no_token = env.request(side, "POST", "/session/", token_headers(env, side, sessionid, "")[:1]
                               + [("Origin", env.origin(side)), ("Content-Type", "application/json")], b"{}")
        expect_detail(no_token, 403, CSRF_FAILED, f"{side.title()} POST /session/ without a token", prefix=True)
        cookie_only = env.request(side, "POST", "/session/",
                                  token_headers(env, side, sessionid, mask_csrf(forged), f"; csrftoken={forged}"),
                                  b"{}")
        expect_detail(cookie_only, 403, CSRF_FAILED,
                      f"{side.title()} POST /session/ with a csrftoken cookie and its token", prefix=True)
        answers[side] = ((no_token.json() or {}).get("detail"), (cookie_only.json() or {}).get("detail"))
    expect(answers["rust"] == answers["django"],
           f"the refusals differ: Rust {answers['rust']!r}, Django {answers['django']!r}")


@scenario("14. CSRF_USE_SESSIONS: Rust /api-auth/ csrf + login -> the secret in the session for Django; "
          "rotated at login", modes=("csrf-sessions",))
def s14_rust_csrf_session_on_django(env: Env, mode: Mode):
    user, pw = mode.username("rs_csrf_session"), "rs-pass-14"
    env.orm("create-user", user, pw)
    token, cookies = csrf_token_of(env, "rust", None)
    anonymous = cookies.get("sessionid")
    expect(bool(anonymous), f"Rust GET /api-auth/csrf/ made no session for its secret: {cookies}")
    decoded = env.orm("decode-session", anonymous)
    expect(set(decoded.get("load", {})) == {"_csrftoken"},
           f"Django decodes Rust's anonymous session as {decoded}, want only _csrftoken")
    before = decoded["load"]["_csrftoken"]
    same, again = csrf_token_of(env, "rust", anonymous)
    expect("sessionid" not in again, f"an unchanged session was saved again: {again}")
    body = json.dumps({"username": user, "password": pw}).encode()
    resp = env.rust("POST", "/api-auth/login/", token_headers(env, "rust", anonymous, same), body)
    after = set_cookies(resp)
    expect(resp.status == 200 and after.get("sessionid") and after["sessionid"] != anonymous
           and "csrftoken" not in after,
           f"Rust POST /api-auth/login/: expected 200 and a new sessionid only, got {describe(resp)} {after}")
    sessionid = after["sessionid"]
    decoded = env.orm("decode-session", sessionid)
    load = decoded.get("load", {})
    expect(len(load.get("_csrftoken") or "") == 32 and load["_csrftoken"] != before
           and decoded.get("hash_matches_user"),
           f"Django decodes Rust's login session as {decoded}: want a new _csrftoken and a valid login")
    # The secret was rotated at login: the pre-login token is refused by both.
    for side in ("rust", "django"):
        expect_detail(env.request(side, "POST", "/session/", token_headers(env, side, sessionid, token), b"{}"),
                      403, "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.",
                      f"{side.title()} POST /session/ with the pre-login token")
    # Tokens of the rotated secret, made by either side, are accepted by both.
    for maker in ("rust", "django"):
        fresh, _ = csrf_token_of(env, maker, sessionid)
        for side in ("rust", "django"):
            expect_user(env.request(side, "POST", "/session/", token_headers(env, side, sessionid, fresh), b"{}"),
                        user, f"{side.title()} POST /session/ with {maker.title()}'s token of the rotated secret")


@scenario("15. CSRF_USE_SESSIONS: auth.login in a Rust handler stores the rotated secret in the session",
          modes=("csrf-sessions",))
def s15_handler_login_csrf_session(env: Env, mode: Mode):
    user, pw = mode.username("rs_handler_csrf"), "rs-pass-15"
    env.orm("create-user", user, pw)
    body = json.dumps({"username": user, "password": pw}).encode()
    resp = env.rust("POST", "/handler-login/", [("Content-Type", "application/json")], body)
    cookies = set_cookies(resp)
    expect(resp.status == 200 and cookies.get("sessionid") and "csrftoken" not in cookies,
           f"Rust POST /handler-login/: expected 200 with a sessionid cookie only, got {describe(resp)} {cookies}")
    sessionid = cookies["sessionid"]
    decoded = env.orm("decode-session", sessionid)
    expect(len(decoded.get("load", {}).get("_csrftoken") or "") == 32 and decoded.get("hash_matches_user"),
           f"Django decodes the handler's login session as {decoded}")
    token, _ = csrf_token_of(env, "django", sessionid)
    resp = env.rust("POST", "/session-value/", token_headers(env, "rust", sessionid, token),
                    json.dumps({"value": 15}).encode())
    expect(resp.status == 200 and resp.json() == {"value": 15},
           f"Rust POST /session-value/ with Django's token: {describe(resp)}")


# --------------------------------------------------------------------------------------------------
# Running a pass


def run_pass(mode: Mode, args, rust_bin: str, admin_bin: str, workdir: Path) -> tuple[int, int]:
    print(f"\n== pass {mode.name}: {mode.title} ==")
    passdir = workdir / mode.name
    passdir.mkdir()
    db_path = passdir / "interop.db"
    base_env = server_env(db_path)
    for name in ("AUTH_USER_TABLE", "AUTH_USERNAME_FIELD"):
        base_env.pop(name, None)  # only mode.rust_env decides
    if mode.settings_module:
        base_env["DJANGO_SETTINGS_MODULE"] = mode.settings_module
    python = sys.executable
    print(f"database: {db_path}")
    if mode.settings_module:
        print(f"django:   DJANGO_SETTINGS_MODULE={mode.settings_module}")
    if mode.rust_env:
        print("rust:     " + " ".join(f"{k}={v}" for k, v in mode.rust_env.items()))

    servers = []
    passed = failed = 0
    try:
        try:
            proc = subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=DJANGO_DIR,
                                  env=base_env, capture_output=True, text=True)
            if proc.returncode:
                raise RuntimeError(f"manage.py migrate exited {proc.returncode}: {last_lines(proc.stderr)}")
            dj_port, rs_port = start_servers(servers, python, rust_bin, base_env, passdir, rust_env=mode.rust_env)
        except (RuntimeError, OSError) as error:
            for title, _ in scenarios_of(mode):
                print(f"FAIL [{mode.name}] {title}\n     reason: pass setup failed: {error}")
            return 0, len(scenarios_of(mode))
        env = Env(mode, dj_port, rs_port, db_path, base_env, python, admin_bin, args.verbose)
        for title, fn in scenarios_of(mode):
            env.log = []
            started = time.time()
            try:
                fn(env, mode)
            except Fail as error:
                failed += 1
                print(f"FAIL [{mode.name}] {title}\n     reason: {error}")
                for line in env.log:
                    print(f"       {line}")
                continue
            except Exception as error:  # a bug of the suite, or a crash: still one readable FAIL line
                failed += 1
                print(f"FAIL [{mode.name}] {title}\n     reason: {type(error).__name__}: {error}")
                if args.verbose:
                    traceback.print_exc()
                continue
            passed += 1
            print(f"PASS [{mode.name}] {title} ({time.time() - started:.1f} s)")
            if args.verbose:
                for line in env.log:
                    print(f"       {line}")
        if mode.user_table != "auth_user" and env.db_one(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'auth_user'") is not None:
            # Django's migrations for this settings module create no auth_user: someone else did.
            print(f"note [{mode.name}]: the database now has an `auth_user` table, which Django's migrations "
                  f"did not create: the Rust server or auth-admin ignored "
                  + " ".join(f"{k}={v}" for k, v in mode.rust_env.items()))
    finally:
        for server in servers:
            server.stop()
    print(f"pass {mode.name}: {passed} passed, {failed} failed")
    return passed, failed


def find_admin_bin(arg):
    candidates = [arg] if arg else []
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(os.path.join(os.environ["CARGO_TARGET_DIR"], "debug", "auth-admin"))
    candidates.append(str(REPO / "target" / "debug" / "auth-admin"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise SystemExit(f"run_interop.py: no auth-admin binary found (tried {candidates}); pass --admin-bin")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust-bin", help="path of the drf_parity binary (default: $CARGO_TARGET_DIR/debug/"
                                           "drf_parity, then target/debug/drf_parity)")
    parser.add_argument("--admin-bin", help="path of the auth-admin binary (default: $CARGO_TARGET_DIR/debug/"
                                            "auth-admin, then target/debug/auth-admin)")
    parser.add_argument("--only", choices=sorted(MODES),
                        help="run one pass only (default: default, custom, uuid, csrf-sessions, then guardian)")
    parser.add_argument("--custom-user", action="store_true", help="the custom user model pass only (= --only custom)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every step of every scenario")
    args = parser.parse_args(argv)
    if args.custom_user and args.only not in (None, "custom"):
        parser.error("--custom-user contradicts --only default")
    modes = (["custom"] if args.custom_user else [args.only] if args.only
             else ["default", "custom", "uuid", "csrf-sessions", "guardian"])

    rust_bin = find_rust_bin(args.rust_bin)
    admin_bin = find_admin_bin(args.admin_bin)
    workdir = Path(tempfile.mkdtemp(prefix="drf-interop-"))
    print(f"rust:       {rust_bin}\nauth-admin: {admin_bin}\nlogs:       {workdir}")
    totals = {}
    try:
        for name in modes:
            totals[name] = run_pass(MODES[name], args, rust_bin, admin_bin, workdir)
    finally:
        if args.keep:
            print(f"\nkept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    for name, (p, f) in totals.items():
        print(f"pass {name}: {p} passed, {f} failed")
    passed, failed = sum(p for p, _ in totals.values()), sum(f for _, f in totals.values())
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
