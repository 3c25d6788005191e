#!/usr/bin/env python3
"""Remote introspection suite (issue 21, part 4): DOT's resource-server mode
(`RESOURCE_SERVER_INTROSPECTION_URL`) here and in django-oauth-toolkit 3.4.1, side by side.

Runs inside the parity virtualenv (see setup.sh):

    parity/.venv/bin/python parity/run_introspection.py --rust-bin PATH

The authorization server's database (`as.db`) holds the `oauth2` parity group's applications and
access tokens (`manage.py parity_oauth2`) plus this suite's own (AS_TOKENS: a user the resource
servers lack, a token whose characters need form quoting, a long-lived token). It is served twice:
by DOT (Django's runserver) and by the Rust `drf_parity` server, each answering `/o/introspect/`.

For each authorization server and each way to authenticate to it (DOT's
`RESOURCE_SERVER_AUTH_TOKEN`, a token with the `introspection` scope, and
`RESOURCE_SERVER_INTROSPECTION_CREDENTIALS`, Basic client credentials), two resource servers, DOT
and the Rust server, each on its own fresh copy of one resource-server database (the users of the
parity fixtures, no access tokens), get the same requests in the same order; their status,
`WWW-Authenticate` and body must be equal, and so must the rows they write
(`oauth2_provider_accesstoken` and the users they create). Then each resource server is restarted
on the other's database with the authorization server gone: the tokens the other side stored must
authenticate from the stored rows alone.

A last pass puts a scripted authorization server (FAKE_ANSWERS: a status and a body per token) in
front of both resource servers, for the answers a real one does not give: claims of every type,
non-JSON bodies, other statuses, a redirect. Where DOT fails (a 500 on a claim it cannot store, a
redirect followed, a user written for a refused answer) both sides are checked: DOT's documented
behaviour, and the Rust server's refusal (DIVERGENCES).

The last line is `N passed, M failed`; exit status 0 only when every check passed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_parity import (  # noqa: E402  (the parity runner is the library of this one)
    DJANGO_DIR,
    Server,
    find_rust_bin,
    free_port,
    http_request,
    server_env,
    show_body,
)

API_HOST = "api.example.com"
INTROSPECTOR = "Introspector0000000000000000M"  # parity_oauth2: scope `introspection`
CLIENT = ["parity-cc-client", "parity-cc-secret"]  # parity_oauth2's confidential client
CACHING_SECONDS = 2 * 86400  # above the day most tokens live, below LongLived's ten years

# This suite's own rows on the authorization server: (token, username (None: no user), scope,
# expires in seconds, resource). `bob_as` exists only there (the resource servers create him).
AS_TOKENS = [
    ("BobOnlyOnTheAuthServer0000000Q", "bob_as", "read write", 86400, []),
    ("tok+en/=&%~*\u00e9", "john", "read", 86400, []),
    ("LongLived00000000000000000000R", "john", "read write", 10 * 365 * 86400, []),
    ("AudienceList0000000000000000S", "john", "read", 86400,
     ["http://api.example.com/oauth2", "https://other.example.com/"]),
]

SETUP_AS = """
import hashlib, json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model
User, AccessToken, Application = get_user_model(), get_access_token_model(), get_application_model()
app = Application.objects.get(client_id="parity-cc-client")
for token, username, scope, seconds, resource in json.loads(AS_TOKENS):
    user = User.objects.get_or_create(username=username)[0] if username else None
    AccessToken.objects.update_or_create(
        token_checksum=hashlib.sha256(token.encode()).hexdigest(),
        defaults=dict(token=token, user=user, application=app, scope=scope, resource=resource,
                      expires=timezone.now() + timedelta(seconds=seconds)))
