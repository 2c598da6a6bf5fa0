#!/usr/bin/env bash
# bench/http_bench.sh [EMBARGO_BINARY] - HTTP benchmark of `embargo serve` with wrk.
#
# Starts `embargo serve --port 0 --update-token-file <random token>` (default
# binary: the Release build in build-bench/, built as bench/run.sh does),
# waits for /healthz, then runs wrk (-t2, --latency, keep-alive) for each step
# of HTTP_BENCH_STEPS:
#   healthz     GET /healthz, 64 connections       (baseline: the HTTP layer alone)
#   match-64    POST /match/default, one query per request, 64 connections
#   match-256   the same with 256 connections
#   match-64-wrk1  match-64 with one wrk thread: wrk shares the 2 cores with the
#               server, and its second thread adds queueing of its own (reported
#               beside match-64; the target is judged on match-64)
#   reload      the same as match-64 for HTTP_BENCH_RELOAD_DURATION seconds while
#               POST /updatez?token=... reloads the lists every
#               HTTP_BENCH_RELOAD_EVERY seconds (curl, from this script)
# Queries rotate over bench/http_match.lua's names. Prints markdown tables
# (requests/s, p50/p99/max latency, socket errors, non-2xx; for the reload step
# also each reload's status and duration) and saves them to
# bench/HTTP-RESULTS.md. Raw wrk output goes to bench/out/http/.
#
# Environment knobs (defaults in brackets):
#   HTTP_BENCH_STEPS            steps to run, in order   [healthz match-64 match-64-wrk1 match-256 reload]
#   HTTP_BENCH_DURATION         seconds per healthz/match run       [15]
#   HTTP_BENCH_RELOAD_DURATION  seconds of the reload step          [20]
#   HTTP_BENCH_RELOAD_EVERY     seconds between reloads             [2]
#   HTTP_BENCH_THREADS          wrk threads                         [2]
#   HTTP_BENCH_SERVER_ARGS      extra `embargo serve` options       []
#   HTTP_BENCH_SAVE             0: do not write HTTP-RESULTS.md     [1]
#   EMB_BENCH_KEY               API key sent as Bearer (when the server needs one)
# Targets (issue 5): >= 20,000 req/s at 64 connections with p99 <= 5 ms;
# 256 connections without stalls (no timeouts, no socket errors); reloads
# under load without a single failed request (no socket errors, no non-2xx,
# every reload 200).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
STEPS=${HTTP_BENCH_STEPS:-healthz match-64 match-64-wrk1 match-256 reload}
DUR=${HTTP_BENCH_DURATION:-15}
RDUR=${HTTP_BENCH_RELOAD_DURATION:-20}
REVERY=${HTTP_BENCH_RELOAD_EVERY:-2}
THREADS=${HTTP_BENCH_THREADS:-2}
SAVE=${HTTP_BENCH_SAVE:-1}
OUT=bench/out/http
NPROC=$(nproc 2>/dev/null || echo 1)
log() { echo "http_bench: $*" >&2; }

command -v wrk >/dev/null 2>&1 || { echo "http_bench: wrk not found (Debian package wrk)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "http_bench: curl not found" >&2; exit 1; }
for s in $STEPS; do
    case "$s" in healthz|match-64|match-64-wrk1|match-256|reload) ;;
        *) echo "http_bench: unknown step '$s' in HTTP_BENCH_STEPS" >&2; exit 2 ;;
    esac
