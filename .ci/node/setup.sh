#!/usr/bin/env bash
# Installs the pinned test-only npm packages (package-lock.json) into
# .ci/node/node_modules for the Go interoperability tests. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "node is not installed" >&2; exit 1; }
npm ci --no-audit --no-fund --ignore-scripts
node -e "import('jose').then(()=>import('canonicalize')).then(()=>console.log('node test packages ok'))"
