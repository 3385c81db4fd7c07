import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import {
    type DataVolumeArgs,
    type DataVolumePlan,
    validateDataVolumeArgs,
} from "../../../../components/host/dataVolume";
import type { HostContext } from "../../../../components/host/step";
import { CTX } from "../stepHarness";

const GIB = 2 ** 30;

describe("validateDataVolumeArgs", () => {
    it("fills in the secure defaults", () => {
        assert.deepEqual(validateDataVolumeArgs({ device: { path: "/dev/sdb" } }, CTX), {
            device: { kind: "path", path: "/dev/sdb" },
            filesystem: "ext4",
            minSizeBytes: 10 * GIB,
            mountOptions: ["nodev", "nosuid", "noatime"],
            label: "docker-data",
            deviceWaitSeconds: 300,
            dataRoot: "/var/lib/docker",
        } satisfies DataVolumePlan);
    });

    it("takes every option", () => {
        assert.deepEqual(
            validateDataVolumeArgs(
                {
                    device: { awsVolumeId: "vol-0123456789abcdef0" },
                    filesystem: "xfs",
                    minSizeGb: 50,
                    mountOptions: ["nosuid", "nodev", "prjquota"],
                    label: "dockerdata",
                    deviceWaitSeconds: 0,
                },
                { ...CTX, dataRoot: "/srv/docker" },
            ),
            {
                device: { kind: "awsVolume", volumeId: "vol-0123456789abcdef0", serial: "vol0123456789abcdef0" },
                filesystem: "xfs",
                minSizeBytes: 50 * GIB,
                mountOptions: ["nosuid", "nodev", "prjquota"],
                label: "dockerdata",
                deviceWaitSeconds: 0,
                dataRoot: "/srv/docker",
            } satisfies DataVolumePlan,
        );
    });

    for (const path of [
        "/dev/sdb",
        "/dev/nvme1n1",
        "/dev/xvdf",
        "/dev/mapper/data-docker",
        "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0",
        "/dev/disk/by-path/pci-0000:00:05.0-scsi-0:0:1:0",
    ]) {
        it(`accepts the device path ${path}`, () => {
            assert.deepEqual(validateDataVolumeArgs({ device: { path } }, CTX).device, { kind: "path", path });
        });
    }

    it("accepts an old 8-digit EBS volume id", () => {
        assert.deepEqual(validateDataVolumeArgs({ device: { awsVolumeId: "vol-0123abcd" } }, CTX).device, {
            kind: "awsVolume",
            volumeId: "vol-0123abcd",
            serial: "vol0123abcd",
        });
    });

    type Case = [title: string, args: unknown, message: string, ctx?: Partial<HostContext>];
    const cases: Case[] = [
        [
            "no arguments",
            undefined,
            'args.dataVolume.device is required: { path: "/dev/..." } or { awsVolumeId: "vol-..." }, the device that holds Docker\'s data root (CIS 1.1.1)',
        ],
        [
            "no device",
            {},
            'args.dataVolume.device is required: { path: "/dev/..." } or { awsVolumeId: "vol-..." }, the device that holds Docker\'s data root (CIS 1.1.1)',
        ],
        [
            "an unknown argument",
            { device: { path: "/dev/sdb" }, size: 20 },
            "args.dataVolume.size is not an argument; allowed: device, filesystem, minSizeGb, mountOptions, label, deviceWaitSeconds",
        ],
        [
            "both device kinds",
            { device: { path: "/dev/sdb", awsVolumeId: "vol-0123456789abcdef0" } },
            "args.dataVolume.device must give exactly one of path (a block device) and awsVolumeId (an attached EBS volume)",
        ],
        [
            "an empty device",
            { device: {} },
            "args.dataVolume.device must give exactly one of path (a block device) and awsVolumeId (an attached EBS volume)",
        ],
        [
            "an unknown device key",
            { device: { uuid: "x" } },
            "args.dataVolume.device.uuid is not an argument; allowed: path, awsVolumeId",
        ],
        [
            "a path outside /dev",
            { device: { path: "/tmp/disk.img" } },
            'args.dataVolume.device.path must be a block device path: /dev/<name>, /dev/mapper/<name>, /dev/disk/by-id/<id> or /dev/disk/by-path/<path>, got "/tmp/disk.img"',
        ],
        [
            "a path that climbs out of /dev",
            { device: { path: "/dev/../etc/passwd" } },
            'args.dataVolume.device.path must be a block device path: /dev/<name>, /dev/mapper/<name>, /dev/disk/by-id/<id> or /dev/disk/by-path/<path>, got "/dev/../etc/passwd"',
        ],
        [
            "a by-uuid link",
            { device: { path: "/dev/disk/by-uuid/1234" } },
            'args.dataVolume.device.path must be a block device path: /dev/<name>, /dev/mapper/<name>, /dev/disk/by-id/<id> or /dev/disk/by-path/<path>, got "/dev/disk/by-uuid/1234"',
        ],
        [
            "a path with shell characters",
            { device: { path: "/dev/sdb;reboot" } },
            'args.dataVolume.device.path must be a block device path: /dev/<name>, /dev/mapper/<name>, /dev/disk/by-id/<id> or /dev/disk/by-path/<path>, got "/dev/sdb;reboot"',
        ],
        [
            "an EBS id without the dash",
            { device: { awsVolumeId: "vol0123456789abcdef0" } },
            'args.dataVolume.device.awsVolumeId must be an EBS volume id: vol- and 17 hex digits (8 for old volumes), got "vol0123456789abcdef0"',
        ],
        [
            "an EBS id of the wrong length",
            { device: { awsVolumeId: "vol-0123456789abcdef" } },
            'args.dataVolume.device.awsVolumeId must be an EBS volume id: vol- and 17 hex digits (8 for old volumes), got "vol-0123456789abcdef"',
        ],
        [
            "an EBS id in upper case",
            { device: { awsVolumeId: "vol-0123456789ABCDEF0" } },
            'args.dataVolume.device.awsVolumeId must be an EBS volume id: vol- and 17 hex digits (8 for old volumes), got "vol-0123456789ABCDEF0"',
        ],
        [
            "btrfs",
            { device: { path: "/dev/sdb" }, filesystem: "btrfs" },
            'args.dataVolume.filesystem must be "ext4" or "xfs", got "btrfs"',
        ],
        [
            "a zero minimum size",
            { device: { path: "/dev/sdb" }, minSizeGb: 0 },
            "args.dataVolume.minSizeGb must be a whole number from 1 to 65536, got 0",
        ],
        [
            "a fractional minimum size",
            { device: { path: "/dev/sdb" }, minSizeGb: 2.5 },
            "args.dataVolume.minSizeGb must be a whole number from 1 to 65536, got 2.5",
        ],
        [
            "a negative wait",
            { device: { path: "/dev/sdb" }, deviceWaitSeconds: -1 },
            "args.dataVolume.deviceWaitSeconds must be a whole number from 0 to 3600, got -1",
        ],
        [
            "a label too long for xfs",
            { device: { path: "/dev/sdb" }, label: "docker-data-root" },
            'args.dataVolume.label must be 1 to 12 characters of [A-Za-z0-9_-] (xfs\'s limit), got "docker-data-root"',
        ],
        [
            "a label with a space",
            { device: { path: "/dev/sdb" }, label: "docker data" },
            'args.dataVolume.label must be 1 to 12 characters of [A-Za-z0-9_-] (xfs\'s limit), got "docker data"',
        ],
        [
            "mount options as one string",
            { device: { path: "/dev/sdb" }, mountOptions: "nodev,nosuid" },
            'args.dataVolume.mountOptions must be a list of mount options such as ["nodev", "nosuid", "noatime"]',
        ],
        [
            "two options in one entry",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev,nosuid"] },
            'args.dataVolume.mountOptions[0] must be one mount option, name or name=value (no commas or spaces), got "nodev,nosuid"',
        ],
        [
            "noexec",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "nosuid", "noexec"] },
            'args.dataVolume.mountOptions[2] is "noexec", which stops binaries in named volumes from running (volumes are bind mounts of the data root and keep its flags)',
        ],
        [
            "suid",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "suid"] },
            'args.dataVolume.mountOptions[1] is "suid", which undoes nosuid',
        ],
        [
            "read-only",
            { device: { path: "/dev/sdb" }, mountOptions: ["ro", "nodev", "nosuid"] },
            'args.dataVolume.mountOptions[0] is "ro", which leaves Docker unable to write its data',
        ],
        [
            "noauto",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "nosuid", "noauto"] },
            'args.dataVolume.mountOptions[2] is "noauto", which leaves the data root unmounted after a reboot',
        ],
        [
            "users",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "nosuid", "users"] },
            'args.dataVolume.mountOptions[2] is "users", which lets unprivileged users mount or unmount the data root',
        ],
        [
            "a systemd option",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "nosuid", "x-systemd.device-timeout=5min"] },
            'args.dataVolume.mountOptions[2] is "x-systemd.device-timeout=5min", which hardened-docker sets itself',
        ],
        [
            "nofail",
            { device: { path: "/dev/sdb" }, mountOptions: ["nofail", "nodev", "nosuid"] },
            'args.dataVolume.mountOptions[0] is "nofail", which hardened-docker always sets',
        ],
        [
            "an option given twice",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "nosuid", "commit=5", "commit=60"] },
            "args.dataVolume.mountOptions[3] sets commit twice",
        ],
        [
            "no nosuid",
            { device: { path: "/dev/sdb" }, mountOptions: ["nodev", "noatime"] },
            "args.dataVolume.mountOptions must include nodev and nosuid: device nodes and setuid files that containers write under the data root must stay inert on the host",
        ],
        [
            "a relative data root",
            { device: { path: "/dev/sdb" } },
            'args.dataRoot must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got "var/lib/docker"',
            { dataRoot: "var/lib/docker" },
        ],
        [
            "a data root with ..",
            { device: { path: "/dev/sdb" } },
            'args.dataRoot must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got "/var/lib/../docker"',
            { dataRoot: "/var/lib/../docker" },
        ],
        [
            "the root directory as data root",
            { device: { path: "/dev/sdb" } },
            'args.dataRoot must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got "/"',
            { dataRoot: "/" },
        ],
        [
            "/var as data root",
            { device: { path: "/dev/sdb" } },
            "args.dataRoot must not be the system directory /var",
            { dataRoot: "/var" },
        ],
    ];

    for (const [title, args, message, ctx] of cases) {
        it(`refuses ${title}`, () => {
            assert.throws(
                () => validateDataVolumeArgs(args as DataVolumeArgs, { ...CTX, ...ctx }),
                (e: unknown) => e instanceof ArgumentError && e.message === message,
            );
        });
    }
});
