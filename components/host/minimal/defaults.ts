/**
 * Secure defaults of the minimal step. Each is a security decision; each says why.
 */
export const MINIMAL_DEFAULTS = Object.freeze({
    /**
     * Services no Debian minimal install has, but images and old hosts sometimes carry. Purged when
     * installed (sorted):
     * - clear-text remote login and chat, replaced by SSH: `telnet`/`inetutils-telnet` and
     *   `telnetd`/`inetutils-telnetd` (Debian 12 names both), `rsh-client`, `rsh-server`,
     *   `rsh-redone-*`, `talk`, `talkd`, `inetutils-talk`, `inetutils-talkd`;
     * - TFTP, which has no authentication at all: `tftp`, `tftp-hpa`, `tftpd-hpa`, `atftp`, `atftpd`;
     * - NIS, a clear-text directory that hands out password hashes: `nis`;
     * - super-servers that start services on demand, outside systemd's view: `openbsd-inetd`,
     *   `inetutils-inetd`, `xinetd`;
     * - mDNS, which announces the host and listens on UDP 5353 everywhere: `avahi-daemon`;
     * - printing, whose network browsing was the entry of the 2024 CUPS remote code execution
     *   chain (CVE-2024-47176): `cups`, `cups-browsed`, `cups-daemon`.
     */
    removePackages: Object.freeze([
        "atftp",
        "atftpd",
        "avahi-daemon",
        "cups",
        "cups-browsed",
        "cups-daemon",
        "inetutils-inetd",
        "inetutils-talk",
        "inetutils-talkd",
        "inetutils-telnet",
        "inetutils-telnetd",
        "nis",
        "openbsd-inetd",
        "rsh-client",
        "rsh-redone-client",
        "rsh-redone-server",
        "rsh-server",
        "talk",
        "talkd",
        "telnet",
        "telnetd",
        "tftp",
        "tftp-hpa",
        "tftpd-hpa",
        "xinetd",
    ]) as readonly string[],
    /**
     * Units that listen on the network or for hardware a server has no use for, where a package
     * another package depends on keeps them installed: mDNS, Bluetooth, printing (service, socket
     * and path activation, so nothing starts them again), and rpcbind (port 111 on every address, a
     * classic amplifier; only NFSv3 needs it).
     */
    disableServices: Object.freeze([
        "avahi-daemon.service",
        "avahi-daemon.socket",
        "bluetooth.service",
        "cups-browsed.service",
        "cups.path",
        "cups.service",
        "cups.socket",
        "rpcbind.service",
        "rpcbind.socket",
    ]) as readonly string[],
    /**
     * Names that can never be purged or disabled, as packages or as units (the unit's name without
     * its suffix and instance). A trailing `*` matches any ending. They keep the host reachable
     * (SSH, networking, sudo), running Docker, and audited, logged and firewalled.
     */
    guarded: Object.freeze([
        "apparmor*",
        "apt*",
        "audispd-plugins",
        "auditd",
        "base-files",
        "bash",
        "ca-certificates",
        "chrony",
        "cloud-*",
        "containerd*",
        "coreutils",
        "cron",
        "dbus*",
        "docker*",
        "dpkg",
        "getty",
        "grub*",
        "ifupdown",
        "init",
        "iproute2",
        "iptables",
        "libc6",
        "linux-image*",
        "login",
        "netplan*",
        "network-manager",
        "networkd-dispatcher",
        "networking",
        "NetworkManager",
        "nftables",
        "openssh-*",
        "passwd",
        "procps",
        "rsyslog",
        "runc",
        "serial-getty",
        "ssh",
        "sshd",
        "sudo",
        "systemd*",
        "udev",
        "unattended-upgrades",
        "util-linux",
    ]) as readonly string[],
});
