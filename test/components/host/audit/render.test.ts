import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
    chmodSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    realpathSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
    AUDIT_CIS,
    AUDIT_DROPIN_PATH,
    AUDIT_REFRESH_PATH,
    AUDIT_MAIN,
    AUDIT_RULES_PATH,
    AUDIT_TMPFILES_PATH,
    renderAudit,
    renderAuditCandidates,
    renderAuditTmpfiles,
    validateAuditArgs,
    type AuditArgs,
} from "../../../../components/host/audit";
import { prelude } from "../../../../components/host/shell";
import type { HostContext } from "../../../../components/host/step";
import { assertCleanScript, CTX, needTool, run, runFunctions } from "../stepHarness";

function step(args?: AuditArgs, ctx: HostContext = CTX) {
    return renderAudit(validateAuditArgs(args, ctx), ctx);
}

const TMPFILES = [
    "# hardened-docker: containerd's state directory exists from early boot, so the audit watch on",
    "# /run/containerd/containerd.sock loads before containerd starts (CIS Docker Benchmark 1.1.4, 1.1.8).",
    "d /run/containerd 0711 root root -",
    "",
].join("\n");

const HEADER = [
    "## hardened-docker: audit rules of the Docker host (CIS Docker Benchmark v1.6.0 1.1.3 to 1.1.18).",
    "## Generated on this host for the paths that exist here, or whose directory does; edits are overwritten.",
];

/** A fake host tree: `files` are created empty, `dirs` as directories, `links` as symlinks. */
function tree(root: string, files: string[], dirs: string[], links: Record<string, string>): void {
    for (const d of dirs) {
        mkdirSync(join(root, d), { recursive: true });
    }
    for (const f of files) {
        mkdirSync(dirname(join(root, f)), { recursive: true });
        writeFileSync(join(root, f), "");
    }
    for (const [link, target] of Object.entries(links)) {
        mkdirSync(dirname(join(root, link)), { recursive: true });
        symlinkSync(target, join(root, link));
    }
}

