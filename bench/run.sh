#!/usr/bin/env bash
# bench/run.sh - build (Release, build-bench/) and run every benchmark; print
# markdown tables to stdout and save them to bench/RESULTS.md. See
# bench/README.md. Progress and build output go to stderr.
#
# Environment knobs (defaults in brackets):
#   BENCH_LOADS   in-process list loads                      [20]
#   BENCH_PASSES  timed passes over the queries (emb_screen) [5]
#   BENCH_RUNS    process runs per command (start-to-answer) [30]
#   BENCH_REPEAT  copies of the 683 rows for batch throughput [5]
#   BENCH_TRIALS  batch throughput runs per thread count      [3]
#   BENCH_SAVE    0: do not overwrite bench/RESULTS.md        [1]
#   BENCH_NEGATIVES  folder with negatives_{global,us}.csv     [../shared/data/bench/opensanctions]
#   BENCH_NO_HYPERFINE  1: time processes with the bash loop   [0]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=build-bench
OUT=bench/out
LOADS=${BENCH_LOADS:-20}
PASSES=${BENCH_PASSES:-5}
RUNS=${BENCH_RUNS:-30}
REPEAT=${BENCH_REPEAT:-5}
TRIALS=${BENCH_TRIALS:-3}
SAVE=${BENCH_SAVE:-1}
NPROC=$(nproc 2>/dev/null || echo 1)
log() { echo "bench: $*" >&2; }

# ---- inputs ----------------------------------------------------------------
UN_XML=data/lists/un/un_sanctions.xml
TREATED=""
for f in tests/data/bench/positives_un_treated.csv bench/data/positives_un_treated.csv; do
    if [ -f "$f" ]; then TREATED=$f; break; fi
done
UNTREATED=bench/data/positives_un_untreated.csv
for f in "$UN_XML" "$TREATED" "$UNTREATED"; do
    if [ -z "$f" ] || [ ! -f "$f" ]; then
        echo "bench/run.sh: missing input ${f:-positives_un_treated.csv}" >&2
        exit 1
    fi
done
command -v python3 >/dev/null || { echo "bench/run.sh: python3 is required" >&2; exit 1; }

# ---- build -----------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    log "configuring $BUILD (Release)"
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DEMB_TESTS=ON >&2
fi
log "building embargo and bench_load"
cmake --build "$BUILD" -j"$NPROC" --target embargo bench_load >&2
EMB=$BUILD/embargo
BENCH_LOAD=$BUILD/bench/bench_load
mkdir -p "$OUT"

REPORT=$OUT/RESULTS.md.tmp
: >"$REPORT"
emit() { cat | tee -a "$REPORT"; }

# ---- header ----------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$COMMIT" != unknown ] && [ -n "$(git --no-optional-locks status --porcelain 2>/dev/null)" ]; then
    COMMIT="$COMMIT (working tree differs from it)"
fi
CC_ID=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt" | head -1)
CC_VER=$("${CC_ID:-cc}" --version 2>/dev/null | head -1 || echo "?")
emit <<EOF
## embargo benchmarks

Machine: ${NPROC} CPUs (nproc), ${CPU:-unknown CPU} · Date: $(date -u +%Y-%m-%dT%H:%MZ) · Commit: ${COMMIT}
Load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) · Build: Release, ${CC_VER} · embargo $("$EMB" --version | awk '{print $2}') · Queries: ${TREATED} (683 rows)

EOF

# ---- 1. in-process load and screening ------------------------------------
log "bench_load: $LOADS loads, $PASSES passes over the queries"
"$BENCH_LOAD" -n "$LOADS" -r "$PASSES" "$TREATED" | emit

# ---- 2. process start-to-answer ------------------------------------------
log "process start-to-answer: $RUNS runs per command"
START_JSON=$OUT/start.json
if [ "${BENCH_NO_HYPERFINE:-0}" != 1 ] && command -v hyperfine >/dev/null && hyperfine --help 2>/dev/null | grep -q -- '--shell'; then
    TOOL="hyperfine -N, 3 warm-up runs"
    hyperfine -N --warmup 3 --runs "$RUNS" --style none --export-json "$START_JSON" \
        -n "embargo --version" "$EMB --version" \
        -n "embargo screen \"Choe Chun Sik\"" "$EMB screen \"Choe Chun Sik\"" >/dev/null 2>&1
else
    TOOL="bash loop with date +%s%N, 3 warm-up runs"
    time_cmd() {   # name, then argv; prints one JSON object
        local name=$1; shift
        local ts=() s e i
        for i in 1 2 3; do "$@" >/dev/null 2>&1; done
        for ((i = 0; i < RUNS; i++)); do
            s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
            ts+=("$(( e - s ))")
        done
        printf '{"command":"%s","times":[%s]}' "$name" "$(IFS=,; echo "${ts[*]}")"
    }
    {
        echo '{"ns":true,"results":['
        time_cmd 'embargo --version' "$EMB" --version; echo ','
        time_cmd 'embargo screen \"Choe Chun Sik\"' "$EMB" screen "Choe Chun Sik"
        echo ']}'
    } >"$START_JSON"
