#!/usr/bin/env python3
"""The load benchmark: this project's routes against a bare actix-web hello and against Django REST
framework under gunicorn, on one SQLite database (see bench/README.md).

    python3 bench/run.py [--duration 10] [--connections 32] [--threads 1] [--only ROW,...]

1. builds `bench_server` in release mode (`cargo build --release -p examples --bin bench_server`);
2. makes a fresh SQLite database with Django's `migrate`, then `manage.py bench_fixtures`: one user
   whose password is hashed at Django's real PBKDF2 iterations, its DRF token, a Django session;
3. per server configuration (bare hello; this project with the cache off; with the cache on;
   DRF 3.18 under gunicorn), starts the server pinned to one CPU, checks one request of each row,
   warms up, runs `wrk --latency` pinned to the other CPU, then stops the server. With
   `--unpinned`, nothing is pinned (servers and wrk share every CPU, as when two services are
   compared side by side) and DRF runs under each gunicorn configuration of `--drf-configs`
   (sync with 1-4 workers, gthread), each row keeping its best;
4. prints req/s, p50, p99 and the ratios to the bare hello and to DRF (same authentication) of
   every row, with the CPU time the server and the load generator used.

Only the standard library; Django runs in the parity virtualenv (`parity/.venv`, made by
`bash parity/setup.sh`; gunicorn is installed into it when missing).
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DJANGO_DIR = REPO / "parity" / "django_project"
VENV = Path(os.environ.get("PARITY_VENV") or REPO / "parity" / ".venv")
BAD_TOKEN_SCRIPT = Path(__file__).resolve().parent / "random_token.lua"

# Django 6.1's PBKDF2PasswordHasher.iterations: the cost a real deployment pays per password check.
PBKDF2_ITERATIONS = "1500000"
GUNICORN = "gunicorn==27.0.1"
BENCH_PASSWORD = "bench-pässwörd"


@dataclass
class Row:
    """One line of the table: a workload on one server configuration."""

    name: str
    label: str
    server: str  # bare | rust | rust-cache | drf
    path: str
    auth: str  # token | session | bad-token | none: the DRF row of the same authentication
    expect: int = 200
    flood: bool = False
    track_rss: bool = False
    drf_compare: bool = True  # False: DRF's row answers another body, so no "vs DRF" ratio


ROWS = [
    Row("bare", "bare actix-web hello (baseline)", "bare", "/hello/", "none"),
    Row("app-hello", "hello inside the full app (no policy)", "rust", "/hello/", "none"),
    Row("token", "Token, IsAuthenticated, cache off", "rust", "/token/", "token"),
    Row("session", "Session, IsAuthenticated, cache off", "rust", "/session/", "session"),
    Row("bad-token", "bad token (random, 401), cache off", "rust", "/token/", "bad-token", 401,
        track_rss=True),
    Row("macro-token", "Token, policy by attributes", "rust", "/macro-token/", "token"),
    Row("hand-token", "Token, PolicyGuard by hand", "rust", "/hand-token/", "token"),
    Row("token-flood", "Token while 8 clients flood Basic", "rust", "/token/", "token", flood=True),
    Row("token-cache", "Token, IsAuthenticated, cache on", "rust-cache", "/token/", "token"),
    Row("session-cache", "Session, IsAuthenticated, cache on", "rust-cache", "/session/", "session"),
    Row("bad-token-cache", "bad token (random, 401), cache on", "rust-cache", "/token/", "bad-token",
        401, track_rss=True),
    # The same policies answering the bare hello's `hello` instead of DRF's view body: what
    # authentication alone costs (no DRF row compares: DRF's view renders JSON).
    Row("token-cache-hello", "Token, cache on, `hello` body", "rust-cache", "/token-hello/", "token",
        drf_compare=False),
    Row("session-cache-hello", "Session, cache on, `hello` body", "rust-cache", "/session-hello/",
        "session", drf_compare=False),
    # simplejwt: the user read from SQLite, and the stateless token user (no database).
    Row("jwt", "JWTAuthentication (HS256), cache off", "rust", "/jwt/", "jwt"),
    Row("jwt-stateless", "JWTStatelessUserAuthentication (HS256)", "rust", "/jwt-stateless/",
        "jwt-stateless"),
    Row("jwt-stateless-hello", "JWTStatelessUserAuthentication, `hello` body", "rust",
        "/jwt-stateless-hello/", "jwt-stateless", drf_compare=False),
    # django-oauth-toolkit: the token and its user read from SQLite, then from the cache.
    Row("oauth2", "OAuth2Authentication (DOT token), cache off", "rust", "/oauth2/", "oauth2"),
    Row("oauth2-cache", "OAuth2Authentication (DOT token), cache on", "rust-cache", "/oauth2/",
        "oauth2"),
    Row("drf-token", "DRF 3.18 + gunicorn, Token", "drf", "/token/", "token"),
    Row("drf-session", "DRF 3.18 + gunicorn, Session", "drf", "/session/", "session"),
    Row("drf-bad-token", "DRF 3.18 + gunicorn, bad token", "drf", "/token/", "bad-token", 401),
    Row("drf-jwt", "DRF 3.18 + simplejwt 5.5.1 + gunicorn, JWTAuthentication", "drf", "/jwt/", "jwt"),
    Row("drf-jwt-stateless", "DRF 3.18 + simplejwt 5.5.1 + gunicorn, stateless", "drf",
        "/jwt-stateless/", "jwt-stateless"),
    Row("drf-oauth2", "DRF 3.18 + django-oauth-toolkit 3.4.1 + gunicorn", "drf", "/oauth2/",
        "oauth2"),
]
SERVER_ORDER = ["bare", "rust", "rust-cache", "drf"]
DRF_ROW = {"token": "drf-token", "session": "drf-session", "bad-token": "drf-bad-token",
           "jwt": "drf-jwt", "jwt-stateless": "drf-jwt-stateless", "oauth2": "drf-oauth2"}


@dataclass
class Result:
    row: Row
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    unexpected: int = 0  # responses of another status class than the row expects, plus socket errors
    server_cpu: float = 0.0  # CPU seconds per wall second (1.0 = one core busy)
    client_cpu: float = 0.0
    foreign_cpu: float = 0.0  # the server CPU's busy time that was not the server's
    notes: list = field(default_factory=list)
    skipped: str = ""


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------- set-up


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cargo_target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")


def build_server(skip):
    binary = cargo_target_dir() / "release" / "bench_server"
    if not skip:
        log("building: cargo build --release -p examples --bin bench_server")
        subprocess.run(["cargo", "build", "--release", "-p", "examples", "--bin", "bench_server"],
                       cwd=REPO, check=True)
    if not binary.exists():
        sys.exit(f"run.py: {binary} does not exist (build it, or drop --no-build)")
    return binary


def python_env():
    python = VENV / "bin" / "python"
    if not python.exists() or subprocess.run([python, "-c", "import django, rest_framework"],
                                             capture_output=True).returncode:
        log("creating the Django environment: bash parity/setup.sh")
        subprocess.run(["bash", REPO / "parity" / "setup.sh"], check=True)
    if subprocess.run([python, "-c", "import gunicorn"], capture_output=True).returncode:
        log(f"installing {GUNICORN} into {VENV}")
        subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                        GUNICORN], check=True)
    return python


def shared_env(db_path, secret_key):
    """What both servers and manage.py read: one database, one key, one iteration count."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE", "AUTH_CACHE_TTL_SECS",
                        "HASHING_THREADS", "BENCH_MODE", "WORKERS", "BIND")}
    env.update({
        "DATABASE_URL": f"sqlite://{db_path}?mode=rwc",  # absolute path: sqlite:///abs/path
        "SECRET_KEY": secret_key,
        "PBKDF2_ITERATIONS": PBKDF2_ITERATIONS,
        "PYTHONUNBUFFERED": "1",
    })
    return env


