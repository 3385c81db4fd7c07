import * as assert from "node:assert/strict";
import { HOST_CHECKS } from "../../../../components/compliance/checks/host";
import type { AuditExpectations, CheckDef } from "../../../../components/compliance/checks/types";
import { Evidence } from "../../../../components/compliance/evidence";
import type { RawEvidence } from "../../../../components/compliance";
import { editSection, recorded, SANDBOX_EXPECTATIONS } from "../fixtures";

const EXPECT: AuditExpectations = {
    ...SANDBOX_EXPECTATIONS,
    sysctl: { "net.ipv4.ip_forward": "1", "kernel.yama.ptrace_scope": "1" },
};

function check(id: string): CheckDef {
    const c = HOST_CHECKS.find((x) => x.id === id);
    assert.ok(c, `no check ${id}`);
    return c;
}

function run(id: string, raw: RawEvidence, exp: AuditExpectations = EXPECT) {
    return check(id).run(new Evidence(raw), exp);
}

const hardened = recorded("hardened");
const FSTAB_LINE = "/etc/fstab: /var/lib/docker from UUID=e786e189-0252-463a-b886-4e6231809bbc (ext4)";
const MOUNT_SEEN = "/var/lib/docker is on /dev/vdb (ext4) mounted at /var/lib/docker; / is on /dev/vda";

