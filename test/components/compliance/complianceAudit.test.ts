import * as assert from "node:assert/strict";
import { tightenDefaultProfile } from "../../../components/container/seccomp";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer } from "../../../components";
import { ComplianceAudit, planAudit, renderCollector, type AuditReport } from "../../../components/compliance";
import { DockerDaemon } from "../../../components/daemon";
import { HardenedHost, RUN_AS_ROOT } from "../../../components/host";
import { promiseOf, registration, registrationsUnder, setCommandStdout, settle } from "../../harness/mocks";
import { validArgs } from "../container/validate.test";
import { encode, recorded } from "./fixtures";

const COMMAND = "command:remote:Command";

function stack(prefix: string) {
    const host = new HardenedHost(`${prefix}-host`, {
        target: {
            kind: "ssh",
            address: "192.0.2.10",
            user: "admin",
            privateKey: "PRIVATE-KEY",
            dataDevice: "/dev/vdb",
        },
        firewall: { adminCidrs: ["203.0.113.0/24"] },
        waivers: { noRemoteLogging: { reason: "the lab has no log server yet" } },
    });
    const daemon = new DockerDaemon(
        `${prefix}-daemon`,
        {
            connection: host.connection,
            dockerEndpoint: host.dockerEndpoint,
            config: {
                logDriver: "journald",
                waivers: { noAuthorizationPlugin: { reason: "single-tenant host, socket root-only" } },
            },
        },
        { dependsOn: [host] },
    );
    const web = new HardenedContainer(`${prefix}-web`, {
        ...validArgs(),
        host: { connection: host.connection },
        seccompProfile: { denySyscalls: ["ptrace"] },
    });
    const batch = new HardenedContainer(`${prefix}-batch`, {
        ...validArgs(),
        user: "root",
        healthCheck: undefined,
        host: { connection: host.connection },
        waivers: {
            rootUser: { reason: "the vendor image must start as root" },
            noHealthCheck: { reason: "a batch job has nothing to probe" },
        },
    });
    return { host, daemon, web, batch };
}

/** Waits for an Output's failure and returns its message. */
function failureOf(output: pulumi.Output<unknown>): Promise<string> {
    return (output as unknown as { promise(): Promise<unknown> }).promise().then(
        () => "resolved",
        (e: Error) => e.message,
    );
}

