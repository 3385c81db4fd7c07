import type { Waiver } from "../../common/errors";

/**
 * A port admitted from a list of sources. Every source is an IPv4 or IPv6 address or CIDR; the
 * IPv4 sources apply to IPv4 traffic and the IPv6 sources to IPv6 traffic, so a port open to every
 * client lists both `0.0.0.0/0` and `::/0`.
 */
export interface FirewallPort {
    /** The port, 1 to 65535. For a published container port, the port on the host (`hostPort`). */
    port: number;
    /**
     * `tcp` or `udp`.
     * @default "tcp"
     */
    protocol?: "tcp" | "udp";
    /**
     * Who may connect: addresses or CIDRs such as `203.0.113.0/24` or `2001:db8::/32`, at least one.
     * Required: a port has no default audience. Containers that reach a published port through the
     * host's address come from their Docker network's subnet: list it to admit them.
     */
    sources: string[];
}

/**
 * The host firewall (CIS 1.2.1): an nftables table of its own, `table inet hardened_docker`, that
 * coexists with the rules Docker manages (`iptables: true`, CIS 2.4).
 */
export interface FirewallArgs {
    /**
     * Where SSH (on the host context's `sshPort`) is admitted from: IPv4 and/or IPv6 addresses or
     * CIDRs, at least one. Required: there is no safe default. `0.0.0.0/0` and `::/0` need
     * `allowSshFromAnywhere` (CIS 1.2.1). The address the deployment connects from must be in it, or
     * the firewall step refuses to apply.
     */
    adminCidrs: string[];
    /** Admit SSH from every address (`0.0.0.0/0` or `::/0` in `adminCidrs`), saying why (CIS 1.2.1). */
    allowSshFromAnywhere?: Waiver;
    /**
     * Other services of the host itself to admit, each from its sources. Not the SSH port, and not a
     * published container port (those go in `publishedPorts`). Containers reach the host's own
     * services through this filter too: list their Docker network's subnet to admit them.
     * @default []
     */
    hostPorts?: FirewallPort[];
    /**
     * Container ports that Docker publishes on the host, each admitted only from its sources;
     * connections from elsewhere to those ports are dropped before Docker's own chains see them.
     * Other container traffic is left to Docker.
     * @default []
     */
    publishedPorts?: FirewallPort[];
    /**
     * Seconds after which a ruleset that the `firewall-confirm` step has not confirmed (over a new SSH
     * connection) is rolled back to the previous one: the guard against locking the deployer out.
     * 30 to 3600.
     * @default 120
     */
    rollbackSeconds?: number;
    /**
     * Dropped packets logged per minute (kernel log, prefix `hardened-docker ... drop:`), 1 to 600.
     * @default 10
     */
    logRatePerMinute?: number;
}
