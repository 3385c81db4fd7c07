/**
 * Secure defaults of HardenedContainer. Each is a security decision; each says why.
 */
export const CONTAINER_DEFAULTS = Object.freeze({
    /** A small service fits; a runaway one is stopped before it starves the host (CIS 5.11). */
    memoryMb: 256,
    /** Half of Docker's default weight (1024): one busy container cannot take a core from the rest (CIS 5.12). */
    cpuShares: 512,
    /** Enough for a threaded server; a fork bomb stops here (CIS 5.29). */
    pidsLimit: 128,
    /** CIS 5.15's ceiling: a crash loop ends after five tries instead of hammering the host. */
    maxRestarts: 5,
    /** Docker's own profile, loaded when AppArmor is installed (CIS 5.2). */
    appArmorProfile: "docker-default",
    /** A published port answers on loopback only unless the caller names an address (CIS 5.14). */
    hostAddress: "127.0.0.1",
    /** Size of each writable in-memory path, in MiB. */
    writablePathSizeMb: 64,
    /** Mount options of writable paths: nothing written there can be executed or escalate. */
    writablePathOptions: "rw,noexec,nosuid,nodev",
    healthCheck: Object.freeze({
        intervalSeconds: 30,
        timeoutSeconds: 5,
        retries: 3,
        startPeriodSeconds: 10,
    }),
    /** Seconds `pulumi up` waits for a new container to report healthy (CIS 5.27). */
    healthyWaitSeconds: 120,
});
