/**
 * The block device that becomes Docker's data root. Give exactly one of `path` and `awsVolumeId`.
 * What cannot be known at preview (that it is a block device, not the disk holding `/`, not mounted
 * elsewhere, large enough) is checked on the host before anything is written.
 */
export interface DataVolumeDevice {
    /**
     * The device's path: `/dev/<name>` (`/dev/sdb`, `/dev/nvme1n1`), `/dev/mapper/<name>`, or a
     * stable link `/dev/disk/by-id/<id>` or `/dev/disk/by-path/<path>` (preferred: kernel names
     * such as `sdb` can change between boots; the fstab entry uses the filesystem's UUID anyway).
     */
    path?: string;
    /**
     * An attached EBS volume, `vol-` and 17 hex digits (8 for old volumes). On Nitro instances the
     * volume is the NVMe device whose serial is the id without the dash; the script waits up to
     * `deviceWaitSeconds` for it to appear (attachment is asynchronous).
     */
    awsVolumeId?: string;
}

/**
 * A separate filesystem for Docker's data root (`ctx.dataRoot`, `/var/lib/docker` by default)
 * (CIS 1.1.1): containers that fill their layers, logs or volumes then fill this filesystem, not
 * the host's root. The script formats the device only when it is provably blank, never one with a
 * filesystem or partition table; it moves existing data with a verified copy and keeps the old
 * directory as `<dataRoot>.pre-hardened-docker-<timestamp>`.
 */
export interface DataVolumeArgs {
    /** The device to use (CIS 1.1.1). Required: there is no safe default disk. */
    device: DataVolumeDevice;
    /**
     * The filesystem to create on a blank device, `ext4` or `xfs` (created with `ftype=1`, which
     * overlay2 needs). A device that already has another filesystem is refused, never reformatted.
     * @default "ext4"
     */
    filesystem?: "ext4" | "xfs";
    /**
     * The smallest device accepted, in GiB (2^30 bytes); a smaller one is refused on the host.
     * @default 10
     */
    minSizeGb?: number;
    /**
     * Mount options of the data root. Must include `nodev` and `nosuid`: image layers are unaffected
     * (an overlay mount has its own flags: setuid binaries and device nodes in images still work),
     * but in named volumes, which are bind mounts of the data root and keep its flags, setuid bits
     * and device nodes are inert. `noexec` is refused: nothing in a named volume could run.
     * `nofail` and `x-systemd.device-timeout=30s` are always added: a missing volume does not stop
     * the boot, and Docker, which requires the mount, does not start on the empty mount point.
     * @default ["nodev", "nosuid", "noatime"]
     */
    mountOptions?: string[];
    /**
     * Label of a filesystem the script creates (12 characters at most: xfs's limit). An existing
     * filesystem keeps its label.
     * @default "docker-data"
     */
    label?: string;
    /**
     * Seconds to wait for the device to appear (an EBS attachment is asynchronous), 0 to 3600.
     * @default 300
     */
    deviceWaitSeconds?: number;
}
