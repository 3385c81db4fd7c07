/**
 * Secure defaults of the engine step. Each is a decision; each says why.
 */
export const ENGINE_DEFAULTS = Object.freeze({
    /**
     * The distribution's package: security fixes arrive with the host's other updates, signed by
     * keys the host already trusts, and no third-party repository is added.
     */
    source: "distribution" as "distribution" | "docker",
    /** Keep the engine current (CIS 1.2.2): every run upgrades to the newest version available. */
    version: "latest",
    /** Docker's release key (download.docker.com), checked before the key is trusted. */
    dockerKeyFingerprint: "9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
    /** The packages each source installs; the first ones of each list are pinned to an exact version. */
    packages: Object.freeze({
        distribution: Object.freeze({
            pinned: Object.freeze(["docker.io"]) as readonly string[],
            other: Object.freeze([]) as readonly string[],
        }),
        docker: Object.freeze({
            pinned: Object.freeze(["docker-ce", "docker-ce-cli"]) as readonly string[],
            other: Object.freeze(["containerd.io"]) as readonly string[],
        }),
    }),
});
