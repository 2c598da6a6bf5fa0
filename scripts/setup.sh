#!/usr/bin/env bash
# Installs the Debian 12 packages embargo needs (the one package list), then
# configures and builds it in ./build. Run as root on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake pkg-config
          libicu-dev libxml2-dev libcjson-dev libcmocka-dev
          clang-14 libfuzzer-14-dev libclang-rt-14-dev valgrind python3
          libmicrohttpd-dev chromium)
# node and npm drive the browser test (playwright-core); a machine that has a
# node of its own (with its npm) keeps it, since Debian's npm conflicts with it
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
