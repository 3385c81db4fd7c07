import * as assert from "node:assert/strict";
import { validateNoDockerApiPorts, validateSshPort, validateTarget } from "../../../components/host/validateTarget";
import type { HostTarget } from "../../../components/host/targets";

const SSH: HostTarget = {
    kind: "ssh",
    address: "192.0.2.10",
    user: "admin",
    privateKey: "KEY",
    dataDevice: "/dev/vdb",
};
const AWS: HostTarget = {
    kind: "aws",
    subnetId: "subnet-1",
    vpcId: "vpc-1",
    publicKey: "ssh-ed25519 AAAA",
    privateKey: "KEY",
};

describe("HardenedHost target validation", () => {
    it("fills in the AWS defaults", () => {
        assert.deepEqual(validateTarget(AWS), {
            kind: "aws",
            user: "admin",
            os: "debian-12",
            instanceType: "t3.medium",
            rootVolumeGb: 20,
            dataVolumeGb: 50,
            publicIpReason: undefined,
            retainDataVolume: true,
            tags: {},
        });
        assert.equal(validateTarget({ ...AWS, os: "ubuntu-24.04" }).user, "ubuntu");
    });

    it("takes an SSH target as given", () => {
        assert.deepEqual(validateTarget(SSH), { kind: "ssh", user: "admin", dataDevice: "/dev/vdb" });
    });

    const BAD: [string, unknown, string][] = [
        ["no target", undefined, 'args.target is required: { kind: "aws", ... } or { kind: "ssh", ... }'],
        ["an unknown kind", { kind: "gcp" }, 'args.target.kind must be "aws" or "ssh", got "gcp"'],
        ["no SSH address", { ...SSH, address: "" }, "args.target.address is required: the host's address"],
        [
            "no private key",
            { ...SSH, privateKey: undefined },
            "args.target.privateKey is required: the SSH private key, as a Pulumi secret",
        ],
        [
            "root as SSH user",
            { ...SSH, user: "root" },
            "args.target.user is root, whose SSH login the hardening turns off; use a user with passwordless sudo",
        ],
        ["a bad user name", { ...SSH, user: "Admin User" }, 'args.target.user must be a user name, got "Admin User"'],
        [
            "a data device that is not a device path",
            { ...SSH, dataDevice: "vdb" },
            'args.target.dataDevice must be a block device path such as /dev/vdb or /dev/disk/by-id/..., got "vdb"',
        ],
        [
            "a data device escaping /dev",
            { ...SSH, dataDevice: "/dev/../etc/passwd" },
            'args.target.dataDevice must be a block device path such as /dev/vdb or /dev/disk/by-id/..., got "/dev/../etc/passwd"',
        ],
        [
            "no subnet",
            { ...AWS, subnetId: undefined },
            "args.target.subnetId is required: the subnet to start the instance in",
        ],
        [
            "no public key",
            { ...AWS, publicKey: "" },
            "args.target.publicKey is required: the SSH public key for the key pair",
        ],
        [
            "an unknown OS",
            { ...AWS, os: "centos-7" },
            'args.target.os must be one of debian-12, ubuntu-22.04, ubuntu-24.04, got "centos-7"',
        ],
        [
            "a bad instance type",
            { ...AWS, instanceType: "large" },
            'args.target.instanceType must be an EC2 instance type such as t3.medium, got "large"',
        ],
        [
            "a tiny data volume",
            { ...AWS, dataVolumeGb: 5 },
            "args.target.dataVolumeGb must be a whole number from 10 to 16384, got 5",
        ],
        [
            "a public IP without a reason",
            { ...AWS, publicIp: { reason: "" } },
            "args.target.publicIp.reason must say why, in at least 10 characters",
        ],
        [
            "a reserved tag",
            { ...AWS, tags: { "aws:owner": "x" } },
            'args.target.tags["aws:owner"] must be a key up to 128 characters, not under aws:, with a string value up to 256',
        ],
    ];
    for (const [title, target, message] of BAD) {
        it(`rejects ${title}`, () =>
            assert.throws(() => validateTarget(target as HostTarget), { name: "ArgumentError", message }));
    }

    it("never opens a Docker API port", () => {
        assert.throws(() => validateNoDockerApiPorts({ publishedPorts: [{ port: 8080 }, { port: 2376 }] }), {
            message:
                "args.firewall.publishedPorts[1].port is 2376, a Docker API port (2375, 2376, 2377), which is never opened; reach the engine over SSH",
        });
        assert.doesNotThrow(() => validateNoDockerApiPorts({ hostPorts: [{ port: 443 }] }));
    });

    it("checks the SSH port", () => {
        assert.equal(validateSshPort(undefined), 22);
        assert.equal(validateSshPort(2222), 2222);
        assert.throws(() => validateSshPort(2376), {
            message: "args.sshPort is 2376, a Docker API port; choose another",
        });
        assert.throws(() => validateSshPort(0), {
            message: "args.sshPort must be a whole number from 1 to 65535, got 0",
        });
    });
});
