#!/usr/bin/env bash
# `embargo screen`, `lists`, --help and --version as a user runs them.
. "$(dirname "$0")/lib.bash"

# the README example: the bundled list, a readable table
"$EMB" screen "Choe Chun Sik" > "$TMP/t.txt" 2> "$TMP/e.txt"
check "screen exits 0" test $? -eq 0
check "table names KPi.013" grep -q "KPi.013" "$TMP/t.txt"
check "table names the regime" grep -q "DPRK" "$TMP/t.txt"
check "table shows the list date" grep -q "generated 2026-05-08" "$TMP/t.txt"
check "table shows the matched name" grep -q "CHOE CHUN-SIK (primary)" "$TMP/t.txt"
check "table gives a reason" grep -q "why: primary name matches exactly" "$TMP/t.txt"

# words of the name need no quotes
"$EMB" screen Choe Chun Sik > "$TMP/t2.txt"
check "unquoted words form one name" grep -q "KPi.013" "$TMP/t2.txt"

# JSON
"$EMB" screen --json "Ch'oe Ch'un-sik" --dob 1954 --country kp > "$TMP/j.json"
json_check "json top result" "$TMP/j.json" 'doc["results"][0]["reference"] == "KPi.013" and doc["results"][0]["match"] is True'
json_check "json list date" "$TMP/j.json" 'doc["lists"][0]["date"] == "2026-05-08T23:00:06.922Z"'
json_check "json evidence" "$TMP/j.json" '{e["field"]: e["outcome"] for e in doc["results"][0]["explanation"]["evidence"]} == {"birth_date": "agree", "country": "agree"}'
json_check "json alignment" "$TMP/j.json" 'all(a["kind"] in ("exact","variant","fuzzy","initial","missing","extra") for a in doc["results"][0]["explanation"]["alignment"])'

# schema filter and limit
"$EMB" screen --json --schema Organization --threshold 0 --limit 3 "Korea Mining" > "$TMP/o.json"
json_check "schema filter" "$TMP/o.json" 'len(doc["results"]) == 3 and all(r["schema"] == "Organization" for r in doc["results"])'

# filters by list, regime, programme
"$EMB" screen --json --regime Taliban --threshold 0 --limit 5 "Mohammed Omar" > "$TMP/f.json"
json_check "regime filter" "$TMP/f.json" 'len(doc["results"]) > 0 and all(r["regime"] == "Taliban" for r in doc["results"])'
"$EMB" screen --json --list-id nosuchlist "Choe Chun Sik" > "$TMP/f2.json"
json_check "list filter" "$TMP/f2.json" 'doc["results"] == []'
"$EMB" screen --json --program UN-SC1718 --threshold 0 --limit 3 "Kim" > "$TMP/f3.json"
json_check "programme filter" "$TMP/f3.json" 'len(doc["results"]) == 3 and all(r["program"] == "UN-SC1718" for r in doc["results"])'

# options and errors
check "--version" sh -c "'$EMB' --version | grep -q '^embargo [0-9]'"
for c in screen batch lists; do
  check "$c --help" sh -c "'$EMB' $c --help | grep -q 'usage: embargo $c'"
done
"$EMB" screen > /dev/null 2>&1; check "missing NAME is a usage error" test $? -eq 2
"$EMB" screen --threshold 2 Kim > /dev/null 2> "$TMP/e.txt"; check "bad threshold exit 2" test $? -eq 2
check "bad threshold message names the option" grep -q -- "--threshold" "$TMP/e.txt"
"$EMB" screen --dob 31/12/1960 Kim > /dev/null 2> "$TMP/e.txt"; check "bad dob exit 2" test $? -eq 2
check "bad dob message names the value" grep -q "31/12/1960" "$TMP/e.txt"
"$EMB" screen --list /nonexistent.xml Kim > /dev/null 2> "$TMP/e.txt"; check "missing list exit 1" test $? -eq 1
check "missing list named" grep -q "/nonexistent.xml" "$TMP/e.txt"
head -c 500000 data/lists/un/un_sanctions.xml > "$TMP/trunc.xml"
"$EMB" screen --list "$TMP/trunc.xml" Kim > "$TMP/o.txt" 2> "$TMP/e.txt"; check "truncated list refused" test $? -eq 1
check "truncated list: file and line named" grep -Eq "trunc.xml:[0-9]+" "$TMP/e.txt"
check "truncated list: no results printed" test ! -s "$TMP/o.txt"

# lists
"$EMB" lists --json > "$TMP/l.json"
json_check "lists counts" "$TMP/l.json" 'doc["lists"][0]["schemas"] == {"Person": 737, "Organization": 272} and doc["lists"][0]["regimes"]["DPRK"] == {"Person": 80, "Organization": 75}'
"$EMB" lists --list data/lists/un/2020-11-30/consolidated.xml > "$TMP/l.txt"
check "lists table: old snapshot" grep -q "2020-11-30" "$TMP/l.txt"
check "lists table: total" grep -q "entries: 1018" "$TMP/l.txt"
finish
