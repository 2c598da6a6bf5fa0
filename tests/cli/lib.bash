# Helpers for the CLI tests: sourced, not run. $EMB is the binary under test.
set -u
EMB=${1:?usage: test.sh PATH-TO-embargo}
FAILS=0
PASSES=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok()   { PASSES=$((PASSES + 1)); }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*" >&2; }
# check DESCRIPTION COMMAND...: passes when the command exits 0
check() { local d=$1; shift; if "$@"; then ok; else fail "$d"; fi; }
# json_check DESCRIPTION FILE PYTHON-EXPR: evaluates EXPR with `lines` (parsed JSON lines)
# and `doc` (the first one) bound; passes when it is true.
json_check() {
  local d=$1 f=$2 expr=$3
  if python3 - "$f" "$expr" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
doc = lines[0] if lines else None
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
  then ok; else fail "$d ($expr)"; fi
}
finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
