#!/usr/bin/env bash
# bench/http_bench.sh [EMBARGO_BINARY] - HTTP benchmark of `embargo serve` with wrk.
#
# Starts `embargo serve --port 0` (default: the Release build in build-bench/,
# built as bench/run.sh does), waits for /healthz, then runs wrk (-t2, --latency):
#   1. GET /healthz, 64 keep-alive connections        (baseline: the HTTP layer alone)
#   2. POST /match/default, one query per request, 64 connections
#   3. POST /match/default, one query per request, 256 connections
# Queries rotate over bench/http_match.lua's names. Prints a markdown table
# (requests/s, p50/p99/max latency, socket errors, non-2xx) and saves it to
# bench/HTTP-RESULTS.md. Raw wrk output goes to bench/out/http/.
#
# Environment knobs (defaults in brackets):
#   HTTP_BENCH_DURATION     seconds per wrk run            [10]
#   HTTP_BENCH_THREADS      wrk threads                    [2]
#   HTTP_BENCH_SERVER_ARGS  extra `embargo serve` options  []
#   HTTP_BENCH_SAVE         0: do not write HTTP-RESULTS.md [1]
#   EMB_BENCH_KEY           API key sent as Bearer (when the server needs one)
# Targets (issue 5): >= 20,000 req/s at 64 connections with p99 <= 5 ms;
# 256 connections without stalls (no timeouts, no socket errors).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DUR=${HTTP_BENCH_DURATION:-10}
THREADS=${HTTP_BENCH_THREADS:-2}
SAVE=${HTTP_BENCH_SAVE:-1}
OUT=bench/out/http
NPROC=$(nproc 2>/dev/null || echo 1)
log() { echo "http_bench: $*" >&2; }