describe("ComplianceAudit", () => {
    // The verdict's failure reaches the process as an unhandled rejection, as under `pulumi up`.
    const rejections: string[] = [];
    const collect = (e: unknown) => rejections.push((e as Error).message);
    let saved: NodeJS.UnhandledRejectionListener[] = [];
    before(() => {
        saved = process.listeners("unhandledRejection");
        process.removeAllListeners("unhandledRejection");
        process.on("unhandledRejection", collect);
    });
    after(() => {
        process.removeListener("unhandledRejection", collect);
        for (const l of saved) {
            process.on("unhandledRejection", l);
        }
    });

    it("collects as root after every step and container, re-running when one changes or on demand", async () => {
        const { host, daemon, web, batch } = stack("ca");
        setCommandStdout("ca-audit-collect", encode(recorded("hardened")));
        const audit = new ComplianceAudit("ca-audit", {
            connection: host.connection,
            host,
            daemon,
            containers: [web, batch],
            rerunTrigger: "2026-11-29",
        });
        await settle();
        const cmd = registration(COMMAND, "ca-audit-collect");
        assert.equal(cmd.parent, registration("hardened-docker:compliance:ComplianceAudit", "ca-audit").urn);
        assert.equal(cmd.inputs.create, RUN_AS_ROOT);
        assert.equal(
            cmd.inputs.stdin,
            renderCollector(planAudit({ connection: host.connection }, host, daemon).collector),
        );
        assert.equal(cmd.inputs.stdin, audit.script);
        assert.equal(cmd.inputs.logging, "stderr");
        // The evidence is kept encrypted in the state (the engine honours additionalSecretOutputs).
        assert.deepEqual(cmd.additionalSecretOutputs, ["stdout", "connection"]);
        assert.equal(cmd.inputs.addPreviousOutputInEnv, false);
        assert.equal(cmd.inputs.environment, undefined);
        // It waits for every resource of the host, the daemon and the container (their providers too).
        const waited = registrationsUnder("ca")
            .filter((r) => r.custom && r.name !== "ca-audit-collect")
            .map((r) => r.urn)
            .sort();
        assert.deepEqual([...cmd.dependencies].sort(), waited);
        assert.deepEqual(waited.map((u) => u.slice(u.lastIndexOf("::") + 2)).sort(), [
            "ca-batch",
            "ca-batch-pids-limit",
            "ca-daemon-daemon-config",
            "ca-daemon-daemon-files",
            "ca-daemon-docker",
            "ca-host-accounts",
            "ca-host-audit",
            "ca-host-data-volume",
            "ca-host-docker",
            "ca-host-docker-group",
            "ca-host-engine",
            "ca-host-firewall",
            "ca-host-firewall-confirm",
            "ca-host-hygiene",
            "ca-host-kernel",
            "ca-host-minimal",
            "ca-host-ssh",
            "ca-web",
            "ca-web-pids-limit",
        ]);
        // Triggers: the host's and the daemon's script hashes, the container's id, the rerun value.
        assert.deepEqual(cmd.inputs.triggers, [
            await promiseOf(host.artifactHashes),
            daemon.artifactHashes,
            "ca-web-id",
            "ca-batch-id",
            "2026-11-29",
        ]);
        const report: AuditReport = await promiseOf(audit.report);
        assert.deepEqual(report.failed, []);
        // The waivers of the stack's containers, by container id, from their own arguments.
        assert.deepEqual(await promiseOf(audit.containerWaivers), {
            "ca-web-id": {},
            "ca-batch-id": {
                rootUser: "the vendor image must start as root",
                noHealthCheck: "a batch job has nothing to probe",
            },
        });
        // The seccomp profiles they declare, by container id: only the one that has its own.
        assert.deepEqual(await promiseOf(audit.containerSeccomp), {
            "ca-web-id": tightenDefaultProfile({ denySyscalls: ["ptrace"] }),
        });
        assert.deepEqual(
            report.checks.filter((c) => c.status === "waived").map((c) => `${c.cis} ${c.waivers![0].by}`),
            [
                "2.12 DockerDaemon args.config.waivers.noAuthorizationPlugin",
                "2.13 HardenedHost args.waivers.noRemoteLogging",
            ],
        );
        assert.equal(await promiseOf(audit.verdict), "pass");
        assert.equal(
            (await promiseOf(audit.summary)).split("\n")[0],
            "CIS Docker Benchmark 1.6.0 audit of hd-sandbox at 2026-11-29T07:05:39Z (Docker 20.10.24+dfsg1): 91 checks, 77 pass, 0 fail, 12 not applicable, 2 waived",
        );
    });

    it("fails the deployment when a mandatory control fails, naming the failing ids", async () => {
        const { host, daemon } = stack("cb");
        setCommandStdout("cb-audit-collect", encode(recorded("weakened")));
        const audit = new ComplianceAudit("cb-audit", { connection: host.connection, host, daemon });
        await settle();
        const message = await failureOf(audit.verdict);
        // The SDK prefixes where it met the error as it registers the component's outputs.
        assert.equal(
            message.split("\n")[0],
            'error serializing property "outputs": ComplianceAudit "cb-audit": mandatory CIS controls fail on the host: 1.1.6, 2.15, 3.18, 5.4',
        );
        // The report itself stays readable (the stack output that says what failed).
        assert.deepEqual((await promiseOf(audit.report)).failed, ["1.1.6", "2.15", "3.18", "5.4"]);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(
            rejections.some((m) =>
                m.includes(
                    'ComplianceAudit "cb-audit": mandatory CIS controls fail on the host: 1.1.6, 2.15, 3.18, 5.4',
                ),
            ),
            true,
        );
    });

    it("does not fail the deployment for a failing control that is not mandatory", async () => {
        const { host, daemon } = stack("cc");
        setCommandStdout("cc-audit-collect", encode(recorded("weakened")));
        const audit = new ComplianceAudit("cc-audit", {
            connection: host.connection,
            host,
            daemon,
            mandatory: ["1.1.1"],
        });
        await settle();
        assert.equal(await promiseOf(audit.verdict), "pass");
        assert.deepEqual((await promiseOf(audit.report)).mandatoryFailed, []);
    });

    it("fails clearly when the collector printed something else", async () => {
        setCommandStdout("cd-audit-collect", "sudo: a terminal is required to read the password");
        const audit = new ComplianceAudit("cd-audit", { connection: { host: "192.0.2.10", user: "admin" } });
        await settle();
        assert.equal(
            await failureOf(audit.report),
            'error serializing property "outputs": ComplianceAudit "cd-audit": the audit\'s collector printed no hd-audit-v1: document (it printed "sudo: a terminal is required to read the password")',
        );
        const cmd = registration(COMMAND, "cd-audit-collect");
        assert.deepEqual(cmd.dependencies, []);
        assert.deepEqual(cmd.inputs.triggers, [{}, {}, ""]);
    });

    it("fails at preview on a bad argument, naming it", () => {
        assert.throws(
            () => new ComplianceAudit("ce-audit", { connection: { host: "192.0.2.10" }, mandatory: ["9.9"] }),
            /^Error: ComplianceAudit "ce-audit": args\.mandatory\[0\] must be a CIS id the audit checks \(1\.1\.1, /,
        );
    });
});
