import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
    allRegistrations,
    asAnalyzerInputs,
    promiseOf,
    setCommandStdout,
    settle,
    type Registration,
} from "./harness/mocks";
import { encode, recorded } from "./components/compliance/fixtures";
import type { AuditReport } from "../components/compliance";
import { tightenDefaultProfile } from "../components/container/seccomp";
import { EXAMPLE_API_DENIED_SYSCALLS } from "../example/app";
import { STEP_ORDER } from "../components/host";
import * as fs from "node:fs";
import * as path from "node:path";
import { policyPack, type Diagnostic, type PackConfig, type PolicyPackClient } from "./harness/policyPack";
import { ALL_POLICIES } from "../policy-pack/policies";

/** The org config a security team would pass with --policy-pack-config for this example. */
const ORG_CONFIG = {
    "docker-image-require-trusted-registry": { allowedRegistries: ["docker.io/nginxinc", "ghcr.io/stefanprodan"] },
};

const WEB_IMAGE =
    "docker.io/nginxinc/nginx-unprivileged@sha256:62a904036bfc0e4a4f2b556e34cbf17bc136b47fde8cdb4628762725f48c5782";
const API_IMAGE =
    "ghcr.io/stefanprodan/podinfo@sha256:5b789251f4b35f4ac6319c48b57eb6d29356d67471404c5fd3733db2eb8c11cf";

/** policy-pack/org-config.example.json as Configure receives it (a bare level becomes { enforcementLevel }). */
function exampleOrgConfig(): PackConfig {
    const file = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "../policy-pack/org-config.example.json"), "utf8"),
    ) as Record<string, unknown>;
    return Object.fromEntries(
        Object.entries(file).map(([k, v]) => [k, typeof v === "string" ? { enforcementLevel: v } : v]),
    ) as PackConfig;
}

async function analyzeAll(pack: PolicyPackClient, records: Registration[]) {
    const perResource: Record<string, string[]> = {};
    for (const input of asAnalyzerInputs(records, "inputs")) {
        const diags = await pack.analyze(input);
        if (diags.length > 0) {
            perResource[input.name] = diags.map((d) => d.policyName);
        }
    }
    const stack = await pack.analyzeStack(asAnalyzerInputs(records, "outputs"));
    return { perResource, stack };
}

/** Every resource and the whole stack pass the pack under this config. */
async function assertNoViolations(records: Registration[], config: PackConfig): Promise<void> {
    const pack = await policyPack();
    await pack.configure(config);
    const { perResource, stack } = await analyzeAll(pack, records);
    assert.deepEqual(perResource, {});
    assert.deepEqual(stack, [] as Diagnostic[]);
}