"""

# The requests of each pass: (label, path, Authorization header bytes (None: none), extra headers).
# Every request carries `Host: api.example.com` (the audience of the resource-restricted tokens).
# A label's `*` marks a request whose token the other resource server has stored by the end of
# the pass (the cross-read checks replay those).
SCENARIOS = [
    ("no token", "/oauth2/", None),
    ("*user token, user on both sides", "/oauth2/", b"Bearer ReadJohn000000000000000000000A"),
    ("*same token again (stored row)", "/oauth2/", b"Bearer ReadJohn000000000000000000000A"),
    ("*client-credentials token (no username)", "/oauth2/", b"Bearer ClientCredentials000000000000E"),
    ("*client-credentials token, open view", "/oauth2-open/", b"Bearer ClientCredentials000000000000E"),
    ("*user only on the authorization server", "/oauth2/", b"Bearer BobOnlyOnTheAuthServer0000000Q"),
    ("*token needing form quoting (Latin-1 header)", "/oauth2/", b"Bearer tok+en/=&%~*\xe9"),
    ("*long-lived token (capped by the caching time)", "/oauth2/", b"Bearer LongLived00000000000000000000R"),
    ("*scope permission, read only", "/oauth2-scope/", b"Bearer ReadJohn000000000000000000000A"),
    ("*scope permission, read write", "/oauth2-scope/", b"Bearer ReadWriteJohn0000000000000000B"),
    ("*resource matching the request", "/oauth2/", b"Bearer ResourceMatch0000000000000000G"),
    ("resource of another server", "/oauth2/", b"Bearer ResourceOther0000000000000000H"),
    ("*audience list, one matching", "/oauth2/", b"Bearer AudienceList0000000000000000S"),
    ("expired on the authorization server", "/oauth2/", b"Bearer ExpiredJohn000000000000000000D"),
    ("unknown token", "/oauth2/", b"Bearer NoSuchToken000000000000000Z"),
    ("unknown token again", "/oauth2/", b"Bearer NoSuchToken000000000000000Z"),
    ("lower-case scheme", "/oauth2/", b"bearer ReadWriteJohn0000000000000000B"),
    ("two words after Bearer", "/oauth2/", b"Bearer ReadJohn000000000000000000000A extra"),
    ("the introspection token itself", "/oauth2/", b"Bearer " + INTROSPECTOR.encode()),
]

# The scripted authorization server: token -> (status, headers, body).
FAKE_ANSWERS = {
    "fake-active-new-user": (200, {}, {"active": True, "username": "fresh_user", "scope": "read",
                                       "exp": 4102444800}),
    "fake-active-no-exp": (200, {}, {"active": True, "username": "john", "scope": "read write"}),
    "fake-float-exp": (200, {}, {"active": True, "username": "john", "exp": 4102444800.75}),
    "fake-past-exp": (200, {}, {"active": True, "username": "john", "exp": 1000000000}),
    "fake-aud-string": (200, {}, {"active": True, "username": "john", "aud": "http://api.example.com/"}),
    "fake-aud-other": (200, {}, {"active": True, "username": "john", "aud": ["https://x.example/"]}),
    "fake-aud-number": (200, {}, {"active": True, "username": "john", "aud": 5}),
    "fake-aud-mixed": (200, {}, {"active": True, "username": "john", "aud": ["http://api.example.com/", 5]}),
    "fake-active-string": (200, {}, {"active": "true", "username": "john"}),
    "fake-active-one": (200, {}, {"active": 1, "username": "john"}),
    "fake-inactive": (200, {}, {"active": False}),
    "fake-duplicate-active": (200, {}, '{"active": false, "username": "john", "active": true}'),
    "fake-list": (200, {}, '[{"active": true}]'),
    "fake-not-json": (200, {}, "<html>active</html>"),
    "fake-500": (500, {}, {"active": True, "username": "john"}),
    "fake-401": (401, {}, {"error": "invalid_client"}),
    "fake-utf8-user": (200, {}, {"active": True, "username": "j\u00f6rg", "scope": "read"}),
    "fake-latin1-body": (200, {}, b'{"active": true, "username": "l\xe4tin", "scope": "read"}'),
    "fake-empty-scope": (200, {}, {"active": True, "username": "john", "scope": ""}),
    "fake-empty-username": (200, {}, {"active": True, "username": "", "scope": "read"}),
}

# Where DOT 3.4.1 answers 500, follows a redirect or writes a user for a refused answer, and the
# Rust server refuses the token without writing anything: the token, the answer, what DOT does
# (checked: "500", "redirect" = DOT posts again to the Location, "user" = DOT created the user).
DIVERGENCES = {
    "fake-exp-string": ((200, {}, {"active": True, "username": "john", "exp": "soon"}), "500",
                        "datetime.fromtimestamp(str) raises TypeError"),
    "fake-exp-huge": ((200, {}, {"active": True, "username": "john", "exp": 1e300}), "500",
                      "OverflowError, timestamp out of range"),
    "fake-username-null": ((200, {}, {"active": True, "username": None}), "500",
                           "IntegrityError, auth_user.username NOT NULL"),
    "fake-scope-null": ((200, {}, {"active": True, "username": "john", "scope": None}), "500",
                        "IntegrityError, oauth2_provider_accesstoken.scope NOT NULL"),
    "fake-list-with-active": ((200, {}, '["active"]'), "500", "list indices must be integers"),
    "fake-null-body": ((200, {}, "null"), "500", "'in' on None raises TypeError"),
    "fake-redirect": ((307, {"Location": "/elsewhere"}, ""), "redirect",
                      "the POST, token and credentials included, is sent again to the Location"),
    "fake-aud-object-new-user": ((200, {}, {"active": True, "username": "created_before_aud",
                                            "aud": {"uri": "https://api.example.com/v1"}}), "user",
                                 "the user is created before the malformed aud refuses the token"),
}


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, label: str, ok: bool, detail: str = ""):
        if ok:
            self.passed += 1
            print(f"PASS {label}")
        else:
            self.failed += 1
            print(f"FAIL {label}{': ' + detail if detail else ''}")


def manage(python, env, *args):
    subprocess.run([python, "manage.py", *args], cwd=DJANGO_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(python, path: Path, authorization_server: bool):
    env = server_env(path)
    env.pop("OAUTH2_PROVIDER", None)
    manage(python, env, "migrate", "--no-input", "-v", "0")
    manage(python, env, "parity_fixtures")
    if authorization_server:
        manage(python, env, "parity_oauth2")
        code = f"AS_TOKENS = {json.dumps(json.dumps(AS_TOKENS))}\n" + SETUP_AS
        manage(python, env, "shell", "-c", code)
    else:
        # A resource server holds no tokens of its own: every token is the authorization server's.
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM oauth2_provider_refreshtoken")
            db.execute("DELETE FROM oauth2_provider_accesstoken")


def start(servers, name, argv, env, cwd, workdir, port):
    server = Server(name, argv, env, cwd, workdir / f"{name}.log", port)
    servers.append(server)
    server.wait_ready()
    return server


def start_pair(python, rust_bin, workdir, tag, dj_db, rs_db, provider, servers):
    """A Django and a Rust resource server with OAUTH2_PROVIDER `provider`, on their databases."""
    ports = {}
    for side, db in (("django", dj_db), ("rust", rs_db)):
        env = dict(server_env(db), OAUTH2_PROVIDER=json.dumps(provider), RUST_LOG="warn")
        port = free_port()
        if side == "django":
            argv = [python, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
            start(servers, f"{tag}-django", argv, env, DJANGO_DIR, workdir, port)
        else:
            start(servers, f"{tag}-rust", [rust_bin], dict(env, BIND=f"127.0.0.1:{port}"), workdir, workdir, port)
        ports[side] = port
    return ports


def ask(port, path, authorization):
    headers = [("Host", API_HOST)]
    if authorization is not None:
        headers.append(("Authorization", authorization.decode("latin-1")))
    return http_request(port, "GET", path, headers, None)


def same(label, dj, rs, tally):
    differences = []
    if dj.status != rs.status:
        differences.append(f"status {dj.status} / {rs.status}")
    if dj.header("www-authenticate") != rs.header("www-authenticate"):
        differences.append(f"WWW-Authenticate {dj.header('www-authenticate')!r} / {rs.header('www-authenticate')!r}")
    if dj.body != rs.body:
        differences.append(f"body {show_body(dj)} / {show_body(rs)}")
    tally.check(f"{label} ({dj.status})", not differences, "; ".join(differences))


def stored_rows(path: Path):
    """The introspected rows, comparable across two databases: by checksum, with the username."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT t.token, t.token_checksum, t.scope, t.resource, t.application_id, u.username, "
            "t.expires, t.source_refresh_token_id, t.id_token_id FROM oauth2_provider_accesstoken t "
            "LEFT JOIN auth_user u ON u.id = t.user_id ORDER BY t.id").fetchall()
        users = db.execute(
            "SELECT username, password, is_active, is_staff, is_superuser, email, first_name, last_name "
            "FROM auth_user ORDER BY id").fetchall()
    return rows, users


