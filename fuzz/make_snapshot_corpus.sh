#!/usr/bin/env bash
# fuzz/make_snapshot_corpus.sh - rebuild fuzz/corpus/snapshot/ with the
# current build (a snapshot carries the fingerprint of the build that wrote
# it, so the corpus goes stale when the index format or revision changes).
# Usage: fuzz/make_snapshot_corpus.sh [path/to/embargo]   (default build/embargo)
set -euo pipefail
cd "$(dirname "$0")/.."
EMB=${1:-build/embargo}
C=fuzz/corpus/snapshot
rm -f "$C"/real_* "$C"/broken_*
"$EMB" index build tests/data/lists/eu/eu_fsf.xml -o "$C/real_eu" 2>/dev/null
"$EMB" index build tests/data/lists/uk/uk_conlist.csv -o "$C/real_uk" 2>/dev/null
"$EMB" index build tests/data/lists/eu/eu_fsf.xml tests/data/lists/uk/uk_conlist.csv -o "$C/real_eu_uk" 2>/dev/null
"$EMB" index build data/lists/opensanctions/entities.ftm.json -o "$C/real_ftm" 2>/dev/null
python3 - "$C" <<'PY'
import struct, sys
c = sys.argv[1]
b = bytearray(open(f"{c}/real_eu", "rb").read())
def put(name, data):
    open(f"{c}/broken_{name}", "wb").write(data)
put("appended", b + b"\0")
put("one_byte_short", b[:-1])
put("truncated_half", b[: len(b) // 2])
put("truncated_header", b[:200])
put("truncated_table", b[:784])
put("empty", b"")
for name, off, val in (("magic", 0, b"EMBSNAQ\0"), ("version_77", 8, struct.pack("<I", 77)),
                       ("byte_order", 12, struct.pack("<I", 0x04030201)),
                       ("header_content_hash", 32, b"\xff"), ("header_fingerprint", 24, b"\xff"),
                       ("header_nsections", 48, struct.pack("<I", 999)),
                       ("table_offset", 256 + 8, struct.pack("<Q", 7))):
    x = bytearray(b); x[off:off + len(val)] = val; put(name, x)
nsec = struct.unpack_from("<I", b, 48)[0]
for i in range(nsec):
    sid, elem, off, count, h = struct.unpack_from("<IIQQQ", b, 256 + 32 * i)
    if count:
        x = bytearray(b); x[off + (count * elem) // 2] ^= 0x5A; put(f"section_{sid:02d}_mid", x)
PY
ls "$C" | wc -l
