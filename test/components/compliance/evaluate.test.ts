import * as assert from "node:assert/strict";
import {
    AUDIT_CHECKS,
    evaluateAudit,
    mandatoryFailureMessage,
    summarizeAudit,
    type AuditPolicy,
} from "../../../components/compliance";
import { CATALOGUE } from "../../../cis/catalogue";
import { HYGIENE_FILE_MODES } from "../../../components/host/hygiene";
import { editSection, recorded } from "./fixtures";

/** The policy the example gives the sandbox: its host's expectations and the two component waivers. */
const POLICY: AuditPolicy = {
    expectations: {
        dataRoot: "/var/lib/docker",
        dockerGroupMembers: ["admin"],
        sysctl: { "net.ipv4.ip_forward": "1" },
        hardenedHost: true,
        remoteLogging: false,
        containerWaivers: {},
        containerSeccomp: {},
        containerAppArmor: {},
        loginUsers: ["admin"],
        hostFileModes: HYGIENE_FILE_MODES,
        shell: { umask: "0027", idleTimeoutSeconds: 900 },
    },
    waivers: [
        { cis: "2.12", by: "DockerDaemon args.config.waivers.noAuthorizationPlugin", reason: "single-tenant host" },
        { cis: "2.13", by: "HardenedHost args.waivers.noRemoteLogging", reason: "the sandbox has no log server" },
    ],
    mandatory: "all",
};

