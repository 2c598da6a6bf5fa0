#!/usr/bin/env bash
# Index snapshots (`embargo index build/info`, `--index FILE`): a snapshot of
# the bundled UN list and one of the OFAC SDN CSV with the UN XML give the same
# screen, batch, lists, check and rescreen output as the lists themselves; the
# content hash is stable across builds; corrupt, truncated, foreign and empty
# files are refused (exit 1) with a message naming the file and the check.
. "$(dirname "$0")/lib.bash"
SDN=data/lists/ofac/sdn_2024-05-03/sdn.csv
UN=data/lists/un/un_sanctions.xml
UN_OLD=data/lists/un/2026-01-28/un.xml
BUNDLED="$TMP/bundled.snap"
BOTH="$TMP/both.snap"

"$EMB" index build -o "$BUNDLED" 2> "$TMP/build1.err"
check "build the bundled UN list: exit 0" test $? -eq 0
check "build reports what it saved" grep -q "1009 entities from 1 list(s)" "$TMP/build1.err"
"$EMB" index build "$SDN" "$UN" -o "$BOTH" 2> "$TMP/build2.err"
check "build SDN + UN: exit 0" test $? -eq 0
check "build SDN + UN: one file" test -s "$BOTH"
snaps=("$TMP"/*snap*)
check "build SDN + UN: no temporary left beside it" test "${#snaps[@]}" -eq 2

# json_same DESCRIPTION A B: both files hold the same JSON lines (parsed, so key
# order and number spelling do not matter; the screen JSON has no timing field)
json_same() {
  if python3 - "$2" "$3" <<'PY'
import json, sys
a, b = ([json.loads(l) for l in open(p, encoding="utf-8") if l.strip()] for p in sys.argv[1:3])
sys.exit(0 if a == b and a else 1)
PY
  then ok; else fail "$1"; diff <(head -c 2000 "$2") <(head -c 2000 "$3") >&2; fi
}

# screen: the same results (explanations included) from the snapshot as from the lists
i=0
while IFS='|' read -r opts name; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$EMB" screen --json $opts "$name" --index "$BOTH" > "$TMP/s$i.idx.json"
  rc1=$?
  # shellcheck disable=SC2086
  "$EMB" screen --json $opts "$name" --list "$SDN" --list "$UN" > "$TMP/s$i.list.json"
  check "screen $name $opts: exit 0 with --index" test $rc1 -eq 0
  json_same "screen $name $opts: --index = --list" "$TMP/s$i.idx.json" "$TMP/s$i.list.json"
  # shellcheck disable=SC2086
  "$EMB" screen --json $opts "$name" --index "$BUNDLED" > "$TMP/b$i.idx.json"
  # shellcheck disable=SC2086
  "$EMB" screen --json $opts "$name" > "$TMP/b$i.list.json"
  json_same "screen $name $opts: bundled snapshot = bundled list" "$TMP/b$i.idx.json" "$TMP/b$i.list.json"
done <<'Q'
|Choe Chun Sik
--limit 10 --threshold 0|Kim Jong Un
--dob 1954 --country kp|Ch'oe Ch'un-sik
--schema Vessel|M/V CHON MA SAN
--schema Vessel --id 7406784|Some Renamed Ship
|عبدالخالق الحوثي
|최춘식
--list-id un --limit 3|Kim Jong Un
--regime DPRK --threshold 0 --limit 20|Korea Mining Development Trading Corporation
Q
json_check "snapshot: Choe Chun Sik is KPi.013" "$TMP/s1.idx.json" 'any(r["reference"] == "KPi.013" and r["id"] == "un-6908500" and r["match"] for r in doc["results"])'
json_check "snapshot: Kim Jong Un is SDN 20157" "$TMP/s2.idx.json" 'doc["results"][0]["reference"] == "20157" and doc["results"][0]["list"] == "ofac"'
json_check "snapshot: vessel in UN remarks" "$TMP/b4.idx.json" 'doc["results"][0]["reference"] == "KPe.061" and doc["results"][0]["matched_name_kind"] == "vessel_in_remarks"'
json_check "snapshot: IMO alone is decisive" "$TMP/s5.idx.json" 'doc["results"][0]["reference"] == "4243" and doc["results"][0]["match"] is True'
json_check "snapshot: Arabic script name matches" "$TMP/b6.idx.json" 'doc["results"] and doc["results"][0]["match"] and doc["results"][0]["matched_name_kind"] == "original_script"'
json_check "snapshot: lists and dates in the screen JSON" "$TMP/s1.idx.json" '[l["id"] for l in doc["lists"]] == ["ofac", "un"] and doc["lists"][1]["date"].startswith("2026-05-08")'

# batch: byte-identical output (stderr has timings: not compared)
python3 - "$TMP/in.csv" <<'PY'
import csv, sys
rows = [("c1", "Choe Chun Sik", "1954", "kp", ""), ("c2", "Kim Jong Un", "", "", ""),
        ("c3", "M/V CHON MA SAN", "", "", ""), ("c4", "John Smith", "", "", ""),
        ("c5", "عبدالخالق الحوثي", "", "", ""), ("c6", "EBANO", "", "", "IMO 7406784"),
        ("c7", "", "", "", ""), ("c8", "Jalaluddin Haqqani", "1950", "Afghanistan", "")]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "name", "birthDate", "nationality", "imoNumber"])
    for i in range(6):
        w.writerows(rows)
PY
"$EMB" batch --threads 2 --index "$BOTH" "$TMP/in.csv" > "$TMP/batch.idx" 2> "$TMP/batch.idx.err"
check "batch --index: exit 0" test $? -eq 0
"$EMB" batch --threads 2 --list "$SDN" --list "$UN" "$TMP/in.csv" > "$TMP/batch.list" 2>/dev/null
check "batch --index = --list" cmp -s "$TMP/batch.idx" "$TMP/batch.list"
check "batch --index: one line per record" test "$(wc -l < "$TMP/batch.idx")" -eq 48
json_check "batch --index: hits" "$TMP/batch.idx" 'lines[0]["results"][0]["reference"] in ("KPi.013", "19498") and lines[1]["results"][0]["reference"] == "20157" and "error" in lines[6]'
"$EMB" batch --threads 1 --index "$BUNDLED" "$TMP/in.csv" > "$TMP/batchb.idx" 2>/dev/null
"$EMB" batch --threads 1 "$TMP/in.csv" > "$TMP/batchb.list" 2>/dev/null
check "batch: bundled snapshot = bundled list" cmp -s "$TMP/batchb.idx" "$TMP/batchb.list"

# lists: same lists, counts, dates, sources
"$EMB" lists --index "$BOTH" --json > "$TMP/l.idx.json"
check "lists --index: exit 0" test $? -eq 0
"$EMB" lists --list "$SDN" --list "$UN" --json > "$TMP/l.list.json"
json_same "lists --index = --list" "$TMP/l.idx.json" "$TMP/l.list.json"
json_check "lists --index: counts" "$TMP/l.idx.json" '[(l["id"], l["entities"]) for l in doc["lists"]] == [("ofac", 14965), ("un", 1009)] and doc["lists"][0]["schemas"]["Vessel"] == 851'
"$EMB" lists --index "$BUNDLED" --json > "$TMP/lb.idx.json"
"$EMB" lists --json > "$TMP/lb.list.json"
json_same "lists: bundled snapshot = bundled list" "$TMP/lb.idx.json" "$TMP/lb.list.json"

# check and rescreen take --index too
"$EMB" index build "$UN" -o "$TMP/un.snap" 2>/dev/null
"$EMB" check --json --index "$TMP/un.snap" tests/data/check/ex06-frozen-crab.json > "$TMP/c.idx.json"
check "check --index: exit 0" test $? -eq 0
"$EMB" check --json --list "$UN" tests/data/check/ex06-frozen-crab.json > "$TMP/c.list.json"
json_same "check --index = --list" "$TMP/c.idx.json" "$TMP/c.list.json"
printf '%s\n' 'id,name' 'c1,CLAUDIA VIVIANA OLIVEROS FORERO' 'c2,Choe Chun Sik' 'c3,GEDO HAMDAN AHMED' > "$TMP/cust.csv"
"$EMB" rescreen --since "$UN_OLD" --index "$TMP/un.snap" "$TMP/cust.csv" > "$TMP/r.idx" 2>/dev/null
check "rescreen --index: exit 0" test $? -eq 0
"$EMB" rescreen --since "$UN_OLD" --list "$UN" "$TMP/cust.csv" > "$TMP/r.list" 2>/dev/null
check "rescreen --index = --list" cmp -s "$TMP/r.idx" "$TMP/r.list"
json_check "rescreen --index: only changed entries" "$TMP/r.idx" 'lines[0]["results"][0]["reference"] == "SDi.013" and lines[1]["results"] == []'

# index info: text and JSON
"$EMB" index info "$BOTH" > "$TMP/info.txt"
check "info: exit 0" test $? -eq 0
check "info: entities" grep -q "15974 entities" "$TMP/info.txt"
check "info: written by" grep -Eq "written by embargo [0-9]+\.[0-9]+\.[0-9]+" "$TMP/info.txt"
check "info: content hash" grep -Eq "content hash [0-9a-f]{16}" "$TMP/info.txt"
check "info: its lists" grep -Eq "^ +ofac .* 14965 entities" "$TMP/info.txt"
"$EMB" index info --json "$BOTH" > "$TMP/info.json"
check "info --json: exit 0" test $? -eq 0
VERSION=$("$EMB" --version | awk '{print $2}')
json_check "info --json: fields" "$TMP/info.json" 'doc["entities"] == 15974 and doc["written_by"] == "'"$VERSION"'" and len(doc["content_hash"]) == 16 and int(doc["content_hash"], 16) >= 0 and doc["bytes"] > 0 and doc["created"].endswith("Z")'
json_check "info --json: lists" "$TMP/info.json" '[(l["id"], l["entities"]) for l in doc["lists"]] == [("ofac", 14965), ("un", 1009)]'
check "info --json: bytes is the file size" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' "$TMP/info.json")" -eq "$(stat -c %s "$BOTH")"

# the content hash is stable: the same lists built twice (and rebuilt in place)
sleep 1
"$EMB" index build "$SDN" "$UN" -o "$TMP/both2.snap" 2>/dev/null
"$EMB" index info --json "$TMP/both2.snap" > "$TMP/info2.json"
cat "$TMP/info.json" "$TMP/info2.json" > "$TMP/info12.json"
json_check "content hash stable across builds" "$TMP/info12.json" 'lines[0]["content_hash"] == lines[1]["content_hash"] and lines[0]["entities"] == lines[1]["entities"]'
"$EMB" index build -o "$TMP/bundled2.snap" 2>/dev/null
"$EMB" index build -o "$TMP/bundled2.snap" 2>/dev/null
check "rebuild over an existing file: exit 0" test $? -eq 0
"$EMB" index info --json "$BUNDLED" > "$TMP/ib1.json"
"$EMB" index info --json "$TMP/bundled2.snap" >> "$TMP/ib1.json"
json_check "bundled: content hash stable" "$TMP/ib1.json" 'lines[0]["content_hash"] == lines[1]["content_hash"] and lines[0]["content_hash"] != "'"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["content_hash"])' "$TMP/info.json")"'"'

# refused: exit 1 and a message naming the file and the failed check, for
# `index info` and for a command opening it with --index
# refused DESCRIPTION FILE REGEX
refused() {
  local d=$1 f=$2 re=$3 rc
  "$EMB" index info "$f" > "$TMP/out.txt" 2> "$TMP/err.txt"; rc=$?
  if [ $rc -eq 1 ] && grep -qF "$f" "$TMP/err.txt" && grep -Eq "$re" "$TMP/err.txt" && [ ! -s "$TMP/out.txt" ]
  then ok; else fail "$d: info exit $rc: $(cat "$TMP/err.txt")"; fi
  "$EMB" screen --json "Choe Chun Sik" --index "$f" > "$TMP/out.txt" 2> "$TMP/err.txt"; rc=$?
  if [ $rc -eq 1 ] && grep -qF "$f" "$TMP/err.txt" && grep -Eq "$re" "$TMP/err.txt" && [ ! -s "$TMP/out.txt" ]
  then ok; else fail "$d: screen exit $rc: $(cat "$TMP/err.txt")"; fi
}
SIZE=$(stat -c %s "$BUNDLED")

head -c $((SIZE / 2)) "$BUNDLED" > "$TMP/half.snap"
refused "truncated to half" "$TMP/half.snap" "truncated"
head -c $((SIZE - 1)) "$BUNDLED" > "$TMP/minus1.snap"
refused "one byte short" "$TMP/minus1.snap" "truncated"
head -c 100 "$BUNDLED" > "$TMP/short.snap"
refused "shorter than a header" "$TMP/short.snap" "not an embargo index snapshot"
cp "$BUNDLED" "$TMP/longer.snap"; printf 'x' >> "$TMP/longer.snap"
refused "appended to" "$TMP/longer.snap" "appended"

# one byte flipped in the middle of the file: in the section holding the middle
# (or the next one if the middle falls in alignment padding, which no check reads)
cp "$BUNDLED" "$TMP/flip.snap"
python3 - "$TMP/flip.snap" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
nsec = struct.unpack_from("<I", b, 48)[0]          # after magic, format, endian, 4 x u64
secs = sorted(struct.unpack_from("<IIQQQ", b, 256 + 32 * i) for i in range(nsec))
mid = len(b) // 2
spans = sorted((off, off + elem * count) for _, elem, off, count, _ in secs if count)
at = next(max(mid, lo) for lo, hi in spans if hi > mid)
b[at] ^= 0x5a
open(p, "wb").write(b)
PY
refused "one byte flipped in the middle" "$TMP/flip.snap" "corrupt snapshot: section '.*' .*fails its hash"

cp "$BUNDLED" "$TMP/version.snap"
printf '\115\000\000\000' | dd of="$TMP/version.snap" bs=1 seek=8 conv=notrunc status=none
refused "format version 77" "$TMP/version.snap" "snapshot format 77; this embargo reads format [0-9]"
cp "$BUNDLED" "$TMP/version0.snap"
printf '\000\000\000\000' | dd of="$TMP/version0.snap" bs=1 seek=8 conv=notrunc status=none
refused "format version 0" "$TMP/version0.snap" "snapshot format 0"
cp "$BUNDLED" "$TMP/endian.snap"
printf '\001\002\003\004' | dd of="$TMP/endian.snap" bs=1 seek=12 conv=notrunc status=none
refused "other byte order" "$TMP/endian.snap" "byte order"
cp "$BUNDLED" "$TMP/header.snap"   # a byte of the content hash field: the header hash catches it
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[33]^=1; open(p,"wb").write(b)' "$TMP/header.snap"
refused "header byte flipped" "$TMP/header.snap" "corrupt snapshot header"
cp "$BUNDLED" "$TMP/magic.snap"
printf 'X' | dd of="$TMP/magic.snap" bs=1 seek=0 conv=notrunc status=none
refused "bad magic" "$TMP/magic.snap" "not an embargo index snapshot \(bad magic\)"
refused "the UN XML is not a snapshot" "$UN" "not an embargo index snapshot"
: > "$TMP/empty.snap"
refused "empty file" "$TMP/empty.snap" "not an embargo index snapshot \(0 bytes\)"
refused "missing file" "$TMP/nonexistent.snap" "cannot open"
mkdir "$TMP/dir.snap"
refused "a directory" "$TMP/dir.snap" "not a regular file"
check "the original still opens" "$EMB" index info "$BUNDLED" > /dev/null

# usage errors
"$EMB" screen "Choe Chun Sik" --index "$BUNDLED" --list "$UN" > /dev/null 2> "$TMP/err.txt"; rc=$?
check "screen --index with --list: exit 1 or 2 ($rc)" test $rc -eq 1 -o $rc -eq 2
check "screen --index with --list: message" grep -q "cannot be combined" "$TMP/err.txt"
for cmd in batch lists check rescreen; do
  case $cmd in
    batch) args=("$TMP/in.csv") ;;
    lists) args=() ;;
    check) args=(tests/data/check/ex06-frozen-crab.json) ;;
    rescreen) args=(--since "$UN_OLD" "$TMP/cust.csv") ;;
  esac
  "$EMB" $cmd --list "$UN" --index "$BUNDLED" "${args[@]}" > "$TMP/out.txt" 2> "$TMP/err.txt"; rc=$?
  check "$cmd --index with --list: exit 1 or 2 ($rc)" test $rc -eq 1 -o $rc -eq 2
  check "$cmd --index with --list: message, no output" sh -c "grep -q 'cannot be combined' '$TMP/err.txt' && ! test -s '$TMP/out.txt'"
done
"$EMB" screen "Choe Chun Sik" --index "$BUNDLED" --index "$BOTH" > /dev/null 2> "$TMP/err.txt"; rc=$?
check "--index twice: refused ($rc)" test $rc -eq 1 -o $rc -eq 2
"$EMB" index build "$UN" > /dev/null 2> "$TMP/err.txt"; rc=$?
check "index build without -o: exit 2 ($rc)" test $rc -eq 2
check "index build without -o: message" grep -q -- "-o FILE is required" "$TMP/err.txt"
"$EMB" index info > /dev/null 2>&1; rc=$?
check "index info without FILE: exit 2 ($rc)" test $rc -eq 2
"$EMB" index > /dev/null 2>&1; rc=$?
check "index without subcommand: exit 2 ($rc)" test $rc -eq 2
"$EMB" index frobnicate > /dev/null 2>&1; rc=$?
check "index unknown subcommand: exit 2 ($rc)" test $rc -eq 2
"$EMB" index build /nonexistent.xml -o "$TMP/x.snap" > /dev/null 2> "$TMP/err.txt"; rc=$?
check "index build of a missing list: exit 1, no file ($rc)" sh -c "test $rc -eq 1 && ! test -e '$TMP/x.snap' && grep -q nonexistent.xml '$TMP/err.txt'"
"$EMB" index build "$UN" -o "$TMP/no/such/dir/x.snap" > /dev/null 2> "$TMP/err.txt"; rc=$?
check "index build into a missing folder: exit 1 ($rc)" test $rc -eq 1
finish