def compare_rows(label, dj_db, rs_db, tally):
    (dj_rows, dj_users), (rs_rows, rs_users) = stored_rows(dj_db), stored_rows(rs_db)
    tally.check(f"{label}: the same users (created ones included)", dj_users == rs_users,
                f"{dj_users[-3:]} / {rs_users[-3:]}")
    if len(dj_rows) != len(rs_rows):
        tally.check(f"{label}: the same access token rows", False, f"{len(dj_rows)} / {len(rs_rows)} rows")
        return
    differences = []
    for dj, rs in zip(dj_rows, rs_rows):
        # `expires` is `exp` (equal) or now + the caching time (a few seconds apart at most).
        if dj[:6] != rs[:6] or dj[7:] != rs[7:]:
            differences.append(f"{dj} / {rs}")
        elif dj[6] != rs[6] and not near(dj[6], rs[6]):
            differences.append(f"expires {dj[6]} / {rs[6]}")
    tally.check(f"{label}: the same access token rows ({len(dj_rows)})", not differences, "; ".join(differences[:3]))


def near(a: str, b: str) -> bool:
    from datetime import datetime
    parse = lambda text: datetime.fromisoformat(text)  # noqa: E731
    return abs((parse(a) - parse(b)).total_seconds()) < 30


def rows_of(path: Path, token: str):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, expires FROM oauth2_provider_accesstoken WHERE token_checksum = ?",
                          (hashlib.sha256(token.encode()).hexdigest(),)).fetchall()


