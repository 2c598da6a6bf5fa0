#!/usr/bin/env bash
# `embargo check`: the table and --json, standard input, and the exit codes
# (0 a decision was made, 2 invalid input naming the field, 1 the run failed).
. "$(dirname "$0")/lib.bash"
CASES=tests/data/check

# table: decision, citation, confidence, the unverified marker, screening evidence
"$EMB" check "$CASES/ex01-artillery-ammunition.json" > "$TMP/t1.txt" 2> "$TMP/e1.txt"
check "table exits 0" test $? -eq 0
check "table decision" grep -q "^Decision:   PROHIBITED" "$TMP/t1.txt"
check "table citation" grep -Eq "PROHIBITED +1718 para 8\(b\) +secondary" "$TMP/t1.txt"
check "table unverified marker" grep -q "paragraph number unverified" "$TMP/t1.txt"
check "table screening section" grep -q "^Screening" "$TMP/t1.txt"
check "table: nothing on stderr" test ! -s "$TMP/e1.txt"

"$EMB" check "$CASES/party-kmdtc-designated.json" > "$TMP/t2.txt"
check "table shows the screening hit" grep -q "MATCH KPe.001 KOREA MINING DEVELOPMENT TRADING CORPORATION" "$TMP/t2.txt"

# --json: the contract shape
"$EMB" check --json "$CASES/party-kmdtc-designated.json" > "$TMP/j1.json"
check "json exits 0" test $? -eq 0
json_check "json decision" "$TMP/j1.json" 'doc["decision"] == "PROHIBITED"'
json_check "json finding keys" "$TMP/j1.json" 'all(set(f) >= {"measure","resolution","paragraph","summary","trigger","confidence","conditions"} for f in doc["findings"])'
json_check "json asset freeze cited" "$TMP/j1.json" 'any(f["resolution"] == "1718" and f["paragraph"] == "8(d)" and f["confidence"] == "secondary" for f in doc["findings"])'
json_check "json screening hit" "$TMP/j1.json" 'any(h["reference"] == "KPe.001" and h["match"] for s in doc["screening"] for h in s["hits"])'
json_check "json one line" "$TMP/j1.json" 'len(lines) == 1'

"$EMB" check --json "$CASES/ex06-frozen-crab.json" > "$TMP/j2.json"
json_check "json unverified confidence shown" "$TMP/j2.json" 'doc["confidence"] == "unverified" and doc["findings"][0]["confidence_note"] == "paragraph number unverified"'

"$EMB" check --json "$CASES/ex08-wfp-food.json" > "$TMP/j3.json"
json_check "json no measure found" "$TMP/j3.json" 'doc["decision"] == "NO_MEASURE_FOUND" and not any(f["applied"] for f in doc["findings"])'

# standard input
"$EMB" check --json - < "$CASES/ex09-used-trawler.json" > "$TMP/j4.json"
check "stdin exits 0" test $? -eq 0
json_check "stdin decision" "$TMP/j4.json" 'doc["decision"] == "PROHIBITED" and any(f["measure"] == "dprk-2397-14" for f in doc["findings"])'
check "stdin table" sh -c "'$EMB' check - < '$CASES/ex03-refined-petroleum-notified.json' | grep -q PERMITTED_WITH_CONDITIONS"

# invalid input: exit 2, the message names the field
"$EMB" check "$CASES/err-hs-not-digits.json" > "$TMP/o.txt" 2> "$TMP/e.txt"
check "bad hs exit 2" test $? -eq 2
check "bad hs names the field" grep -q "goods\[1\].hs: expected a string of digits" "$TMP/e.txt"
check "bad hs: nothing on stdout" test ! -s "$TMP/o.txt"
printf '{"date": "2024-13-01"}' | "$EMB" check - > /dev/null 2> "$TMP/e.txt"
check "bad date from stdin exit 2" test $? -eq 2
check "bad date names the field" grep -q "<stdin>: date: expected a date YYYY-MM-DD" "$TMP/e.txt"
printf '{"goods": [{"hs": "2710", "colour": "red"}]}' | "$EMB" check --json - > /dev/null 2> "$TMP/e.txt"
check "unknown field exit 2" test $? -eq 2
check "unknown field named" grep -q "goods\[0\].colour: unknown field" "$TMP/e.txt"
printf '{"date": ' | "$EMB" check - > /dev/null 2>&1
check "invalid JSON exit 2" test $? -eq 2
"$EMB" check > /dev/null 2>&1
check "no file: usage, exit 2" test $? -eq 2
"$EMB" check --threshold 7 "$CASES/ex01-artillery-ammunition.json" > /dev/null 2>&1
check "bad threshold exit 2" test $? -eq 2

# the run fails: exit 1
"$EMB" check /nonexistent/case.json > /dev/null 2>&1
check "missing input exit 1" test $? -eq 1
"$EMB" check --list /nonexistent.xml "$CASES/ex01-artillery-ammunition.json" > /dev/null 2>&1
check "missing list exit 1" test $? -eq 1

# --list: screening against another snapshot (KMDTC is on the 2020 list too)
"$EMB" check --json --list data/lists/un/2020-11-30/consolidated.xml "$CASES/party-kmdtc-designated.json" > "$TMP/j5.json"
json_check "--list used" "$TMP/j5.json" 'any(h["reference"] == "KPe.001" for s in doc["screening"] for h in s["hits"])'

# help and the command list
check "help exits 0" sh -c "'$EMB' check --help | grep -q 'usage: embargo check'"
check "listed in embargo --help" sh -c "'$EMB' --help | grep -q '  check '"
finish
