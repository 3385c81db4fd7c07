#!/usr/bin/env bash
# Start the sandbox VM (a disposable Debian 12 guest, a TEST TARGET ONLY: see build.sh), building
# its image first if needed, and wait until SSH answers. Each start is clean: the root disk is a
# fresh overlay over the cached image, and /dev/vdb a fresh blank 12 GiB disk (above the data volume's 10 GiB floor; no filesystem: the
# project's data-volume step formats it). Writes <run>/sandbox.json (printed as the last line of
# stdout) and <run>/sandbox.env (for ssh.sh). Stop it with down.sh. Settings: see common.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SSH_PORT=${HD_SANDBOX_SSH_PORT:-2222}
FORWARDS=${HD_SANDBOX_FORWARDS:-8080 9898 2375 9999}
FORWARD_BASE=${HD_SANDBOX_FORWARD_BASE:-10000}
BOOT_TIMEOUT=${HD_SANDBOX_BOOT_TIMEOUT:-300}
MEMORY=${HD_SANDBOX_MEMORY:-2048}
CPUS=${HD_SANDBOX_CPUS:-2}
DATA_SIZE=12G
DATA_DEVICE=/dev/vdb
GUEST_ADDRESS=10.0.2.15 # QEMU user networking: the guest's DHCP lease
CLIENT_ADDRESS=10.0.2.2 # ... and the address the host's connections arrive from
CMDLINE="root=/dev/vda rw console=ttyS0 apparmor=1 security=apparmor"

is_port() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

# json_string VALUE: VALUE as a JSON string.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# start_qemu ACCEL IMAGE RUN HOSTFWD: start the VM in the background (QEMU daemonizes once set up).
# QEMU must not inherit fd 3 (up.sh's real stdout): a caller reading up.sh's output through a pipe
# would never see it close while the VM runs.
# cache=unsafe: the disks are throwaway, and a guest reset (QMP system_reset) loses nothing since
# QEMU keeps running; only a crash of the host itself would.
start_qemu() {
  local accel=$1 image=$2 run=$3 hostfwd=$4
  rm -f "$run/qemu.pid" "$run/qmp.sock"
  qemu-system-x86_64 \
    -name hd-sandbox -machine q35 -accel "$accel" -cpu max -m "$MEMORY" -smp "$CPUS" \
    -nodefaults -no-user-config -display none -vga none \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$CMDLINE" \
    -drive "file=$run/root.qcow2,if=virtio,format=qcow2,cache=unsafe,discard=unmap" \
    -drive "file=$run/data.qcow2,if=virtio,format=qcow2,cache=unsafe,discard=unmap" \
    -netdev "user,id=net0,hostname=hd-sandbox,hostfwd=tcp:$SANDBOX_HOST:$SSH_PORT-:22$hostfwd" \
    -device virtio-net-pci,netdev=net0,romfile= \
    -device virtio-rng-pci \
    -serial "file:$run/console.log" \
    -qmp "unix:$run/qmp.sock,server=on,wait=off" \
    -pidfile "$run/qemu.pid" -daemonize 3>&- 9>&-
}

