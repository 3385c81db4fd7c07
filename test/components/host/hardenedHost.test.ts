import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { HardenedHost, planHost, RUN_AS_ROOT, STEP_ORDER, type HardenedHostArgs } from "../../../components/host";
import { allCalls, promiseOf, registration, registrationsUnder, settle, type Registration } from "../../harness/mocks";

const SECRET = "4dabf18193072939515e22adb298388d";
const PARENT = (name: string) => `urn:pulumi:test::hardened-docker::hardened-docker:host:HardenedHost::${name}`;

function sshArgs(): HardenedHostArgs {
    return {
        target: {
            kind: "ssh",
            address: "192.0.2.10",
            user: "admin",
            privateKey: "PRIVATE-KEY",
            dataDevice: "/dev/vdb",
        },
        firewall: {
            adminCidrs: ["203.0.113.0/24", "2001:db8::/48"],
            publishedPorts: [{ port: 8080, sources: ["198.51.100.0/24"] }],
        },
        logging: { remote: { host: "logs.example.net", port: 514, protocol: "tcp" } },
        dockerGroup: { trustedUsers: ["deploy"] },
    };
}

function awsArgs(): HardenedHostArgs {
    return {
        ...sshArgs(),
        target: {
            kind: "aws",
            subnetId: "subnet-0abc",
            vpcId: "vpc-0abc",
            publicKey: "ssh-ed25519 AAAAC3Nza test",
            privateKey: pulumi.secret("PRIVATE-KEY"),
            tags: { team: "platform" },
        },
    };
}

/** The step commands of a host, in registration order. */
function stepCommands(name: string): Registration[] {
    return registrationsUnder(name).filter((r) => r.type === "command:remote:Command");
}

