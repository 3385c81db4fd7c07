import { HYGIENE_FILE_MODES } from "../../../components/host/hygiene";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { auditedControls, parseSysctlFile, planAudit, type ComplianceAuditArgs } from "../../../components/compliance";
import { planHost } from "../../../components/host";

const connection = pulumi.secret({ host: "192.0.2.10", user: "admin", privateKey: "KEY" });

function host() {
    const plan = planHost({
        target: { kind: "ssh", address: "192.0.2.10", user: "admin", privateKey: "KEY", dataDevice: "/dev/vdb" },
        firewall: { adminCidrs: ["198.51.100.0/24"] },
        dockerGroup: { trustedUsers: ["deploy"] },
        waivers: { noRemoteLogging: { reason: "the lab has no log server yet" } },
    });
    return { plan, dataRoot: plan.ctx.dataRoot };
}

function throwsArg(args: Partial<ComplianceAuditArgs>, message: string): void {
    assert.throws(
        () => planAudit({ connection, ...args } as ComplianceAuditArgs),
        (e: Error) => {
            assert.equal(e.message, message);
            return true;
        },
    );
}

describe("ComplianceAudit: validation", () => {
    it("the audit checks every automated control of sections 1, 2, 3 and 5, 4.1, 1.2.1 and 5.30, and not 5.23", () => {
        const ids = auditedControls();
        assert.equal(ids.length, 85);
        assert.deepEqual(ids.slice(0, 3), ["1.1.1", "1.1.2", "1.1.3"]);
        assert.equal(ids.includes("1.2.1"), true);
        assert.equal(ids.includes("4.1"), true);
        assert.equal(ids.includes("5.23"), false);
        assert.equal(ids.includes("5.30"), true);
        assert.equal(ids.includes("1.2.2"), false);
    });

    it("takes the host's data root, docker group, kernel settings, firewall and logging waiver", () => {
        const h = host();
        const plan = planAudit({ connection }, h, {
            waivers: [
                {
                    cis: "2.12",
                    argument: "args.config.waivers.noAuthorizationPlugin",
                    reason: "one tenant only, socket root-only",
                },
            ],
        });
        assert.deepEqual(plan.collector.dataRoot, "/var/lib/docker");
        assert.equal(plan.collector.sshUser, "admin");
        assert.deepEqual(plan.policy.expectations.dockerGroupMembers, ["admin", "deploy"]);
        assert.equal(plan.policy.expectations.hardenedHost, true);
        assert.equal(plan.policy.expectations.remoteLogging, false);
        assert.equal(plan.policy.expectations.sysctl["net.ipv4.ip_forward"], "1");
        assert.equal(plan.policy.expectations.sysctl["kernel.yama.ptrace_scope"], "1");
        // The accounts and hygiene steps' plans: who keeps a login, the file table, the shell settings.
        assert.deepEqual(plan.policy.expectations.loginUsers, ["admin"]);
        assert.equal(plan.policy.expectations.hostFileModes, HYGIENE_FILE_MODES);
        assert.deepEqual(plan.policy.expectations.shell, { umask: "0027", idleTimeoutSeconds: 900 });
        assert.deepEqual(plan.collector.sysctlKeys, Object.keys(plan.policy.expectations.sysctl));
        assert.deepEqual(plan.policy.waivers, [
            {
                cis: "2.12",
                by: "DockerDaemon args.config.waivers.noAuthorizationPlugin",
                reason: "one tenant only, socket root-only",
            },
            { cis: "2.13", by: "HardenedHost args.waivers.noRemoteLogging", reason: "the lab has no log server yet" },
        ]);
        assert.equal(plan.policy.mandatory, "all");
    });

    it("without a host: root's sshd settings, nobody in the docker group, no firewall or kernel expectations", () => {
        const plan = planAudit({ connection });
        assert.deepEqual(plan.collector, { dataRoot: "/var/lib/docker", sshUser: "root", sysctlKeys: [] });
        assert.deepEqual(plan.policy.expectations, {
            dataRoot: "/var/lib/docker",
            dockerGroupMembers: [],
            sysctl: {},
            hardenedHost: false,
            remoteLogging: false,
            containerWaivers: {},
            containerSeccomp: {},
            containerAppArmor: {},
            hostFileModes: [],
        });
    });

    it("takes its own waivers by CIS id and a list of mandatory controls", () => {
        const plan = planAudit({
            connection,
            waivers: { "5.7": { reason: "  the bastion container runs sshd by design  " } },
            mandatory: ["1.1.1", "5.4"],
            dockerGroupMembers: ["deploy"],
            sshUser: "ops",
        });
        assert.deepEqual(plan.policy.waivers, [
            {
                cis: "5.7",
                by: 'ComplianceAudit args.waivers["5.7"]',
                reason: "the bastion container runs sshd by design",
            },
        ]);
        assert.deepEqual(plan.policy.mandatory, ["1.1.1", "5.4"]);
        assert.deepEqual(plan.policy.expectations.dockerGroupMembers, ["deploy"]);
        assert.equal(plan.collector.sshUser, "ops");
    });

    it("names the argument and what is allowed for every bad input", () => {
        const ids = auditedControls().join(", ");
        throwsArg(
            { connection: undefined },
            "args.connection is required: the SSH connection to the host (HardenedHost's connection)",
        );
        throwsArg({ mandatory: ["5.23"] }, `args.mandatory[0] must be a CIS id the audit checks (${ids}), got "5.23"`);
        throwsArg({ mandatory: "some" as never }, 'args.mandatory must be "all" or a list of CIS ids, got "some"');
        throwsArg(
            { waivers: { "9.9": { reason: "no such control at all" } } },
            `args.waivers["9.9"] must be a CIS id the audit checks (${ids}), got "9.9"`,
        );
        throwsArg(
            { waivers: { "5.7": { reason: "short" } } },
            'args.waivers["5.7"].reason must say why, in at least 10 characters',
        );
        throwsArg(
            { waivers: [] as never },
            'args.waivers must be an object of CIS id to { reason }, such as { "2.12": { reason: "..." } }',
        );
        throwsArg(
            { dockerGroupMembers: ["ok", "Bad User"] },
            'args.dockerGroupMembers[1] must be a user name, got "Bad User"',
        );
        throwsArg(
            { dockerGroupMembers: "deploy" as never },
            'args.dockerGroupMembers must be a list of user names, such as ["deploy"]',
        );
        throwsArg({ sshUser: "root;id" }, 'args.sshUser must be a user name ([a-z_][a-z0-9_-]*), got "root;id"');
        throwsArg(
            { dataRoot: "relative/path" },
            'args.dataRoot must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got "relative/path"',
        );
        assert.throws(
            () => planAudit({ connection, dataRoot: "/srv/docker" }, host()),
            /^ArgumentError: args\.dataRoot is \/srv\/docker, but the host's data root is \/var\/lib\/docker; leave it out$/,
        );
    });

    it("reads the kernel step's sysctl.d file", () => {
        assert.deepEqual(parseSysctlFile("# why\nnet.ipv4.ip_forward = 1\n\n; old\nkernel.x=2 3\nnot a setting\n"), {
            "net.ipv4.ip_forward": "1",
            "kernel.x": "2 3",
        });
    });
});
