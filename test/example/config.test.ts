import * as assert from "node:assert/strict";
import { readExampleConfig, type ConfigSource } from "../../example/config";

const IMAGE = `docker.io/nginxinc/nginx-unprivileged@sha256:${"a".repeat(64)}`;

function source(values: Record<string, unknown>): ConfigSource {
    return {
        get: (k) => values[k] as string | undefined,
        getObject: <T>(k: string) => values[k] as T | undefined,
        getNumber: (k) => values[k] as number | undefined,
    };
}

const SSH = {
    target: "ssh",
    ssh: { address: "192.0.2.10", user: "admin", dataDevice: "/dev/vdb" },
    adminCidrs: ["203.0.113.0/24"],
    clientCidrs: ["198.51.100.0/24"],
    syslog: { host: "logs.example.net", port: 514 },
    trustedRegistries: ["docker.io/nginxinc"],
    webImage: IMAGE,
    apiImage: IMAGE,
};

describe("example stack config", () => {
    it("reads the ssh example with its defaults", () => {
        assert.deepEqual(readExampleConfig(source(SSH)), {
            target: { kind: "ssh", address: "192.0.2.10", user: "admin", dataDevice: "/dev/vdb" },
            adminCidrs: ["203.0.113.0/24"],
            clientCidrs: ["198.51.100.0/24"],
            syslog: { host: "logs.example.net", port: 514 },
            trustedUsers: [],
            trustedRegistries: ["docker.io/nginxinc"],
            webImage: IMAGE,
            apiImage: IMAGE,
            webPort: 8080,
            apiPort: 9898,
            apiExtraPrograms: [],
        });
    });

    it("reads a forwarded SSH port and refuses one that is not a port", () => {
        const forwarded = { ...SSH, ssh: { ...SSH.ssh, port: 2222 } };
        assert.deepEqual(readExampleConfig(source(forwarded)).target, {
            kind: "ssh",
            address: "192.0.2.10",
            user: "admin",
            dataDevice: "/dev/vdb",
            port: 2222,
        });
        assert.throws(() => readExampleConfig(source({ ...SSH, ssh: { ...SSH.ssh, port: "22" } })), {
            message: 'config hardened-docker:ssh.port must be a port number from 1 to 65535, got "22"',
        });
    });

    it("passes sshd settings through to the host and refuses a non-object", () => {
        const cfg = readExampleConfig(
            source({ ...SSH, sshd: { allowGroups: ["ops"], banner: "authorised use only" } }),
        );
        assert.deepEqual(cfg.sshd, { allowGroups: ["ops"], banner: "authorised use only" });
        assert.throws(() => readExampleConfig(source({ ...SSH, sshd: ["ops"] })), {
            message: "config hardened-docker:sshd must be an object of HardenedHost ssh settings",
        });
    });

    it("reads the aws example", () => {
        const cfg = readExampleConfig(
            source({
                ...SSH,
                target: "aws",
                ssh: undefined,
                aws: { subnetId: "subnet-1", vpcId: "vpc-1", publicKey: "ssh-ed25519 AAAA" },
            }),
        );
        assert.deepEqual(cfg.target, {
            kind: "aws",
            subnetId: "subnet-1",
            vpcId: "vpc-1",
            publicKey: "ssh-ed25519 AAAA",
        });
    });

    const BAD: [string, Record<string, unknown>, string][] = [
        [
            "no target",
            { ...SSH, target: undefined },
            'config hardened-docker:target must be "ssh" or "aws", got undefined',
        ],
        [
            "no ssh settings",
            { ...SSH, ssh: undefined },
            "config hardened-docker:ssh is required: { address, user, dataDevice }",
        ],
        [
            "no data device",
            { ...SSH, ssh: { address: "h", user: "admin" } },
            "config hardened-docker:ssh.dataDevice is required: the block device for Docker's data, e.g. /dev/vdb",
        ],
        [
            "no public key on aws",
            { ...SSH, target: "aws", aws: { subnetId: "s", vpcId: "v" } },
            "config hardened-docker:aws.publicKey is required: the SSH public key (OpenSSH format)",
        ],
        [
            "neither syslog nor a reason",
            { ...SSH, syslog: undefined },
            "config hardened-docker:syslog is required: { host, port }, or set hardened-docker:noRemoteLoggingReason to keep logs on the host",
        ],
        [
            "a publish address that is a name",
            { ...SSH, publishAddress: "localhost" },
            'config hardened-docker:publishAddress must be an IP address, got "localhost"',
        ],
        [
            "no client networks",
            { ...SSH, clientCidrs: undefined },
            "config hardened-docker:clientCidrs is required: networks that may reach the services",
        ],
    ];
    for (const [title, values, message] of BAD) {
        it(`rejects ${title}`, () =>
            assert.throws(() => readExampleConfig(source(values)), { name: "ArgumentError", message }));
    }
});
