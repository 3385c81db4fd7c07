/**
 * Network services a Docker host does not need (CIS Docker Benchmark v1.6.0 1.2.1: the host runs
 * nothing but what it is for). The step purges the listed packages that are installed and disables
 * the listed systemd units that exist. Names the host needs (SSH, sudo, Docker, systemd, auditd,
 * logging, the firewall, AppArmor, ...) can never be listed.
 */
export interface MinimalArgs {
    /**
     * Debian packages to purge when installed. The list replaces the default; `[]` purges nothing.
     * The step refuses to run when purging them would remove any other package. CIS 1.2.1.
     * @default the legacy clear-text and discovery services: telnet, rsh, talk, TFTP, NIS, inetd
     * and xinetd, avahi-daemon, CUPS (see MINIMAL_DEFAULTS.removePackages)
     */
    removePackages?: string[];
    /**
     * systemd units to stop and disable when they exist (`.service`, `.socket`, `.path` or
     * `.timer`). The list replaces the default; `[]` disables nothing. Hosts that mount NFSv3
     * shares need rpcbind: leave `rpcbind.service` and `rpcbind.socket` out of the list. CIS 1.2.1.
     * @default avahi-daemon, bluetooth, cups, cups-browsed and rpcbind units
     * (see MINIMAL_DEFAULTS.disableServices)
     */
    disableServices?: string[];
}
