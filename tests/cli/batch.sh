#!/usr/bin/env bash
# The batch contract: one JSON line out per input line, in input order, bad
# lines as {"id", "error"} in their place, exit 0, summary on stderr.
. "$(dirname "$0")/lib.bash"

cat > "$TMP/in.jsonl" <<'J'
{"id": "case-17", "schema": "Person", "properties": {"name": ["Ch'oe Ch'un Sik"], "birthDate": ["1954"], "nationality": ["kp"]}}
{"id": "bad-json", "properties": {
{"id": 42, "properties": {"name": ["Korea Mining Development Trading Corporation"]}}

{"id": "no-name", "properties": {"birthDate": ["1960"]}}
{"id": "bad-schema", "schema": "Spaceship", "properties": {"name": ["Kim"]}}
{"id": "last", "properties": {"name": ["John Smith"]}}
J
"$EMB" batch "$TMP/in.jsonl" > "$TMP/out.jsonl" 2> "$TMP/err.txt"
check "batch exits 0 despite bad lines" test $? -eq 0
check "one line out per line in" test "$(wc -l < "$TMP/out.jsonl")" -eq "$(wc -l < "$TMP/in.jsonl")"
json_check "order and ids" "$TMP/out.jsonl" '[l["id"] for l in lines] == ["case-17", None, "42", None, "no-name", "bad-schema", "last"]'
json_check "contract fields" "$TMP/out.jsonl" 'set(lines[0]["results"][0]) >= {"id","list","reference","caption","schema","score","match"}'
json_check "first hit" "$TMP/out.jsonl" 'lines[0]["results"][0]["reference"] == "KPi.013" and lines[0]["results"][0]["list"] == "un" and lines[0]["results"][0]["match"] is True'
json_check "number id kept as string" "$TMP/out.jsonl" 'lines[2]["results"][0]["reference"] == "KPe.001"'
json_check "error lines carry the line number" "$TMP/out.jsonl" 'lines[1]["error"].startswith("line 2:") and lines[3]["error"].startswith("line 4:") and lines[4]["error"].startswith("line 5:") and lines[5]["error"].startswith("line 6:")'
json_check "innocent name has no match" "$TMP/out.jsonl" 'not any(r["match"] for r in lines[6]["results"])'
check "summary on stderr" grep -Eq "7 queries, 2 with a match, 4 errors" "$TMP/err.txt"

# an unreadable birth date never stops the name from being screened: a warning instead
printf '%s\n' '{"id": "w", "properties": {"name": ["Choe Chun Sik"], "birthDate": ["1968-13-30"], "nationality": ["Atlantis"]}}' > "$TMP/warn.jsonl"
"$EMB" batch "$TMP/warn.jsonl" > "$TMP/warn.out" 2>/dev/null
json_check "screened despite bad fields" "$TMP/warn.out" 'doc["results"][0]["reference"] == "KPi.013" and len(doc["warnings"]) == 2 and "1968-13-30" in doc["warnings"][0]'

# --threshold 0 --limit 10: the top ten whatever their score
"$EMB" batch --threshold 0 --limit 10 "$TMP/in.jsonl" > "$TMP/o10.jsonl" 2>/dev/null
json_check "limit 10" "$TMP/o10.jsonl" 'len(lines[0]["results"]) == 10 and all(r["match"] for r in lines[0]["results"])'

# CSV with a header, quoted fields, and threads: order is preserved
python3 - "$TMP/in.csv" <<'PY'
import csv, sys
names = ["Choe Chun Sik", "Korea Mining Development Trading Corporation", "Jalaluddin Haqqani", "John Smith"]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "name", "birthDate", "nationality"])
    for i in range(2000):
        w.writerow([f"r{i}", names[i % 4], "", ""])
    w.writerow(["r-empty", "", "", ""])
PY
"$EMB" batch --threads 2 "$TMP/in.csv" > "$TMP/csv.jsonl" 2>/dev/null
check "csv: one line per record" test "$(wc -l < "$TMP/csv.jsonl")" -eq 2001
json_check "csv: order kept across threads" "$TMP/csv.jsonl" '[l["id"] for l in lines[:2000]] == [f"r{i}" for i in range(2000)]'
json_check "csv: hits" "$TMP/csv.jsonl" 'lines[0]["results"][0]["reference"] == "KPi.013" and lines[1]["results"][0]["reference"] == "KPe.001"'
json_check "csv: empty name is an error with its line" "$TMP/csv.jsonl" '"error" in lines[2000] and lines[2000]["error"].startswith("line 2002:")'

# single thread gives identical output
"$EMB" batch --threads 1 "$TMP/in.csv" > "$TMP/csv1.jsonl" 2>/dev/null
check "threads 1 and 2 agree" cmp -s "$TMP/csv.jsonl" "$TMP/csv1.jsonl"

# filters
"$EMB" batch --regime Taliban --threshold 0 --limit 3 "$TMP/in.jsonl" > "$TMP/rf.jsonl" 2>/dev/null
json_check "batch regime filter" "$TMP/rf.jsonl" 'all(r["regime"] == "Taliban" for l in lines for r in l.get("results", []))'

# stdin and failures of the run itself
check "stdin input" sh -c "printf '{\"id\":\"s\",\"properties\":{\"name\":[\"Choe Chun Sik\"]}}\n' | '$EMB' batch - 2>/dev/null | grep -q KPi.013"
"$EMB" batch /nonexistent.jsonl > /dev/null 2>&1; check "missing input exit 1" test $? -eq 1
"$EMB" batch --list /nonexistent.xml "$TMP/in.jsonl" > /dev/null 2>&1; check "missing list exit 1" test $? -eq 1
finish
