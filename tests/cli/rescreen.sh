#!/usr/bin/env bash
# `embargo rescreen --since OLD --list NEW INPUT`: screens only against the
# entries added or changed since OLD, in batch's output format (one JSON
# line per record, in order, errors in place), summary on stderr.
. "$(dirname "$0")/lib.bash"

OLD=data/lists/un/2026-01-28/un.xml
NEW=data/lists/un/un_sanctions.xml

cat > "$TMP/cust.csv" <<'C'
id,name,birthDate,nationality
c-added,Claudia Viviana Oliveros Forero,,
c-unchanged,Choe Chun Sik,1954,kp
c-innocent,John Smith,,
c-changed,Abdul Ghani Baradar,,
c-empty,,,
c-added2,Gedo Hamdan Ahmed,,
C
"$EMB" rescreen --since "$OLD" --list "$NEW" "$TMP/cust.csv" > "$TMP/out.jsonl" 2> "$TMP/err.txt"
check "rescreen exits 0" test $? -eq 0
check "one line out per record" test "$(wc -l < "$TMP/out.jsonl")" -eq 6
json_check "order kept" "$TMP/out.jsonl" '[l["id"] for l in lines] == ["c-added", "c-unchanged", "c-innocent", "c-changed", "c-empty", "c-added2"]'
json_check "added entry hits (SDi.013)" "$TMP/out.jsonl" 'lines[0]["results"][0]["reference"] == "SDi.013" and lines[0]["results"][0]["match"] is True'
json_check "unchanged entry does not (KPi.013 not screened)" "$TMP/out.jsonl" 'all(r["reference"] != "KPi.013" for r in lines[1]["results"]) and not any(r["match"] for r in lines[1]["results"])'
json_check "innocent name: no match" "$TMP/out.jsonl" 'not any(r["match"] for r in lines[2]["results"])'
json_check "changed entry hits (TAi.024)" "$TMP/out.jsonl" 'lines[3]["results"][0]["reference"] == "TAi.024" and lines[3]["results"][0]["match"] is True'
json_check "bad record: error in place" "$TMP/out.jsonl" 'lines[4]["error"].startswith("line 6:")'
json_check "second added entry (SDi.007)" "$TMP/out.jsonl" 'lines[5]["results"][0]["reference"] == "SDi.007"'
json_check "batch's result fields" "$TMP/out.jsonl" 'set(lines[0]["results"][0]) >= {"id","list","reference","caption","schema","score","match","regime","matched_name","reason"}'
json_check "only added/changed entries in any result" "$TMP/out.jsonl" 'all(r["reference"].startswith(("SD", "QD", "TA", "KP", "IR", "IQ", "CD", "LY", "SO", "CF", "GB", "YE", "HT", "SS")) for l in lines for r in l.get("results", []))'
check "summary names the diff" grep -Eq 'embargo rescreen: 6 queries, 3 with a match, 1 errors, .*11 added, [0-9]+ changed' "$TMP/err.txt"

# batch on the same file hits the unchanged entry too: rescreen is the narrower run
"$EMB" batch --list "$NEW" "$TMP/cust.csv" > "$TMP/batch.jsonl" 2>/dev/null
json_check "batch finds the unchanged entry" "$TMP/batch.jsonl" 'lines[1]["results"][0]["reference"] == "KPi.013"'

# every result rescreen reports is an added or changed entry of the diff
"$EMB" rescreen --since "$OLD" --list "$NEW" --threshold 0 --limit 20 --threads 1 "$TMP/cust.csv" > "$TMP/all.jsonl" 2>/dev/null
"$EMB" diff --json "$OLD" "$NEW" > "$TMP/d.json"
python3 - "$TMP/all.jsonl" "$TMP/d.json" > "$TMP/subset.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
allowed = {e["id"] for e in d["added"]} | {c["new"]["id"] for c in d["changed"]}
ids = {r["id"] for l in open(sys.argv[1]) for r in json.loads(l).get("results", [])}
print("ok" if ids and ids <= allowed else "bad %r" % sorted(ids - allowed))
PY
check "results restricted to added+changed" grep -qx ok "$TMP/subset.txt"

# nothing changed: no results at all (an empty filter must not mean "everything")
"$EMB" rescreen --since "$NEW" --list "$NEW" "$TMP/cust.csv" > "$TMP/none.jsonl" 2> "$TMP/none.err"
json_check "no change, no results" "$TMP/none.jsonl" 'len(lines) == 6 and all(l.get("results", []) == [] for l in lines if "error" not in l)'
check "no change summary" grep -q '0 added, 0 changed' "$TMP/none.err"

# JSON lines input works the same
printf '%s\n' '{"id": "j1", "properties": {"name": ["Mateo Andres Duque Botero"]}}' '{"id": "j2", "properties": {"name": ["Choe Chun Sik"]}}' > "$TMP/in.jsonl"
"$EMB" rescreen --since "$OLD" --list "$NEW" "$TMP/in.jsonl" > "$TMP/j.jsonl" 2>/dev/null
json_check "jsonl input" "$TMP/j.jsonl" 'lines[0]["results"][0]["reference"] == "SDi.014" and lines[1]["results"] == []'

# usage errors and failures
"$EMB" rescreen --list "$NEW" "$TMP/cust.csv" > /dev/null 2>&1; check "no --since: exit 2" test $? -eq 2
"$EMB" rescreen --since "$OLD" --list "$NEW" /nonexistent.csv > /dev/null 2>&1; check "missing input: exit 1" test $? -eq 1
"$EMB" rescreen --since /nonexistent.xml --list "$NEW" "$TMP/cust.csv" > /dev/null 2>&1; check "missing OLD: exit 1" test $? -eq 1
finish
