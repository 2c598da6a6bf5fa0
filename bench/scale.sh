#!/usr/bin/env bash
# bench/scale.sh - the speed-and-scale benchmark (issue #4), one command:
#
#   bench/scale.sh            # UN list, 100k and 1M synthetic entities
#
# For the UN list (bundled, with the 683 OpenSanctions UN positives as
# queries) and for synthetic lists made reproducibly by scripts/gen_synth.py
# (seed 1, with 2,000 generated queries each, 60 % positives):
#   - index build time and peak memory (embargo index build, /usr/bin/time),
#     snapshot size, and the time `embargo index info` takes to open and
#     check it in a fresh process;
#   - bench/bench_scale over the snapshot: open time in process, resident
#     memory, queries/s and p50/p99 latency with 1 and 2 threads, the
#     brute-force scorer on a sample and the index's recall against it;
#   - embargo batch --index --threads 2 over the queries repeated 5x and
#     25x: throughput and peak memory (streaming: the same for both).
# Markdown tables go to stdout and to bench/SCALE-RESULTS.md; progress to
# stderr. Generated files are kept in bench/out/ (git-ignored) and reused
# when present.
#
# Knobs: SCALE_SIZES ["100000 1000000"], SCALE_QUERIES [2000],
#        SCALE_BRUTE [150,000,000 / entities, at least 150: brute-force sample
#        per synthetic list; the UN list: every query],
#        SCALE_PASSES [3], SCALE_SAVE [1], SCALE_PERF [0: 1 adds perf's top
#        entries for the largest list], SCALE_EVALQ [1: the index's recall on
#        the UN list over every evaluation query, when eval/out/full holds them].
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=build-bench
OUT=bench/out
SIZES=${SCALE_SIZES:-100000 1000000}
NQ=${SCALE_QUERIES:-2000}
PASSES=${SCALE_PASSES:-3}
SAVE=${SCALE_SAVE:-1}
log() { echo "scale: $*" >&2; }

command -v python3 >/dev/null || { echo "bench/scale.sh: python3 is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/scale.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 1; }
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    log "configuring $BUILD (Release)"
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DEMB_TESTS=ON >&2
fi
log "building embargo and bench_scale"
cmake --build "$BUILD" -j"$(nproc)" --target embargo bench_scale >&2
EMB=$BUILD/embargo
SCALE=$BUILD/bench/bench_scale
mkdir -p "$OUT"
REPORT=$OUT/SCALE-RESULTS.md.tmp
: >"$REPORT"
emit() { cat | tee -a "$REPORT"; }

# peak RSS (MiB) and wall seconds of a command, from /usr/bin/time -v
timed() {   # timed FILE cmd...  (FILE receives the time -v report)
    local f=$1; shift
    /usr/bin/time -v "$@" 2>"$f"
}
peak_mib() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
wall_s() { awk '/Elapsed \(wall clock\)/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$COMMIT" != unknown ] && [ -n "$(git --no-optional-locks status --porcelain 2>/dev/null)" ]; then
    COMMIT="$COMMIT (working tree differs from it)"
fi
emit <<EOF
## embargo speed and scale

Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ·
$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) · Date: $(date -u +%Y-%m-%dT%H:%MZ) ·
Commit: ${COMMIT} · Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) · Build: Release

Every figure below comes from this run. Latency is per emb_screen call (default options:
threshold 0.80, cutoff 0.50, limit 5), best of ${PASSES} passes after a warm-up pass. Recall
against brute force: of the results the brute-force scorer returns (every entity scored, top 5
at or above the cutoff), the share the index returns with the same score, ties at a rank
counted as the same answer.

EOF