fi
python3 - "$START_JSON" "$TOOL" <<'EOF' | emit
import json, statistics, sys
d = json.load(open(sys.argv[1]))
scale = 1e-6 if d.get("ns") else 1e3
print(f"### Process start-to-answer ({sys.argv[2]})\n")
print("| command | runs | min ms | median ms | mean ms | max ms |")
print("|---|---:|---:|---:|---:|---:|")
for r in d["results"]:
    t = [x * scale for x in r["times"]]
    print(f"| `{r['command']}` | {len(t)} | {min(t):.1f} | {statistics.median(t):.1f} "
          f"| {statistics.mean(t):.1f} | {max(t):.1f} |")
print()
EOF

# ---- 3. OpenSanctions positives: accuracy --------------------------------
TRUTH=bench/data/positives_truth.csv
TRUTH_LOG=$(python3 bench/make_truth.py "$UNTREATED" "$UN_XML" "$TRUTH" 2>&1)
log "$TRUTH_LOG"
python3 bench/eval_positives.py make-input "$TREATED" "$OUT/in_full.csv"
python3 bench/eval_positives.py make-input --name-only "$TREATED" "$OUT/in_name.csv"
for v in full name; do
    log "batch accuracy runs: $v"
    "$EMB" batch --threads 1 --threshold 0 --limit 10 "$OUT/in_$v.csv" >"$OUT/${v}_ranked.jsonl" 2>"$OUT/${v}_ranked.err"
    "$EMB" batch --threads 1 --limit 10 "$OUT/in_$v.csv" >"$OUT/${v}_thr.jsonl" 2>"$OUT/${v}_thr.err"
done
{
    echo "### OpenSanctions UN positives (treated names), \`embargo batch\`"
    echo
    echo "Truth: ${TRUTH_LOG#make_truth: }."
    echo "top-k: the truth is among the first k results of \`--threshold 0 --limit 10\`;"
    echo "at threshold: first result of a default-threshold run is the truth with match=true."
    echo "Misses: \`$OUT/misses.txt\`."
    echo
    python3 bench/eval_positives.py report "$TRUTH" "$TREATED" "$OUT/misses.txt" \
        "name + birthDate + nationality" "$OUT/full_ranked.jsonl" "$OUT/full_thr.jsonl" \
        "name only" "$OUT/name_ranked.jsonl" "$OUT/name_thr.jsonl"
    echo
} | emit

# ---- 4. batch throughput ---------------------------------------------------
python3 bench/eval_positives.py make-input --repeat "$REPEAT" "$TREATED" "$OUT/in_full_x$REPEAT.csv"
{
    echo "### Batch throughput (name + birthDate + nationality, 683 rows × $REPEAT, \`--threshold 0 --limit 10\`)"
    echo
    echo "queries/s as batch reports it (its wall time includes one list load); median of $TRIALS runs."
    echo "CPU/wall: cores busy on average (user + sys of the process / wall)."
    echo
    echo "| threads | rows | runs | queries/s | range | wall s | CPU s | CPU/wall |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for t in 1 2; do
        log "batch throughput: --threads $t, $TRIALS runs"
        python3 bench/eval_positives.py throughput "$TRIALS" "--threads $t" \
            "$EMB" batch --threads "$t" --threshold 0 --limit 10 "$OUT/in_full_x$REPEAT.csv"
    done
    echo
} | emit

# ---- 5. synthetic negatives: false alarms (only where ../shared is present) ----
NEG_DIR=${BENCH_NEGATIVES:-../shared/data/bench/opensanctions}
if [ -f "$NEG_DIR/negatives_global.csv" ] && [ -f "$NEG_DIR/negatives_us.csv" ]; then
    {
        echo "### OpenSanctions synthetic negatives (innocent names), name only, default threshold"
        echo
        echo "Files from \`$NEG_DIR\` (not bundled; see its PROVENANCE.md). flagged: first result has match=true."
        echo
        echo "| file | queries | flagged | flagged % | highest score |"
        echo "|---|---:|---:|---:|---:|"
        for f in negatives_global negatives_us; do
            log "negatives: $f"
            "$EMB" batch --threads 2 "$NEG_DIR/$f.csv" >"$OUT/$f.jsonl" 2>"$OUT/$f.err"
            python3 - "$OUT/$f.jsonl" "$f" <<'PY'
import json, sys
n = flagged = 0
top = 0.0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    n += 1
    r = d.get("results") or []
    if r:
        top = max(top, r[0]["score"])
        flagged += bool(r[0]["match"])
print(f"| {sys.argv[2]} | {n} | {flagged} | {100.0 * flagged / max(n, 1):.3f} | {top:.4f} |")
PY
        done
        echo
    } | emit
else
    log "negatives: $NEG_DIR not present, section skipped"
fi

if [ "$SAVE" = 1 ]; then
    cp "$REPORT" bench/RESULTS.md
    log "saved bench/RESULTS.md"
fi
rm -f "$REPORT"