main() {
  exec 3>&1 1>&2 # only sandbox.json's path goes to stdout
  local pid
  if pid=$(sandbox_pid); then
    sandbox_die "a sandbox is already running (pid $pid, run dir $SANDBOX_RUN); stop it first: bash scripts/sandbox/down.sh (npm run sandbox:down)"
  fi
  is_port "$SSH_PORT" || sandbox_die "HD_SANDBOX_SSH_PORT=$SSH_PORT is not a port"
  local port host_port hostfwd="" forwards_json="" sep=""
  for port in $FORWARDS; do
    host_port=$((FORWARD_BASE + port))
    if ! is_port "$port" || ! is_port "$host_port"; then
      sandbox_die "bad forward: guest port $port -> host port $host_port"
    fi
    hostfwd+=",hostfwd=tcp:$SANDBOX_HOST:$host_port-:$port"
    forwards_json+="$sep\"$port\":$host_port"
    sep=","
  done

  if [ -e "$SANDBOX_RUN" ] && [ ! -f "$SANDBOX_RUN/$SANDBOX_MARKER" ]; then
    sandbox_die "$SANDBOX_RUN exists and is not a sandbox run directory; remove it or set HD_SANDBOX_RUN"
  fi

  # 1. The image (built when the recipe changed, else reused).
  local start=$SECONDS image build_s
  image=$(bash "$SANDBOX_DIR/build.sh" | tail -n 1)
  build_s=$((SECONDS - start))
  local f
  for f in root.qcow2 vmlinuz initrd.img id_ed25519 id_ed25519.pub host_ed25519_key.pub kernel-release; do
    [ -f "$image/$f" ] || sandbox_die "image $image lacks $f"
  done
  sandbox_log "image ready in $build_s s: $image"

  # 2. A clean run directory: a stale one (its QEMU gone) is replaced.
  if [ -e "$SANDBOX_RUN" ]; then rm -rf "$SANDBOX_RUN"; fi
  mkdir -p "$SANDBOX_RUN"
  SANDBOX_RUN=$(cd "$SANDBOX_RUN" && pwd)
  : >"$SANDBOX_RUN/$SANDBOX_MARKER"
  local run=$SANDBOX_RUN
  # A unix socket's path has at most 107 bytes.
  [ "${#run}" -le 98 ] || sandbox_die "the run directory's path is too long for qmp.sock (over 98 characters): $run"
  qemu-img create -q -f qcow2 -F qcow2 -b "$image/root.qcow2" "$run/root.qcow2"
  qemu-img create -q -f qcow2 "$run/data.qcow2" "$DATA_SIZE"

  # The guest's host key, pinned: ssh never trusts anything else.
  local host_key known_host
  host_key=$(cut -d' ' -f1,2 "$image/host_ed25519_key.pub")
  if [ "$SSH_PORT" = 22 ]; then known_host=$SANDBOX_HOST; else known_host="[$SANDBOX_HOST]:$SSH_PORT"; fi
  printf '%s %s\n' "$known_host" "$host_key" >"$run/known_hosts"

  # 3. QEMU.
  # KVM when /dev/kvm is usable and the CPU shows VT-x/AMD-V (a /dev/kvm without them, as in some
  # nested VMs, opens but never runs a guest), else TCG; a KVM start that fails falls back to TCG.
  local accel=${HD_SANDBOX_ACCEL:-}
  if [ -z "$accel" ]; then
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -Eqw 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi
  fi
  start=$SECONDS
  if ! start_qemu "$accel" "$image" "$run" "$hostfwd"; then
    if [ "$accel" = kvm ] && [ -z "${HD_SANDBOX_ACCEL:-}" ]; then
      sandbox_log "qemu failed to start with KVM; trying TCG"
      accel=tcg
      start_qemu "$accel" "$image" "$run" "$hostfwd" ||
        sandbox_die "qemu failed to start (is port $SSH_PORT or one of $FORWARDS + $FORWARD_BASE taken?)"
    else
      sandbox_die "qemu failed to start (is port $SSH_PORT or one of $FORWARDS + $FORWARD_BASE taken?)"
    fi
  fi
  pid=$(sandbox_pid) || sandbox_die "qemu exited at once; see $run/console.log"
  sandbox_log "qemu started (pid $pid, accel $accel); waiting up to $BOOT_TIMEOUT s for SSH on $SANDBOX_HOST:$SSH_PORT"

  # 4. Wait for SSH as admin with the key and the pinned host key.
  local -a ssh_args
  mapfile -t ssh_args < <(sandbox_ssh_args "$image/id_ed25519" "$run/known_hosts" "$SSH_PORT")
  local deadline=$((SECONDS + BOOT_TIMEOUT)) boot_s
  until timeout 30 ssh "${ssh_args[@]}" "$SANDBOX_USER@$SANDBOX_HOST" true </dev/null 2>/dev/null; do
    if ! sandbox_pid >/dev/null; then
      tail -n 30 "$run/console.log" >&2 || true
      sandbox_die "qemu exited during boot; console: $run/console.log"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$run/console.log" >&2 || true
      kill "$pid" 2>/dev/null || true
      sandbox_die "no SSH after $BOOT_TIMEOUT s; stopped qemu; console: $run/console.log"
    fi
    sleep 1
  done
  boot_s=$((SECONDS - start))
  sandbox_log "booted to SSH in $boot_s s (build/reuse took $build_s s)"

  # 5. Wait for the boot to finish (dockerd and the registry up), within the same deadline.
  local state ready_s left=$((deadline - SECONDS))
  [ "$left" -gt 10 ] || left=10
  state=$(timeout "$left" ssh "${ssh_args[@]}" "$SANDBOX_USER@$SANDBOX_HOST" \
    systemctl is-system-running --wait </dev/null 2>/dev/null) || true
  ready_s=$((SECONDS - start))
  case "$state" in
    running) sandbox_log "system running in $ready_s s" ;;
    degraded)
      sandbox_log "system degraded in $ready_s s; failed units:"
      ssh "${ssh_args[@]}" "$SANDBOX_USER@$SANDBOX_HOST" systemctl --failed --no-legend </dev/null >&2 || true
      ;;
    *)
      kill "$pid" 2>/dev/null || true
      sandbox_die "the guest did not finish booting in $BOOT_TIMEOUT s (state: ${state:-unknown}); stopped qemu; console: $run/console.log"
      ;;
  esac

  # 6. What the test needs to reach it.
  local kernel public_key
  kernel=$(cat "$image/kernel-release")
  public_key=$(cut -d' ' -f1,2 "$image/id_ed25519.pub")
  cat >"$run/sandbox.json" <<EOF
{
  "sshHost": $(json_string "$SANDBOX_HOST"),
  "sshPort": $SSH_PORT,
  "user": $(json_string "$SANDBOX_USER"),
  "password": $(json_string "$SANDBOX_PASSWORD"),
  "privateKeyPath": $(json_string "$image/id_ed25519"),
  "publicKey": $(json_string "$public_key"),
  "hostKey": $(json_string "$host_key"),
  "knownHostsPath": $(json_string "$run/known_hosts"),
  "dataDevice": $(json_string "$DATA_DEVICE"),
  "guestAddress": $(json_string "$GUEST_ADDRESS"),
  "clientAddress": $(json_string "$CLIENT_ADDRESS"),
  "forwards": {$forwards_json},
  "pidFile": $(json_string "$run/qemu.pid"),
  "consoleLog": $(json_string "$run/console.log"),
  "qmpSocket": $(json_string "$run/qmp.sock"),
  "imageDir": $(json_string "$image"),
  "runDir": $(json_string "$run"),
  "kernelRelease": $(json_string "$kernel"),
  "accel": $(json_string "$accel"),
  "buildSeconds": $build_s,
  "bootSeconds": $boot_s,
  "readySeconds": $ready_s
}
EOF
  {
    printf 'SANDBOX_SSH_PORT=%q\n' "$SSH_PORT"
    printf 'SANDBOX_KEY=%q\n' "$image/id_ed25519"
    printf 'SANDBOX_KNOWN_HOSTS=%q\n' "$run/known_hosts"
  } >"$run/sandbox.env"
  printf '%s\n' "$run/sandbox.json" >&3
}

main "$@"