# one list: build the snapshot, measure, bench
run_list() {   # label snapshot queries brute-sample list-files...
    local label=$1 idx=$2 queries=$3 brute=$4; shift 4
    local tf=$OUT/time-$label.txt
    log "$label: index build"
    timed "$tf" "$EMB" index build "$@" -o "$idx" >/dev/null
    BUILD_S[$label]=$(wall_s "$tf")
    BUILD_MIB[$label]=$(peak_mib "$tf")
    SNAP_MIB[$label]=$(du -m "$idx" | cut -f1)
    sync
    local best=1000000000000 i t0 t1
    for i in 1 2 3 4 5; do
        t0=$(date +%s%N)
        "$EMB" index info "$idx" >/dev/null
        t1=$(date +%s%N)
        best=$(( (t1 - t0) < best ? (t1 - t0) : best ))
    done
    INFO_MS[$label]=$(python3 -c "print(f'{$best / 1e6:.1f}')")
    log "$label: bench_scale (brute-force sample $brute)"
    "$SCALE" -i "$idx" -q "$queries" -t 2 -r "$PASSES" -b "$brute" -L "$label" \
        -m "$OUT/misses-$label.tsv" >"$OUT/scale-$label.md" 2>"$OUT/scale-$label.kv"
    # batch: streaming, memory flat in the input size
    local q5=$OUT/batch-$label-x5.csv q50=$OUT/batch-$label-x25.csv
    python3 - "$queries" "$q5" 5 "$q50" 25 <<'EOF'
import sys
src = open(sys.argv[1], encoding="utf-8").read().splitlines()
head, rows = src[0], src[1:]
for path, k in ((sys.argv[2], int(sys.argv[3])), (sys.argv[4], int(sys.argv[5]))):
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n")
        for i in range(k):
            for r in rows:
                f.write(r + "\n")
EOF
    for k in 5 25; do
        local qf=$OUT/batch-$label-x$k.csv
        log "$label: batch x$k"
        timed "$tf" "$EMB" batch --index "$idx" --threads 2 "$qf" >/dev/null
        BATCH_Q[$label$k]=$(python3 -c "import sys; print(sum(1 for _ in open(sys.argv[1]))-1)" "$qf")
        BATCH_S[$label$k]=$(wall_s "$tf")
        BATCH_MIB[$label$k]=$(peak_mib "$tf")
    done
    rm -f "$q5" "$q50"
}

declare -A BUILD_S BUILD_MIB SNAP_MIB INFO_MS BATCH_Q BATCH_S BATCH_MIB
LABELS=()

# the UN list, with the OpenSanctions positives
UNQ=bench/data/positives_un_untreated.csv
run_list un "$OUT/un.idx" "$UNQ" -1 data/lists/un/un_sanctions.xml
LABELS+=(un)

for n in $SIZES; do
    label=$(python3 -c "n=$n; print(f'{n//1000000}M' if n % 1000000 == 0 else f'{n//1000}k')")
    list=$OUT/synth-$label.ftm.json
    queries=$OUT/synth-$label.csv
    if [ ! -f "$list" ] || [ ! -f "$queries" ]; then
        log "$label: generating $n entities (scripts/gen_synth.py, seed 1)"
        python3 scripts/gen_synth.py --entities "$n" --seed 1 -o "$list" \
            --queries "$NQ" --queries-out "$queries" >&2
    fi
    nb=${SCALE_BRUTE:-$(( 150000000 / n > 150 ? 150000000 / n : 150 ))}
    run_list "$label" "$OUT/synth-$label.idx" "$queries" "$nb" "$list"
    LABELS+=("$label")
done

# the index's recall on every query of the quality evaluation (all scripts,
# perturbations, negatives: a wider set than the positives above), when
# `python3 eval/run.py --full` has written them; brute force on each
EVALQ=eval/out/full/cases_full.tsv
rm -f "$OUT/scale-un-evalq.md"
if [ -f "$EVALQ" ] && [ "${SCALE_EVALQ:-1}" = 1 ]; then
    log "un: recall on the evaluation queries ($EVALQ), brute force on each"
    python3 - "$EVALQ" "$OUT/evalq.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["full_name", "date_of_birth", "nationality"])
    for r in rows:
        w.writerow([r["query"], r.get("birth_date", ""), r.get("nationality", "")])
EOF
    "$SCALE" -i "$OUT/un.idx" -q "$OUT/evalq.csv" -t 1 -r 1 -b -1 -L un-evalq \
        -m "$OUT/misses-un-evalq.tsv" >"$OUT/scale-un-evalq.md" 2>"$OUT/scale-un-evalq.kv"
fi