done

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
TOKEN_FILE=$OUT/update-token
(umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$TOKEN_FILE")
TOKEN=$(cat "$TOKEN_FILE")
# shellcheck disable=SC2086
"$EMB" serve --port 0 --no-access-log --update-token-file "$TOKEN_FILE" ${HTTP_BENCH_SERVER_ARGS:-} \
    >/dev/null 2>"$SRV_LOG" &
SRV_PID=$!
WRK_PID=""
cleanup() {
    if [ -n "$WRK_PID" ] && kill -0 "$WRK_PID" 2>/dev/null; then kill "$WRK_PID" 2>/dev/null || true; fi
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
CMDS=()
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
metric() {  # value of one /metrics sample, or 0
    curl -sS "${AUTH[@]}" "$BASE/metrics" | awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }'
}
wrk_cmd() {  # conns duration mode [wrk threads]
    echo "wrk -t${4:-$THREADS} -c$1 -d$2s --timeout 2s --latency -s bench/http_match.lua $BASE -- $3"
}
parse() {  # name conns raw: fills W_* and appends a row
    local name=$1 conns=$2 raw=$3 j
    j=$(grep '^WRKSTAT ' "$raw" | sed 's/^WRKSTAT //') || true
    if [ -z "$j" ]; then echo "http_bench: wrk failed:" >&2; cat "$raw" >&2; exit 1; fi
    eval "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join("W_%s=%s" % (k, v) for k, v in d.items()))' "$j")"
    W_errs=$((W_connect + W_read + W_write + W_timeout))
    ROWS+=("| $name | $conns | $(printf '%.0f' "$W_rps") | $(ms "$W_p50_us") | $(ms "$W_p99_us") | $(ms "$W_max_us") | $W_errs (timeouts $W_timeout) | $W_non2xx |")
}
after_check() {  # the server must still answer promptly after each run
    if ! curl -fsS -m 1 -o /dev/null "$BASE/healthz"; then FAILS+=("$1: /healthz did not answer within 1 s afterwards"); fi
}
run() {  # name conns mode [wrk threads]
    local name=$1 conns=$2 mode=$3 raw=$OUT/wrk-$1.txt wt=${4:-$THREADS}
    log "$name: $conns connections, ${DUR}s, wrk -t$wt"
    CMDS+=("$(wrk_cmd "$conns" "$DUR" "$mode" "$wt")")
    # shellcheck disable=SC2046
    wrk $(wrk_cmd "$conns" "$DUR" "$mode" "$wt" | cut -d' ' -f2-) >"$raw" 2>&1 || true
    parse "$name" "$conns" "$raw"
    after_check "$name"
}

R64=""; P64=""; E64=""; E256=""; T256=""; RL_ERR=""; RL_BAD=""
RELOAD_ROWS=()
for step in $STEPS; do
    case "$step" in
    healthz) run healthz 64 healthz ;;
    match-64) run match-64 64 match; R64=$W_rps; P64=$W_p99_us; E64=$((W_errs + W_non2xx)) ;;
    match-64-wrk1) run match-64-wrk1 64 match 1 ;;
    match-256) run match-256 256 match; E256=$((W_errs + W_non2xx)); T256=$W_timeout ;;
    reload)
        raw=$OUT/wrk-reload.txt
        log "reload: 64 connections, ${RDUR}s, POST /updatez every ${REVERY}s"
        ok0=$(metric 'embargo_reloads_total{result="ok"}')
        CMDS+=("$(wrk_cmd 64 "$RDUR" match)  # with, in parallel: every ${REVERY} s, curl -X POST '$BASE/updatez?token=<token>'")
        # shellcheck disable=SC2046
        wrk $(wrk_cmd 64 "$RDUR" match | cut -d' ' -f2-) >"$raw" 2>&1 &
        WRK_PID=$!
        RLOG=$OUT/reloads.txt
        : >"$RLOG"
        t0=$(date +%s.%N)
        # a reload at t0 + k * REVERY seconds, k = 1, 2, ..., none in the last second
        for k in $(seq 1 1000); do
            wait_s=$(awk -v t0="$t0" -v now="$(date +%s.%N)" -v k="$k" -v e="$REVERY" -v d="$RDUR" \
                'BEGIN { at = k * e; if (at > d - 1) { print "stop"; exit } w = t0 + at - now; printf "%.3f", (w > 0 ? w : 0) }')
            [ "$wait_s" = stop ] && break
            sleep "$wait_s"
            kill -0 "$WRK_PID" 2>/dev/null || break
            curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' "${AUTH[@]}" -X POST \
                "$BASE/updatez?token=$TOKEN" >>"$RLOG" 2>&1 || echo "curl-failed 0" >>"$RLOG"
        done
        wait "$WRK_PID" || true
        WRK_PID=""
        parse "match-64 + reloads" 64 "$raw"
        after_check reload
        ok1=$(metric 'embargo_reloads_total{result="ok"}')
        n=$(wc -l <"$RLOG")
        n200=$(awk '$1 == 200' "$RLOG" | wc -l)
        RL_ERR=$((W_errs + W_non2xx)); RL_BAD=$((n - n200))
        times=$(awk '{ printf "%s%.0f", (NR > 1 ? ", " : ""), $2 * 1000 }' "$RLOG")
        codes=$(awk '{ c[$1]++ } END { for (k in c) printf "%s%s x%d", (n++ ? ", " : ""), k, c[k] }' "$RLOG")
        RELOAD_ROWS+=("| $n | ${codes:-none} | $(awk -v a="$ok0" -v b="$ok1" 'BEGIN { print b - a }') | ${times:-none} |")
        [ "$n" -gt 0 ] || FAILS+=("reload: no reload was triggered")
        ;;
    esac
