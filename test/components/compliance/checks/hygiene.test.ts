import * as assert from "node:assert/strict";
import type { AuditExpectations, RawEvidence } from "../../../../components/compliance";
import { HYGIENE_CHECKS } from "../../../../components/compliance/checks/hygiene";
import type { Finding } from "../../../../components/compliance/checks/types";
import { Evidence } from "../../../../components/compliance/evidence";
import { HYGIENE_FILE_MODES } from "../../../../components/host/hygiene";
import { SANDBOX_EXPECTATIONS } from "../fixtures";

/** What a HardenedHost with the default accounts and hygiene arguments expects, for user admin. */
const EXPECT: AuditExpectations = {
    ...SANDBOX_EXPECTATIONS,
    loginUsers: ["admin"],
    hostFileModes: HYGIENE_FILE_MODES,
    shell: { umask: "0027", idleTimeoutSeconds: 900 },
};

/** The sections as the collector prints them on a hardened Debian 12 host. */
const ACCOUNTS = [
    "uid_min 1000",
    "root|0|/bin/bash|login|locked",
    "daemon|1|/usr/sbin/nologin|nologin|locked",
    "sync|4|/bin/sync|nologin|locked",
    "_apt|42|/usr/sbin/nologin|nologin|locked",
    "nobody|65534|/usr/sbin/nologin|nologin|locked",
    "admin|1000|/bin/bash|login|usable",
    "hd-e2e-svc|999|/usr/sbin/nologin|nologin|locked",
    "",
].join("\n");

const FILES = [
    "/etc/passwd|644|root|root|f",
    "/etc/group|644|root|root|f",
    "/etc/shadow|640|root|shadow|f",
    "/etc/gshadow|640|root|shadow|f",
    "/etc/ssh/sshd_config|600|root|root|f",
    "/etc/ssh/ssh_host_ed25519_key|600|root|root|f",
    "/etc/ssh/ssh_host_ed25519_key.pub|644|root|root|f",
    "/etc/cron.d|700|root|root|d",
    "",
].join("\n");

const CORE = [
    "/etc/security/limits.d/hardened-docker-coredump.conf: * hard core 0",
    "/etc/security/limits.d/hardened-docker-coredump.conf: root hard core 0",
    "/etc/systemd/coredump.conf.d/hardened-docker.conf: Storage=none",
    "",
].join("\n");

const SHELL = ["umask 0027", "TMOUT 900", "readonly 1", "UMASK\t\t027", ""].join("\n");

const HOST: RawEvidence = {
    accounts: { rc: 0, out: ACCOUNTS },
    "host-file-modes": { rc: 0, out: FILES },
    "core-dumps": { rc: 0, out: CORE },
    "shell-settings": { rc: 0, out: SHELL },
};

function run(id: string, sections: RawEvidence = {}, exp: AuditExpectations = EXPECT): Finding {
    const check = HYGIENE_CHECKS.find((c) => c.id === id);
    assert.ok(check !== undefined, id);
    return check.run(new Evidence({ ...HOST, ...sections }), exp);
}

/** What a stack without a HardenedHost expects: no accounts list, file table or shell settings. */
const WITHOUT_HOST: AuditExpectations = {
    ...SANDBOX_EXPECTATIONS,
    hardenedHost: false,
    loginUsers: undefined,
    hostFileModes: [],
    shell: undefined,
};

