#!/usr/bin/env bash
# User-space instructions per request of each benchmark route, counted by valgrind's callgrind:
# the same figures whatever else the machine is doing (wall-clock ratios on a shared box move by
# several per cent between runs; these do not). Kernel time (sockets, SQLite's file locks) is not
# counted: bench/run.py measures that side.
#
#   bash bench/instructions.sh            # needs valgrind, wrk, and parity/setup.sh's environment
#
# Each server runs under callgrind with one worker; a route is warmed up for 2 s, the counters
# are zeroed, wrk sends requests for 5 s, and the dumped total is divided by the requests wrk
# counted. Software SHA-256 stands in for SHA-NI under valgrind, so the hashing rows count more
# instructions than the hardware runs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${PARITY_VENV:-$repo/parity/.venv}/bin/python"
for tool in valgrind callgrind_control wrk; do
  command -v "$tool" >/dev/null || { echo "instructions.sh: $tool not found" >&2; exit 1; }
done
[[ -x "$python" ]] || bash "$repo/parity/setup.sh"

cargo build --release --quiet -p examples --bin bench_server --manifest-path "$repo/Cargo.toml"
target="$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
  "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
binary="$target/release/bench_server"

work="$(mktemp -d)"
trap 'pkill -f "callgrind-out-file=$work" 2>/dev/null || true; rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/bench.db?mode=rwc" SECRET_KEY="instructions-$RANDOM$RANDOM"
export PBKDF2_ITERATIONS=1500000
"$python" "$repo/parity/django_project/manage.py" migrate -v 0
fixtures="$("$python" "$repo/parity/django_project/manage.py" bench_fixtures --password bench-password | tail -n 1)"
field() { "$python" -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$fixtures" "$1"; }
token="Authorization: Token $(field token)"
session="Cookie: sessionid=$(field sessionid)"

pid=""
start() { # port, then VAR=value…
  local port=$1; shift
  env "$@" BIND="127.0.0.1:$port" WORKERS=1 valgrind --tool=callgrind \
    --callgrind-out-file="$work/cg.%p.out" "$binary" >"$work/server-$port.log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/hello/" && return
    sleep 1
  done
  echo "instructions.sh: the server on $port did not start" >&2
  exit 1
}
measure() { # port, label, path[, header]
  local port=$1 label=$2 path=$3 header=()
  [[ $# -gt 3 ]] && header=(-H "$4")
  wrk -t1 -c4 -d2s "${header[@]}" "http://127.0.0.1:$port$path" >/dev/null
  callgrind_control -z "$pid" >/dev/null
  local requests
  requests=$(wrk -t1 -c4 -d5s "${header[@]}" "http://127.0.0.1:$port$path" |
    grep -oE '^ +[0-9]+ requests' | grep -oE '[0-9]+')
  callgrind_control -d "$pid" >/dev/null
  local dump
  dump=$(ls -t "$work"/cg."$pid".out.* | head -n 1)
  local total
  total=$(grep -E '^(summary|totals):' "$dump" | head -n 1 | awk '{print $2}')
  printf '%-36s %7d requests %9d instructions/request\n' "$label" "$requests" $((total / requests))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

start 8301 BENCH_MODE=bare
measure 8301 "bare actix-web hello" /hello/
stop
start 8302
measure 8302 "hello inside the full app" /hello/
measure 8302 "Token, cache off" /token/ "$token"
measure 8302 "Token, policy by attributes" /macro-token/ "$token"
measure 8302 "Token, PolicyGuard by hand" /hand-token/ "$token"
measure 8302 "Session, cache off" /session/ "$session"
stop
start 8303 AUTH_CACHE_TTL_SECS=600
measure 8303 "Token, cache on" /token/ "$token"
measure 8303 "Session, cache on" /session/ "$session"
measure 8303 "Token, cache on, hello body" /token-hello/ "$token"
measure 8303 "Session, cache on, hello body" /session-hello/ "$session"
stop