done
kill -0 "$SRV_PID" 2>/dev/null || FAILS+=("server died during the runs")

verdict() {  # value (1 met, 0 not met, "" not run)
    case "$1" in 1) echo met ;; 0) echo "NOT met" ;; *) echo "not measured (step not run)" ;; esac
}
T1=""; T2=""; T3=""
[ -n "$R64" ] && T1=$(awk -v r="$R64" -v p="$P64" -v e="$E64" 'BEGIN { print (r >= 20000 && p <= 5000 && e == 0) ? 1 : 0 }')
[ -n "$E256" ] && T2=$(( E256 == 0 && T256 == 0 ? 1 : 0 ))
[ -n "$RL_ERR" ] && T3=$(( RL_ERR == 0 && RL_BAD == 0 ? 1 : 0 ))

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
VER=$("$EMB" --version 2>/dev/null | head -1 || true)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ", with uncommitted changes" || true)
REPORT=$(cat <<EOT
# HTTP benchmark: \`embargo serve\`

Generated by \`bench/http_bench.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ) (tree at $COMMIT$DIRTY): wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'),
-t$THREADS, keep-alive, loopback; $NPROC CPUs (${CPU:-unknown CPU}), shared by wrk and the
server. Server: \`$EMB serve --port 0 --no-access-log --update-token-file $TOKEN_FILE${HTTP_BENCH_SERVER_ARGS:+ $HTTP_BENCH_SERVER_ARGS}\`
(${VER:-version unknown}), bundled UN list unless the options say otherwise. Match runs: one
query per request (\`POST /match/default\`), rotating over the 16 queries of
\`bench/http_match.lua\` (UN positives, some with birth date and country, and names on no list).
Latency in ms; errors = wrk socket errors (connect, read, write, timeout > 2 s).
\`match-64-wrk1\` is \`match-64\` driven by one wrk thread instead of $THREADS: the load generator
runs on the server's cores, so its own threads' queueing is part of every latency measured.

Command: \`HTTP_BENCH_STEPS="$STEPS" HTTP_BENCH_DURATION=$DUR HTTP_BENCH_RELOAD_DURATION=$RDUR HTTP_BENCH_RELOAD_EVERY=$REVERY bench/http_bench.sh${1:+ $1}\`, which ran:
$(printf -- '- `%s`\n' "${CMDS[@]}")

| run | connections | requests/s | p50 | p99 | max | errors | non-2xx |
|---|---:|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${ROWS[@]}")
$(if [ ${#RELOAD_ROWS[@]} -gt 0 ]; then
printf '\nReloads during the reload run (`POST /updatez`, every %s s of the %s s run; each rebuilds the\nlist set beside the one serving and swaps it in):\n\n' "$REVERY" "$RDUR"
printf '| reloads | statuses | counted ok by /metrics | duration of each, ms |\n|---:|---|---:|---|\n'
printf '%s\n' "${RELOAD_ROWS[@]}"
fi)

Targets (issue 5):
- \`/match\`, 64 connections: >= 20,000 requests/s with p99 <= 5 ms and no errors: **$(verdict "$T1")**
- \`/match\`, 256 connections without stalls (no timeouts, errors or non-2xx): **$(verdict "$T2")**
- \`/match\`, 64 connections while reloading: no socket error, no non-2xx, every reload 200: **$(verdict "$T3")**
$(if [ ${#FAILS[@]} -gt 0 ]; then printf -- '- problem: %s\n' "${FAILS[@]}"; fi)
EOT
)
echo "$REPORT"
if [ "$SAVE" = 1 ]; then echo "$REPORT" > bench/HTTP-RESULTS.md; log "saved bench/HTTP-RESULTS.md"; fi
