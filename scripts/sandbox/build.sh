#!/usr/bin/env bash
# Build (or reuse) the sandbox VM image: a disposable Debian 12 guest that the end-to-end test
# hardens. Prints the image directory as the last line of stdout; everything else goes to stderr.
#
# THIS VM IS A TEST TARGET ONLY. It is deliberately soft before hardening: the users admin and
# root have the password "sandbox-only-password", sshd keeps Debian's defaults (password logins
# on, root by key), admin has passwordless sudo, and every image shares one generated SSH key
# pair and host key. The test proves the hardening turns these off. Never expose its forwarded
# ports beyond 127.0.0.1, never reuse its keys.
#
# The image lives in ${HD_SANDBOX_CACHE:-$HOME/.cache/hardened-docker/sandbox}/images/<recipe>/,
# where <recipe> is the sha256 of this file: the whole recipe is in it (no other files are
# embedded), so any edit here builds a new image and removes the old ones (those no process holds
# open). The image directory holds:
#   root.qcow2            the guest's root filesystem (ext4 on the whole disk, /dev/vda)
#   vmlinuz, initrd.img   the guest's kernel and initramfs (booted with qemu -kernel/-initrd)
#   kernel-release        its `uname -r`
#   id_ed25519(.pub)      the key pair in admin's and root's authorized_keys
#   host_ed25519_key.pub  the guest's ed25519 SSH host key, to pin in known_hosts
#   packages.txt          the guest's installed packages and versions
#
# Needs root (mmdebstrap --mode=root, and mkfs.ext4 -d keeps the owners of the files it copies).
# Host packages (Debian/Ubuntu), installed here when missing and run as root:
#   apt-get install -y mmdebstrap qemu-system-x86 qemu-utils e2fsprogs openssh-client debian-archive-keyring
# (`build.sh --host-packages` prints that list.)
set -euo pipefail

PATH=$PATH:/usr/sbin:/sbin
HOST_PACKAGES=(mmdebstrap qemu-system-x86 qemu-utils e2fsprogs openssh-client debian-archive-keyring)

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
# Debian's cloud kernel: virtio drivers, AppArmor built in (checked below), far fewer modules.
KERNEL_PACKAGE=linux-image-cloud-amd64
GUEST_PACKAGES=(
  "$KERNEL_PACKAGE" initramfs-tools systemd-sysv udev dbus libpam-systemd kmod
  openssh-server sudo passwd mount procps mawk netbase tzdata less
  docker.io docker-registry apparmor
  iproute2 ca-certificates curl netcat-openbsd util-linux e2fsprogs
)
DISK_SIZE=6G
HOSTNAME_=hd-sandbox
ADMIN_USER="admin"
ADMIN_UID=1000
PASSWORD=sandbox-only-password
# The mirrors are snapshots whose Release files may be past Valid-Until: apt must not mind, both
# while building and inside the guest.
APT_OPTIONS=('Acquire::Check-Valid-Until "false"' 'Acquire::Check-Date "false"')