describe("renderAudit", () => {
    it("describes the step: CIS 1.1.3 to 1.1.18; its files: tmpfiles.d, the refresher and its drop-in (the rules are made on the host)", () => {
        const s = step();
        const refresher = s.files.find((f) => f.path === AUDIT_REFRESH_PATH)!;
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, secret: s.secret, files: s.files },
            {
                id: "audit",
                title: "auditd watches Docker's binaries, configuration, sockets and data root, and the rules are loaded",
                cis: AUDIT_CIS,
                secret: false,
                files: [
                    { path: AUDIT_TMPFILES_PATH, mode: "0644", owner: "root:root", content: TMPFILES },
                    { path: AUDIT_REFRESH_PATH, mode: "0755", owner: "root:root", content: refresher.content },
                    {
                        path: AUDIT_DROPIN_PATH,
                        mode: "0644",
                        owner: "root:root",
                        content: [
                            "# hardened-docker audit (CIS 1.1.3 to 1.1.18): after every start of dockerd, the audit rules are",
                            "# regenerated for the data root as it is now (userns-remap makes a root of its own there) and",
                            "# loaded when they changed. Rendered by hardened-docker; edits are overwritten.",
                            "[Service]",
                            "ExecStartPost=-/usr/local/sbin/hardened-docker-audit-rules",
                            "",
                        ].join("\n"),
                    },
                ],
            },
        );
        // The refresher is the step's own functions and candidates, ending in audit_refresh.
        assert.ok(refresher.content.startsWith(prelude("audit")));
        assert.ok(refresher.content.endsWith("\naudit_refresh\n"));
        assert.ok(refresher.content.includes(`\n${renderAuditCandidates(validateAuditArgs(undefined, CTX))}HD_EOF_`));
        assert.equal(AUDIT_DROPIN_PATH, "/etc/systemd/system/docker.service.d/20-hardened-docker-audit.conf");
        assert.equal(AUDIT_RULES_PATH, "/etc/audit/rules.d/50-hardened-docker.rules");
        assert.equal(AUDIT_TMPFILES_PATH, "/etc/tmpfiles.d/hardened-docker-audit.conf");
    });

    it("renders the exact tmpfiles.d file, which systemd-tmpfiles applies as intended", function () {
        assert.equal(renderAuditTmpfiles(), TMPFILES);
        needTool(this, "systemd-tmpfiles", ["--version"], "systemd");
        const root = mkdtempSync(join(tmpdir(), "hd-audit-tmpfiles-"));
        try {
            writeFileSync(join(root, "conf"), TMPFILES);
            assert.deepEqual(run("systemd-tmpfiles", ["--create", `--root=${root}/r`, join(root, "conf")], ""), {
                status: 0,
                stdout: "",
                stderr: "",
            });
            assert.equal((statSync(join(root, "r/run/containerd")).mode & 0o7777).toString(8), "711");
        } finally {
            rmSync(root, { recursive: true, force: true });
        }
    });

    it("carries the candidate list, the exclusions and the paths it works on", () => {
        const plan = validateAuditArgs(undefined, CTX);
        const script = renderAudit(plan, CTX).script;
        assert.ok(script.startsWith(prelude("audit")));
        assert.ok(
            script.includes(
                [
                    'AUDIT_ROOT=""',
                    "AUDIT_RULES=/etc/audit/rules.d/50-hardened-docker.rules",
                    "AUDIT_TMPFILES=/etc/tmpfiles.d/hardened-docker-audit.conf",
                    "AUDIT_REFRESH=/usr/local/sbin/hardened-docker-audit-rules",
                    "AUDIT_DROPIN=/etc/systemd/system/docker.service.d/20-hardened-docker-audit.conf",
                    "AUDIT_SYSTEMD=/run/systemd/system",
                    "AUDIT_EXCLUDE=(overlay2 volumes)",
                    "",
                    'cat >"$HD_TMP/hardened-docker-audit.conf" <<\'HD_EOF_',
                ].join("\n"),
            ),
        );
        assert.ok(script.includes(`\n${TMPFILES}HD_EOF_`));
        assert.ok(script.includes(`\n${renderAuditCandidates(plan)}HD_EOF_`));
        assert.ok(step({ dataRootExclusions: [] }).script.includes("\nAUDIT_EXCLUDE=()\n"));
        assert.ok(script.endsWith("\naudit_main\n"));
    });

    for (const [title, args, ctx] of [
        ["the defaults", undefined, CTX],
        ["a moved data root and no exclusions", { dataRootExclusions: [] }, { ...CTX, dataRoot: "/srv/docker" }],
    ] as [string, AuditArgs | undefined, HostContext][]) {
        it(`passes bash -n and shellcheck for ${title}`, function () {
            assertCleanScript(this, step(args, ctx).script);
        });
    }
});

