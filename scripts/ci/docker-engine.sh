#!/usr/bin/env bash
# Start a real Docker engine from Debian's packages (docker.io 20.10) on a
# machine without systemd, and leave it running in the background.
#
# Idempotent: packages already installed are not reinstalled, and a daemon
# that already answers is left alone, so a second run is a no-op.
#
# Environment:
#   DOCKER          client to use (default /usr/bin/docker, Debian's client
#                   that matches the daemon; /usr/local/bin/docker v28 also
#                   works through API version negotiation down to 1.41)
#   DOCKERD_LOG     daemon log file (default /tmp/dockerd.log)
#   DOCKERD_TIMEOUT seconds to wait for the daemon to answer (default 60)
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
DOCKERD_TIMEOUT="${DOCKERD_TIMEOUT:-60}"
PACKAGES=(docker.io busybox-static)

log() { printf '[docker-engine] %s\n' "$*" >&2; }

is_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

daemon_answers() {
  "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Recommends are kept on purpose: they bring apparmor, cgroupfs-mount,
  # xz-utils and git, as a normal docker.io install would.
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "packages already installed: ${PACKAGES[*]}"
fi

if daemon_answers; then
  log "dockerd already answering"
else
  if pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd process exists but does not answer yet; waiting for it"
  else
    log "starting dockerd (log: $DOCKERD_LOG)"
    # Default flags work here: overlay2 on ext4, cgroupfs driver on cgroup v1,
    # iptables (nf_tables backend) for the default bridge. setsid detaches it
    # from this script's process group so it outlives the caller.
    setsid /usr/sbin/dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  start_ms=$(($(date +%s%N) / 1000000))
  deadline_ms=$((start_ms + DOCKERD_TIMEOUT * 1000))
  until daemon_answers; do
    if [ "$(($(date +%s%N) / 1000000))" -ge "$deadline_ms" ]; then
      log "dockerd did not answer within ${DOCKERD_TIMEOUT}s; last log lines:"
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  log "dockerd answering after $(($(date +%s%N) / 1000000 - start_ms)) ms"
fi

"$DOCKER" version --format 'engine {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}} (API {{.Client.APIVersion}})'
