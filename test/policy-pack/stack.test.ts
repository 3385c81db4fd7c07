import * as assert from "node:assert/strict";
import { endpointForMessage, endpointUri, parseDockerHost, STEP_HEADER } from "../../policy-pack/lib/stack";
import { prelude } from "../../components/host/shell";
import { policyPack, UNKNOWN, urnOf, type AnalyzerInput, type PolicyPackClient } from "../harness/policyPack";
import { compliantContainer, CONTAINER, DIGEST, expected, REMOTE_COMMAND } from "./fixtures";

const HOST = "hardened-docker:host:HardenedHost";
const PROVIDER = "pulumi:providers:docker";
const INSTANCE = "aws:ec2/instance:Instance";
const ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";

const BASE_CONFIG = {
    "docker-image-require-trusted-registry": { allowedRegistries: ["ghcr.io/acme"] },
};

const hostUrn = urnOf(HOST, "edge");
const providerUrn = urnOf(PROVIDER, "edge-docker");

/** A step command of the HardenedHost "edge", as the component registers it. */
function step(id: string, host = "192.0.2.10"): AnalyzerInput {
    return {
        type: REMOTE_COMMAND,
        name: `edge-${id}`,
        parent: hostUrn,
        props: {
            create: "exec /bin/bash -s",
            stdin: `${prelude(id)}\necho ${id}\n`,
            connection: { host, port: 22, user: "admin", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" },
        },
    };
}

/** A host of the stack, its steps and its provider, and a container on that provider. */
function hardenedStack(): AnalyzerInput[] {
    const provider = {
        type: PROVIDER,
        name: "edge-docker",
        urn: providerUrn,
        props: { host: "ssh://admin@192.0.2.10:22" },
    };
    return [
        { type: HOST, name: "edge", urn: hostUrn, props: {} },
        step("ssh"),
        step("data-volume"),
        { ...provider, parent: hostUrn },
        {
            type: CONTAINER,
            name: "api",
            props: { ...compliantContainer(), image: `ghcr.io/acme/api@${DIGEST}` },
            provider,
        },
        {
            type: REMOTE_COMMAND,
            name: "api-pids-limit",
            props: { create: 'set -eu\nIFS= read -r cid\n"$@" update --pids-limit 128 "$cid" >/dev/null\n' },
            dependencies: [urnOf(CONTAINER, "api")],
        },
    ];
}

/** The stack with the container on another provider, outside the host. */
function onProvider(props: Record<string, unknown>, name = "other"): AnalyzerInput[] {
    const stack = hardenedStack();
    const urn = urnOf(PROVIDER, name);
    const provider = { type: PROVIDER, name, urn, props };
    stack.push(provider);
    stack.find((r) => r.type === CONTAINER)!.provider = provider;
    return stack;
}

describe("stack policies: hosts and where containers run", () => {
    let pack: PolicyPackClient;

    before(async () => {
        pack = await policyPack();
    });

    beforeEach(async () => {
        await pack.configure(BASE_CONFIG);
    });

    it("the step header the policies read is what every step script starts with", () => {
        assert.ok(prelude("data-volume").startsWith(`${STEP_HEADER}data-volume.`));
    });

    it("parse Docker endpoints, and print them without credentials", () => {
        assert.deepEqual(parseDockerHost("ssh://admin@192.0.2.10:22"), {
            scheme: "ssh",
            hostname: "192.0.2.10",
            port: 22,
        });
        assert.deepEqual(parseDockerHost("tcp://[2001:DB8::1]:2376"), {
            scheme: "tcp",
            hostname: "2001:db8::1",
            port: 2376,
        });
        assert.deepEqual(parseDockerHost("ssh://build-01.example.net"), {
            scheme: "ssh",
            hostname: "build-01.example.net",
        });
        assert.deepEqual(parseDockerHost("unix:///var/run/docker.sock"), { scheme: "unix", hostname: "" });
        assert.equal(parseDockerHost("192.0.2.10:2375"), undefined);
        assert.equal(endpointForMessage("tcp://user:secret@203.0.113.5:2375/"), "tcp://203.0.113.5:2375");
        const e = parseDockerHost("SSH://Deploy:pw@Build-01.Example.NET:22/x#y")!;
        assert.equal(
            endpointUri("SSH://Deploy:pw@Build-01.Example.NET:22/x#y", e),
            "ssh://deploy@build-01.example.net:22",
        );
        assert.equal(endpointForMessage("tcp://[2001:db8::1]:2376"), "tcp://[2001:db8::1]:2376");
        assert.equal(endpointForMessage("tcp://admin:S3cr3t@10.0.0.5:2375"), "tcp://10.0.0.5:2375");
        // Not a URI Docker accepts (an unencoded / in the password), and still nothing of it shown.
        assert.equal(endpointForMessage("tcp://admin:S3cr3t/P@ss@10.0.0.5:2375"), "10.0.0.5:2375");
        assert.equal(endpointForMessage("admin:pw@10.0.0.5:2375"), "10.0.0.5:2375");
        assert.equal(endpointForMessage("not a host at all"), "an endpoint that is not a URI");
        assert.equal(endpointForMessage("unix:///var/run/docker.sock"), "unix:///var/run/docker.sock");
    });

    it("pass a container on the provider of a host the stack hardens", async () => {
        assert.deepEqual(await pack.analyzeStack(hardenedStack()), []);
    });

    it("pass a provider outside the host component that points at the host's address", async () => {
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "ssh://deploy@192.0.2.10:2222" })), []);
    });

    it("reject a container on a provider whose host the stack does not harden, naming it without credentials", async () => {
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "tcp://ops:hunter2@203.0.113.5:2375" })), [
            expected(
                "docker-container-require-hardened-host",
                "container api runs against the Docker provider other, whose host tcp://203.0.113.5:2375 is neither a host this stack hardens nor on allowedHosts; expected the provider of a HardenedHost of this stack, or an allowed host (CIS 1.2.1).",
                urnOf(CONTAINER, "api"),
            ),
        ]);
    });

    it("reject a container on a provider that sets no host (DOCKER_HOST decides)", async () => {
        assert.deepEqual(await pack.analyzeStack(onProvider({}, "default_5_2_0")), [
            expected(
                "docker-container-require-hardened-host",
                "container api runs against the Docker provider default_5_2_0, which sets no host, so it reaches whatever DOCKER_HOST names where pulumi runs; expected the provider of a host this stack hardens, or a host on allowedHosts (CIS 1.2.1).",
                urnOf(CONTAINER, "api"),
            ),
        ]);
    });

    it("pass a host on the allow-list, by URI or by host name pattern", async () => {
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-require-hardened-host": { allowedHosts: ["ssh://deploy@build-*.example.net:22"] },
        });
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "ssh://deploy@build-01.example.net:22" })), []);
        assert.equal((await pack.analyzeStack(onProvider({ host: "ssh://root@build-01.example.net:22" }))).length, 1);
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-require-hardened-host": { allowedHosts: ["*.ci.example.net"] },
        });
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "tcp://runner-3.ci.example.net:2376" })), []);
    });

    it("wait for a provider host unknown during preview that no resource of the stack makes", async () => {
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: UNKNOWN })), []);
    });

    it("trust an unknown host made by a hardened host's resources, and reject one made by any other", async () => {
        const fromHost = onProvider({ host: UNKNOWN });
        fromHost.find((r) => r.name === "other")!.propertyDependencies = { host: [urnOf(REMOTE_COMMAND, "edge-ssh")] };
        fromHost.find((r) => r.name === "edge-ssh")!.urn = urnOf(REMOTE_COMMAND, "edge-ssh");
        assert.deepEqual(await pack.analyzeStack(fromHost), []);
        const fromVm = onProvider({ host: UNKNOWN });
        fromVm.push({
            type: "aws:ec2/instance:Instance",
            name: "plain-vm",
            props: { instanceType: "t3.small", ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] },
        });
        fromVm.find((r) => r.name === "other")!.propertyDependencies = {
            host: [urnOf("aws:ec2/instance:Instance", "plain-vm")],
        };
        assert.deepEqual(await pack.analyzeStack(fromVm), [
            expected(
                "docker-container-require-hardened-host",
                "container api runs against the Docker provider other, whose host is not known yet and comes from plain-vm, which no HardenedHost of this stack includes; expected the provider of a HardenedHost of this stack, or an allowed host (CIS 1.2.1).",
                urnOf(CONTAINER, "api"),
            ),
        ]);
    });

    it("match allow-list patterns against the endpoint Docker reaches, not the raw text", async () => {
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-require-hardened-host": {
                allowedHosts: ["*.example.net", "unix:///run/user/*/docker.sock"],
            },
        });
        for (const host of [
            "tcp://evil.attacker.test:2375#.example.net",
            "tcp://evil.attacker.test:2375/x.example.net",
        ]) {
            assert.equal((await pack.analyzeStack(onProvider({ host }))).length, 1, host);
        }
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "ssh://ci@runner.example.net" })), []);
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "unix:///run/user/1000/docker.sock" })), []);
        assert.equal((await pack.analyzeStack(onProvider({ host: "unix:///var/run/docker.sock" }))).length, 1);
    });

    it("read a host the engine sends JSON-encoded", async () => {
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: '"ssh://deploy@192.0.2.10:22"' })), []);
    });

    it("waive a container by name", async () => {
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-require-hardened-host": {
                waivers: [
                    { resource: "api", justification: "runs on the build farm, hardened by the CI team (SEC-7)" },
                ],
            },
        });
        assert.deepEqual(await pack.analyzeStack(onProvider({ host: "tcp://203.0.113.5:2375" })), []);
    });

    it("reject a HardenedHost that runs no data-volume step", async () => {
        const stack = hardenedStack().filter((r) => r.name !== "edge-data-volume");
        assert.deepEqual(await pack.analyzeStack(stack), [
            expected(
                "docker-host-require-data-volume",
                "HardenedHost edge runs no data-volume step, so Docker's data root stays on the root filesystem; expected its data-volume step on a dedicated device (CIS 1.1.1).",
                hostUrn,
            ),
        ]);
    });

    it("accept the data-volume step by name while its script is unknown (an AWS volume id during preview)", async () => {
        const stack = hardenedStack();
        (stack.find((r) => r.name === "edge-data-volume")!.props as Record<string, unknown>).stdin = UNKNOWN;
        assert.deepEqual(await pack.analyzeStack(stack), []);
        // A command of another name with an unknown script does not count.
        stack.find((r) => r.name === "edge-data-volume")!.name = "edge-other";
        assert.equal((await pack.analyzeStack(stack)).length, 1);
    });

    describe("EC2 instances that serve Docker", () => {
        const instanceUrn = urnOf(INSTANCE, "docker-vm");
        const instance = (props: Record<string, unknown>): AnalyzerInput => ({
            type: INSTANCE,
            name: "docker-vm",
            props: { instanceType: "t3.small", ...props },
        });
        const finding = (why: string) =>
            expected(
                "docker-host-require-data-volume",
                `instance docker-vm is a Docker host (${why}) with no data volume: no aws:ec2/volumeAttachment:VolumeAttachment names it and ebsBlockDevices is empty; expected a dedicated EBS volume for Docker's data root (CIS 1.1.1).`,
                instanceUrn,
            );

        it("ignore an instance that nothing marks as a Docker host", async () => {
            assert.deepEqual(await pack.analyzeStack([instance({ tags: { Name: "bastion" } })]), []);
        });

        it("reject one tagged as a Docker host, one a provider points at, and one whose user data installs Docker", async () => {
            assert.deepEqual(await pack.analyzeStack([instance({ tags: { "hardened-docker:host": "edge" } })]), [
                finding("tagged hardened-docker:host"),
            ]);
            const provider: AnalyzerInput = {
                type: PROVIDER,
                name: "vm-docker",
                props: { host: UNKNOWN },
                propertyDependencies: { host: [instanceUrn] },
            };
            assert.deepEqual(await pack.analyzeStack([instance({}), provider]), [
                finding("the Docker provider vm-docker points at it"),
            ]);
            const byAddress: AnalyzerInput = {
                type: PROVIDER,
                name: "vm-docker",
                props: { host: "ssh://admin@10.0.1.23" },
            };
            assert.deepEqual(await pack.analyzeStack([instance({ privateIp: "10.0.1.23" }), byAddress]), [
                finding("the Docker provider vm-docker points at it"),
            ]);
            assert.deepEqual(
                await pack.analyzeStack([instance({ userData: "#!/bin/sh\napt-get install -y docker.io\n" })]),
                [finding("its user data sets up Docker")],
            );
        });

        it("reject an instance of a HardenedHost without an attachment, and pass it with one or with inline volumes", async () => {
            const stack = hardenedStack();
            stack.push({ ...instance({}), parent: hostUrn });
            assert.deepEqual(await pack.analyzeStack(stack), [finding("part of HardenedHost edge")]);
            const attachment: AnalyzerInput = {
                type: ATTACHMENT,
                name: "edge-data",
                parent: hostUrn,
                props: { deviceName: "/dev/sdf", volumeId: "vol-1", instanceId: UNKNOWN },
                propertyDependencies: { instanceId: [instanceUrn] },
            };
            assert.deepEqual(await pack.analyzeStack([...stack, attachment]), []);
            const byId: AnalyzerInput = {
                ...attachment,
                props: { ...attachment.props, instanceId: "i-0abc" },
                propertyDependencies: {},
            };
            stack[stack.length - 1].props.id = "i-0abc";
            assert.deepEqual(await pack.analyzeStack([...stack, byId]), []);
            const inline = hardenedStack();
            inline.push({
                ...instance({ ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, volumeSize: 50 }] }),
                parent: hostUrn,
            });
            assert.deepEqual(await pack.analyzeStack(inline), []);
        });
    });
});
