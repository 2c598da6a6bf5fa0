#!/usr/bin/env bash
# scripts/gen_synth.py: a synthetic FtM list is reproducible, loads, and its names are found.
# Needs python3 only: the generator reads data/ and bench/data/pools, never ../shared.
. "$(dirname "$0")/lib.bash"
GEN=scripts/gen_synth.py

python3 "$GEN" --entities 2000 --seed 7 -o "$TMP/a.ftm.json" --queries 200 --queries-out "$TMP/a.csv" 2> "$TMP/gen.err"
check "generator exits 0" test $? -eq 0
python3 "$GEN" --entities 2000 --seed 7 -o "$TMP/b.ftm.json" --queries 200 --queries-out "$TMP/b.csv" 2>> "$TMP/gen.err"
python3 "$GEN" --entities 2000 --seed 8 -o "$TMP/c.ftm.json" 2>> "$TMP/gen.err"
digest() { sha256sum < "$1" | cut -d' ' -f1; }
check "same seed, same list" test "$(digest "$TMP/a.ftm.json")" = "$(digest "$TMP/b.ftm.json")"
check "same seed, same queries" test "$(digest "$TMP/a.csv")" = "$(digest "$TMP/b.csv")"
check "another seed, another list" test "$(digest "$TMP/a.ftm.json")" != "$(digest "$TMP/c.ftm.json")"

# the shape: unique ids, the schema mix, valid IMO numbers, the query columns
python3 - "$TMP/a.ftm.json" "$TMP/a.csv" > "$TMP/shape.txt" <<'PY'
import csv, json, re, sys
ents = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ids = [e["id"] for e in ents]
schemas = {}
for e in ents:
    schemas[e["schema"]] = schemas.get(e["schema"], 0) + 1
imo_ok = True
for e in ents:
    for v in e["properties"].get("imoNumber", []):
        d = [int(c) for c in re.sub(r"\D", "", v)]
        imo_ok &= len(d) == 7 and sum(x * w for x, w in zip(d, (7, 6, 5, 4, 3, 2))) % 10 == d[6]
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
print(len(ents) == 2000 and len(set(ids)) == 2000 and ids[0] == "synth-0000001",
      0.6 < schemas.get("Person", 0) / 2000 < 0.8, schemas.get("Vessel", 0) > 40, imo_ok,
      rows[0] == ["full_name", "first_name", "middle_name", "last_name", "gender",
                  "date_of_birth", "place_of_birth", "nationality", "expected_id"],
      len(rows) == 201, 100 < sum(1 for r in rows[1:] if r[8]) < 140)
PY
check "ids, schema mix, IMO check digits, query columns" test "$(cat "$TMP/shape.txt")" = "True True True True True True True"

# embargo loads all 2,000
"$EMB" lists --json --list "$TMP/a.ftm.json" > "$TMP/l.json"
json_check "2,000 entities loaded" "$TMP/l.json" 'doc["lists"][0]["entities"] == 2000 and doc["lists"][0]["format"] == "ftm-jsonl"'

# positives taken unchanged from a name only one entity has: found first
python3 - "$TMP/a.ftm.json" "$TMP/a.csv" > "$TMP/pos.tsv" <<'PY'
import csv, json, re, sys
key = lambda s: " ".join(sorted(re.sub(r"[\W_]+", " ", s.casefold()).split()))
names, owners = {}, {}
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    p = e["properties"]
    names[e["id"]] = p["name"] + p.get("alias", [])
    for n in p["name"] + p.get("alias", []) + p.get("weakAlias", []) + p.get("previousName", []):
        owners.setdefault(key(n), set()).add(e["id"])
n = 0
for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    q, want = r["full_name"], r["expected_id"]
    if want and q in names[want] and len(q.split()) >= 2 and owners[key(q)] == {want}:
        print(q + "\t" + want)
        n += 1
        if n == 3:
            break
PY
check "three untouched positives to try" test "$(wc -l < "$TMP/pos.tsv")" -eq 3
while IFS=$'\t' read -r name want; do
  "$EMB" screen --json --list "$TMP/a.ftm.json" "$name" > "$TMP/s.json"
  json_check "positive \"$name\" is $want, first" "$TMP/s.json" "doc['results'][0]['id'] == '$want' and doc['results'][0]['match'] is True"
done < "$TMP/pos.tsv"
finish