describe("audit_generate against a fake host tree", () => {
    let root: string;
    beforeEach(() => {
        root = realpathSync(mkdtempSync(join(tmpdir(), "hd-audit-")));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    function generate(ctx: HostContext, args?: AuditArgs) {
        return runFunctions(
            step(args, ctx).script,
            AUDIT_MAIN,
            `AUDIT_ROOT=${root}\naudit_generate "$HD_TMP/audit-candidates.txt" "$HD_TMP/out"\ncat "$HD_TMP/out"`,
        );
    }

    it("watches what exists, at its real path, once; excludes the busy data-root directories first", () => {
        // Debian 12: merged /usr (/lib -> usr/lib), Debian's runc in /usr/sbin with a link from /usr/bin,
        // a data root moved to /srv/docker, and userns-remap's 100000.100000 root inside /var/lib/docker.
        tree(
            root,
            [
                "usr/bin/dockerd",
                "usr/bin/containerd",
                "usr/bin/containerd-shim-runc-v2",
                "usr/sbin/runc",
                "usr/lib/systemd/system/docker.service",
                "usr/lib/systemd/system/docker.socket",
                "run/containerd/containerd.sock",
                "etc/docker/daemon.json",
            ],
            [
                "var/lib/docker/overlay2",
                "var/lib/docker/volumes",
                "var/lib/docker/containers",
                "var/lib/docker/100000.100000/overlay2",
                "var/lib/docker/plugins/overlay2",
                "srv/docker/overlay2",
                "etc/systemd/system",
            ],
            { lib: "usr/lib", "usr/bin/runc": "../sbin/runc" },
        );
        const r = generate({ ...CTX, dataRoot: "/srv/docker" });
        assert.equal(r.stderr, "");
        assert.equal(r.status, 0);
        const [logs, rules] = [
            r.stdout.split("\n").filter((l) => l.startsWith("hardened-docker[")),
            r.stdout.split("\n").filter((l) => !l.startsWith("hardened-docker[")),
        ];
        assert.deepEqual(
            rules.join("\n"),
            [
                ...HEADER,
                "## Not audited: directories of the data root that containers write to all the time.",
                "-a never,exit -S all -F dir=/var/lib/docker/overlay2",
                "-a never,exit -S all -F dir=/var/lib/docker/100000.100000/overlay2",
                "-a never,exit -S all -F dir=/var/lib/docker/volumes",
                "-a never,exit -S all -F dir=/srv/docker/overlay2",
                "## CIS 1.1.3",
                "-w /usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3",
                // Absent, in a directory that exists: auditd sees it if it appears.
                "## CIS 1.1.3",
                "-w /usr/sbin/dockerd -p wa -k docker -k cis-docker-1.1.3",
                "## CIS 1.1.4",
                "-w /run/containerd -p wa -k docker -k cis-docker-1.1.4",
                "## CIS 1.1.5",
                "-w /var/lib/docker -p wa -k docker -k cis-docker-1.1.5",
                "## CIS 1.1.5",
                "-w /srv/docker -p wa -k docker -k cis-docker-1.1.5",
                "## CIS 1.1.6",
                "-w /etc/docker -p wa -k docker -k cis-docker-1.1.6",
                "## CIS 1.1.7",
                "-w /usr/lib/systemd/system/docker.service -p wa -k docker -k cis-docker-1.1.7",
                "## CIS 1.1.7",
                "-w /etc/systemd/system/docker.service -p wa -k docker -k cis-docker-1.1.7",
                "## CIS 1.1.7",
                "-w /etc/systemd/system/docker.service.d -p wa -k docker -k cis-docker-1.1.7",
                "## CIS 1.1.8",
                "-w /run/containerd/containerd.sock -p wa -k docker -k cis-docker-1.1.8",
                "## CIS 1.1.9",
                "-w /usr/lib/systemd/system/docker.socket -p wa -k docker -k cis-docker-1.1.9",
                "## CIS 1.1.9",
                "-w /etc/systemd/system/docker.socket -p wa -k docker -k cis-docker-1.1.9",
                "## CIS 1.1.9",
                "-w /etc/systemd/system/docker.socket.d -p wa -k docker -k cis-docker-1.1.9",
                "## CIS 1.1.11",
                "-w /etc/docker/daemon.json -p wa -k docker -k cis-docker-1.1.11",
                "## CIS 1.1.14",
                "-w /usr/bin/containerd -p wa -k docker -k cis-docker-1.1.14",
                "## CIS 1.1.15",
                "-w /usr/bin/containerd-shim -p wa -k docker -k cis-docker-1.1.15",
                "## CIS 1.1.16",
                "-w /usr/bin/containerd-shim-runc-v1 -p wa -k docker -k cis-docker-1.1.16",
                "## CIS 1.1.17",
                "-w /usr/bin/containerd-shim-runc-v2 -p wa -k docker -k cis-docker-1.1.17",
                "## CIS 1.1.18",
                "-w /usr/sbin/runc -p wa -k docker -k cis-docker-1.1.18",
                "",
            ].join("\n"),
        );
        assert.deepEqual(logs, [
            "hardened-docker[audit]: skipped: /etc/default/docker (CIS 1.1.10): neither it nor its directory is on this host",
            "hardened-docker[audit]: skipped: /etc/containerd/config.toml (CIS 1.1.12): neither it nor its directory is on this host",
            "hardened-docker[audit]: skipped: /etc/sysconfig/docker (CIS 1.1.13): neither it nor its directory is on this host",
        ]);
    });

    it("merges paths that resolve to one file, keeping every CIS id as a key", () => {
        // The data root moved by a symlink, and /etc/default/docker linked to daemon.json.
        tree(root, ["etc/docker/daemon.json"], ["data/docker/volumes", "srv", "etc/default"], {
            "var/lib/docker": "../../data/docker",
            "srv/docker": "../data/docker",
            "etc/default/docker": "../docker/daemon.json",
        });
        const r = generate({ ...CTX, dataRoot: "/srv/docker" }, { dataRootExclusions: ["volumes"] });
        assert.equal(r.status, 0);
        assert.deepEqual(
            r.stdout
                .split("\n")
                .filter((l) => !l.startsWith("hardened-docker["))
                .join("\n"),
            [
                ...HEADER,
                "## Not audited: directories of the data root that containers write to all the time.",
                "-a never,exit -S all -F dir=/data/docker/volumes",
                "## CIS 1.1.5",
                "-w /data/docker -p wa -k docker -k cis-docker-1.1.5",
                "## CIS 1.1.6",
                "-w /etc/docker -p wa -k docker -k cis-docker-1.1.6",
                "## CIS 1.1.10 1.1.11",
                "-w /etc/docker/daemon.json -p wa -k docker -k cis-docker-1.1.10 -k cis-docker-1.1.11",
                "",
            ].join("\n"),
        );
    });

    it("writes only the header on a host without Docker", () => {
        const r = generate(CTX);
        assert.equal(r.status, 0);
        assert.equal(
            r.stdout
                .split("\n")
                .filter((l) => !l.startsWith("hardened-docker["))
                .join("\n"),
            `${HEADER.join("\n")}\n`,
        );
    });

    it("stops on a path that an audit rule cannot hold", () => {
        tree(root, ["my docker/daemon.json"], [], { "etc/docker": "../my docker" });
        const r = generate(CTX);
        assert.equal(r.status, 1);
        assert.equal(
            r.stderr,
            "hardened-docker[audit]: error: /etc/docker resolves to /my docker, which an audit rule cannot hold\n",
        );
    });
});

/** A stand-in for auditctl: -l prints $FAKE_LOADED (or "No rules"), -s prints the enabled state. */
const FAKE_AUDITCTL = `#!/bin/bash
case "$1" in
-l) if [ -s "$FAKE_LOADED" ]; then cat "$FAKE_LOADED"; else echo "No rules"; fi ;;
-s) printf 'enabled %s\\nfailure 1\\npid 0\\n' "\${FAKE_ENABLED:-1}" ;;
*) exit 2 ;;
esac
`;

/** A stand-in for augenrules: --load "loads" the rules of $FAKE_RULES_DIR, or fails with FAKE_LOAD_FAIL. */
const FAKE_AUGENRULES = `#!/bin/bash
printf 'augenrules %s\\n' "$*" >>"$FAKE_LOG"
case "$1" in
--check) echo "/usr/sbin/augenrules: Rules have changed and should be updated" ;;
--load)
    if [ -n "\${FAKE_LOAD_FAIL:-}" ] && [ ! -e "$FAKE_LOG.failed" ]; then
        : >"$FAKE_LOG.failed"
        echo "Error sending add rule data request (No such file or directory)"
        echo "There was an error in line 4 of /etc/audit/audit.rules"
        exit 1
    fi
    cat "$FAKE_RULES_DIR"/*.rules 2>/dev/null | { grep -v -e '^#' -e '^$' || true; } >"$FAKE_LOADED" ;;
*) exit 2 ;;
esac
`;

describe("the audit script's loading and checking, with stand-ins for auditctl and augenrules", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = realpathSync(mkdtempSync(join(tmpdir(), "hd-audit-load-")));
        mkdirSync(join(dir, "bin"));
        mkdirSync(join(dir, "rules.d"));
        mkdirSync(join(dir, "root/usr/bin"), { recursive: true });
        writeFileSync(join(dir, "root/usr/bin/dockerd"), "");
        for (const [name, text] of [
            ["auditctl", FAKE_AUDITCTL],
            ["augenrules", FAKE_AUGENRULES],
        ]) {
            writeFileSync(join(dir, "bin", name), text);
            chmodSync(join(dir, "bin", name), 0o755);
        }
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            FAKE_LOADED: join(dir, "loaded"),
            FAKE_LOG: join(dir, "log"),
            FAKE_RULES_DIR: join(dir, "rules.d"),
        };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    // dockerd exists; the other binaries' directory does, so they are watched for when they appear.
    const RULES = [
        ...HEADER,
        "## CIS 1.1.3",
        "-w /usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3",
        ...[
            ["1.1.14", "containerd"],
            ["1.1.15", "containerd-shim"],
            ["1.1.16", "containerd-shim-runc-v1"],
            ["1.1.17", "containerd-shim-runc-v2"],
            ["1.1.18", "runc"],
        ].flatMap(([id, bin]) => [`## CIS ${id}`, `-w /usr/bin/${bin} -p wa -k docker -k cis-docker-${id}`]),
        "",
    ].join("\n");

    function main(extraEnv: NodeJS.ProcessEnv = {}) {
        return runFunctions(
            step().script,
            AUDIT_MAIN,
            [
                `AUDIT_ROOT=${dir}/root`,
                `AUDIT_RULES=${dir}/rules.d/50-hardened-docker.rules`,
                `AUDIT_TMPFILES=${dir}/tmpfiles.d/hardened-docker-audit.conf`,
                `AUDIT_REFRESH=${dir}/sbin/hardened-docker-audit-rules`,
                `AUDIT_DROPIN=${dir}/docker.service.d/20-hardened-docker-audit.conf`,
                `AUDIT_SYSTEMD=${dir}/no-systemd`,
                "hd_apt_install() { :; }",
                "audit_main",
            ].join("\n"),
            { ...env, ...extraEnv },
        );
    }

    /** The log lines of a run, without the "skipped" lines for the paths the fake tree lacks. */
    const logLines = (stdout: string) => stdout.split("\n").filter((l) => l !== "" && !l.includes(": skipped: /"));

    it("names each rule that is not loaded, as auditctl -l prints it", () => {
        writeFileSync(
            join(dir, "loaded"),
            "-w /usr/bin/dockerd -p wa -k docker\n-w /etc/docker -p wa -k docker -k cis-docker-1.1.6\n",
        );
        writeFileSync(
            join(dir, "expected.rules"),
            "## comment\n-w /etc/docker -p wa -k docker -k cis-docker-1.1.6\n-w /usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3\n",
        );
        const r = runFunctions(
            step().script,
            AUDIT_MAIN,
            `audit_verify ${dir}/expected.rules || echo "status $?"`,
            env,
        );
        assert.deepEqual(r, {
            status: 0,
            stdout: "status 1\n",
            stderr: "hardened-docker[audit]: not loaded: -w /usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3\n",
        });
    });

    it("installs, loads and checks the rules; a second run changes nothing", function () {
        if (process.getuid?.() !== 0) {
            this.skip(); // hd_install_file sets root:root
        }
        const first = main();
        assert.equal(first.stderr, "");
        assert.equal(first.status, 0);
        assert.deepEqual(logLines(first.stdout), [
            `hardened-docker[audit]: changed: ${dir}/tmpfiles.d/hardened-docker-audit.conf`,
            "hardened-docker[audit]: skipped: auditd.service (systemd is not running here)",
            `hardened-docker[audit]: changed: ${dir}/sbin/hardened-docker-audit-rules`,
            `hardened-docker[audit]: changed: ${dir}/docker.service.d/20-hardened-docker-audit.conf`,
            `hardened-docker[audit]: changed: ${dir}/rules.d/50-hardened-docker.rules`,
            "hardened-docker[audit]: augenrules --check: /usr/sbin/augenrules: Rules have changed and should be updated",
            `hardened-docker[audit]: changed: loaded ${dir}/rules.d/50-hardened-docker.rules`,
        ]);
        assert.equal(readFileSync(join(dir, "rules.d/50-hardened-docker.rules"), "utf8"), RULES);
        assert.equal(readFileSync(join(dir, "tmpfiles.d/hardened-docker-audit.conf"), "utf8"), TMPFILES);
        const files = step().files;
        assert.equal(readFileSync(join(dir, "sbin/hardened-docker-audit-rules"), "utf8"), files[1].content);
        assert.equal((statSync(join(dir, "sbin/hardened-docker-audit-rules")).mode & 0o7777).toString(8), "755");
        assert.equal(
            readFileSync(join(dir, "docker.service.d/20-hardened-docker-audit.conf"), "utf8"),
            files[2].content,
        );
        const second = main();
        assert.deepEqual(logLines(second.stdout), [
            "hardened-docker[audit]: skipped: auditd.service (systemd is not running here)",
        ]);
        assert.equal(second.stderr, "");
        assert.equal(readFileSync(join(dir, "log"), "utf8"), "augenrules --check\naugenrules --load\n");
    });

    it("refreshes the rules when dockerd made userns-remap's root after the step ran", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        mkdirSync(join(dir, "root/var/lib/docker/overlay2"), { recursive: true });
        assert.equal(main().status, 0);
        // dockerd started with userns-remap: its own root appears under the data root.
        mkdirSync(join(dir, "root/var/lib/docker/165536.165536/overlay2"), { recursive: true });
        const r = runFunctions(
            step().script,
            AUDIT_MAIN,
            [`AUDIT_ROOT=${dir}/root`, `AUDIT_RULES=${dir}/rules.d/50-hardened-docker.rules`, "audit_refresh"].join(
                "\n",
            ),
            env,
        );
        assert.equal(r.status, 0, r.stderr);
        const rules = readFileSync(join(dir, "rules.d/50-hardened-docker.rules"), "utf8");
        assert.ok(rules.includes("-a never,exit -S all -F dir=/var/lib/docker/overlay2\n"));
        assert.ok(rules.includes("-a never,exit -S all -F dir=/var/lib/docker/165536.165536/overlay2\n"));
        assert.deepEqual(logLines(r.stdout), [
            `hardened-docker[audit]: changed: ${dir}/rules.d/50-hardened-docker.rules`,
            "hardened-docker[audit]: augenrules --check: /usr/sbin/augenrules: Rules have changed and should be updated",
            `hardened-docker[audit]: changed: loaded ${dir}/rules.d/50-hardened-docker.rules`,
        ]);
    });

    it("loads the rules again when the kernel lost them", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        assert.equal(main().status, 0);
        writeFileSync(join(dir, "loaded"), ""); // auditctl -D
        const r = main();
        assert.equal(r.status, 0);
        assert.deepEqual(logLines(r.stdout), [
            "hardened-docker[audit]: skipped: auditd.service (systemd is not running here)",
            `hardened-docker[audit]: the rules in ${dir}/rules.d/50-hardened-docker.rules are not all loaded: loading them again`,
            "hardened-docker[audit]: augenrules --check: /usr/sbin/augenrules: Rules have changed and should be updated",
            `hardened-docker[audit]: changed: loaded ${dir}/rules.d/50-hardened-docker.rules`,
        ]);
    });

    it("puts the previous rules back when the new ones do not load", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        writeFileSync(join(dir, "rules.d/50-hardened-docker.rules"), "-w /etc/old -p wa -k old\n");
        const r = main({ FAKE_LOAD_FAIL: "1" });
        assert.equal(r.status, 1);
        assert.equal(
            r.stderr,
            [
                "Error sending add rule data request (No such file or directory)",
                "There was an error in line 4 of /etc/audit/audit.rules",
                `hardened-docker[audit]: error: augenrules could not load ${dir}/rules.d/50-hardened-docker.rules; the previous rules are back in place`,
                "",
            ].join("\n"),
        );
        assert.equal(readFileSync(join(dir, "rules.d/50-hardened-docker.rules"), "utf8"), "-w /etc/old -p wa -k old\n");
        assert.equal(readFileSync(join(dir, "loaded"), "utf8"), "-w /etc/old -p wa -k old\n");
        assert.equal(
            readFileSync(join(dir, "log"), "utf8"),
            "augenrules --check\naugenrules --load\naugenrules --load\n",
        );
    });

    it("removes a first rules file that does not load", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        const r = main({ FAKE_LOAD_FAIL: "1" });
        assert.equal(r.status, 1);
        assert.equal(existsSync(join(dir, "rules.d/50-hardened-docker.rules")), false);
    });

    it("stops when the kernel's rules are locked until the next boot", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        const r = main({ FAKE_ENABLED: "2" });
        assert.equal(r.status, 1);
        assert.equal(
            r.stderr,
            `hardened-docker[audit]: error: the kernel's audit rules are locked (-e 2) until the next boot, which loads ${dir}/rules.d/50-hardened-docker.rules: reboot, then run this step again\n`,
        );
    });
});