const NOT_APPLICABLE = ["1.1.13", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.21", "3.22", "5.3"];

describe("ComplianceAudit: evaluation", () => {
    it("has unique check ids, each on a control of the catalogue, in benchmark order", () => {
        const ids = AUDIT_CHECKS.map((c) => c.id);
        assert.equal(new Set(ids).size, ids.length);
        assert.equal(ids.length, 91);
        const order = CATALOGUE.map((c) => c.id);
        const positions = AUDIT_CHECKS.map((c) => order.indexOf(c.cis));
        assert.equal(positions.includes(-1), false);
        assert.deepEqual(
            positions,
            [...positions].sort((a, b) => a - b),
        );
    });

    it("on the hardened sandbox: everything passes but what does not apply and the two waived controls", () => {
        const r = evaluateAudit(recorded("hardened"), POLICY);
        assert.deepEqual(r.totals, { checks: 91, pass: 77, fail: 0, notApplicable: 12, waived: 2 });
        assert.deepEqual(r.failed, []);
        assert.deepEqual(r.mandatoryFailed, []);
        assert.deepEqual(
            r.checks.filter((c) => c.status === "not-applicable").map((c) => c.cis),
            NOT_APPLICABLE,
        );
        assert.deepEqual(r.host, {
            hostname: "hd-sandbox",
            os: "Debian GNU/Linux 12 (bookworm)",
            kernel: "6.1.0-56-cloud-amd64",
            dockerVersion: "20.10.24+dfsg1",
        });
        assert.equal(r.auditedAt, "2026-11-29T07:05:39Z");
        assert.equal(r.benchmark, "CIS Docker Benchmark 1.6.0");
        assert.equal(mandatoryFailureMessage(r), undefined);
    });

    it("a waiver shows as waived with its reason, never as pass, and keeps what was seen", () => {
        const r = evaluateAudit(recorded("hardened"), POLICY);
        const waived = r.checks.filter((c) => c.status === "waived");
        assert.deepEqual(waived, [
            {
                id: "daemon-authorization-plugin",
                cis: "2.12",
                title: "An authorization plugin controls the clients' requests",
                status: "waived",
                mandatory: true,
                evidence: ["docker info: authorization plugins []"],
                waivers: [
                    { by: "DockerDaemon args.config.waivers.noAuthorizationPlugin", reason: "single-tenant host" },
                ],
            },
            {
                id: "daemon-remote-logging",
                cis: "2.13",
                title: "Container logs reach a central log server",
                status: "waived",
                mandatory: true,
                evidence: [
                    "docker info: log driver journald",
                    "rsyslog.service inactive",
                    "no forwarding rule of the logging step",
                ],
                waivers: [{ by: "HardenedHost args.waivers.noRemoteLogging", reason: "the sandbox has no log server" }],
            },
        ]);
        // A passing control that the stack waives is still waived.
        const r2 = evaluateAudit(recorded("hardened"), {
            ...POLICY,
            waivers: [{ cis: "2.15", by: 'ComplianceAudit args.waivers["2.15"]', reason: "swarm is planned" }],
        });
        assert.equal(r2.checks.find((c) => c.cis === "2.15")?.status, "waived");
        assert.deepEqual(r2.failed, ["2.12", "2.13"]);
    });

    it("on the host weakened by hand: exactly the four weakened controls fail, all mandatory", () => {
        const r = evaluateAudit(recorded("weakened"), POLICY);
        assert.deepEqual(r.failed, ["1.1.6", "2.15", "3.18", "5.4"]);
        assert.deepEqual(r.mandatoryFailed, ["1.1.6", "2.15", "3.18", "5.4"]);
        assert.deepEqual(r.totals, { checks: 91, pass: 73, fail: 4, notApplicable: 12, waived: 2 });
        const message = mandatoryFailureMessage(r)!.split("\n");
        assert.deepEqual(message.slice(0, 4), [
            "mandatory CIS controls fail on the host: 1.1.6, 2.15, 3.18, 5.4",
            "1.1.6 auditd's loaded rules watch /etc/docker for writes and attribute changes: /etc/docker: no loaded rule",
            "2.15 Live restore is on: docker info: live restore false",
            "3.18 /etc/docker/daemon.json: mode 644 or stricter: /etc/docker/daemon.json: 666 root:root (want 644 or stricter)",
        ]);
        assert.match(
            message[4],
            /^5\.4 Every running container drops all capabilities and adds none that reaches the host: api-e0506b0 \(35d10e56dbdd\): cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000; hd-e2e-weak \(28137862d942\): cap-drop none, cap-add none, CapEff 0000000000000000, CapBnd 00000000a80425fb \(fails\); /,
        );
        assert.equal(
            message[5],
            "Fix the host (or waive the control with its reason), then audit again: give rerunTrigger a new value.",
        );
        assert.equal(message.length, 6);
    });

    it("only the listed controls are mandatory; the others are reported and do not fail the deployment", () => {
        const r = evaluateAudit(recorded("weakened"), { ...POLICY, mandatory: ["1.1.1", "5.4"] });
        assert.deepEqual(r.failed, ["1.1.6", "2.15", "3.18", "5.4"]);
        assert.deepEqual(r.mandatoryFailed, ["5.4"]);
        assert.equal(r.checks.find((c) => c.cis === "2.15")?.mandatory, false);
        assert.equal(mandatoryFailureMessage(r)!.split("\n")[0], "mandatory CIS controls fail on the host: 5.4");
        const none = evaluateAudit(recorded("weakened"), { ...POLICY, mandatory: ["1.1.1"] });
        assert.equal(mandatoryFailureMessage(none), undefined);
    });

    it("a check that cannot read the host fails and says what it could not read", () => {
        const raw = editSection(
            recorded("hardened"),
            "docker-info",
            () => "Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n",
            1,
        );
        const r = evaluateAudit(raw, POLICY);
        const live = r.checks.find((c) => c.cis === "2.15")!;
        assert.equal(live.status, "fail");
        assert.deepEqual(live.evidence, [
            "could not read the host: docker-info failed (exit 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock",
        ]);
        assert.equal(r.host.dockerVersion, "");
        // Without evidence at all, every check fails (none passes by default).
        const empty = evaluateAudit({}, POLICY);
        assert.equal(empty.totals.pass, 0);
        assert.equal(empty.totals.notApplicable, 0);
        assert.equal(
            empty.checks.find((c) => c.cis === "1.1.1")?.evidence[0],
            "could not read the host: the collector has no mount-data section",
        );
    });

    it("summarises the totals, then each failure and waiver on its own line", () => {
        const lines = summarizeAudit(evaluateAudit(recorded("weakened"), POLICY)).split("\n");
        assert.equal(
            lines[0],
            "CIS Docker Benchmark 1.6.0 audit of hd-sandbox at 2026-11-29T07:07:22Z (Docker 20.10.24+dfsg1): 91 checks, 73 pass, 4 fail, 12 not applicable, 2 waived",
        );
        assert.deepEqual(lines.slice(1, 4), [
            "FAIL 1.1.6 auditd's loaded rules watch /etc/docker for writes and attribute changes (mandatory): /etc/docker: no loaded rule",
            "FAIL 2.15 Live restore is on (mandatory): docker info: live restore false",
            "FAIL 3.18 /etc/docker/daemon.json: mode 644 or stricter (mandatory): /etc/docker/daemon.json: 666 root:root (want 644 or stricter)",
        ]);
        assert.match(lines[4], /^FAIL 5\.4 /);
        assert.deepEqual(lines.slice(5), [
            "WAIVED 2.12 An authorization plugin controls the clients' requests: single-tenant host (DockerDaemon args.config.waivers.noAuthorizationPlugin)",
            "WAIVED 2.13 Container logs reach a central log server: the sandbox has no log server (HardenedHost args.waivers.noRemoteLogging)",
        ]);
    });
});
