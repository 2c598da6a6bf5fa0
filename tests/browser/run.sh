#!/usr/bin/env bash
# tests/browser/run.sh EMBARGO_BINARY
# Browser test of the analysts' page: installs the node dependencies when
# missing (npm ci), then runs page.test.js against the real server.
# Exit 77 (CTest: skipped) when node, npm or /usr/bin/chromium is absent.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BIN=${1:?usage: run.sh /path/to/embargo}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
CHROMIUM=${EMB_CHROMIUM:-/usr/bin/chromium}

if ! command -v node >/dev/null 2>&1; then
    echo "browser test skipped: node is not installed (Debian package nodejs)"; exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "browser test skipped: $CHROMIUM not found (Debian package chromium)"; exit 77
fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "browser test skipped: npm is not installed (Debian package npm) and node_modules is missing"; exit 77
    fi
    echo "installing node dependencies in $HERE" >&2
    if [ -f "$HERE/package-lock.json" ]; then
        (cd "$HERE" && npm ci --no-audit --no-fund >&2)
    else
        (cd "$HERE" && npm install --no-audit --no-fund >&2)
    fi
fi
export EMB_CHROMIUM="$CHROMIUM"
exec node "$HERE/page.test.js" "$BIN"
