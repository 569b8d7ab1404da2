#!/usr/bin/env bash
# Installs the real components the interoperability and rendering tests use,
# from the package registries (Debian, npm). Called by .ci/run when CI=true.
#   - Node.js + the pinned npm packages in .ci/node (jose, canonicalize)
#   - Debian's headless Chromium (badge and page rendering test)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node/npm not found: installing Debian's nodejs and npm"
  apt_install nodejs npm
fi
echo "node $(node --version), npm $(npm --version)"
bash .ci/node/setup.sh

bash .ci/chromium.sh
