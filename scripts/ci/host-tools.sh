#!/usr/bin/env bash
# Install the Debian packages whose real tools the tests check the host steps with: shellcheck for
# every script, sshd -t/-T, nft -c, auditctl and augenrules, rsyslogd -N1, mkfs/losetup/rsync/xattrs
# for the data volume, apparmor_parser for the containers' generated AppArmor profiles, gpg for Docker's apt key, jq for daemon.json, iproute2/util-linux for the network and mount
# namespaces the tests make; and for the end-to-end run, the sandbox VM's tools (mmdebstrap, QEMU,
# qemu-img, the archive keyring, the ssh client) and busybox-static for its stand-in images.
# Idempotent: installs only what is missing. Services are not started.
set -euo pipefail

PACKAGES=(
  shellcheck openssh-server nftables auditd rsyslog rsyslog-gnutls jq perl
  e2fsprogs xfsprogs rsync attr acl gpg iproute2 util-linux passwd systemd apparmor
  mmdebstrap qemu-system-x86 qemu-utils debian-archive-keyring openssh-client busybox-static
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  printf '[host-tools] installing: %s\n' "${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  printf '[host-tools] all present: %s\n' "${PACKAGES[*]}" >&2
fi

# sshd -t and -T refuse to run without the privilege separation directory, which systemd-tmpfiles
# creates at boot (openssh-server's tmpfiles.d entry). A machine that boots without systemd, such as
# a CI container, never gets it: make it as that entry does. /run is emptied at boot, so every time.
install -d -m 0755 -o root -g root /run/sshd
