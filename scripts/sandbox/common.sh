#!/usr/bin/env bash
# Shared by up.sh, down.sh and ssh.sh (sourced; build.sh does not use it, since build.sh alone is
# the image recipe whose hash names the image). Settings, all optional:
#   HD_SANDBOX_CACHE         cache root (default ~/.cache/hardened-docker/sandbox)
#   HD_SANDBOX_RUN           run directory of the running sandbox (default <cache>/run)
#   HD_SANDBOX_SSH_PORT      host port forwarded to the guest's SSH (default 2222)
#   HD_SANDBOX_FORWARDS      guest ports forwarded from 127.0.0.1 (default "8080 9898 2375 9999")
#   HD_SANDBOX_FORWARD_BASE  host port = base + guest port (default 10000)
#   HD_SANDBOX_BOOT_TIMEOUT  seconds up.sh waits for SSH (default 300)
#   HD_SANDBOX_ACCEL         kvm or tcg (default kvm when /dev/kvm is usable, else tcg)
#   HD_SANDBOX_MEMORY        guest memory in MiB (default 2048)
#   HD_SANDBOX_CPUS          guest CPUs (default 2)
# shellcheck disable=SC2034 # the variables here are used by the scripts that source this file

SANDBOX_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SANDBOX_CACHE=${HD_SANDBOX_CACHE:-$HOME/.cache/hardened-docker/sandbox}
SANDBOX_RUN=${HD_SANDBOX_RUN:-$SANDBOX_CACHE/run}
# Absolute, as up.sh hands it to QEMU (sandbox_pid matches QEMU's command line against it).
if [ -d "$SANDBOX_RUN" ]; then SANDBOX_RUN=$(cd "$SANDBOX_RUN" && pwd); fi
# up.sh puts this file in the run directory; down.sh deletes only a directory that has it.
SANDBOX_MARKER=.hd-sandbox-run
SANDBOX_USER="admin"
SANDBOX_PASSWORD=sandbox-only-password
SANDBOX_HOST=127.0.0.1

sandbox_log() { printf 'sandbox: %s\n' "$*" >&2; }
sandbox_die() {
  sandbox_log "error: $*"
  exit 1
}

# sandbox_pid: prints the PID of this run directory's QEMU if it is alive, else fails. A PID that
# was reused by another process does not count: QEMU's command line names our pidfile.
sandbox_pid() {
  local file=$SANDBOX_RUN/qemu.pid pid
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qF "$file" || return 1
  fi
  printf '%s\n' "$pid"
}

# sandbox_ssh_args KEY KNOWN_HOSTS PORT: the ssh options every script uses (no user config, the
# pinned host key only, never a password prompt).
sandbox_ssh_args() {
  printf '%s\n' -F /dev/null -i "$1" -p "$3" \
    -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$2" -o GlobalKnownHostsFile=/dev/null \
    -o HostKeyAlgorithms=ssh-ed25519 -o LogLevel=ERROR -o ConnectTimeout=10
}