def expire_locally(paths, token: str):
    for path in paths:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE oauth2_provider_accesstoken SET expires = '2000-01-01 00:00:00' "
                       "WHERE token_checksum = ?", (hashlib.sha256(token.encode()).hexdigest(),))


def revocation_steps(tag, ports, as_db, dj_db, rs_db, tally):
    """A token revoked on the authorization server works on a resource server until its stored
    row expires (DOT asks only about tokens it lacks or holds expired), then is refused; an expired
    row of a live token is asked about again and renewed in place."""
    revoked = f"RevokeMe{tag.replace('-', '')}0000000000"
    with sqlite3.connect(as_db) as db:
        application, john = db.execute(
            "SELECT (SELECT id FROM oauth2_provider_application WHERE client_id = 'parity-cc-client'), "
            "(SELECT id FROM auth_user WHERE username = 'john')").fetchone()
        db.execute(
            "INSERT INTO oauth2_provider_accesstoken (token, token_checksum, expires, scope, application_id, "
            "user_id, created, updated, resource) VALUES (?, ?, '2099-01-01 00:00:00', 'read', ?, ?, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '[]')",
            (revoked, hashlib.sha256(revoked.encode()).hexdigest(), application, john))

    def both(label, authorization, status):
        dj = ask(ports["django"], "/oauth2/", authorization)
        rs = ask(ports["rust"], "/oauth2/", authorization)
        same(f"[{tag}] {label}", dj, rs, tally)
        tally.check(f"[{tag}] {label}: {status}", dj.status == status, f"{dj.status} {show_body(dj)}")
        return dj, rs

    header = f"Bearer {revoked}".encode()
    both("token to be revoked, first use", header, 200)
    with sqlite3.connect(as_db) as db:
        db.execute("DELETE FROM oauth2_provider_accesstoken WHERE token = ?", (revoked,))
    both("revoked on the authorization server, stored row still live", header, 200)
    expire_locally((dj_db, rs_db), revoked)
    dj, _ = both("revoked on the authorization server, stored row expired", header, 401)
    tally.check(f"[{tag}] the refusal says invalid, not expired (the introspection gave no row)",
                "The access token is invalid." in (dj.header("www-authenticate") or ""),
                dj.header("www-authenticate") or "")
    live = "ReadJohn000000000000000000000A"
    before = {path: rows_of(path, live) for path in (dj_db, rs_db)}
    expire_locally((dj_db, rs_db), live)
    both("live token whose stored row expired", f"Bearer {live}".encode(), 200)
    for path, side in ((dj_db, "django"), (rs_db, "rust")):
        after = rows_of(path, live)
        tally.check(f"[{tag}] {side} renewed the expired row in place", len(after) == 1
                    and after[0][0] == before[path][0][0] and after[0][1] > "2000-01-02", f"{before[path]} -> {after}")