describe("the generated rules in this machine's kernel", () => {
    it("load with auditd's auditctl, and audit_verify finds each of them; the test removes them again", function () {
        needTool(this, "auditctl", ["-s"], "auditd (and a kernel with audit, as root)");
        const status = run("auditctl", ["-s"], "").stdout;
        if (/^enabled 2$/m.test(status)) {
            this.skip(); // locked until reboot: nothing can be loaded or removed
        }
        const before = run("auditctl", ["-l"], "").stdout;
        const root = realpathSync(mkdtempSync(join(tmpdir(), "hd-audit-live-")));
        const rules = join(root, "out.rules");
        try {
            tree(root, ["usr/bin/dockerd", "usr/sbin/runc"], ["var/lib/docker/overlay2", "var/lib/docker/volumes"], {
                "usr/bin/runc": "../sbin/runc",
            });
            const candidates = [
                `1.1.3 ${root}/usr/bin/dockerd`,
                `1.1.5 ${root}/var/lib/docker`,
                `1.1.13 ${root}/etc/sysconfig/docker`,
                `1.1.18 ${root}/usr/bin/runc`,
                `1.1.18 ${root}/usr/sbin/runc`,
            ];
            writeFileSync(join(root, "candidates"), `${candidates.join("\n")}\n`);
            const gen = runFunctions(step().script, AUDIT_MAIN, `audit_generate ${root}/candidates ${rules}`);
            assert.equal(gen.status, 0, gen.stderr);
            const loaded = run("auditctl", ["-R", rules], "");
            assert.equal(loaded.status, 0, loaded.stderr);
            const verify = runFunctions(step().script, AUDIT_MAIN, `audit_verify ${rules} && echo verified`);
            assert.deepEqual(verify, { status: 0, stdout: "verified\n", stderr: "" });
            assert.deepEqual(
                readFileSync(rules, "utf8")
                    .split("\n")
                    .filter((l) => l.startsWith("-")),
                [
                    `-a never,exit -S all -F dir=${root}/var/lib/docker/overlay2`,
                    `-a never,exit -S all -F dir=${root}/var/lib/docker/volumes`,
                    `-w ${root}/usr/bin/dockerd -p wa -k docker -k cis-docker-1.1.3`,
                    `-w ${root}/var/lib/docker -p wa -k docker -k cis-docker-1.1.5`,
                    `-w ${root}/usr/sbin/runc -p wa -k docker -k cis-docker-1.1.18`,
                ],
            );
        } finally {
            // Remove exactly the rules the test added, then the tree.
            if (existsSync(rules)) {
                for (const line of readFileSync(rules, "utf8").split("\n")) {
                    const del = line.startsWith("-a ")
                        ? ["-d", ...line.slice(3).split(" ")]
                        : line.startsWith("-w ")
                          ? ["-W", ...line.slice(3).split(" ")]
                          : [];
                    if (del.length > 0) {
                        spawnSync("auditctl", del);
                    }
                }
            }
            rmSync(root, { recursive: true, force: true });
        }
        assert.equal(run("auditctl", ["-l"], "").stdout, before);
    });
});