def make_fixtures(python, env):
    manage = [python, DJANGO_DIR / "manage.py"]
    subprocess.run(manage + ["migrate", "-v", "0"], env=env, check=True)
    out = subprocess.run(manage + ["bench_fixtures", "--password", BENCH_PASSWORD], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine(python, wrk):
    model = cpus = "?"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in lscpu.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Model name":
            model = value.strip()
        elif key.strip() == "CPU(s)":
            cpus = value.strip()
    versions = subprocess.run(
        [python, "-c", "import sys, django, rest_framework, gunicorn; print(sys.version.split()[0], "
         "django.get_version(), rest_framework.VERSION, gunicorn.__version__)"],
        capture_output=True, text=True).stdout.split()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    wrk_version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout
    wrk_version = wrk_version.splitlines()[0].split(" Copyright")[0] if wrk_version else "?"
    return [
        f"machine: {model}, {cpus} CPUs ({os.cpu_count()} online), Linux {platform.release()}",
        f"software: {rustc}; {wrk_version}; Python {versions[0]}, Django {versions[1]}, "
        f"DRF {versions[2]}, gunicorn {versions[3]}" if len(versions) == 4 else "software: ?",
    ]


# -------------------------------------------------------------------------------------- servers


class Server:
    """A server process pinned to one CPU, with its log in the work directory."""

    def __init__(self, kind, argv, env, cwd, log_path, port):
        self.kind, self.port, self.log_path = kind, port, log_path
        self.log_file = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def request(self, path, headers=(), method="GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=dict(headers))
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def wait_ready(self, path, headers, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited ({self.proc.returncode}):\n"
                                   + self.log_tail())
            try:
                status, _ = self.request(path, headers)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.kind} server did not answer in {timeout} s:\n" + self.log_tail())

    def log_tail(self):
        self.log_file.flush()
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-20:])

    def pids(self):
        """The process and its descendants (gunicorn's workers)."""
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                    todo.extend(int(child) for child in children)
            except OSError:
                pass
        return found

    def rss_kib(self):
        """VmRSS of the server process (the Rust server is one process)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


def cpu_busy_seconds(cpu):
    """Busy time (everything but idle and iowait) of one CPU since boot, in seconds."""
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(f"cpu{cpu} "):
            ticks = [int(n) for n in line.split()[1:]]
            return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    return 0.0


def cpu_seconds(pids):
    """utime + stime of these processes, in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def server_pin(args):
    """taskset to the server CPU, or nothing in the unpinned mode (every CPU shared)."""
    return [] if args.unpinned else ["taskset", "-c", str(args.server_cpu)]


