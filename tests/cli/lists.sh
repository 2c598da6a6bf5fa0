#!/usr/bin/env bash
# Several lists at once, vessels by name and IMO, and `embargo lists` counts.
. "$(dirname "$0")/lib.bash"
SDN=data/lists/ofac/sdn_2024-05-03/sdn.csv
UN=data/lists/un/un_sanctions.xml

# KIM, Jong Un is on the OFAC SDN list (20157), not on the UN list
"$EMB" screen --json "Kim Jong Un" --list "$SDN" --list "$UN" > "$TMP/k.json"
json_check "Kim Jong Un is SDN 20157" "$TMP/k.json" 'doc["results"][0]["reference"] == "20157" and doc["results"][0]["list"] == "ofac" and doc["results"][0]["match"] is True'
json_check "both lists loaded with their dates" "$TMP/k.json" '[l["id"] for l in doc["lists"]] == ["ofac", "un"] and doc["lists"][1]["date"].startswith("2026-05-08")'
"$EMB" screen --json --list-id un "Kim Jong Un" --list "$SDN" --list "$UN" > "$TMP/k2.json"
json_check "list filter: not on the UN list" "$TMP/k2.json" 'not any(r["match"] for r in doc["results"])'

# vessels: by name with an M/V prefix, by a former name, by IMO alone (renamed ship)
"$EMB" screen --json --schema Vessel "M/V EBANO" --list "$SDN" > "$TMP/v1.json"
json_check "vessel by name" "$TMP/v1.json" 'doc["results"][0]["reference"] == "4243" and doc["results"][0]["score"] == 1.0'
"$EMB" screen --json --schema Vessel "SAND SWAN" --list "$SDN" > "$TMP/v2.json"
json_check "vessel by former name" "$TMP/v2.json" 'doc["results"][0]["reference"] == "4243" and doc["results"][0]["matched_name_kind"] == "former_name"'
"$EMB" screen --json --schema Vessel "Some Renamed Ship" --id "IMO 7406784" --list "$SDN" > "$TMP/v3.json"
json_check "IMO alone is decisive" "$TMP/v3.json" 'doc["results"][0]["reference"] == "4243" and doc["results"][0]["match"] is True'

# an IMO whose check digit fails is kept but never decisive
printf '%s\r\n' '9001,"NEW VENTURE","vessel","DPRK3",-0- ,"HMZZ","Crude Oil Tanker","1000","900","Korea, North",-0- ,"Vessel Registration Identification IMO 1234568."' \
                '9002,"OTHER SHIP","vessel","DPRK3",-0- ,-0- ,"Cargo","1000","900","Panama",-0- ,"Vessel Registration Identification IMO 9074729."' > "$TMP/sdn.csv"
"$EMB" screen --json --schema Vessel "Unrelated Name" --id 1234568 --list "$TMP/sdn.csv" > "$TMP/v4.json"
json_check "invalid IMO not decisive" "$TMP/v4.json" 'all(not r["match"] for r in doc["results"])'
"$EMB" screen --json --schema Vessel "Unrelated Name" --id "IMO: 9074729" --list "$TMP/sdn.csv" > "$TMP/v5.json"
json_check "valid IMO decisive" "$TMP/v5.json" 'doc["results"][0]["reference"] == "9002" and doc["results"][0]["match"] is True'

# lists: counts per list
"$EMB" lists --json --list "$SDN" --list "$UN" > "$TMP/l.json"
json_check "SDN counts" "$TMP/l.json" 'doc["lists"][0]["entities"] == 14965 and doc["lists"][0]["schemas"] == {"Person": 6854, "Organization": 6884, "Vessel": 851, "Airplane": 376}'
json_check "UN counts" "$TMP/l.json" 'doc["lists"][1]["entities"] == 1009'
finish
