/** Secure defaults of HardenedNetwork. */
export const NETWORK_DEFAULTS = Object.freeze({
    /** Egress stays possible unless asked otherwise: most services call something. */
    internal: false,
    /** A port published without an address answers on loopback only (CIS 5.14). */
    defaultBindAddress: "127.0.0.1",
    /** Containers on the network cannot reach each other unless waived (CIS 2.2 on a user network). */
    enableIcc: false,
    /** No IPv6 unless the caller plans addresses and firewall rules for it. */
    ipv6: false,
});