def client_pin(args):
    return [] if args.unpinned else ["taskset", "-c", str(args.client_cpu)]


@dataclass(frozen=True)
class GunicornConfig:
    """One way to run DRF under gunicorn: worker class, workers, threads per worker."""

    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text):
        """`sync:2` or `gthread:2x4` (workers x threads)."""
        worker_class, _, size = text.partition(":")
        workers, _, threads = size.partition("x")
        return cls(worker_class, int(workers), int(threads or 1))

    def __str__(self):
        return f"{self.worker_class}:{self.workers}" + (f"x{self.threads}" if self.threads > 1 else "")


def start_server(kind, args, binary, env, workdir, gunicorn=None):
    port = free_port()
    pin = priority(args) + server_pin(args)
    server_env = dict(env)
    if kind == "drf":
        gunicorn = gunicorn or GunicornConfig(args.gunicorn_worker_class, args.workers,
                                              args.gunicorn_threads)
        argv = pin + [VENV / "bin" / "gunicorn", "parity_site.wsgi:application",
                      "--bind", f"127.0.0.1:{port}", "--workers", str(gunicorn.workers),
                      "--worker-class", gunicorn.worker_class, "--threads",
                      str(gunicorn.threads)]
        cwd = DJANGO_DIR
    else:
        server_env.update({"BIND": f"127.0.0.1:{port}", "WORKERS": str(args.workers)})
        if kind == "bare":
            server_env["BENCH_MODE"] = "bare"
        if kind == "rust-cache":
            server_env["AUTH_CACHE_TTL_SECS"] = str(args.cache_ttl)
        if args.hashing_threads:
            server_env["HASHING_THREADS"] = str(args.hashing_threads)
        argv = pin + [binary]
        cwd = workdir
    server = Server(kind, [str(a) for a in argv], server_env, cwd, workdir / f"{kind}.log", port)
    prioritize_session(server.proc.pid, args)
    return server