describe("ComplianceAudit checks: host (CIS 1)", () => {
    describe("1.1.1 data root on its own filesystem", () => {
        it("passes on the sandbox: /dev/vdb, in /etc/fstab by UUID", () => {
            assert.deepEqual(run("data-root-own-filesystem", hardened), {
                status: "pass",
                evidence: [MOUNT_SEEN, FSTAB_LINE],
            });
        });

        it("fails when the data root is on the root filesystem", () => {
            const raw = editSection(
                hardened,
                "mount-data",
                () => "/ /dev/vda ext4 10344c03-eaa9-4e13-b088-b30881e3cbdf\n",
            );
            assert.deepEqual(run("data-root-own-filesystem", raw), {
                status: "fail",
                evidence: ["/var/lib/docker is on /dev/vda (ext4) mounted at /; / is on /dev/vda"],
            });
        });

        it("fails when /etc/fstab would not mount it at boot, or names another device", () => {
            const none = editSection(hardened, "fstab", () => "/ /dev/vda ext4\n");
            assert.deepEqual(run("data-root-own-filesystem", none), {
                status: "fail",
                evidence: [
                    MOUNT_SEEN,
                    "/etc/fstab has no entry for /var/lib/docker: it would not be mounted after a reboot",
                ],
            });
            const other = editSection(
                editSection(hardened, "fstab", () => "/ /dev/vda ext4\n/var/lib/docker /dev/vdc ext4\n"),
                "fstab-evaluated",
                () => "/ /dev/vda ext4\n/var/lib/docker /dev/vdc ext4\n",
            );
            assert.deepEqual(run("data-root-own-filesystem", other), {
                status: "fail",
                evidence: [MOUNT_SEEN, "/etc/fstab: /var/lib/docker from /dev/vdc (ext4)"],
            });
        });

        it("reads findmnt's escaped spaces", () => {
            const raw = editSection(
                editSection(hardened, "mount-data", () => "/srv/docker\\x20data /dev/vdb ext4 u-1\n"),
                "fstab",
                () => "/srv/docker\\x20data UUID=u-1 ext4\n",
            );
            assert.deepEqual(run("data-root-own-filesystem", raw, { ...EXPECT, dataRoot: "/srv/docker data" }), {
                status: "pass",
                evidence: [
                    "/srv/docker data is on /dev/vdb (ext4) mounted at /srv/docker data; / is on /dev/vda",
                    "/etc/fstab: /srv/docker data from UUID=u-1 (ext4)",
                ],
            });
        });
    });

    describe("1.1.2 docker group", () => {
        it("passes with only the trusted users", () => {
            assert.deepEqual(run("docker-group-trusted-users", hardened), {
                status: "pass",
                evidence: ["docker group members: admin; trusted: admin"],
            });
        });

        it("fails naming the members nobody trusted", () => {
            const raw = editSection(hardened, "docker-group", () => "docker:x:108:admin,eve,mallory\n");
            assert.deepEqual(run("docker-group-trusted-users", raw), {
                status: "fail",
                evidence: ["not trusted: eve, mallory", "docker group members: admin, eve, mallory; trusted: admin"],
            });
        });

        it("passes when there is no docker group (getent exits 2)", () => {
            const raw = editSection(hardened, "docker-group", () => "", 2);
            assert.deepEqual(run("docker-group-trusted-users", raw), {
                status: "pass",
                evidence: ["there is no docker group: only root reaches the socket"],
            });
        });
    });

    describe("1.1.3 to 1.1.18 loaded audit rules", () => {
        it("passes each control on the sandbox with the loaded rule as evidence, each real path once", () => {
            assert.deepEqual(run("auditd-watches-dockerd", hardened), {
                status: "pass",
                evidence: [
                    "/usr/bin/dockerd, not created yet: -w /usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3",
                    "/usr/sbin/dockerd: -w /usr/sbin/dockerd -p wa -k docker -k cis-docker-1.1.3",
                ],
            });
            assert.deepEqual(run("auditd-watches-runc", hardened), {
                status: "pass",
                evidence: ["/usr/bin/runc (at /usr/sbin/runc): -w /usr/sbin/runc -p wa -k docker -k cis-docker-1.1.18"],
            });
            assert.deepEqual(run("auditd-watches-docker-service", hardened).evidence, [
                "/lib/systemd/system/docker.service (at /usr/lib/systemd/system/docker.service): -w /usr/lib/systemd/system/docker.service -p wa -k docker -k cis-docker-1.1.7",
                "/etc/systemd/system/docker.service, not created yet: -w /etc/systemd/system/docker.service -p wa -k docker -k cis-docker-1.1.7",
                "/etc/systemd/system/docker.service.d: -w /etc/systemd/system/docker.service.d -p wa -k docker -k cis-docker-1.1.7",
            ]);
            const statuses = HOST_CHECKS.filter((c) => c.id.startsWith("auditd-")).map(
                (c) => `${c.cis} ${c.run(new Evidence(hardened), EXPECT).status}`,
            );
            assert.deepEqual(statuses, [
                "1.1.3 pass",
                "1.1.4 pass",
                "1.1.5 pass",
                "1.1.6 pass",
                "1.1.7 pass",
                "1.1.8 pass",
                "1.1.9 pass",
                "1.1.10 pass",
                "1.1.11 pass",
                "1.1.12 pass",
                "1.1.13 not-applicable",
                "1.1.14 pass",
                "1.1.15 pass",
                "1.1.16 pass",
                "1.1.17 pass",
                "1.1.18 pass",
            ]);
        });

        it("is not applicable where neither the path nor its directory exists", () => {
            assert.deepEqual(run("auditd-watches-etc-sysconfig-docker", hardened), {
                status: "not-applicable",
                evidence: ["none of /etc/sysconfig/docker exists on this host, nor its directory"],
            });
        });

        it("fails a path whose rule is not loaded (the recorded weakened host), or loaded without w or a", () => {
            assert.deepEqual(run("auditd-watches-etc-docker", recorded("weakened")), {
                status: "fail",
                evidence: ["/etc/docker: no loaded rule"],
            });
            const readOnly = editSection(hardened, "audit-rules", (out) =>
                out.replace("-w /etc/docker -p wa", "-w /etc/docker -p w"),
            );
            assert.deepEqual(run("auditd-watches-etc-docker", readOnly), {
                status: "fail",
                evidence: ["/etc/docker: no loaded rule"],
            });
        });

        it("fails every applicable control when auditing is off in the kernel", () => {
            const off = editSection(hardened, "audit-status", (out) => out.replace("enabled 1", "enabled 0"));
            assert.deepEqual(run("auditd-watches-etc-docker", off), {
                status: "fail",
                evidence: ["auditing is off in the kernel (auditctl -s: enabled 0)"],
            });
        });

        it("cannot read the rules when auditctl is missing, and says why (the audit reports it as a failure)", () => {
            const missing = editSection(
                hardened,
                "audit-rules",
                () => "main: line 33: auditctl: command not found\n",
                127,
            );
            assert.throws(
                () => run("auditd-watches-etc-docker", missing),
                /^Error: audit-rules failed \(exit 127\): main: line 33: auditctl: command not found$/,
            );
        });
    });

    describe("1.2.1 host hardening", () => {
        it("passes sshd's effective settings on the sandbox and fails a password login", () => {
            assert.deepEqual(run("sshd-effective-settings", hardened), {
                status: "pass",
                evidence: [
                    "sshd -T: passwordauthentication no, kbdinteractiveauthentication no, permitrootlogin no, permitemptypasswords no, pubkeyauthentication yes, x11forwarding no",
                    "sshd -T for root from 192.0.2.1: passwordauthentication no, kbdinteractiveauthentication no, permitrootlogin no, permitemptypasswords no, pubkeyauthentication yes, x11forwarding no",
                ],
            });
            const raw = editSection(hardened, "sshd-settings", (out) =>
                out.replace("passwordauthentication no", "passwordauthentication yes"),
            );
            assert.deepEqual(run("sshd-effective-settings", raw), {
                status: "fail",
                evidence: [
                    "sshd -T: passwordauthentication yes (want no), kbdinteractiveauthentication no, permitrootlogin no, permitemptypasswords no, pubkeyauthentication yes, x11forwarding no",
                    "sshd -T for root from 192.0.2.1: passwordauthentication no, kbdinteractiveauthentication no, permitrootlogin no, permitemptypasswords no, pubkeyauthentication yes, x11forwarding no",
                ],
            });
        });

        it("passes the loaded firewall, and fails it unloaded, accepting, or not enabled at boot", () => {
            assert.deepEqual(run("firewall-loaded", hardened), {
                status: "pass",
                evidence: [
                    "table inet hardened_docker: input policy drop",
                    "hardened-docker-firewall.service: enabled",
                ],
            });
            const accept = editSection(hardened, "nft-ruleset", (out) =>
                out.replace(
                    /(table inet hardened_docker \{[\s\S]*?hook input priority [^;]+; policy )drop;/,
                    "$1accept;",
                ),
            );
            assert.deepEqual(run("firewall-loaded", accept).evidence, [
                "table inet hardened_docker: input policy accept",
                "hardened-docker-firewall.service: enabled",
            ]);
            assert.equal(run("firewall-loaded", accept).status, "fail");
            const gone = editSection(hardened, "nft-ruleset", (out) =>
                out.replace("table inet hardened_docker {", "table inet other {"),
            );
            assert.deepEqual(run("firewall-loaded", gone), {
                status: "fail",
                evidence: ["table inet hardened_docker is not loaded", "hardened-docker-firewall.service: enabled"],
            });
            const disabled = editSection(hardened, "firewall-unit", () => "disabled\n", 1);
            assert.deepEqual(run("firewall-loaded", disabled), {
                status: "fail",
                evidence: [
                    "table inet hardened_docker: input policy drop",
                    "hardened-docker-firewall.service: disabled",
                ],
            });
        });

        it("is not applicable without a HardenedHost", () => {
            const exp = { ...EXPECT, hardenedHost: false, sysctl: {} };
            assert.deepEqual(run("firewall-loaded", hardened, exp), {
                status: "not-applicable",
                evidence: ["the stack gives no HardenedHost: the firewall is not this audit's to check"],
            });
            assert.deepEqual(run("kernel-settings", hardened, exp), {
                status: "not-applicable",
                evidence: ["the stack gives no HardenedHost: no kernel settings to compare"],
            });
        });

        it("compares the running kernel with the kernel step's settings", () => {
            assert.deepEqual(run("kernel-settings", hardened), {
                status: "pass",
                evidence: [
                    "2 settings as the kernel step sets them: net.ipv4.ip_forward = 1, kernel.yama.ptrace_scope = 1",
                ],
            });
            const drift = editSection(hardened, "sysctl-values", (out) =>
                out.replace("kernel.yama.ptrace_scope = 1", "kernel.yama.ptrace_scope = 0"),
            );
            assert.deepEqual(
                run("kernel-settings", drift, { ...EXPECT, sysctl: { ...EXPECT.sysctl, "kernel.unknown_key": "1" } }),
                {
                    status: "fail",
                    evidence: ["kernel.yama.ptrace_scope = 0 (want 1)", "kernel.unknown_key = (absent) (want 1)"],
                },
            );
        });
    });
});

describe("ComplianceAudit checks: host, the rules auditd really applies", () => {
    it("1.1.1: an fstab entry by LABEL= counts once findmnt resolves it to the device", () => {
        const raw = editSection(
            editSection(hardened, "fstab", (o) => o.replace(/UUID=\S+/, "LABEL=docker-data")),
            "fstab-evaluated",
            (o) => o,
        );
        const f = run("data-root-own-filesystem", raw);
        assert.equal(f.status, "pass");
        assert.equal(f.evidence[1], "/etc/fstab: /var/lib/docker from LABEL=docker-data (ext4)");
        const unresolved = editSection(raw, "fstab-evaluated", (o) =>
            o.replace(/\/var\/lib\/docker \S+/, "/var/lib/docker /dev/vdc"),
        );
        assert.equal(run("data-root-own-filesystem", unresolved).status, "fail");
    });

    it("a syscall rule with -F dir= and perm=wa watches the directory like -w", () => {
        const raw = editSection(hardened, "audit-rules", (o) =>
            o.replace(
                "-w /etc/docker -p wa -k docker -k cis-docker-1.1.6",
                "-a always,exit -F dir=/etc/docker -F perm=wa -F key=docker",
            ),
        );
        assert.deepEqual(run("auditd-watches-etc-docker", raw), {
            status: "pass",
            evidence: ["/etc/docker: -a always,exit -F dir=/etc/docker -F perm=wa -F key=docker"],
        });
        const readOnly = editSection(raw, "audit-rules", (o) => o.replace("-F perm=wa", "-F perm=r"));
        assert.equal(run("auditd-watches-etc-docker", readOnly).status, "fail");
    });

    it("a rule on a path that is a link to the real one counts (a merged /usr)", () => {
        const raw = editSection(
            editSection(hardened, "audit-rules", (o) =>
                o.replace("-w /usr/lib/systemd/system/docker.service ", "-w /lib/systemd/system/docker.service "),
            ),
            "audit-rule-paths",
            (o) => `${o}/lib/systemd/system/docker.service\t/usr/lib/systemd/system/docker.service\n`,
        );
        const f = run("auditd-watches-docker-service", raw);
        assert.equal(f.status, "pass");
        assert.equal(
            f.evidence[0],
            "/lib/systemd/system/docker.service (at /usr/lib/systemd/system/docker.service): -w /lib/systemd/system/docker.service -p wa -k docker -k cis-docker-1.1.7",
        );
    });

    it("a loaded never rule that keeps a path's events out fails it; never,task fails every path", () => {
        const exit = editSection(hardened, "audit-rules", (o) => `-a never,exit -F dir=/etc/docker -F key=quiet\n${o}`);
        assert.deepEqual(run("auditd-watches-etc-docker", exit), {
            status: "fail",
            evidence: [
                "/etc/docker: -w /etc/docker -p wa -k docker -k cis-docker-1.1.6, but -a never,exit -F dir=/etc/docker -F key=quiet keeps its events out",
            ],
        });
        // HardenedHost's own exclusions (overlay2 and volumes under the data root) silence nothing watched.
        assert.equal(run("auditd-watches-data-root", hardened).status, "pass");
        const task = editSection(hardened, "audit-rules", (o) => `-a never,task\n${o}`);
        assert.deepEqual(
            HOST_CHECKS.filter((c) => c.id.startsWith("auditd-"))
                .map((c) => c.run(new Evidence(task), EXPECT).status)
                .filter((s) => s === "fail").length,
            15,
        );
    });

    it("without a HardenedHost, only the paths that exist must be watched", () => {
        const exp = { ...EXPECT, hardenedHost: false };
        assert.deepEqual(run("auditd-watches-dockerd", hardened, exp), {
            status: "pass",
            evidence: ["/usr/sbin/dockerd: -w /usr/sbin/dockerd -p wa -k docker -k cis-docker-1.1.3"],
        });
        assert.deepEqual(run("auditd-watches-etc-sysconfig-docker", hardened, exp), {
            status: "not-applicable",
            evidence: ["none of /etc/sysconfig/docker exists on this host"],
        });
    });

    it("1.2.1: a Match block that lets root or passwords in from outside fails sshd", () => {
        const raw = editSection(hardened, "sshd-settings-outside", (o) =>
            o.replace("permitrootlogin no", "permitrootlogin yes"),
        );
        const f = run("sshd-effective-settings", raw);
        assert.equal(f.status, "fail");
        assert.equal(
            f.evidence[1],
            "sshd -T for root from 192.0.2.1: passwordauthentication no, kbdinteractiveauthentication no, permitrootlogin yes (want no), permitemptypasswords no, pubkeyauthentication yes, x11forwarding no",
        );
    });

    it("1.2.1: a key this kernel does not have is skipped, as the kernel step skips it", () => {
        const raw = editSection(hardened, "sysctl-values", (o) =>
            o.replace("kernel.yama.ptrace_scope = 1", "kernel.yama.ptrace_scope = <absent>"),
        );
        assert.deepEqual(run("kernel-settings", raw), {
            status: "pass",
            evidence: [
                "1 settings as the kernel step sets them: net.ipv4.ip_forward = 1",
                "this kernel has no kernel.yama.ptrace_scope: not applicable",
            ],
        });
    });
});

describe("ComplianceAudit checks: host, a file watched through its directory", () => {
    it("1.1.11: daemon.json without its own rule is still audited by /etc/docker's, and says so", () => {
        const raw = editSection(recorded("hardened"), "audit-rules", (o) =>
            o.replace("-w /etc/docker/daemon.json -p wa -k docker -k cis-docker-1.1.11\n", ""),
        );
        const check = HOST_CHECKS.find((c) => c.id === "auditd-watches-daemon-json")!;
        assert.deepEqual(check.run(new Evidence(raw), EXPECT), {
            status: "pass",
            evidence: [
                "/etc/docker/daemon.json (through /etc/docker): -w /etc/docker -p wa -k docker -k cis-docker-1.1.6",
            ],
        });
    });
});
