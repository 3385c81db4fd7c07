/** A group of sysctl settings that share one reason; the reason is written above them in the file. */
export interface SysctlGroup {
    readonly why: string;
    /** Key to value, in file order. */
    readonly settings: Readonly<Record<string, string>>;
}

function group(why: string, settings: Record<string, string>): SysctlGroup {
    return Object.freeze({ why, settings: Object.freeze(settings) });
}

/**
 * Secure defaults of the kernel step. Each is a security decision; each says why.
 */
export const KERNEL_DEFAULTS = Object.freeze({
    /**
     * Loose (2), not strict (1). Strict drops a packet whose reply would leave by another interface:
     * that breaks a container attached to several Docker networks (the request comes in on one
     * bridge, the reply routes out of another; netavark switched its bridges to loose for this,
     * containers/netavark#962), swarm's ingress routing mesh, and multi-homed or policy-routed hosts.
     * Loose still drops sources that no route leads back to (spoofed, bogon). It is also what Debian
     * and Ubuntu ship (systemd's 50-default.conf sets every interface to 2, and the kernel uses the
     * larger of `all` and the interface's value, so `all = 1` alone would not make them strict).
     */
    rpFilter: 2 as 1 | 2,
    /**
     * Off: a server takes its routes from its configuration, not from whoever on the link sends an
     * advertisement. Hosts that get IPv6 by SLAAC must turn it on (the step refuses to turn it off
     * while the kernel holds a default route learned from one).
     */
    acceptRouterAdvertisements: false,
    /** Off: only a host whose Docker runs IPv6 needs to route it. Off leaves the key untouched. */
    ipv6Forwarding: false,
    /** Yama's "restricted" mode: a process traces only its children, so one user process cannot read another's memory. */
    ptraceScope: 1 as 1 | 2 | 3,
    /** No extra keys. */
    extra: Object.freeze({}) as Readonly<Record<string, string>>,
    /**
     * The hardening set, in file order. The values of `rp_filter`, `accept_ra` and `ptrace_scope`
     * here are the defaults; the arguments above replace them. Forwarding comes first: changing
     * `ip_forward` resets `accept_redirects`, so the redirect settings must be applied after it.
     */
    sysctl: Object.freeze([
        group(
            "Docker routes container traffic: forwarding stays on (hardening that turns it off breaks Docker, dev-sec/ansible-collection-hardening#213).",
            { "net.ipv4.ip_forward": "1" },
        ),
        group("Docker's IPv6 networks are routed too (written only with args.kernel.ipv6Forwarding).", {
            "net.ipv6.conf.all.forwarding": "1",
            "net.ipv6.conf.default.forwarding": "1",
        }),
        group("ICMP redirects could rewrite this host's routes: accept them from nobody.", {
            "net.ipv4.conf.all.accept_redirects": "0",
            "net.ipv4.conf.default.accept_redirects": "0",
            "net.ipv4.conf.all.secure_redirects": "0",
            "net.ipv4.conf.default.secure_redirects": "0",
            "net.ipv6.conf.all.accept_redirects": "0",
            "net.ipv6.conf.default.accept_redirects": "0",
        }),
        group("The host routes only for its own containers: it sends no redirects to anyone.", {
            "net.ipv4.conf.all.send_redirects": "0",
            "net.ipv4.conf.default.send_redirects": "0",
        }),
        group("A sender does not choose the route through this host.", {
            "net.ipv4.conf.all.accept_source_route": "0",
            "net.ipv4.conf.default.accept_source_route": "0",
            "net.ipv6.conf.all.accept_source_route": "0",
            "net.ipv6.conf.default.accept_source_route": "0",
        }),
        group("Packets with impossible source addresses are logged: they are spoofing or a misrouting.", {
            "net.ipv4.conf.all.log_martians": "1",
            "net.ipv4.conf.default.log_martians": "1",
        }),
        group(
            "Reverse-path filter (1 strict, 2 loose): spoofed sources are dropped; loose keeps containers on several networks working.",
            {
                "net.ipv4.conf.all.rp_filter": "2",
                "net.ipv4.conf.default.rp_filter": "2",
            },
        ),
        group("A SYN flood cannot fill the connection backlog.", { "net.ipv4.tcp_syncookies": "1" }),
        group("The host is no smurf amplifier, and bogus ICMP errors do not fill the log.", {
            "net.ipv4.icmp_echo_ignore_broadcasts": "1",
            "net.ipv4.icmp_ignore_bogus_error_responses": "1",
        }),
        group(
            "IPv6 router advertisements (0 off, 1 on, 2 on while forwarding): routes come from the configuration unless args.kernel.acceptRouterAdvertisements.",
            {
                "net.ipv6.conf.all.accept_ra": "0",
                "net.ipv6.conf.default.accept_ra": "0",
            },
        ),
        group("Kernel addresses are hidden from everyone, which keeps KASLR useful.", {
            "kernel.kptr_restrict": "2",
        }),
        group("Only root reads the kernel log.", { "kernel.dmesg_restrict": "1" }),
        group("ptrace (1 descendants only, 2 root only, 3 nobody): one process cannot read another's memory.", {
            "kernel.yama.ptrace_scope": "1",
        }),
        group("Only root loads BPF programs, and the JIT is hardened against spraying.", {
            "kernel.unprivileged_bpf_disabled": "1",
            "net.core.bpf_jit_harden": "2",
        }),
        group("Full address-space layout randomisation.", { "kernel.randomize_va_space": "2" }),
        group(
            "Links, FIFOs and files in sticky world-writable directories cannot be turned against other users. FIFOs stay at 1: Debian's procps ships 99-protect-links.conf, which sorts after this file and sets 1 at every boot.",
            {
                "fs.protected_hardlinks": "1",
                "fs.protected_symlinks": "1",
                "fs.protected_fifos": "1",
                "fs.protected_regular": "2",
            },
        ),
        group("Set-uid programs leave no core dumps to read secrets from.", { "fs.suid_dumpable": "0" }),
    ]) as readonly SysctlGroup[],
});