# ------------------------------------------------------------------------------------------ wrk

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_duration_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unknown wrk duration {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output):
    """req/s, p50, p99 (ms), requests, non-2xx/3xx responses, socket errors."""
    def find(pattern, default=None):
        match = re.search(pattern, output, re.M)
        if not match:
            if default is not None:
                return default
            raise ValueError(f"wrk output without {pattern!r}:\n{output}")
        return match.group(1)

    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                              output)
    if socket_errors:
        errors = sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(find(r"^Requests/sec:\s+([\d.]+)")),
        "p50": parse_duration_ms(find(r"^\s+50%\s+(\S+)")),
        "p99": parse_duration_ms(find(r"^\s+99%\s+(\S+)")),
        "requests": int(find(r"^\s+(\d+) requests in")),
        "non2xx": int(find(r"^\s+Non-2xx or 3xx responses: (\d+)", "0")),
        "socket_errors": errors,
    }


def priority(args):
    """`nice -n N` when asked: keeps other work on a shared machine from taking the pinned CPUs."""
    return ["nice", "-n", str(args.nice)] if args.nice else []


def prioritize_session(pid, args):
    """With autogroup scheduling (the default of desktop and many VM kernels) `nice` only ranks
    processes of one session against each other; the CPU is shared between sessions by their
    autogroup's nice. Every server and wrk runs in a session of its own, given the same value."""
    if args.nice:
        try:
            Path(f"/proc/{pid}/autogroup").write_text(str(args.nice))
        except OSError:
            pass  # no autogroup scheduling here: plain nice applies


def wrk_argv(args, wrk, url, headers, duration, connections=None, script=None):
    argv = priority(args) + client_pin(args) + [wrk, "--latency", "--timeout", "30s",
            "-t", str(args.threads), "-c", str(connections or args.connections),
            "-d", f"{duration}s"]
    for name, value in headers:
        argv += ["-H", f"{name}: {value}"]
    if script:
        argv += ["-s", str(script)]
    return [str(a) for a in argv] + [url]