describe("HardenedHost", () => {
    describe("on an existing machine over SSH", () => {
        let host: HardenedHost;
        before(async () => {
            host = new HardenedHost("hh-ssh", sshArgs());
            await settle();
        });

        it("registers one command per step, in order, each after the one before, then the provider", () => {
            const cmds = stepCommands("hh-ssh");
            assert.deepEqual(
                cmds.map((c) => c.name),
                STEP_ORDER.map((id) => `hh-ssh-${id}`),
            );
            cmds.forEach((c, i) => {
                assert.equal(c.parent, PARENT("hh-ssh"));
                assert.deepEqual(c.dependencies, i === 0 ? [] : [cmds[i - 1].urn], c.name);
            });
            const provider = registration("pulumi:providers:docker", "hh-ssh-docker");
            assert.deepEqual(provider.dependencies, [cmds[cmds.length - 1].urn]);
            assert.equal(provider.inputs.host, "ssh://admin@192.0.2.10:22");
            // Provider settings travel as JSON text.
            assert.equal(provider.inputs.sshOpts, '["-o","BatchMode=yes","-o","StrictHostKeyChecking=accept-new"]');
            assert.equal(
                registrationsUnder("hh-ssh").filter((r) => r.type.startsWith("aws:")).length,
                0,
                "no cloud resources",
            );
        });

        it("runs each step's rendered script as root from stdin, with a secret connection and no environment", () => {
            const plan = planHost(sshArgs());
            for (const c of stepCommands("hh-ssh")) {
                const id = c.name.slice("hh-ssh-".length);
                assert.equal(c.inputs.create, RUN_AS_ROOT);
                assert.equal(c.inputs.addPreviousOutputInEnv, false);
                assert.equal(c.inputs.environment, undefined);
                assert.equal(
                    (c.wireInputs.connection as Record<string, unknown>)[SECRET],
                    "1b47061264138c4ac30d75fd1eb44270",
                );
                const step = plan.steps.find((s) => s.id === id);
                if (step !== undefined) {
                    assert.equal(c.inputs.stdin, step.script, id);
                }
            }
            const dv = stepCommands("hh-ssh").find((c) => c.name === "hh-ssh-data-volume")!;
            assert.match(dv.inputs.stdin as string, /\/dev\/vdb/);
        });

        it("exports the endpoint, a secret connection and the hash of every script", async () => {
            assert.equal(await promiseOf(host.dockerEndpoint), "ssh://admin@192.0.2.10:22");
            assert.equal(await promiseOf(host.address), "192.0.2.10");
            assert.equal(pulumi.isSecret !== undefined && (await pulumi.isSecret(host.connection)), true);
            const connection = await promiseOf(host.connection);
            assert.deepEqual(connection, {
                host: "192.0.2.10",
                port: 22,
                user: "admin",
                privateKey: "PRIVATE-KEY",
                dialErrorLimit: 30,
                perDialTimeout: 30,
            });
            const hashes = await promiseOf(host.artifactHashes);
            assert.deepEqual(Object.keys(hashes), [...STEP_ORDER]);
            for (const c of stepCommands("hh-ssh")) {
                const id = c.name.slice("hh-ssh-".length);
                assert.equal(
                    hashes[id],
                    createHash("sha256")
                        .update(c.inputs.stdin as string)
                        .digest("hex"),
                    id,
                );
            }
        });
    });

    describe("at an IPv6 address", () => {
        it("puts the address in brackets in the Docker endpoint", async () => {
            const args = sshArgs();
            (args.target as { address: string }).address = "2001:db8::10";
            const host = new HardenedHost("hh-v6", args);
            await settle();
            assert.equal(await promiseOf(host.dockerEndpoint), "ssh://admin@[2001:db8::10]:22");
            assert.equal((await promiseOf(host.connection)).host, "2001:db8::10");
        });
    });

    describe("behind a port forward", () => {
        it("connects to the forwarded port while sshd and the firewall keep args.sshPort", async () => {
            const args = sshArgs();
            (args.target as { port?: number }).port = 2222;
            const host = new HardenedHost("hh-fwd", args);
            await settle();
            assert.equal(await promiseOf(host.dockerEndpoint), "ssh://admin@192.0.2.10:2222");
            assert.equal((await promiseOf(host.connection)).port, 2222);
            assert.equal(
                registration("pulumi:providers:docker", "hh-fwd-docker").inputs.host,
                "ssh://admin@192.0.2.10:2222",
            );
            const plan = planHost(args);
            assert.equal(plan.ctx.sshPort, 22);
            assert.match(plan.steps.find((s) => s.id === "ssh")!.script, /^Port 22$/m);
        });
    });

    describe("on AWS", () => {
        before(async () => {
            new HardenedHost("hh-aws", awsArgs());
            await settle();
        });

        it("looks the AMI up by owner and name filter", () => {
            const call = allCalls().find((c) => c.token === "aws:ec2/getAmi:getAmi")!;
            assert.deepEqual(call.inputs, {
                mostRecent: true,
                owners: ["136693071363"],
                filters: [
                    { name: "name", values: ["debian-12-amd64-*"] },
                    { name: "architecture", values: ["x86_64"] },
                    { name: "virtualization-type", values: ["hvm"] },
                    { name: "root-device-type", values: ["ebs"] },
                ],
            });
        });

        it("starts the instance with IMDSv2 only, hop limit 1, an encrypted root volume and no public address", () => {
            const i = registration("aws:ec2/instance:Instance", "hh-aws-instance");
            assert.deepEqual(i.inputs.metadataOptions, {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
            });
            assert.deepEqual(i.inputs.rootBlockDevice, {
                encrypted: true,
                volumeType: "gp3",
                volumeSize: 20,
                deleteOnTermination: true,
            });
            assert.equal(i.inputs.ami, "ami-0123456789abcdef0");
            assert.equal(i.inputs.instanceType, "t3.medium");
            assert.equal(i.inputs.associatePublicIpAddress, false);
            assert.equal(i.inputs.subnetId, "subnet-0abc");
            assert.deepEqual(i.inputs.vpcSecurityGroupIds, ["hh-aws-sg-id"]);
            assert.equal(i.inputs.keyName, "hh-aws-key-5a6b7c8");
            assert.deepEqual(i.inputs.tags, { team: "platform", "hardened-docker:host": "hh-aws", Name: "hh-aws" });
        });

        it("attaches a dedicated encrypted data volume in the instance's zone, kept on destroy", () => {
            const v = registration("aws:ebs/volume:Volume", "hh-aws-data");
            assert.deepEqual(v.inputs, {
                availabilityZone: "eu-west-1a",
                size: 50,
                type: "gp3",
                encrypted: true,
                tags: { team: "platform", "hardened-docker:host": "hh-aws", Name: "hh-aws-docker-data" },
            });
            const a = registration("aws:ec2/volumeAttachment:VolumeAttachment", "hh-aws-data");
            assert.deepEqual(a.inputs, {
                deviceName: "/dev/sdf",
                volumeId: "vol-0123456789abcdef0",
                instanceId: "i-0123456789abcdef0",
                stopInstanceBeforeDetaching: true,
            });
            const dv = stepCommands("hh-aws").find((c) => c.name === "hh-aws-data-volume")!;
            assert.match(dv.inputs.stdin as string, /vol0123456789abcdef0/);
        });

        it("opens SSH to the admin networks and the published port to its sources, never to the world", () => {
            const sg = registration("aws:ec2/securityGroup:SecurityGroup", "hh-aws-sg");
            assert.equal(sg.inputs.vpcId, "vpc-0abc");
            assert.deepEqual(sg.inputs.ingress, [
                {
                    protocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    description: "SSH from the admin networks",
                    cidrBlocks: ["203.0.113.0/24"],
                    ipv6CidrBlocks: ["2001:db8::/48"],
                },
                {
                    protocol: "tcp",
                    fromPort: 8080,
                    toPort: 8080,
                    description: "tcp/8080 from its listed sources",
                    cidrBlocks: ["198.51.100.0/24"],
                },
            ]);
        });

        it("waits for sshd on the new instance before the first step, then connects to its private address", () => {
            const wait = registration("command:local:Command", "hh-aws-wait-ssh");
            assert.deepEqual(wait.inputs.environment, { HD_HOST: "10.0.1.23", HD_PORT: "22" });
            assert.deepEqual(wait.inputs.triggers, ["i-0123456789abcdef0"]);
            const first = stepCommands("hh-aws")[0];
            assert.equal(first.name, "hh-aws-kernel");
            // After sshd answers and the data volume is attached; the instance comes in through the
            // connection's address.
            assert.deepEqual(
                first.dependencies.sort(),
                [
                    wait.urn,
                    registration("aws:ec2/volumeAttachment:VolumeAttachment", "hh-aws-data").urn,
                    registration("aws:ec2/instance:Instance", "hh-aws-instance").urn,
                ].sort(),
            );
            assert.equal(
                registration("pulumi:providers:docker", "hh-aws-docker").inputs.host,
                "ssh://admin@10.0.1.23:22",
            );
        });
    });

    describe("bad input fails at preview", () => {
        const BAD: [string, (a: HardenedHostArgs) => void, string][] = [
            [
                "no remote logging and no waiver",
                (a) => delete a.logging,
                "args.logging is required: a central syslog endpoint, or give waivers.noRemoteLogging",
            ],
            [
                "a Docker API port published",
                (a) => (a.firewall.publishedPorts = [{ port: 2375, sources: ["10.0.0.0/8"] }]),
                "args.firewall.publishedPorts[0].port is 2375, a Docker API port (2375, 2376, 2377), which is never opened; reach the engine over SSH",
            ],
            [
                "root as the SSH user",
                (a) => ((a.target as { user: string }).user = "root"),
                "args.target.user is root, whose SSH login the hardening turns off; use a user with passwordless sudo",
            ],
            [
                "a forwarded port out of range",
                (a) => ((a.target as { port?: number }).port = 70000),
                "args.target.port must be a whole number from 1 to 65535, got 70000",
            ],
            [
                "an SSH port that is a Docker port",
                (a) => (a.sshPort = 2377),
                "args.sshPort is 2377, a Docker API port; choose another",
            ],
        ];
        for (const [title, change, message] of BAD) {
            it(`rejects ${title}`, () => {
                const args = sshArgs();
                change(args);
                assert.throws(
                    () => new HardenedHost(`hh-bad-${title.replace(/\W+/g, "-")}`, args),
                    (e: unknown) =>
                        e instanceof pulumi.ResourceError &&
                        e.message === `HardenedHost "hh-bad-${title.replace(/\W+/g, "-")}": ${message}`,
                );
            });
        }
    });

    it("every step script of a full plan passes bash -n and shellcheck", function () {
        const plan = planHost(sshArgs());
        const haveShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
        if (!haveShellcheck && process.env.REQUIRE_TOOLS === "1") {
            throw new Error("shellcheck is not installed");
        }
        for (const step of plan.steps) {
            const n = spawnSync("bash", ["-n"], { input: step.script, encoding: "utf8" });
            assert.equal(n.status, 0, `${step.id}: ${n.stderr}`);
            if (haveShellcheck) {
                const sc = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], {
                    input: step.script,
                    encoding: "utf8",
                });
                assert.equal(sc.status, 0, `${step.id}: ${sc.stdout}`);
            }
        }
    });
});