command -v wrk >/dev/null 2>&1 || { echo "http_bench: wrk not found (Debian package wrk)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "http_bench: curl not found" >&2; exit 1; }

if [ $# -ge 1 ]; then
    EMB=$1
else
    BUILD=build-bench
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        log "configuring $BUILD (Release)"
        cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >&2
    fi
    cmake --build "$BUILD" -j"$NPROC" --target embargo >&2
    EMB=$BUILD/embargo
fi
[ -x "$EMB" ] || { echo "http_bench: $EMB is not executable" >&2; exit 1; }
mkdir -p "$OUT"

# ---- server -----------------------------------------------------------------
SRV_LOG=$OUT/server.stderr
# shellcheck disable=SC2086
"$EMB" serve --port 0 ${HTTP_BENCH_SERVER_ARGS:-} >/dev/null 2>"$SRV_LOG" &
SRV_PID=$!
cleanup() {
    if kill -0 "$SRV_PID" 2>/dev/null; then
        kill -TERM "$SRV_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SRV_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
BASE=""
for _ in $(seq 150); do
    BASE=$(grep -o 'listening on http://[^ ]*' "$SRV_LOG" 2>/dev/null | head -1 | sed 's/^listening on //; s:/$::') || true
    [ -n "$BASE" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || { echo "http_bench: server exited:" >&2; cat "$SRV_LOG" >&2; exit 1; }
    sleep 0.1
done
[ -n "$BASE" ] || { echo "http_bench: server did not announce its port" >&2; cat "$SRV_LOG" >&2; exit 1; }
AUTH=()
[ -n "${EMB_BENCH_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $EMB_BENCH_KEY")
for _ in $(seq 100); do
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "$BASE/healthz" || { echo "http_bench: $BASE/healthz not ready" >&2; exit 1; }
log "server $BASE (pid $SRV_PID)"

# sanity: one /match answer must carry results for the query key
CHECK=$(curl -sS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$BASE/match/default" \
    -d '{"queries":{"q":{"schema":"Thing","properties":{"name":["Choe Chun Sik"]}}}}')
case "$CHECK" in
    *'"responses"'*KPi.013*|*'"responses"'*'"results"'*) ;;
    *) echo "http_bench: unexpected /match answer: ${CHECK:0:300}" >&2; exit 1 ;;
esac

# ---- runs -------------------------------------------------------------------
ROWS=()
FAILS=()
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
run() {  # name conns mode
    local name=$1 conns=$2 mode=$3 raw=$OUT/wrk-$1.txt
    log "$name: $conns connections, ${DUR}s"
    wrk -t"$THREADS" -c"$conns" -d"${DUR}s" --timeout 2s --latency \
        -s bench/http_match.lua "$BASE" -- "$mode" >"$raw" 2>&1 || true
    local j
    j=$(grep '^WRKSTAT ' "$raw" | sed 's/^WRKSTAT //') || true
    if [ -z "$j" ]; then echo "http_bench: wrk failed:" >&2; cat "$raw" >&2; exit 1; fi
    eval "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join("W_%s=%s" % (k, v) for k, v in d.items()))' "$j")"
    local errs=$((W_connect + W_read + W_write + W_timeout))
    ROWS+=("| $name | $conns | $(printf '%.0f' "$W_rps") | $(ms "$W_p50_us") | $(ms "$W_p99_us") | $(ms "$W_max_us") | $errs (timeouts $W_timeout) | $W_non2xx |")
    LAST_RPS=$W_rps; LAST_P99=$W_p99_us; LAST_ERR=$errs; LAST_NON2XX=$W_non2xx; LAST_TIMEOUT=$W_timeout
    # the server must still answer promptly after each run
    if ! curl -fsS -m 1 -o /dev/null "$BASE/healthz"; then FAILS+=("$name: /healthz did not answer within 1 s afterwards"); fi
}

run healthz 64 healthz
run match-64 64 match
R64=$LAST_RPS; P64=$LAST_P99; E64=$((LAST_ERR + LAST_NON2XX))
run match-256 256 match
E256=$((LAST_ERR + LAST_NON2XX)); T256=$LAST_TIMEOUT
kill -0 "$SRV_PID" 2>/dev/null || FAILS+=("server died during the runs")

verdict() { if [ "$1" = 1 ]; then echo met; else echo "NOT met"; fi; }
T1=$(awk -v r="$R64" -v p="$P64" -v e="$E64" 'BEGIN { print (r >= 20000 && p <= 5000 && e == 0) ? 1 : 0 }')
T2=$(( E256 == 0 && T256 == 0 ? 1 : 0 ))

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
VER=$("$EMB" --version 2>/dev/null | head -1 || true)
REPORT=$(cat <<EOT
# HTTP benchmark: \`embargo serve\`

Generated by \`bench/http_bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ): wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'),
-t$THREADS, ${DUR} s per run, keep-alive, loopback; $NPROC CPUs (${CPU:-unknown CPU}), shared by
wrk and the server. Server: \`$EMB serve --port 0${HTTP_BENCH_SERVER_ARGS:+ $HTTP_BENCH_SERVER_ARGS}\` (${VER:-version unknown}),
bundled UN list. Match runs: one query per request (\`POST /match/default\`), rotating over the
16 queries of \`bench/http_match.lua\` (UN positives, some with birth date and country, and
names on no list). Latency in ms; errors = wrk socket errors (connect, read, write, timeout > 2 s).

| run | connections | requests/s | p50 | p99 | max | errors | non-2xx |
|---|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${ROWS[@]}")

Targets (issue 5):
- \`/match\`, 64 connections: >= 20,000 requests/s with p99 <= 5 ms and no errors: **$(verdict "$T1")**
- \`/match\`, 256 connections without stalls (no timeouts, errors or non-2xx): **$(verdict "$T2")**
$(if [ ${#FAILS[@]} -gt 0 ]; then printf -- '- problem: %s\n' "${FAILS[@]}"; fi)
EOT
)
echo "$REPORT"
if [ "$SAVE" = 1 ]; then echo "$REPORT" > bench/HTTP-RESULTS.md; log "saved bench/HTTP-RESULTS.md"; fi