log() { printf 'sandbox: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# ---------------------------------------------------------------------------------------------
# customize_root ROOT PUBKEY: run by mmdebstrap as a customize hook (the chroot has /proc, /sys
# and /dev mounted, services are not started).
customize_root() {
  local root=$1 pubkey=$2 conf home
  if [ ! -d "$root/etc" ] || [ ! -s "$pubkey" ]; then die "customize_root: bad arguments"; fi
  in_root() { chroot "$root" "$@"; }

  # Identity and name resolution (QEMU user networking: DHCP from 10.0.2.2, DNS at 10.0.2.3).
  echo "$HOSTNAME_" >"$root/etc/hostname"
  cat >"$root/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$HOSTNAME_
::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
EOF
  rm -f "$root/etc/resolv.conf"
  echo "nameserver 10.0.2.3" >"$root/etc/resolv.conf"
  echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"
  ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
  echo "Etc/UTC" >"$root/etc/timezone"

  # systemd-networkd: DHCP on the virtio NIC, whatever it is named.
  mkdir -p "$root/etc/systemd/network"
  cat >"$root/etc/systemd/network/20-sandbox.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
EOF

  # apt inside the guest: the same mirrors as the build, and the same tolerance of old snapshots.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  conf="$root/etc/apt/apt.conf.d/99sandbox-snapshot"
  : >"$conf"
  local opt
  for opt in "${APT_OPTIONS[@]}"; do echo "$opt;" >>"$conf"; done

  # Users: admin (uid 1000, passwordless sudo) and root, both with the key and the password.
  in_root useradd --create-home --uid "$ADMIN_UID" --user-group --shell /bin/bash \
    --comment "sandbox admin" "$ADMIN_USER"
  printf '%s:%s\nroot:%s\n' "$ADMIN_USER" "$PASSWORD" "$PASSWORD" | in_root chpasswd
  printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$ADMIN_USER" >"$root/etc/sudoers.d/$ADMIN_USER"
  chmod 0440 "$root/etc/sudoers.d/$ADMIN_USER"
  in_root visudo -cq
  for home in "/home/$ADMIN_USER" /root; do
    install -d -m 0700 "$root$home/.ssh"
    install -m 0600 "$pubkey" "$root$home/.ssh/authorized_keys"
  done
  chown -R "$ADMIN_UID:$ADMIN_UID" "$root/home/$ADMIN_USER/.ssh"

  # SSH host keys, made here so every boot of this image shows the same (pinned) ed25519 key.
  rm -f "$root"/etc/ssh/ssh_host_*
  in_root ssh-keygen -A

  # The local image registry the test pushes stand-in images to: loopback only, and without
  # Debian's default htpasswd auth block (whose path names a directory, so every request got 401).
  conf="$root/etc/docker/registry/config.yml"
  sed -i -E 's/^([[:space:]]+addr:)[[:space:]]*:5000[[:space:]]*$/\1 127.0.0.1:5000/' "$conf"
  awk '/^[^[:space:]#]/ { skip = ($0 ~ /^auth:/) } !skip' "$conf" >"$conf.new"
  mv "$conf.new" "$conf"
  chmod 0644 "$conf"
  grep -Eq '^[[:space:]]+addr: 127\.0\.0\.1:5000$' "$conf" || die "could not set http.addr in $conf"
  if grep -q '^auth:' "$conf"; then die "could not remove auth from $conf"; fi

  # Services: the ones the test needs on; background apt runs and other timers off, so nothing
  # holds the dpkg lock or disk while the test works. systemd-firstboot would prompt on the
  # console at the first boot (the image ships an empty machine-id, so each sandbox gets its own).
  in_root systemctl enable --quiet systemd-networkd.service ssh.service docker.service \
    docker-registry.service apparmor.service
  local unit
  for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
    fstrim.timer dpkg-db-backup.timer man-db.timer; do
    if [ -e "$root/lib/systemd/system/$unit" ]; then in_root systemctl disable --quiet "$unit"; fi
  done
  in_root systemctl mask --quiet systemd-firstboot.service

  # Kernel: AppArmor built in, and the initramfs able to find an ext4 root on virtio-blk.
  local kver config
  kver=$(basename "$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -type d | sort | tail -n 1)")
  config="$root/boot/config-$kver"
  [ -f "$config" ] || die "no kernel config for $kver"
  grep -qx 'CONFIG_SECURITY_APPARMOR=y' "$config" || die "$KERNEL_PACKAGE ($kver) has no AppArmor"
  local mod initrd_files
  initrd_files=$(in_root lsinitramfs "/boot/initrd.img-$kver")
  for mod in virtio_pci virtio_blk ext4; do
    if ! grep -q "/$mod\.ko" "$root/lib/modules/$kver/modules.builtin" &&
      ! grep -q "/$mod\.ko" <<<"$initrd_files"; then
      die "the initramfs of $kver lacks $mod"
    fi
  done
  echo "$kver" >"$root/boot/sandbox-kernel-release"
  # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
  in_root dpkg-query -W -f '${Package} ${Version}\n' >"$root/boot/sandbox-packages.txt"
}

# ---------------------------------------------------------------------------------------------
ensure_host_tools() {
  local -A need=(
    [mmdebstrap]=mmdebstrap [qemu-system-x86_64]=qemu-system-x86 [qemu-img]=qemu-utils
    [mkfs.ext4]=e2fsprogs [ssh-keygen]=openssh-client [ssh]=openssh-client
  )
  local cmd missing=()
  for cmd in "${!need[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
  done
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  [ "${#missing[@]}" -eq 0 ] && return 0
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing host packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing host packages: ${missing[*]} (as root: apt-get install -y ${HOST_PACKAGES[*]})"
  fi
}

# image_in_use DIR: whether a process (a running sandbox's QEMU) has a file under DIR open.
image_in_use() {
  local fd target
  for fd in /proc/[0-9]*/fd/*; do
    target=$(readlink "$fd" 2>/dev/null) || continue
    [[ $target == "$1"/* ]] && return 0
  done
  return 1
}

# remove_tree DIR: unmount whatever an interrupted mmdebstrap left under DIR, then delete it
# without ever crossing into another filesystem.
remove_tree() {
  local dir=$1 mnt
  [ -e "$dir" ] || return 0
  while read -r mnt; do
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v p="$dir/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

build_image() {
  local tmp=$1 rootfs=$1/rootfs self=$2 aptopts=() opt
  ssh-keygen -q -t ed25519 -N '' -C "hd-sandbox-admin" -f "$tmp/id_ed25519"
  for opt in "${APT_OPTIONS[@]}"; do aptopts+=("--aptopt=$opt"); done

  log "mmdebstrap $SUITE (${#GUEST_PACKAGES[@]} packages) from $MIRROR"
  mmdebstrap --mode=root --variant=apt --format=directory "${aptopts[@]}" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --include="$(
      IFS=,
      echo "${GUEST_PACKAGES[*]}"
    )" \
    --customize-hook="bash $(printf '%q' "$self") __customize \"\$1\" $(printf '%q' "$tmp/id_ed25519.pub")" \
    "$SUITE" "$rootfs" \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY_MIRROR $SUITE-security main"

  local kver
  kver=$(cat "$rootfs/boot/sandbox-kernel-release")
  install -m 0644 "$rootfs/boot/vmlinuz-$kver" "$tmp/vmlinuz"
  install -m 0644 "$rootfs/boot/initrd.img-$kver" "$tmp/initrd.img"
  mv "$rootfs/boot/sandbox-kernel-release" "$tmp/kernel-release"
  mv "$rootfs/boot/sandbox-packages.txt" "$tmp/packages.txt"
  install -m 0644 "$rootfs/etc/ssh/ssh_host_ed25519_key.pub" "$tmp/host_ed25519_key.pub"
  chmod 0600 "$tmp/id_ed25519"
  chmod 0644 "$tmp/id_ed25519.pub"

  log "ext4 root filesystem ($DISK_SIZE, sparse) -> root.qcow2"
  truncate -s "$DISK_SIZE" "$tmp/root.ext4"
  mkfs.ext4 -q -F -L hd-sandbox-root -m 1 -d "$rootfs" "$tmp/root.ext4"
  remove_tree "$rootfs"
  qemu-img convert -f raw -O qcow2 "$tmp/root.ext4" "$tmp/root.qcow2"
  rm -f "$tmp/root.ext4"
}

main() {
  # Only the image directory goes to stdout, as the last line.
  exec 3>&1 1>&2
  local self cache images recipe image tmp start=$SECONDS
  self=$(readlink -f "${BASH_SOURCE[0]}")
  [ "$(id -u)" -eq 0 ] || die "build.sh must run as root (mmdebstrap --mode=root, mkfs.ext4 -d)"
  ensure_host_tools

  cache=${HD_SANDBOX_CACHE:-$HOME/.cache/hardened-docker/sandbox}
  images=$cache/images
  mkdir -p "$images"
  recipe=$(sha256sum "$self" | cut -d' ' -f1)
  image=$images/$recipe

  # One build at a time; a second caller waits, then reuses what the first built.
  exec 9>"$cache/build.lock"
  flock 9

  if [ -f "$image/root.qcow2" ]; then
    log "reusing image ${recipe:0:12} ($(cat "$image/kernel-release"))"
  else
    tmp=$(mktemp -d "$images/.build.XXXXXX")
    chmod 0755 "$tmp"
    # shellcheck disable=SC2064 # expand $tmp now: the trap must remove this build's directory
    trap "remove_tree '$tmp'" EXIT
    build_image "$tmp" "$self"
    mv -T "$tmp" "$image"
    trap - EXIT
    log "built image ${recipe:0:12} in $((SECONDS - start)) s ($(du -sh --apparent-size "$image/root.qcow2" | cut -f1) apparent, $(du -sh "$image" | cut -f1) on disk)"
  fi

  # Old recipes' images (and abandoned builds) go, unless a running sandbox still uses them.
  local old
  for old in "$images"/* "$images"/.build.*; do
    if [ ! -e "$old" ] || [ "$old" = "$image" ]; then continue; fi
    if image_in_use "$old"; then
      log "keeping old image $(basename "$old"): a running sandbox uses it"
    else
      remove_tree "$old"
    fi
  done

  printf '%s\n' "$image" >&3
}

case "${1:-}" in
  __customize)
    shift
    customize_root "$@"
    ;;
  --host-packages)
    printf '%s\n' "${HOST_PACKAGES[*]}"
    ;;
  "")
    main
    ;;
  *)
    die "usage: build.sh [--host-packages]"
    ;;
esac
