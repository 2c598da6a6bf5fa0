#!/usr/bin/env bash
# `embargo diff`: the two UN snapshots (2026-01-28 -> 2026-05-08), the JSON
# contract (old, new, added, removed, changed) and counts checked against an
# independent count of REFERENCE_NUMBER sets made here with python.
. "$(dirname "$0")/lib.bash"

OLD=data/lists/un/2026-01-28/un.xml
NEW=data/lists/un/un_sanctions.xml

"$EMB" diff --json "$OLD" "$NEW" > "$TMP/d.json" 2> "$TMP/err.txt"
check "diff --json exits 0" test $? -eq 0
json_check "top-level keys" "$TMP/d.json" 'set(doc) >= {"old","new","added","removed","changed"}'
json_check "list info" "$TMP/d.json" 'doc["old"]["date"].startswith("2026-01-28") and doc["new"]["date"].startswith("2026-05-08") and doc["new"]["entities"] == 1009'

# independent count: reference sets straight from the XML
python3 - "$OLD" "$NEW" > "$TMP/refs.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
def refs(p):
    return {e.text.strip() for e in ET.parse(p).getroot().iter("REFERENCE_NUMBER")}
o, n = refs(sys.argv[1]), refs(sys.argv[2])
print(json.dumps({"added": sorted(n - o), "removed": sorted(o - n), "common": len(o & n)}))
PY
cp "$TMP/d.json" "$TMP/both.jsonl"; cat "$TMP/refs.json" >> "$TMP/both.jsonl"
json_check "added = independent count (11: 8 Sudan, 3 Al-Qaida)" "$TMP/both.jsonl" 'sorted(e["reference"] for e in doc["added"]) == lines[1]["added"] and len(doc["added"]) == 11 and sum(e["regime"] == "Sudan" for e in doc["added"]) == 8 and sum(e["regime"] == "Al-Qaida" for e in doc["added"]) == 3'
json_check "removed = independent count (QDe.137)" "$TMP/both.jsonl" '[e["reference"] for e in doc["removed"]] == lines[1]["removed"] == ["QDe.137"]'
json_check "changed: about 137 amended, all common references" "$TMP/both.jsonl" '130 <= len(doc["changed"]) <= 137 and len(doc["changed"]) <= lines[1]["common"]'
json_check "changed entry shape" "$TMP/d.json" 'all(set(c) >= {"reference","caption","fields","old","new"} and c["fields"] and c["old"]["reference"] == c["new"]["reference"] == c["reference"] for c in doc["changed"])'
json_check "field vocabulary" "$TMP/d.json" 'set(f for c in doc["changed"] for f in c["fields"]) <= {"names","aliases","birth_dates","identifiers","nationalities","regime","programs","listed_on","remarks","addresses","birth_places","designations","titles","gender"}'
json_check "entry rendering" "$TMP/d.json" 'set(doc["added"][0]) >= {"id","list","reference","caption","schema","regime","names","birth_dates","identifiers","nationalities","listed_on"} and doc["added"][0]["names"][0]["kind"] == "primary"'

# the table: counts line, then one line per entry
"$EMB" diff "$OLD" "$NEW" > "$TMP/d.txt"
check "table exits 0" test $? -eq 0
check "table counts" grep -Eq '^11 added, 1 removed, [0-9]+ changed' "$TMP/d.txt"
check "table added line" grep -Eq '^added +SDi\.013 +CLAUDIA VIVIANA OLIVEROS FORERO' "$TMP/d.txt"
check "table removed line" grep -Eq '^removed +QDe\.137 ' "$TMP/d.txt"
check "table changed lines carry fields" test "$(grep -Ec '^changed +[A-Z]{2}[ie]\.[0-9]{3} .*(names|aliases|remarks|designations|addresses|identifiers|birth_dates)' "$TMP/d.txt")" -eq "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["changed"]))' "$TMP/d.json")"

# a list against itself; a renamed entry is a change, not removed + added
"$EMB" diff --json "$NEW" "$NEW" > "$TMP/same.json"
json_check "identical lists: empty diff" "$TMP/same.json" 'doc["added"] == doc["removed"] == doc["changed"] == []'
sed 's#<FIRST_NAME>CLAUDIA </FIRST_NAME>#<FIRST_NAME>KLAUDIA </FIRST_NAME>#' "$NEW" > "$TMP/renamed.xml"
check "fixture renamed" grep -q KLAUDIA "$TMP/renamed.xml"
"$EMB" diff --json "$NEW" "$TMP/renamed.xml" > "$TMP/ren.json"
json_check "renamed entry is changed (names)" "$TMP/ren.json" 'doc["added"] == doc["removed"] == [] and [(c["reference"], c["fields"]) for c in doc["changed"]] == [("SDi.013", ["names"])]'

# usage errors and failures
"$EMB" diff "$OLD" > /dev/null 2>&1; check "one file: exit 2" test $? -eq 2
"$EMB" diff "$OLD" /nonexistent.xml > /dev/null 2>&1; check "missing file: exit 1" test $? -eq 1
finish
