#!/usr/bin/env bash
# Installs headless Chromium (Debian package "chromium") for the badge and
# page rendering tests of package certificate. Needs root (or sudo) on a
# Debian/Ubuntu image; does nothing when a Chromium is already on PATH.
set -euo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null; then echo "chromium present: $(command -v "$b")"; exit 0; fi
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
chromium --version
