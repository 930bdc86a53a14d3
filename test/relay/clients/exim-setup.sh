#!/usr/bin/env bash
# Exim as a real BDAT client for the relay tests, without installing it (the exim4 packages conflict
# with the postfix package the tests also drive): download the daemon package once into a cache
# folder, unpack it with dpkg -x, add its one missing library and the user it is built for.
# Idempotent: a second run finds everything in place and only prints the binary's path.
set -euo pipefail
# In a folder the unprivileged Debian-exim user can reach (exim re-executes itself as that user).
cache="${MXT_EXIM_CACHE:-${TMPDIR:-/tmp}/mxt-exim}"
bin="$cache/root/usr/sbin/exim4"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache" && chmod 755 "$cache"
  (cd "$cache" && apt-get download exim4-daemon-light >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download exim4-daemon-light >/dev/null; })
  dpkg -x "$cache"/exim4-daemon-light_*.deb "$cache/root"
fi
if ldd "$bin" | grep -q 'libidn.so.12 => not found'; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y libidn12 >/dev/null
fi
# The Debian build runs as Debian-exim and looks that user up at start.
id Debian-exim >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin Debian-exim
echo "$bin"
