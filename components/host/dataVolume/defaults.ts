/**
 * Secure defaults of the data-volume step (CIS 1.1.1). Each is a decision; each says why.
 */
export const DATA_VOLUME_DEFAULTS = Object.freeze({
    /** Debian's default filesystem: journalled, fsck at boot, d_type always on (overlay2 needs it). */
    filesystem: "ext4" as "ext4" | "xfs",
    /** Room for a few images and their layers; a smaller device fills up and stops Docker. */
    minSizeGb: 10,
    /**
     * `nodev` and `nosuid`: a device node or setuid-root binary that a container writes into its
     * layer or a volume is inert on the host. Images are unaffected: an overlay2 mount has its own
     * flags (a setuid binary in a layer still runs setuid in its container, checked on Linux 6.x),
     * and runc gives each container a fresh `/dev`; only in named volumes, bind mounts that keep
     * the data root's flags, do setuid bits and device nodes stop working. `noatime`: nothing in
     * Docker reads access times, and layers are read constantly. Not `noexec`: it would reach
     * named volumes the same way and stop programs in them from running.
     */
    mountOptions: Object.freeze(["nodev", "nosuid", "noatime"]) as readonly string[],
    /** Always added: a missing volume does not hang the boot; Docker, which requires the mount, waits. */
    fixedMountOptions: Object.freeze(["nofail", "x-systemd.device-timeout=30s"]) as readonly string[],
    /** Names the filesystem in `lsblk`; fits xfs's 12-character limit. */
    label: "docker-data",
    /** An EBS attachment usually completes in seconds but can take minutes. */
    deviceWaitSeconds: 300,
});
