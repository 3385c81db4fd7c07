#!/usr/bin/env bash
# Stop the sandbox VM and remove its run directory; with --purge, remove the cached images too.
# Idempotent: with no sandbox running it only cleans up, and exits 0. Settings: see common.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STOP_TIMEOUT=${HD_SANDBOX_STOP_TIMEOUT:-20}

main() {
  local purge=0 arg
  for arg in "$@"; do
    case "$arg" in
      --purge) purge=1 ;;
      *) sandbox_die "usage: down.sh [--purge]" ;;
    esac
  done

  local pid deadline
  if pid=$(sandbox_pid); then
    # SIGTERM makes QEMU quit as the QMP "quit" command does (the guest is throwaway: no shutdown).
    sandbox_log "stopping qemu (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        sandbox_log "qemu ignored SIGTERM for $STOP_TIMEOUT s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && sandbox_die "qemu (pid $pid) does not exit"
        break
      fi
      sleep 0.2
    done
  fi

  if [ -e "$SANDBOX_RUN" ]; then
    if [ -f "$SANDBOX_RUN/$SANDBOX_MARKER" ]; then
      rm -rf "$SANDBOX_RUN"
      sandbox_log "removed $SANDBOX_RUN"
    else
      sandbox_log "left $SANDBOX_RUN alone: it is not a sandbox run directory"
    fi
  fi

  if [ "$purge" = 1 ] && [ -e "$SANDBOX_CACHE/images" ]; then
    rm -rf --one-file-system "$SANDBOX_CACHE/images" "$SANDBOX_CACHE/build.lock"
    rmdir "$SANDBOX_CACHE" 2>/dev/null || true
    sandbox_log "purged the image cache $SANDBOX_CACHE/images"
  fi
}

main "$@"