describe("the example program (index.ts) under mocks", () => {
    let records: Registration[];
    let outputs: Record<string, pulumi.Output<unknown>>;

    before(async () => {
        const set = (key: string, value: unknown) =>
            pulumi.runtime.setConfig(
                `hardened-docker:${key}`,
                typeof value === "string" ? value : JSON.stringify(value),
            );
        set("target", "ssh");
        set("ssh", { address: "192.0.2.10", user: "admin", dataDevice: "/dev/vdb" });
        set("sshPrivateKey", "-----BEGIN OPENSSH PRIVATE KEY-----\ntest\n");
        set("adminCidrs", ["203.0.113.0/24"]);
        set("clientCidrs", ["198.51.100.0/24"]);
        set("syslog", { host: "logs.example.net", port: 514 });
        set("trustedRegistries", ["docker.io/nginxinc", "ghcr.io/stefanprodan"]);
        set("webImage", WEB_IMAGE);
        set("apiImage", API_IMAGE);
        const start = allRegistrations().length;
        // The audit's collector prints what it read on the sandbox VM (recorded).
        setCommandStdout("compliance-collect", encode(recorded("hardened")));
        outputs = await import("../index");
        await settle();
        records = allRegistrations().slice(start);
    });

    it("registers exactly the expected resources", () => {
        assert.deepEqual(
            records.map((r) => `${r.type}::${r.name}`).sort(),
            [
                "command:remote:Command::api-apparmor",
                "command:remote:Command::api-pids-limit",
                ...STEP_ORDER.map((id) => `command:remote:Command::docker-host-${id}`),
                "command:remote:Command::web-pids-limit",
                "docker:index/container:Container::api",
                "docker:index/container:Container::web",
                "docker:index/network:Network::app-net",
                "docker:index/volume:Volume::api-data",
                "hardened-docker:container:HardenedContainer::api",
                "hardened-docker:container:HardenedContainer::web",
                "hardened-docker:host:HardenedHost::docker-host",
                "hardened-docker:network:HardenedNetwork::app-net",
                "pulumi:providers:docker::docker-host-docker",
                "hardened-docker:daemon:DockerDaemon::docker-daemon",
                "command:remote:Command::docker-daemon-daemon-config",
                "command:remote:Command::docker-daemon-daemon-files",
                "pulumi:providers:docker::docker-daemon-docker",
                "hardened-docker:compliance:ComplianceAudit::compliance",
                "command:remote:Command::compliance-collect",
            ].sort(),
        );
        assert.equal(records.length, 30);
    });

    it("configures the daemon after every hardening step, and deploys the containers after that", () => {
        const byName = (name: string) => records.find((r) => r.name === name)!;
        const daemonConfig = byName("docker-daemon-daemon-config");
        // dependsOn the host component: the SDK expands it to every resource of the host.
        const hostUrn = byName("docker-host").urn;
        assert.deepEqual(
            [...daemonConfig.dependencies].sort(),
            records
                .filter((r) => r.parent === hostUrn)
                .map((r) => r.urn)
                .sort(),
        );
        assert.ok(daemonConfig.dependencies.includes(byName("docker-host-firewall-confirm").urn));
        assert.deepEqual(byName("docker-daemon-daemon-files").dependencies, [daemonConfig.urn]);
        const provider = byName("docker-daemon-docker");
        assert.equal(provider.inputs.host, "ssh://admin@192.0.2.10:22");
        assert.deepEqual(provider.dependencies, [byName("docker-daemon-daemon-files").urn]);
        for (const name of ["web", "api"]) {
            const container = records.find((r) => r.type === "docker:index/container:Container" && r.name === name)!;
            assert.equal(container.provider, `${provider.urn}::${provider.name}-id`);
        }
        for (const name of ["web-pids-limit", "api-pids-limit"]) {
            const cmd = records.find((r) => r.name === name)!;
            const wire = cmd.wireInputs.connection as Record<string, unknown>;
            assert.equal(
                wire["4dabf18193072939515e22adb298388d"],
                "1b47061264138c4ac30d75fd1eb44270",
                "connection is a secret",
            );
        }
        const web = records.find((r) => r.type === "docker:index/container:Container" && r.name === "web")!;
        assert.deepEqual(web.inputs.ports, [{ internal: 8080, external: 8080, ip: "192.0.2.10", protocol: "tcp" }]);
    });

    it("runs the API under its own AppArmor profile and Docker's default seccomp profile without the syscalls it never makes, the web front under the defaults", () => {
        const opts = (name: string) =>
            records.find((r) => r.type === "docker:index/container:Container" && r.name === name)!.inputs.securityOpts;
        assert.deepEqual(opts("web"), ["no-new-privileges:true", "apparmor=docker-default"]);
        assert.deepEqual(opts("api"), [
            "no-new-privileges:true",
            "apparmor=hd-example-api",
            `seccomp=${tightenDefaultProfile({ denySyscalls: [...EXAMPLE_API_DENIED_SYSCALLS] })}`,
        ]);
    });

    it("exports the endpoint, network, URLs and container names", async () => {
        assert.equal(await promiseOf(outputs.dockerEndpoint as pulumi.Output<string>), "ssh://admin@192.0.2.10:22");
        assert.equal(await promiseOf(outputs.address as pulumi.Output<string>), "192.0.2.10");
        assert.equal(await promiseOf(outputs.webUrl as pulumi.Output<string>), "http://192.0.2.10:8080/");
        assert.equal(await promiseOf(outputs.apiUrl as pulumi.Output<string>), "http://192.0.2.10:9898/");
        assert.equal(await promiseOf(outputs.network as pulumi.Output<string>), "app-net-4d5e6f7");
        assert.deepEqual(await promiseOf(outputs.containers as pulumi.Output<unknown>), {
            web: "web-0a1b2c3",
            api: "api-0a1b2c3",
        });
    });

    it("audits the host after everything else, against what this stack configures", async () => {
        const byName = (name: string) => records.find((r) => r.custom && r.name === name)!;
        const audit = byName("compliance-collect");
        for (const name of [
            "docker-host-firewall-confirm",
            "docker-daemon-daemon-files",
            "web",
            "web-pids-limit",
            "api-pids-limit",
            "api-apparmor",
        ]) {
            assert.ok(audit.dependencies.includes(byName(name).urn), name);
        }
        const report = await promiseOf(outputs.complianceReport as pulumi.Output<AuditReport>);
        // The stack sends logs to a syslog server, so the sandbox's recorded journal (not forwarded)
        // fails 2.13 here; the authorization plugin is waived by the example's DockerDaemon.
        assert.deepEqual(report.failed, ["2.13"]);
        assert.deepEqual(
            report.checks.filter((c) => c.status === "waived").map((c) => c.cis),
            ["2.12"],
        );
        assert.match(
            await promiseOf(outputs.complianceSummary as pulumi.Output<string>),
            /^CIS Docker Benchmark 1\.6\.0 audit of hd-sandbox at 2026-11-29T07:05:39Z \(Docker 20\.10\.24\+dfsg1\): 91 checks, 77 pass, 1 fail, 12 not applicable, 1 waived\nFAIL 2\.13 /,
        );
    });

    it("has zero violations under the policy pack, resource and stack policies alike", async () => {
        await assertNoViolations(records, ORG_CONFIG);
    });

    it("has zero violations under the example org config file too", async () => {
        await assertNoViolations(records, exampleOrgConfig());
    });
});