def real_pass(python, rust_bin, workdir, template, as_db, as_name, as_port, mode, tally):
    tag = f"{as_name}-{mode}"
    dj_db, rs_db = workdir / f"rs-{tag}-dj.db", workdir / f"rs-{tag}-rs.db"
    shutil.copy(template, dj_db)
    shutil.copy(template, rs_db)
    provider = {"RESOURCE_SERVER_INTROSPECTION_URL": f"http://127.0.0.1:{as_port}/o/introspect/",
                "RESOURCE_SERVER_TOKEN_CACHING_SECONDS": CACHING_SECONDS}
    if mode == "token":
        provider["RESOURCE_SERVER_AUTH_TOKEN"] = INTROSPECTOR
    else:
        provider["RESOURCE_SERVER_INTROSPECTION_CREDENTIALS"] = CLIENT
    print(f"\n== authorization server: {as_name}, credentials: {mode}")
    answered = {}
    servers = []
    try:
        ports = start_pair(python, rust_bin, workdir, tag, dj_db, rs_db, provider, servers)
        for label, path, authorization in SCENARIOS:
            dj = ask(ports["django"], path, authorization)
            rs = ask(ports["rust"], path, authorization)
            same(f"[{tag}] {label.lstrip('*')}", dj, rs, tally)
            answered[label] = (dj.status, dj.body)
        revocation_steps(tag, ports, as_db, dj_db, rs_db, tally)
    finally:
        for server in servers:
            server.stop()
    compare_rows(f"[{tag}] rows", dj_db, rs_db, tally)
    # Each side on the other's rows, the authorization server unreachable.
    dead = dict(provider, RESOURCE_SERVER_INTROSPECTION_URL=f"http://127.0.0.1:{free_port()}/o/introspect/")
    servers = []
    try:
        ports = start_pair(python, rust_bin, workdir, f"{tag}-swapped", rs_db, dj_db, dead, servers)
        for label, path, authorization in SCENARIOS:
            if not label.startswith("*"):
                continue
            for reader, writer in (("django", "rust"), ("rust", "django")):
                resp = ask(ports[reader], path, authorization)
                tally.check(f"[{tag}] {reader} reads the row {writer} stored: {label[1:]}",
                            (resp.status, resp.body) == answered[label], f"{resp.status} {show_body(resp)}")
    finally:
        for server in servers:
            server.stop()


class FakeAuthorizationServer(ThreadingHTTPServer):
    daemon_threads = True


def fake_handler(answers, seen):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
            token = form.get("token", [""])[-1]
            seen.append((self.path, self.headers.get("Authorization"), self.headers.get("Content-Type"), token))
            status, headers, body = answers.get(token, (200, {}, {"active": False}))
            data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


