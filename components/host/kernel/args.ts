/**
 * Kernel settings of the Docker host (CIS Docker Benchmark v1.6.0 1.2.1: the host itself is
 * hardened). Written to `/etc/sysctl.d/60-hardened-docker.conf` and applied at once. IP forwarding
 * is not an argument: Docker needs `net.ipv4.ip_forward = 1`, and the step always sets it.
 */
export interface KernelArgs {
    /**
     * Reverse-path filtering of IPv4 sources on `all` and `default`: `1` strict (the reply must leave
     * by the interface the packet came in on) or `2` loose (the source must be routable through some
     * interface). The kernel uses the larger of `all` and the interface's own value, and Debian's
     * systemd sets every interface to 2 at boot, so strict takes full effect only on interfaces
     * created later (Docker's bridges and veths). Strict breaks containers attached to several
     * networks and asymmetric or multi-homed routing. CIS 1.2.1.
     * @default 2
     */
    rpFilter?: 1 | 2;
    /**
     * Accept IPv6 router advertisements (`accept_ra` on `all` and `default`). Leave off on hosts
     * with static IPv6 or none. Turn on for hosts whose kernel gets its IPv6 address or default route
     * by SLAAC: without them the address and route are gone at the next boot. The step refuses to
     * turn them off while the kernel holds an IPv6 default route learned from an advertisement.
     * With `ipv6Forwarding`, on means `accept_ra = 2` (a forwarding host ignores 1). CIS 1.2.1.
     * @default false
     */
    acceptRouterAdvertisements?: boolean;
    /**
     * Forward IPv6 (`net.ipv6.conf.{all,default}.forwarding = 1`). Needed when Docker's IPv6 is on
     * (`"ipv6": true` in daemon.json). Off, the step leaves IPv6 forwarding alone (the kernel's
     * default is off); it never writes 0, which would cut the containers off on a host where Docker
     * turned it on.
     * @default false
     */
    ipv6Forwarding?: boolean;
    /**
     * `kernel.yama.ptrace_scope`: `1` a process may trace only its descendants, `2` only root may
     * trace, `3` nobody may (not even root, and it cannot be lowered again until a reboot). Skipped
     * on kernels without Yama. CIS 1.2.1.
     * @default 1
     */
    ptraceScope?: 1 | 2 | 3;
    /**
     * More sysctl keys to set, key to value: `{ "vm.max_map_count": "262144" }`. Adds keys only:
     * the keys the step sets, and any forwarding key, are refused.
     * @default {}
     */
    extra?: Record<string, string>;
}