describe("ComplianceAudit: host hygiene checks (CIS 1.2.1)", () => {
    it("are four checks of 1.2.1", () => {
        assert.deepEqual(
            HYGIENE_CHECKS.map((c) => [c.id, c.cis]),
            [
                ["host-accounts", "1.2.1"],
                ["host-file-modes", "1.2.1"],
                ["host-core-dumps", "1.2.1"],
                ["host-shell-settings", "1.2.1"],
            ],
        );
    });

    it("do not apply without a HardenedHost", () => {
        assert.deepEqual(
            HYGIENE_CHECKS.map((c) => c.run(new Evidence(HOST), WITHOUT_HOST)),
            [
                {
                    status: "not-applicable",
                    evidence: ["the stack gives no HardenedHost: no list of who may log in"],
                },
                {
                    status: "not-applicable",
                    evidence: ["the stack gives no HardenedHost: no table of host file modes"],
                },
                {
                    status: "not-applicable",
                    evidence: ["the stack gives no HardenedHost: core dumps are not its to check"],
                },
                {
                    status: "not-applicable",
                    evidence: ["the stack gives no HardenedHost: no shell settings to compare"],
                },
            ],
        );
    });

    it("host-accounts passes on closed system accounts and listed login accounts", () => {
        assert.deepEqual(run("host-accounts"), {
            status: "pass",
            evidence: [
                "5 system accounts (uid < 1000) without a login; login accounts: root, admin; listed: root, admin",
            ],
        });
    });

    it("host-accounts fails on a system account with a shell or a usable password, and on an unlisted login", () => {
        const out = ACCOUNTS.replace("daemon|1|/usr/sbin/nologin|nologin|locked", "daemon|1|/bin/sh|login|locked")
            .replace("_apt|42|/usr/sbin/nologin|nologin|locked", "_apt|42|/usr/sbin/nologin|nologin|usable")
            .concat("mallory|1001|/bin/bash|login|usable\n");
        assert.deepEqual(run("host-accounts", { accounts: { rc: 0, out } }), {
            status: "fail",
            evidence: [
                "system account daemon (uid 1): shell /bin/sh, password locked",
                "system account _apt (uid 42): shell /usr/sbin/nologin, password usable",
                "login account mallory (uid 1001, shell /bin/bash) is not in accounts.loginUsers",
                "5 system accounts (uid < 1000) without a login; login accounts: root, daemon, admin, mallory; listed: root, admin",
            ],
        });
    });

    it("host-accounts keeps a listed system account's shell", () => {
        const out = ACCOUNTS.replace(
            "hd-e2e-svc|999|/usr/sbin/nologin|nologin|locked",
            "postgres|999|/bin/bash|login|locked",
        );
        assert.equal(run("host-accounts", { accounts: { rc: 0, out } }).status, "fail");
        assert.equal(
            run("host-accounts", { accounts: { rc: 0, out } }, { ...EXPECT, loginUsers: ["admin", "postgres"] }).status,
            "pass",
        );
    });

    it("host-file-modes passes on the table's modes or stricter", () => {
        assert.deepEqual(run("host-file-modes"), {
            status: "pass",
            evidence: ["8 paths at their table mode or stricter, with their owners"],
        });
        const stricter = FILES.replace("/etc/passwd|644|", "/etc/passwd|600|");
        assert.equal(run("host-file-modes", { "host-file-modes": { rc: 0, out: stricter } }).status, "pass");
    });

    it("host-file-modes fails on a looser mode, another owner, a link, or a missing required file", () => {
        const out = FILES.replace("/etc/shadow|640|root|shadow|f", "/etc/shadow|644|root|shadow|f")
            .replace("/etc/ssh/ssh_host_ed25519_key|600|root|root|f", "/etc/ssh/ssh_host_ed25519_key|600|admin|root|f")
            .replace("/etc/cron.d|700|root|root|d", "/etc/cron.d|777|root|root|l")
            .replace("/etc/gshadow|640|root|shadow|f\n", "");
        assert.deepEqual(run("host-file-modes", { "host-file-modes": { rc: 0, out } }), {
            status: "fail",
            evidence: [
                "/etc/shadow: mode 0644 root:shadow (want file 0640 root:shadow or stricter)",
                "/etc/gshadow is missing",
                "/etc/ssh/ssh_host_ed25519_key: mode 0600 admin:root (want file 0600 root:root or stricter)",
                "/etc/cron.d: a symbolic link (want dir 0700 root:root or stricter)",
            ],
        });
    });

    it("host-core-dumps passes on limits of 0 and no storage", () => {
        assert.deepEqual(run("host-core-dumps"), {
            status: "pass",
            evidence: ["hard core limit: * 0, root 0; systemd-coredump Storage=none"],
        });
    });

    it("host-core-dumps fails when a later file raises a limit, root has none, or dumps are stored", () => {
        const out = [
            "/etc/security/limits.conf: * hard core unlimited",
            "/etc/security/limits.d/hardened-docker-coredump.conf: * hard core 0",
            "/etc/security/limits.d/zz-local.conf: * - core unlimited",
            "/etc/systemd/coredump.conf: Storage=external",
            "",
        ].join("\n");
        assert.deepEqual(run("host-core-dumps", { "core-dumps": { rc: 0, out } }), {
            status: "fail",
            evidence: [
                "hard core limit: * unlimited, root (unset); systemd-coredump Storage=external",
                "raised: /etc/security/limits.conf: * hard core unlimited",
                "raised: /etc/security/limits.d/zz-local.conf: * - core unlimited",
            ],
        });
    });

    it("host-core-dumps fails when a user's or a group's own line raises the limit above 0", () => {
        const out = CORE.concat("/etc/security/limits.d/zz-dev.conf: @adm - core unlimited\n");
        assert.deepEqual(run("host-core-dumps", { "core-dumps": { rc: 0, out } }), {
            status: "fail",
            evidence: [
                "hard core limit: * 0, root 0; systemd-coredump Storage=none",
                "raised: /etc/security/limits.d/zz-dev.conf: @adm - core unlimited",
            ],
        });
    });

    it("host-shell-settings passes on the step's umask and a read-only TMOUT", () => {
        assert.deepEqual(run("host-shell-settings"), {
            status: "pass",
            evidence: [
                "login shell: umask 0027, TMOUT 900 (read-only); login.defs UMASK 027 (want umask 0027, TMOUT 900)",
            ],
        });
    });

    it("host-shell-settings fails on another umask, a writable or missing TMOUT", () => {
        const out = ["umask 0022", "TMOUT unset", "readonly 0", "UMASK unset", ""].join("\n");
        assert.deepEqual(run("host-shell-settings", { "shell-settings": { rc: 0, out } }), {
            status: "fail",
            evidence: [
                "login shell: umask 0022, TMOUT unset (not read-only); login.defs UMASK unset (want umask 0027, TMOUT 900)",
            ],
        });
    });

    it("fail, saying so, when the collector could not read a section", () => {
        assert.throws(() => run("host-accounts", { accounts: { rc: 1, out: "cat: /etc/shadow: Permission denied" } }), {
            message: "accounts failed (exit 1): cat: /etc/shadow: Permission denied",
        });
    });
});