def run_wrk(argv):
    """Runs wrk; returns (output, its CPU seconds)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    prioritize_session(proc.pid, ARGS)
    # The client's CPU time: sampled just before it exits (a reaped process has no /proc entry).
    last = 0.0
    while proc.poll() is None:
        last = cpu_seconds([proc.pid]) or last
        time.sleep(0.05)
    output = proc.stdout.read()
    if proc.returncode:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {output}")
    return output, last


# ----------------------------------------------------------------------------------------- rows


def row_headers(row, fixtures):
    if row.auth == "token":
        return [("Authorization", f"Token {fixtures['token']}")]
    if row.auth == "session":
        return [("Cookie", f"sessionid={fixtures['sessionid']}")]
    if row.auth in ("jwt", "jwt-stateless"):
        return [("Authorization", f"Bearer {fixtures['jwt']}")]
    if row.auth == "oauth2":
        return [("Authorization", f"Bearer {fixtures['oauth2']}")]
    return []


def check_row(server, row, headers):
    """One request before the load: the row must answer what it claims to measure."""
    if row.auth == "bad-token":
        headers = [("Authorization", "Token " + secrets.token_hex(20))]
    status, body = server.request(row.path, headers)
    if status != row.expect:
        raise RuntimeError(f"{row.name}: GET {row.path} answered {status} {body[:200]!r}, "
                           f"expected {row.expect}")
    # A `hello`-body row authenticated if it answered 200: its route requires IsAuthenticated.
    # The stateless scheme's user is simplejwt's TokenUser: `TokenUser <id>`.
    who = b'"user":"TokenUser' if row.auth == "jwt-stateless" else b'"user":"bench"'
    if row.auth in ("token", "session", "jwt", "jwt-stateless", "oauth2") and row.drf_compare \
            and who not in body.replace(b" ", b""):
        raise RuntimeError(f"{row.name}: GET {row.path} did not authenticate bench: {body[:200]!r}")


def run_row(args, wrk, server, row, fixtures):
    result = Result(row)
    url = f"http://127.0.0.1:{server.port}{row.path}"
    headers = row_headers(row, fixtures)
    script = BAD_TOKEN_SCRIPT if row.auth == "bad-token" else None
    check_row(server, row, headers)
    run_wrk(wrk_argv(args, wrk, url, headers, args.warmup, script=script))

    flood = None
    if row.flood:
        basic = base64.b64encode(f"{fixtures['username']}:{fixtures['password']}".encode()).decode()
        status, body = server.request("/basic/", [("Authorization", f"Basic {basic}")])
        if status != 200:
            raise RuntimeError(f"Basic check answered {status} {body[:200]!r}")
        flood_argv = wrk_argv(args, wrk, f"http://127.0.0.1:{server.port}/basic/",
                              [("Authorization", f"Basic {basic}")],
                              args.duration + 2 * args.flood_lead, args.flood_connections)
        flood = {}

        def flood_run():
            flood["output"], _ = run_wrk(flood_argv)

        flood["thread"] = threading.Thread(target=flood_run)
        flood["thread"].start()
        time.sleep(args.flood_lead)  # the hashing pool is busy before the measurement starts

    rss = []
    stop_sampling = threading.Event()
    if row.track_rss:
        rss.append(server.rss_kib())

        def sample():
            while not stop_sampling.wait(0.5):
                rss.append(server.rss_kib())

        sampler = threading.Thread(target=sample)
        sampler.start()

    pids = server.pids()
    server_before, wall_before = cpu_seconds(pids), time.monotonic()
    busy_before = cpu_busy_seconds(args.server_cpu)
    output, client_cpu = run_wrk(wrk_argv(args, wrk, url, headers, args.duration, script=script))
    wall = time.monotonic() - wall_before
    server_cpu = cpu_seconds(server.pids()) - server_before
    result.server_cpu = server_cpu / wall
    # Unpinned, the server has no CPU of its own to watch.
    result.foreign_cpu = 0.0 if args.unpinned else max(
        0.0, cpu_busy_seconds(args.server_cpu) - busy_before - server_cpu) / wall
    result.client_cpu = client_cpu / wall

    if row.track_rss:
        stop_sampling.set()
        sampler.join()
        rss.append(server.rss_kib())
        result.notes.append(f"server RSS (VmRSS) before {rss[0] / 1024:.1f} MiB, after "
                            f"{rss[-1] / 1024:.1f} MiB, peak {max(rss) / 1024:.1f} MiB "
                            f"({len(rss)} samples, every 0.5 s)")

    parsed = parse_wrk(output)
    result.rps, result.p50_ms, result.p99_ms = parsed["rps"], parsed["p50"], parsed["p99"]
    result.requests = parsed["requests"]
    wrong_status = parsed["non2xx"] if row.expect < 300 else parsed["requests"] - parsed["non2xx"]
    result.unexpected = wrong_status + parsed["socket_errors"]

    if flood:
        flood["thread"].join()
        basic = parse_wrk(flood["output"])
        result.notes.append(
            f"Basic flood ({args.flood_connections} connections, PBKDF2 {PBKDF2_ITERATIONS}): "
            f"{basic['rps']:.2f} req/s, p50 {fmt_ms(basic['p50'])}, p99 {fmt_ms(basic['p99'])}, "
            f"{basic['non2xx']} non-2xx, {basic['socket_errors']} socket errors")
    if args.verbose:
        log(output)
    return result


# ---------------------------------------------------------------------------------------- table


def fmt_ms(ms):
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    return f"{ms:.2f} ms"


def fmt_ratio(value, base):
    if not base or not value:
        return "-"
    ratio = value / base
    if ratio >= 10:
        return f"{ratio:.1f}x"
    return f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.2g}x"


def table(results, args, machine_lines, cpu_note):
    by_name = {r.row.name: r for r in results}
    bare = by_name.get("bare")
    lines = machine_lines + [
        f"load: wrk, {args.threads} thread(s), {args.connections} connections, "
        f"{args.duration} s per row after a {args.warmup} s warm-up; server workers: {args.workers} "
        f"(actix workers / gunicorn {args.gunicorn_worker_class} workers"
        + (f" x {args.gunicorn_threads} threads" if args.gunicorn_worker_class == "gthread" else "")
        + f"); cache TTL {args.cache_ttl} s when on; "
        f"hashing threads: {args.hashing_threads or 'library default'}",
        cpu_note,
        "ratios: req/s of the row / req/s of the bare hello, and / req/s of the DRF row of the same "
        "authentication (Token, Session, bad token); srv/cli cpu: cores busy (CPU s per wall s) of "
        "the server's processes and of wrk; other: busy time of the server's CPU not spent by the "
        "server (anything else running there; 0.00 on a quiet machine)",
        "",
    ]
    header = ("workload", "req/s", "p50", "p99", "vs bare", "vs DRF", "srv cpu", "cli cpu",
              "other", "bad")
    rows = []
    for r in results:
        if r.skipped:
            rows.append((r.row.label, "not run", "", "", "", "", "", "", "", ""))
            continue
        drf = by_name.get(DRF_ROW.get(r.row.auth, "")) if r.row.drf_compare else None
        rows.append((
            r.row.label, f"{r.rps:,.0f}", fmt_ms(r.p50_ms), fmt_ms(r.p99_ms),
            fmt_ratio(r.rps, bare.rps if bare and not bare.skipped else 0),
            fmt_ratio(r.rps, drf.rps if drf and not drf.skipped else 0),
            f"{r.server_cpu:.2f}", f"{r.client_cpu:.2f}", f"{r.foreign_cpu:.2f}",
            str(r.unexpected),
        ))
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    fmt_line = lambda row: "  ".join(
        str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i])
        for i, cell in enumerate(row))
    lines.append(fmt_line(header))
    lines.append("  ".join("-" * w for w in widths))
    lines += [fmt_line(row) for row in rows]
    lines.append("")
    lines.append("bad: responses with another status than the row expects (200, or 401 for bad "
                 "tokens) plus socket errors")
    token, flood = by_name.get("token"), by_name.get("token-flood")
    if token and flood and not token.skipped and not flood.skipped:
        lines.append(f"token p99 under the Basic flood: {fmt_ms(flood.p99_ms)} vs {fmt_ms(token.p99_ms)}"
                     f" without ({fmt_ratio(flood.p99_ms, token.p99_ms)}); req/s "
                     f"{fmt_ratio(flood.rps, token.rps)} of the unflooded rate")
    for r in results:
        for note in r.notes:
            lines.append(f"{r.row.name}: {note}")
        if r.skipped:
            lines.append(f"{r.row.name}: not run: {r.skipped}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per row (10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per row (2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1: one CPU)")
    parser.add_argument("--only", help="comma-separated rows: " + ",".join(r.name for r in ROWS))
    parser.add_argument("--workers", type=int, default=2,
                        help="actix workers and gunicorn workers (2)")
    parser.add_argument("--gunicorn-worker-class", default="sync", help="gunicorn worker class (sync)")
    parser.add_argument("--gunicorn-threads", type=int, default=1,
                        help="threads per gunicorn worker (gthread only)")
    parser.add_argument("--cache-ttl", type=int, default=60, help="AUTH_CACHE_TTL_SECS of cache-on rows")
    parser.add_argument("--hashing-threads", type=int, help="HASHING_THREADS (library default)")
    parser.add_argument("--flood-connections", type=int, default=8)
    parser.add_argument("--flood-lead", type=int, default=2,
                        help="seconds the Basic flood runs before and after the measurement (2)")
    parser.add_argument("--unpinned", action="store_true",
                        help="no pinning: the servers and wrk share every CPU (the side-by-side "
                             "method), and DRF runs with the best of --drf-configs")
    parser.add_argument("--drf-configs", default=None,
                        help="gunicorn configurations to try for the DRF rows, the best kept per row "
                             "(default: the --workers/--gunicorn-* one; unpinned: "
                             "sync:1,sync:2,sync:3,sync:4,gthread:2x4,gthread:4x4)")
    parser.add_argument("--server-cpu", type=int, default=1, help="CPU the servers are pinned to (1)")
    parser.add_argument("--client-cpu", type=int, default=0, help="CPU wrk is pinned to (0)")
    parser.add_argument("--nice", type=int, default=-20 if os.geteuid() == 0 else 0,
                        help="run the servers and wrk under `nice -n N` (-20 as root, else 0: off)")
    parser.add_argument("--no-build", action="store_true", help="use the bench_server already built")
    parser.add_argument("--keep", action="store_true", help="keep the database and the server logs")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every wrk output")
    args = parser.parse_args()
    names = [r.name for r in ROWS]
    args.rows = ROWS
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error(f"unknown rows {unknown}; rows: {', '.join(names)}")
        args.rows = [r for r in ROWS if r.name in wanted]
    return args


ARGS = None


def main():
    global ARGS
    args = ARGS = parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("run.py: wrk not found; install it with `apt-get install -y wrk` (Debian/Ubuntu)")
    if not shutil.which("taskset"):
        sys.exit("run.py: taskset not found (util-linux)")
    cpus = os.sched_getaffinity(0)
    if not args.unpinned and (args.server_cpu not in cpus or args.client_cpu not in cpus
                              or args.server_cpu == args.client_cpu):
        sys.exit(f"run.py: --server-cpu and --client-cpu must be two different CPUs of {sorted(cpus)}")
    if args.unpinned:
        cpu_note = (f"pinning: none (unpinned mode): every server and wrk share the {len(cpus)} CPUs"
                    + (f"; all under nice -n {args.nice}" if args.nice else ""))
    else:
        cpu_note = (f"pinning: every server (bench_server; gunicorn master and workers) on CPU "
                    f"{args.server_cpu}, every wrk (incl. the Basic flood) on CPU {args.client_cpu} "
                    f"(taskset)" + (f"; all under nice -n {args.nice}, each in a session (autogroup) of its own at "
                                    f"nice {args.nice}" if args.nice else ""))
    if args.drf_configs:
        drf_configs = [GunicornConfig.parse(c.strip()) for c in args.drf_configs.split(",") if c.strip()]
    elif args.unpinned:
        drf_configs = [GunicornConfig.parse(c) for c in
                       ("sync:1", "sync:2", "sync:3", "sync:4", "gthread:2x4", "gthread:4x4")]
    else:
        drf_configs = [GunicornConfig(args.gunicorn_worker_class, args.workers, args.gunicorn_threads)]

    binary = build_server(args.no_build) if any(r.server != "drf" for r in args.rows) else None
    python = python_env()
    workdir = Path(tempfile.mkdtemp(prefix="drf-auth-bench-"))
    db_path = workdir / "bench.db"
    env = shared_env(db_path, "bench-" + secrets.token_urlsafe(32))
    log(f"fixtures: migrate + bench_fixtures on {db_path}")
    fixtures = make_fixtures(python, env)
    machine_lines = machine(python, wrk)
    load_before = os.getloadavg()

    results = []
    try:
        for kind in SERVER_ORDER:
            rows = [r for r in args.rows if r.server == kind]
            if not rows:
                continue
            configs = drf_configs if kind == "drf" else [None]
            tried = {}  # row name -> [(config, Result)]
            for config in configs:
                server = start_server(kind, args, binary, env, workdir, gunicorn=config)
                try:
                    ready_path, ready_headers = ("/token/", row_headers(ROWS[2], fixtures)) \
                        if kind == "drf" else ("/hello/", [])
                    try:
                        server.wait_ready(ready_path, ready_headers)
                    except RuntimeError as error:
                        log(str(error))
                        for r in rows:
                            tried.setdefault(r.name, []).append((config, Result(
                                r, skipped=f"the {kind} server did not start "
                                           f"({str(error).splitlines()[-1]})")))
                        continue
                    for row in rows:
                        log(f"row {row.name}: {row.label}" + (f" (gunicorn {config})" if config else ""))
                        tried.setdefault(row.name, []).append(
                            (config, run_row(args, wrk, server, row, fixtures)))
                finally:
                    server.stop()
            for row in rows:
                candidates = tried.get(row.name, [])
                ran = [(c, r) for c, r in candidates if not r.skipped]
                if not ran:
                    results.append(candidates[-1][1] if candidates else Result(row, skipped="not run"))
                    continue
                best_config, best = max(ran, key=lambda pair: pair[1].rps)
                if len(candidates) > 1:
                    best.notes.append(f"best of gunicorn {', '.join(f'{c}: {r.rps:,.0f}' for c, r in ran)}"
                                      f" -> {best_config}")
                results.append(best)
    finally:
        if args.keep:
            log(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    order = {r.name: i for i, r in enumerate(ROWS)}
    results.sort(key=lambda r: order[r.row.name])
    machine_lines.append(f"load average (1 min) {load_before[0]:.2f} at the start, "
                         f"{os.getloadavg()[0]:.2f} at the end")
    print(table(results, args, machine_lines, cpu_note))


if __name__ == "__main__":
    main()
