#!/usr/bin/env bash
# Build the tiny registry-free test image hardened-docker-test/busybox:1:
# a static busybox with applet symlinks and a non-root user app (10001:10001),
# imported from a tarball with `docker import`. Needs a running engine
# (scripts/ci/docker-engine.sh).
#
# Idempotent: if the image exists it is not rebuilt; its id is printed.
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
IMAGE="${IMAGE:-hardened-docker-test/busybox:1}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
APPLETS=(sh ash sleep cat id wget nc ls ps echo env true false kill mkdir rm
  touch grep head tail wc seq hostname whoami sed awk test)

log() { printf '[test-image] %s\n' "$*" >&2; }

if ! "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  log "no Docker engine answers; run scripts/ci/docker-engine.sh first"
  exit 1
fi

if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE already present"
else
  if [ ! -x "$BUSYBOX" ] || ! "$BUSYBOX" --list >/dev/null 2>&1; then
    log "installing busybox-static"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq busybox-static >/dev/null
  fi

  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/app"
  chmod 1777 "$rootfs/tmp"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in "${APPLETS[@]}"; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  printf '%s\n' \
    'root:x:0:0:root:/root:/bin/sh' \
    'app:x:10001:10001:app:/home/app:/bin/sh' >"$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:10001:' >"$rootfs/etc/group"
  chown 10001:10001 "$rootfs/home/app"

  log "importing $IMAGE"
  tar -C "$rootfs" --sort=name --numeric-owner --mtime='@0' -c . |
    "$DOCKER" import \
      --change 'USER 10001:10001' \
      --change 'CMD ["/bin/sh"]' \
      - "$IMAGE" >/dev/null
fi

"$DOCKER" image inspect -f '{{.Id}}' "$IMAGE"
