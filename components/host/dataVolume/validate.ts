import { ArgumentError, integer } from "../../common/errors";
import type { HostContext } from "../step";
import type { DataVolumeArgs } from "./args";
import { DATA_VOLUME_DEFAULTS } from "./defaults";

/** The data-volume step's arguments after validation, with every default filled in. */
export interface DataVolumePlan {
    /** How the host finds the device: by path, or by the NVMe serial of an EBS volume. */
    device: { kind: "path"; path: string } | { kind: "awsVolume"; volumeId: string; serial: string };
    filesystem: "ext4" | "xfs";
    /** The smallest device accepted, in bytes. */
    minSizeBytes: number;
    /** The caller's mount options, in order, without the fixed ones. */
    mountOptions: string[];
    label: string;
    deviceWaitSeconds: number;
    /** Docker's data root (from the host context), normalised. */
    dataRoot: string;
}

const ARGS = ["device", "filesystem", "minSizeGb", "mountOptions", "label", "deviceWaitSeconds"];
const DEVICE_PATH =
    /^\/dev\/(?:[a-z][a-z0-9_-]{0,63}|mapper\/[A-Za-z0-9_.+-]{1,127}|disk\/by-(?:id|path)\/[A-Za-z0-9_.:+-]{1,200})$/;
const AWS_VOLUME_ID = /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const LABEL = /^[A-Za-z0-9_-]{1,12}$/;
const MOUNT_OPTION = /^[a-z_][a-z0-9_.-]{0,63}(?:=[A-Za-z0-9_.:/+-]{1,128})?$/;
/** Top-level system directories that can never be Docker's data root. */
const SYSTEM_DIRS = [
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib64",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/tmp",
    "/usr",
    "/var",
];
/** Options the step sets itself, or that would unmount, hide or loosen the data root. */
const FORBIDDEN_OPTIONS: Record<string, string> = {
    noexec: "which stops binaries in named volumes from running (volumes are bind mounts of the data root and keep its flags)",
    dev: "which undoes nodev",
    suid: "which undoes nosuid",
    ro: "which leaves Docker unable to write its data",
    nofail: "which hardened-docker always sets",
    noauto: "which leaves the data root unmounted after a reboot",
    auto: "which is the default already",
    user: "which lets unprivileged users mount or unmount the data root",
    users: "which lets unprivileged users mount or unmount the data root",
    owner: "which lets the device's owner mount or unmount the data root",
    group: "which lets the device's group mount or unmount the data root",
    _netdev: "which marks a network device; the data root is a local block device",
};

/** Validates Docker's data root from the host context: an absolute, plain path that is not a system directory. */
export function validateDataRoot(dataRoot: unknown): string {
    if (
        typeof dataRoot !== "string" ||
        !/^(?:\/[A-Za-z0-9_.-]+)+$/.test(dataRoot) ||
        dataRoot.split("/").some((part) => part === "." || part === "..")
    ) {
        throw new ArgumentError(
            "args.dataRoot",
            `must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got ${JSON.stringify(dataRoot)}`,
        );
    }
    if (SYSTEM_DIRS.includes(dataRoot)) {
        throw new ArgumentError("args.dataRoot", `must not be the system directory ${dataRoot}`);
    }
    return dataRoot;
}

function validateDevice(device: unknown): DataVolumePlan["device"] {
    const argument = "args.dataVolume.device";
    if (typeof device !== "object" || device === null) {
        throw new ArgumentError(
            argument,
            'is required: { path: "/dev/..." } or { awsVolumeId: "vol-..." }, the device that holds Docker\'s data root (CIS 1.1.1)',
        );
    }
    const d = device as Record<string, unknown>;
    for (const key of Object.keys(d)) {
        if (key !== "path" && key !== "awsVolumeId") {
            throw new ArgumentError(`${argument}.${key}`, "is not an argument; allowed: path, awsVolumeId");
        }
    }
    if ((d.path === undefined) === (d.awsVolumeId === undefined)) {
        throw new ArgumentError(
            argument,
            "must give exactly one of path (a block device) and awsVolumeId (an attached EBS volume)",
        );
    }
    if (d.path !== undefined) {
        if (typeof d.path !== "string" || !DEVICE_PATH.test(d.path)) {
            throw new ArgumentError(
                `${argument}.path`,
                `must be a block device path: /dev/<name>, /dev/mapper/<name>, /dev/disk/by-id/<id> or /dev/disk/by-path/<path>, got ${JSON.stringify(d.path)}`,
            );
        }
        return { kind: "path", path: d.path };
    }
    if (typeof d.awsVolumeId !== "string" || !AWS_VOLUME_ID.test(d.awsVolumeId)) {
        throw new ArgumentError(
            `${argument}.awsVolumeId`,
            `must be an EBS volume id: vol- and 17 hex digits (8 for old volumes), got ${JSON.stringify(d.awsVolumeId)}`,
        );
    }
    return { kind: "awsVolume", volumeId: d.awsVolumeId, serial: d.awsVolumeId.replace("-", "") };
}

