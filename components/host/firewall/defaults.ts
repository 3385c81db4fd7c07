/**
 * Secure defaults of the host firewall. Each is a security decision; each says why.
 */
export const FIREWALL_DEFAULTS = Object.freeze({
    /** Long enough for Pulumi to open the confirming SSH connection; short enough that a lockout heals quickly. */
    rollbackSeconds: 120,
    /** Enough to see a scan or a misconfigured client in the kernel log without letting a flood fill the disk. */
    logRatePerMinute: 10,
    /** TCP is what a port means unless the caller says otherwise (as Docker's `-p` does). */
    protocol: "tcp" as "tcp" | "udp",
    /** Pings answer for monitoring and path checks, but the host cannot be used to amplify a flood. */
    echoRatePerSecond: 5,
    /** A short burst of pings (a `ping -c 10`) passes before the rate limit bites. */
    echoBurst: 10,
});