def fake_pass(python, rust_bin, workdir, template, tally):
    print("\n== scripted authorization server")
    answers = dict(FAKE_ANSWERS)
    answers.update({token: answer for token, (answer, _, _) in DIVERGENCES.items()})
    seen = []
    fake = FakeAuthorizationServer(("127.0.0.1", 0), fake_handler(answers, seen))
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{fake.server_address[1]}/introspect/"
    dj_db, rs_db = workdir / "rs-fake-dj.db", workdir / "rs-fake-rs.db"
    shutil.copy(template, dj_db)
    shutil.copy(template, rs_db)
    provider = {"RESOURCE_SERVER_INTROSPECTION_URL": url, "RESOURCE_SERVER_AUTH_TOKEN": "fake introspector",
                "RESOURCE_SERVER_TOKEN_CACHING_SECONDS": CACHING_SECONDS}
    servers = []
    try:
        ports = start_pair(python, rust_bin, workdir, "fake", dj_db, rs_db, provider, servers)
        for token in FAKE_ANSWERS:
            seen.clear()
            dj = ask(ports["django"], "/oauth2/", f"Bearer {token}".encode("latin-1", "replace"))
            dj_seen = list(seen)
            seen.clear()
            rs = ask(ports["rust"], "/oauth2/", f"Bearer {token}".encode("latin-1", "replace"))
            same(f"[fake] {token}", dj, rs, tally)
            tally.check(f"[fake] {token}: the same introspection request", dj_seen == seen,
                        f"{dj_seen} / {seen}")
        compare_rows("[fake] rows", dj_db, rs_db, tally)
        for token, (_, dot, why) in DIVERGENCES.items():
            seen.clear()
            dj = ask(ports["django"], "/oauth2/", f"Bearer {token}".encode())
            dj_seen = list(seen)
            seen.clear()
            rs = ask(ports["rust"], "/oauth2/", f"Bearer {token}".encode())
            rs_seen = list(seen)
            challenge = rs.header("www-authenticate") or ""
            refused = (rs.status == 401 and 'error="invalid_token"' in challenge
                       and "The access token is invalid." in challenge)
            tally.check(f"[fake divergence] {token}: refused as an invalid token here", refused,
                        f"{rs.status} {challenge!r} {show_body(rs)}")
            tally.check(f"[fake divergence] {token}: one introspection request here, to the URL",
                        [entry[0] for entry in rs_seen] == ["/introspect/"], f"{rs_seen}")
            if dot == "500":
                observed = dj.status == 500
            elif dot == "redirect":
                observed = any(path == "/elsewhere" and authorization == "Bearer fake introspector"
                               for path, authorization, _, _ in dj_seen)
            else:
                observed = bool(users_named(dj_db, "created_before_aud")) and not users_named(
                    rs_db, "created_before_aud")
            tally.check(f"[fake divergence] {token}: DOT {why}", observed,
                        f"DOT answered {dj.status}, requests {dj_seen}")
    finally:
        for server in servers:
            server.stop()
        fake.shutdown()


def users_named(path: Path, username: str):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id FROM auth_user WHERE username = ?", (username,)).fetchall()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust-bin", help="path of the drf_parity binary (default: target/debug/drf_parity)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    args = parser.parse_args(argv)
    rust_bin = find_rust_bin(args.rust_bin)
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="drf-introspection-"))
    tally = Tally()
    print(f"rust: {rust_bin}\nlogs: {workdir}")
    servers = []
    try:
        as_db, template = workdir / "as.db", workdir / "rs-template.db"
        prepare_database(python, as_db, authorization_server=True)
        prepare_database(python, template, authorization_server=False)
        env = server_env(as_db)
        env.pop("OAUTH2_PROVIDER", None)
        as_ports = {"django": free_port(), "rust": free_port()}
        start(servers, "as-django", [python, "manage.py", "runserver", "--noreload", "--skip-checks",
                                     f"127.0.0.1:{as_ports['django']}"], env, DJANGO_DIR, workdir, as_ports["django"])
        start(servers, "as-rust", [rust_bin], dict(env, BIND=f"127.0.0.1:{as_ports['rust']}", RUST_LOG="warn"),
              workdir, workdir, as_ports["rust"])
        for as_name, as_port in as_ports.items():
            for mode in ("token", "credentials"):
                real_pass(python, rust_bin, workdir, template, as_db, as_name, as_port, mode, tally)
        fake_pass(python, rust_bin, workdir, template, tally)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