function validateMountOptions(options: unknown): string[] {
    const argument = "args.dataVolume.mountOptions";
    if (options === undefined) {
        return [...DATA_VOLUME_DEFAULTS.mountOptions];
    }
    if (!Array.isArray(options)) {
        throw new ArgumentError(argument, 'must be a list of mount options such as ["nodev", "nosuid", "noatime"]');
    }
    const seen = new Set<string>();
    options.forEach((option: unknown, i) => {
        if (typeof option !== "string" || !MOUNT_OPTION.test(option)) {
            throw new ArgumentError(
                `${argument}[${i}]`,
                `must be one mount option, name or name=value (no commas or spaces), got ${JSON.stringify(option)}`,
            );
        }
        const name = option.split("=")[0];
        const why = Object.prototype.hasOwnProperty.call(FORBIDDEN_OPTIONS, name)
            ? FORBIDDEN_OPTIONS[name]
            : name.startsWith("x-") || name === "comment"
              ? "which hardened-docker sets itself"
              : undefined;
        if (why !== undefined) {
            throw new ArgumentError(`${argument}[${i}]`, `is "${option}", ${why}`);
        }
        if (seen.has(name)) {
            throw new ArgumentError(`${argument}[${i}]`, `sets ${name} twice`);
        }
        seen.add(name);
    });
    if (!seen.has("nodev") || !seen.has("nosuid")) {
        throw new ArgumentError(
            argument,
            "must include nodev and nosuid: device nodes and setuid files that containers write under the data root must stay inert on the host",
        );
    }
    return [...(options as string[])];
}

/**
 * Validates the data-volume step's arguments and fills in the defaults. The HardenedHost component
 * calls it only when the step is enabled, so `args` is required. Throws ArgumentError naming the
 * argument and what is allowed.
 */
export function validateDataVolumeArgs(args: DataVolumeArgs | undefined, ctx: HostContext): DataVolumePlan {
    if (args === undefined || args === null || typeof args !== "object") {
        throw new ArgumentError(
            "args.dataVolume.device",
            'is required: { path: "/dev/..." } or { awsVolumeId: "vol-..." }, the device that holds Docker\'s data root (CIS 1.1.1)',
        );
    }
    for (const key of Object.keys(args)) {
        if (!ARGS.includes(key)) {
            throw new ArgumentError(`args.dataVolume.${key}`, `is not an argument; allowed: ${ARGS.join(", ")}`);
        }
    }
    const dataRoot = validateDataRoot(ctx.dataRoot);
    const device = validateDevice(args.device);
    const filesystem = args.filesystem ?? DATA_VOLUME_DEFAULTS.filesystem;
    if (filesystem !== "ext4" && filesystem !== "xfs") {
        throw new ArgumentError(
            "args.dataVolume.filesystem",
            `must be "ext4" or "xfs", got ${JSON.stringify(filesystem)}`,
        );
    }
    const minSizeGb = integer("args.dataVolume.minSizeGb", args.minSizeGb ?? DATA_VOLUME_DEFAULTS.minSizeGb, 1, 65536);
    const label = args.label ?? DATA_VOLUME_DEFAULTS.label;
    if (typeof label !== "string" || !LABEL.test(label)) {
        throw new ArgumentError(
            "args.dataVolume.label",
            `must be 1 to 12 characters of [A-Za-z0-9_-] (xfs's limit), got ${JSON.stringify(label)}`,
        );
    }
    const deviceWaitSeconds = integer(
        "args.dataVolume.deviceWaitSeconds",
        args.deviceWaitSeconds ?? DATA_VOLUME_DEFAULTS.deviceWaitSeconds,
        0,
        3600,
    );
    return {
        device,
        filesystem,
        minSizeBytes: minSizeGb * 2 ** 30,
        mountOptions: validateMountOptions(args.mountOptions),
        label,
        deviceWaitSeconds,
        dataRoot,
    };
}