# ---- tables ------------------------------------------------------------------
kv() { awk -v k="$2" '$1 == k {print $2}' "$OUT/scale-$1.kv"; }
{
    echo "### Building and opening"
    echo
    echo "| list | entities | build (load + index + save) | peak memory building | snapshot | open in process (median of 5) | \`embargo index info\`, whole process: start, open, check, print (best of 5) | resident memory after open |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for l in "${LABELS[@]}"; do
        ents=$(grep -m1 '| entities |' "$OUT/scale-$l.md" | awk -F'|' '{gsub(/ /,"",$4); print $4}')
        printf '| %s | %s | %s s | %s MiB | %s MiB | %.1f ms | %s ms | %s MiB |\n' "$l" "$ents" \
            "${BUILD_S[$l]}" "${BUILD_MIB[$l]}" "${SNAP_MIB[$l]}" "$(kv "$l" open_ms)" \
            "${INFO_MS[$l]}" "$(kv "$l" rss_mib)"
    done
    echo
    echo "### Screening (emb_screen, in process)"
    echo
    echo "| list | queries | 1 thread q/s | p50 µs | p99 µs | 2 threads q/s | 2 threads / 1 | entities scored per query | brute force q/s (sample) | index / brute force | recall against brute force |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for l in "${LABELS[@]}"; do
        nq=$(grep -m1 'index, 1 thread' "$OUT/scale-$l.md" | sed 's/.*(\([0-9]*\) queries.*/\1/')
        q1=$(kv "$l" q1); qn=$(kv "$l" qn); bq=$(kv "$l" brute_q); biq=$(kv "$l" brute_index_q)
        bf=$(kv "$l" brute_failed); note=""
        [ "${bf:-0}" != 0 ] && note=" (**${bf} sampled queries failed under brute force, not counted**)"
        printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %.2f× | %.1f | %.2f | %.0f× | %.2f %% of %s%s |\n' \
            "$l" "$nq" "$q1" "$(kv "$l" p50_1)" "$(kv "$l" p99_1)" "$qn" \
            "$(python3 -c "print($qn / $q1 if $q1 else 0)")" "$(kv "$l" cand)" "$bq" \
            "$(python3 -c "print($biq / $bq if $bq else 0)")" "$(kv "$l" recall)" "$(kv "$l" recall_n)" "$note"
    done
    if [ -f "$OUT/scale-un-evalq.md" ]; then
        echo
        echo "Index recall on the UN list over every query of the quality evaluation ($EVALQ:"
        echo "all categories and scripts, negatives included), brute force on each:"
        grep 'index recall against brute force' "$OUT/scale-un-evalq.md" |
            awk -F'|' '{gsub(/^ +| +$/, "", $4); print "**" $4 "**; the misses are in bench/out/misses-un-evalq.tsv."}'
    fi
    echo
    echo "### Batch, streaming (\`embargo batch --index FILE --threads 2\`, whole process)"
    echo
    echo "| list | input lines | wall s | queries/s | peak memory |"
    echo "|---|---:|---:|---:|---:|"
    for l in "${LABELS[@]}"; do
        for k in 5 25; do
            printf '| %s | %s | %s | %.0f | %s MiB |\n' "$l" "${BATCH_Q[$l$k]}" "${BATCH_S[$l$k]}" \
                "$(python3 -c "print(${BATCH_Q[$l$k]} / ${BATCH_S[$l$k]} if ${BATCH_S[$l$k]} else 0)")" \
                "${BATCH_MIB[$l$k]}"
        done
    done
    echo
    echo "Raw rows (bench_scale):"
    echo
    echo "| list | measure | value |"
    echo "|---|---|---|"
    for l in "${LABELS[@]}"; do cat "$OUT/scale-$l.md"; done
    echo
} | emit

if [ "${SCALE_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
    last=${LABELS[${#LABELS[@]}-1]}
    log "perf over $last"
    perf record -o "$OUT/perf-$last.data" "$SCALE" -i "$OUT/synth-$last.idx" \
        -q "$OUT/synth-$last.csv" -t 1 -r 1 -b 0 -L "$last" >/dev/null 2>&1
    {
        echo "### Profile: perf, one thread over the $last queries (top entries, self time)"
        echo
        echo '```'
        # sed, not head: with pipefail, head closing the pipe would fail the run
        perf report -i "$OUT/perf-$last.data" --no-children --stdio 2>/dev/null |
            grep -E '^ +[0-9]+\.[0-9]+%' | sed -n '1,12p'
        echo '```'
        echo
    } | emit
fi

if [ "$SAVE" = 1 ]; then
    cp "$REPORT" bench/SCALE-RESULTS.md
    log "saved bench/SCALE-RESULTS.md"
fi