describe("the example program on AWS (Pulumi.example-aws.yaml) under mocks", () => {
    let records: Registration[];

    before(async () => {
        // The stack file's settings, plus the public key its comments say to set.
        const values: Record<string, unknown> = {
            target: "aws",
            aws: {
                subnetId: "subnet-0123456789abcdef0",
                vpcId: "vpc-0123456789abcdef0",
                os: "debian-12",
                instanceType: "t3.medium",
                publicKey:
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7kN0f0aQ4m0hCkq5ZyB9xGdQbS4cZ2Zt0Yb3kqYl7c ops@example",
            },
            adminCidrs: ["10.0.0.0/16"],
            clientCidrs: ["10.0.0.0/16"],
            syslog: { host: "logs.internal.example.net", port: 514 },
            trustedUsers: [],
            trustedRegistries: ["docker.io/nginxinc", "ghcr.io/stefanprodan"],
            webImage: WEB_IMAGE,
            apiImage: API_IMAGE,
        };
        const { deployExample } = await import("../example/app");
        const { readExampleConfig } = await import("../example/config");
        const config = readExampleConfig({
            get: (k) => values[k] as string | undefined,
            getObject: <T>(k: string) => values[k] as T | undefined,
            getNumber: (k) => values[k] as number | undefined,
        });
        const start = allRegistrations().length;
        deployExample(config, pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\ntest\n"));
        await settle();
        records = allRegistrations().slice(start);
    });

    it("creates the instance, its encrypted data volume and the attachment", () => {
        const types = records.map((r) => `${r.type}::${r.name}`);
        for (const t of [
            "aws:ec2/instance:Instance::docker-host-instance",
            "aws:ebs/volume:Volume::docker-host-data",
            "aws:ec2/volumeAttachment:VolumeAttachment::docker-host-data",
            "aws:ec2/securityGroup:SecurityGroup::docker-host-sg",
        ]) {
            assert.ok(types.includes(t), t);
        }
    });

    it("has zero violations under the policy pack, AWS and stack policies included", async () => {
        await assertNoViolations(records, ORG_CONFIG);
    });

    it("has zero violations under the example org config file too", async () => {
        await assertNoViolations(records, exampleOrgConfig());
    });

    it("would be caught without its data volume attachment", async () => {
        const pack = await policyPack();
        await pack.configure(ORG_CONFIG);
        const stack = await pack.analyzeStack(
            asAnalyzerInputs(
                records.filter((r) => r.type !== "aws:ec2/volumeAttachment:VolumeAttachment"),
                "outputs",
            ),
        );
        assert.deepEqual(
            stack.map((d) => `${d.policyName} ${d.urn.split("::").pop()}`),
            ["docker-host-require-data-volume docker-host-instance"],
        );
    });
});

describe("the deliberately insecure stack (examples/insecure) under mocks", () => {
    let records: Registration[];
    let found: Awaited<ReturnType<typeof analyzeAll>>;

    /** The org config of the example file, with this test's registries. */
    const INSECURE_CONFIG = {
        ...ORG_CONFIG,
        "docker-container-require-hardened-host": { allowedHosts: ["ssh://deploy@build-01.ci.example.net:22"] },
    };

    before(async () => {
        const { deployInsecure } = await import("../examples/insecure/stack");
        const start = allRegistrations().length;
        deployInsecure();
        await settle();
        records = allRegistrations().slice(start);
        const pack = await policyPack();
        await pack.configure(INSECURE_CONFIG);
        found = await analyzeAll(pack, records);
    });

    it("trips exactly the expected policies, resource by resource", () => {
        assert.deepEqual(found.perResource, {
            "open-sg": ["aws-security-group-disallow-public-admin-ports"],
            "docker-vm": [
                "aws-instance-require-encrypted-volumes",
                "aws-instance-disallow-public-ip",
                "aws-instance-require-imdsv2",
            ],
            scratch: ["aws-ebs-require-encryption"],
            "docker-api-open": ["aws-security-group-rule-disallow-public-admin-ports"],
            "swarm-open": ["aws-security-group-ingress-rule-disallow-public-admin-ports"],
            "default-sg": ["aws-default-security-group-disallow-public-admin-ports"],
            "docker-template": [
                "aws-launch-template-require-encrypted-volumes",
                "aws-launch-template-disallow-public-ip",
                "aws-launch-template-require-imdsv2",
            ],
            "docker-spot": [
                "aws-spot-instance-request-require-encrypted-volumes",
                "aws-spot-instance-request-disallow-public-ip",
                "aws-spot-instance-request-require-imdsv2",
            ],
            "daemon-json": [
                "docker-daemon-disable-icc",
                "docker-daemon-restrict-log-level",
                "docker-daemon-require-iptables",
                "docker-daemon-disallow-insecure-registries",
                "docker-daemon-disallow-deprecated-storage-driver",
                "docker-daemon-require-tls-verify",
                "docker-daemon-require-userns-remap",
                "docker-daemon-disallow-cgroup-parent",
                "docker-daemon-disallow-base-device-size",
                "docker-daemon-require-remote-logging",
                "docker-daemon-require-no-new-privileges",
                "docker-daemon-require-live-restore",
                "docker-daemon-disable-userland-proxy",
                "docker-daemon-disable-experimental",
            ],
            "daemon-tweak": ["docker-daemon-require-reviewable-config"],
            "runner-daemon-json": [
                "docker-daemon-disable-icc-local-command",
                "docker-daemon-restrict-log-level-local-command",
                "docker-daemon-require-iptables-local-command",
                "docker-daemon-disallow-insecure-registries-local-command",
                "docker-daemon-disallow-deprecated-storage-driver-local-command",
                "docker-daemon-require-tls-verify-local-command",
                "docker-daemon-require-userns-remap-local-command",
                "docker-daemon-disallow-cgroup-parent-local-command",
                "docker-daemon-disallow-base-device-size-local-command",
                "docker-daemon-require-remote-logging-local-command",
                "docker-daemon-require-no-new-privileges-local-command",
                "docker-daemon-require-live-restore-local-command",
                "docker-daemon-disable-userland-proxy-local-command",
                "docker-daemon-disable-experimental-local-command",
            ],
            "runner-daemon-tweak": ["docker-daemon-require-reviewable-config-local-command"],
            "vm-docker": ["docker-provider-require-tls"],
            "flat-net": ["docker-network-disable-icc"],
            agent: [
                "docker-container-require-non-root-user",
                "docker-container-require-healthcheck",
                "docker-container-require-apparmor-profile",
                "docker-container-disallow-selinux-label-disable",
                "docker-container-restrict-capabilities",
                "docker-container-restrict-capabilities",
                "docker-container-disallow-privileged",
                "docker-container-disallow-sensitive-host-mounts",
                "docker-container-disallow-host-network",
                "docker-container-require-memory-limit",
                "docker-container-require-cpu-limit",
                "docker-container-require-read-only-root",
                "docker-container-restrict-restart-policy",
                "docker-container-disallow-host-pid",
                "docker-container-disallow-host-ipc",
                "docker-container-disallow-host-devices",
                "docker-container-disallow-shared-mount-propagation",
                "docker-container-disallow-unconfined-seccomp",
                "docker-container-disallow-custom-cgroup-parent",
                "docker-container-require-no-new-privileges",
                "docker-container-disallow-host-userns",
                "docker-container-disallow-docker-socket-mount",
            ],
            app: [
                "docker-container-disallow-privileged-ports",
                "docker-container-require-host-address-binding",
                "docker-container-require-runtime-health-check",
                "docker-container-disallow-default-bridge",
            ],
        });
        assert.deepEqual(
            found.stack.map((d) => `${d.policyName} ${d.urn.split("::").pop()}`),
            [
                "docker-host-require-data-volume docker-vm",
                "docker-container-require-hardened-host agent",
                "docker-image-require-trusted-registry app-image",
                "docker-image-require-trusted-registry app",
                "docker-image-require-trusted-registry agent",
                "docker-image-require-digest-pin app-image",
                "docker-image-require-digest-pin app",
                "docker-container-require-pids-limit app",
                "docker-container-require-pids-limit agent",
            ],
        );
    });

    it("refuses to run outside a preview: pulumi up of the insecure program throws before it registers anything", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const settings = require("@pulumi/pulumi/runtime/settings") as { _setIsDryRun(v: boolean): void };
        const was = pulumi.runtime.isDryRun();
        const start = allRegistrations().length;
        settings._setIsDryRun(false);
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            assert.throws(() => require("../examples/insecure/index"), {
                message:
                    "examples/insecure only runs under pulumi preview (with the policy pack): pulumi up would open the Docker API of this machine and the default VPC's security group to everyone",
            });
        } finally {
            settings._setIsDryRun(was);
        }
        assert.equal(allRegistrations().length, start);
    });

    it("trips every AWS policy and every policy that reads the whole stack exactly once", () => {
        const names = [...Object.values(found.perResource).flat(), ...found.stack.map((d) => d.policyName)];
        const once = ALL_POLICIES.filter((p) => p.meta.benchmark === "aws" || "validateStack" in p.policy)
            .map((p) => p.meta.name)
            .filter(
                (n) =>
                    ![
                        "docker-image-require-trusted-registry",
                        "docker-image-require-digest-pin",
                        "docker-container-require-pids-limit",
                    ].includes(n),
            );
        assert.deepEqual(
            once.map((n) => [n, names.filter((x) => x === n).length]),
            once.map((n) => [n, 1]),
        );
        assert.equal(once.length, 16);
    });

    it("trips every policy of the pack at least once", () => {
        const names = new Set([...Object.values(found.perResource).flat(), ...found.stack.map((d) => d.policyName)]);
        assert.deepEqual(
            ALL_POLICIES.map((p) => p.meta.name).filter((n) => !names.has(n)),
            [],
        );
    });
});
