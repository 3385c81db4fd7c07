import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
    chmodSync,
    chownSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    realpathSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { renderAudit, validateAuditArgs } from "../../../../components/host/audit";
import {
    HYGIENE_COREDUMP_PATH,
    HYGIENE_DEFAULTS,
    HYGIENE_FILE_MODES,
    HYGIENE_LIMITS_PATH,
    HYGIENE_LOGIN_DEFS_PATH,
    HYGIENE_MAIN,
    HYGIENE_PROFILE_PATH,
    renderHygiene,
    renderHygieneProfile,
    validateHygieneArgs,
    type HygieneArgs,
    type HygieneFileMode,
} from "../../../../components/host/hygiene";
import { prelude } from "../../../../components/host/shell";
import { renderSsh, validateSshArgs } from "../../../../components/host/ssh";
import { assertCleanScript, CTX, needTool, run, runFunctions } from "../stepHarness";

function step(args?: HygieneArgs) {
    return renderHygiene(validateHygieneArgs(args, CTX), CTX);
}

const TABLE: [path: string, kind: string, mode: string, owner: string, required: boolean][] = [
    ["/etc/passwd", "file", "0644", "root:root", true],
    ["/etc/passwd-", "file", "0644", "root:root", false],
    ["/etc/group", "file", "0644", "root:root", true],
    ["/etc/group-", "file", "0644", "root:root", false],
    ["/etc/shadow", "file", "0640", "root:shadow", true],
    ["/etc/shadow-", "file", "0640", "root:shadow", false],
    ["/etc/gshadow", "file", "0640", "root:shadow", true],
    ["/etc/gshadow-", "file", "0640", "root:shadow", false],
    ["/etc/shells", "file", "0644", "root:root", false],
    ["/etc/security/opasswd", "file", "0600", "root:root", false],
    ["/etc/ssh/sshd_config", "file", "0600", "root:root", true],
    ["/etc/ssh/sshd_config.d", "dir", "0755", "root:root", false],
    ["/etc/ssh/sshd_config.d/*.conf", "file", "0600", "root:root", false],
    ["/etc/ssh/ssh_host_*_key", "file", "0600", "root:root", false],
    ["/etc/ssh/ssh_host_*_key.pub", "file", "0644", "root:root", false],
    ["/etc/crontab", "file", "0600", "root:root", false],
    ["/etc/cron.hourly", "dir", "0700", "root:root", false],
    ["/etc/cron.daily", "dir", "0700", "root:root", false],
    ["/etc/cron.weekly", "dir", "0700", "root:root", false],
    ["/etc/cron.monthly", "dir", "0700", "root:root", false],
    ["/etc/cron.yearly", "dir", "0700", "root:root", false],
    ["/etc/cron.d", "dir", "0700", "root:root", false],
    ["/boot", "dir", "0755", "root:root", false],
    ["/boot/grub/grub.cfg", "file", "0400", "root:root", false],
    ["/etc/audit", "dir", "0750", "root:root", false],
    ["/etc/audit/*.conf", "file", "0640", "root:root", false],
    ["/etc/audit/*.rules", "file", "0640", "root:root", false],
    ["/etc/audit/rules.d", "dir", "0750", "root:root", false],
    ["/etc/audit/rules.d/*.rules", "file", "0640", "root:root", false],
    ["/etc/audit/plugins.d", "dir", "0750", "root:root", false],
    ["/etc/audit/plugins.d/*.conf", "file", "0640", "root:root", false],
    ["/var/log/audit", "dir", "0750", "root:adm", false],
    ["/var/log/audit/audit.log*", "file", "0640", "root:adm", false],
];

describe("validateHygieneArgs", () => {
    it("fills in the defaults: umask 0027, a 900-second timeout, the whole table", () => {
        const expected = { umask: "0027", idleTimeoutSeconds: 900, files: HYGIENE_FILE_MODES };
        assert.deepEqual(validateHygieneArgs(undefined, CTX), expected);
        assert.deepEqual(validateHygieneArgs({}, CTX), expected);
        assert.deepEqual(HYGIENE_DEFAULTS, { umask: "027", idleTimeoutSeconds: 900 });
    });

    it("keeps the defaults and the table frozen", () => {
        assert.ok(Object.isFrozen(HYGIENE_DEFAULTS));
        assert.ok(Object.isFrozen(HYGIENE_FILE_MODES));
        assert.ok(HYGIENE_FILE_MODES.every((e) => Object.isFrozen(e)));
    });

    const GOOD: [args: HygieneArgs, umask: string, timeout: number][] = [
        [{ umask: "022" }, "0022", 900],
        [{ umask: "077" }, "0077", 900],
        [{ umask: "0027" }, "0027", 900],
        [{ umask: "0032" }, "0032", 900],
        [{ idleTimeoutSeconds: 60 }, "0027", 60],
        [{ idleTimeoutSeconds: 86400 }, "0027", 86400],
    ];
    for (const [args, umask, timeout] of GOOD) {
        it(`accepts ${JSON.stringify(args)}`, () => {
            const plan = validateHygieneArgs(args, CTX);
            assert.deepEqual([plan.umask, plan.idleTimeoutSeconds], [umask, timeout]);
        });
    }

    const BAD: [title: string, args: unknown, message: string][] = [
        ["not an object", "027", "args.hygiene must be an object with the fields idleTimeoutSeconds, umask"],
        ["a list", [], "args.hygiene must be an object with the fields idleTimeoutSeconds, umask"],
        [
            "an unknown field",
            { tmout: 600 },
            "args.hygiene.tmout is not an argument of the hygiene step; allowed: idleTimeoutSeconds, umask",
        ],
        [
            "a umask as a number",
            { umask: 27 },
            'args.hygiene.umask must be three or four octal digits, such as "022", "027" or "077", got 27',
        ],
        [
            "a umask of two digits",
            { umask: "27" },
            'args.hygiene.umask must be three or four octal digits, such as "022", "027" or "077", got "27"',
        ],
        [
            "a umask of five digits",
            { umask: "00027" },
            'args.hygiene.umask must be three or four octal digits, such as "022", "027" or "077", got "00027"',
        ],
        [
            "a umask with an 8",
            { umask: "028" },
            'args.hygiene.umask must be three or four octal digits, such as "022", "027" or "077", got "028"',
        ],
        [
            "a symbolic umask",
            { umask: "u=rwx,g=rx,o=" },
            'args.hygiene.umask must be three or four octal digits, such as "022", "027" or "077", got "u=rwx,g=rx,o="',
        ],
        [
            "a umask that masks the owner",
            { umask: "177" },
            'args.hygiene.umask must leave the owner\'s permissions alone (owner digit 0), such as "022", "027" or "077", got "177"',
        ],
        [
            "a umask with a special-bit digit",
            { umask: "1022" },
            'args.hygiene.umask must leave the owner\'s permissions alone (owner digit 0), such as "022", "027" or "077", got "1022"',
        ],
        [
            "umask 002 (group write)",
            { umask: "002" },
            'args.hygiene.umask must mask group and other write (022), such as "022", "027" or "077", got "002"',
        ],
        [
            "umask 020 (other write)",
            { umask: "020" },
            'args.hygiene.umask must mask group and other write (022), such as "022", "027" or "077", got "020"',
        ],
        [
            "umask 000",
            { umask: "0000" },
            'args.hygiene.umask must mask group and other write (022), such as "022", "027" or "077", got "0000"',
        ],
        [
            "a timeout under a minute",
            { idleTimeoutSeconds: 59 },
            "args.hygiene.idleTimeoutSeconds must be a whole number from 60 to 86400, got 59",
        ],
        [
            "a timeout of zero (off)",
            { idleTimeoutSeconds: 0 },
            "args.hygiene.idleTimeoutSeconds must be a whole number from 60 to 86400, got 0",
        ],
        [
            "a timeout over a day",
            { idleTimeoutSeconds: 86401 },
            "args.hygiene.idleTimeoutSeconds must be a whole number from 60 to 86400, got 86401",
        ],
        [
            "a fractional timeout",
            { idleTimeoutSeconds: 90.5 },
            "args.hygiene.idleTimeoutSeconds must be a whole number from 60 to 86400, got 90.5",
        ],
        [
            "a timeout as text",
            { idleTimeoutSeconds: "900" },
            "args.hygiene.idleTimeoutSeconds must be a whole number from 60 to 86400, got 900",
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateHygieneArgs(args as HygieneArgs, CTX), { name: "ArgumentError", message });
        });
    }
});

/** `*` matches within one path component, as bash's globbing does. */
function globMatches(glob: string, path: string): boolean {
    const re = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
    return new RegExp(`^${re}$`).test(path);
}

describe("HYGIENE_FILE_MODES", () => {
    it("holds the exact table: path, kind, mode, owner, required", () => {
        assert.deepEqual(
            HYGIENE_FILE_MODES.map((e) => [e.path, e.kind, e.mode, e.owner, e.required]),
            TABLE,
        );
        assert.ok(HYGIENE_FILE_MODES.every((e) => e.why.length > 20 && !e.why.includes("|")));
    });

    it("agrees with the modes the ssh step installs its files with", () => {
        const ssh = renderSsh(validateSshArgs({ banner: "Authorised use only." }, CTX), CTX);
        const checked = ssh.files.flatMap((f) =>
            HYGIENE_FILE_MODES.filter((e) => globMatches(e.path, f.path)).map((e) => [
                f.path,
                `${f.mode} ${f.owner}`,
                `${e.mode} ${e.owner}`,
            ]),
        );
        assert.deepEqual(checked, [
            ["/etc/ssh/sshd_config.d/00-hardened-docker.conf", "0600 root:root", "0600 root:root"],
            ["/etc/ssh/sshd_config.d/01-hardened-docker-idle.conf", "0600 root:root", "0600 root:root"],
        ]);
        assert.ok(ssh.script.includes('install -d -m 0755 "$DROPIN_DIR"'));
        assert.ok(ssh.script.includes('"$(stat -c \'%a\' "$MAIN")" "$(stat -c \'%U:%G\' "$MAIN")"'));
    });

    it("agrees with the mode the audit step installs its rules file with", () => {
        const audit = renderAudit(validateAuditArgs(undefined, CTX), CTX);
        assert.ok(
            audit.script.includes(
                'if hd_install_file "$HD_TMP/50-hardened-docker.rules" "$AUDIT_RULES" 0640 root:root; then',
            ),
        );
        assert.ok(audit.script.includes("AUDIT_RULES=/etc/audit/rules.d/50-hardened-docker.rules\n"));
        const rules = HYGIENE_FILE_MODES.filter((e) =>
            globMatches(e.path, "/etc/audit/rules.d/50-hardened-docker.rules"),
        );
        assert.deepEqual(
            rules.map((e) => `${e.mode} ${e.owner}`),
            ["0640 root:root"],
        );
        assert.ok(audit.files.every((f) => HYGIENE_FILE_MODES.every((e) => !globMatches(e.path, f.path))));
    });
});

/** The table of docs/host-hygiene.md, rendered from HYGIENE_FILE_MODES. */
function docsTable(rows: readonly HygieneFileMode[]): string {
    return [
        "| Path | Kind | Mode | Owner | Required | Why |",
        "|---|---|---|---|---|---|",
        ...rows.map(
            (e) =>
                `| \`${e.path}\` | ${e.kind} | \`${e.mode}\` | \`${e.owner}\` | ${e.required ? "yes" : "no"} | ${e.why} |`,
        ),
    ].join("\n");
}

describe("docs/host-hygiene.md", () => {
    it("shows exactly the table of HYGIENE_FILE_MODES", () => {
        const docs = readFileSync(join(__dirname, "../../../../docs/host-hygiene.md"), "utf8").split("\n");
        const start = docs.indexOf("| Path | Kind | Mode | Owner | Required | Why |");
        assert.notEqual(start, -1);
        assert.equal(docs.lastIndexOf("| Path | Kind | Mode | Owner | Required | Why |"), start);
        let end = start;
        while (end < docs.length && docs[end].startsWith("|")) {
            end++;
        }
        assert.equal(docs.slice(start, end).join("\n"), docsTable(HYGIENE_FILE_MODES));
        assert.equal(end - start, 2 + TABLE.length);
    });
});

const LIMITS = [
    "# hardened-docker: no core dumps from login sessions (CIS Docker Benchmark v1.6.0 1.2.1): a core",
    "# dump is the process's memory, with the passwords, keys and tokens in it.",
    '# pam_limits does not apply "*" to root, hence the second line. Set-uid programs are covered by',
    "# fs.suid_dumpable = 0 (the kernel step), crashes that systemd-coredump catches by its drop-in.",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "*       hard    core    0",
    "root    hard    core    0",
    "",
].join("\n");

const COREDUMP = [
    "# hardened-docker: systemd-coredump neither stores nor processes core dumps (CIS Docker",
    "# Benchmark v1.6.0 1.2.1). Read where systemd-coredump is the kernel's core_pattern.",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "[Coredump]",
    "Storage=none",
    "ProcessSizeMax=0",
    "",
].join("\n");

function profile(umask: string, timeout: number): string {
    return [
        `# hardened-docker: login shells create files with umask ${umask} (never writable by group or`,
        `# others), and close after ${timeout} seconds without input (CIS Docker Benchmark`,
        "# v1.6.0 1.2.1). POSIX sh: dash and bash source it from /etc/profile; dash has no TMOUT.",
        "# Rendered by hardened-docker; edits on the host are overwritten.",
        `umask ${umask}`,
        "# Read-only, so a user cannot turn the timeout off; an existing read-only TMOUT is kept.",
        `if (TMOUT=${timeout}) 2>/dev/null; then`,
        `    TMOUT=${timeout}`,
        "    readonly TMOUT",
        "    export TMOUT",
        "fi",
        "",
    ].join("\n");
}

describe("renderHygiene", () => {
    it("describes the step and its three files, with their exact content", () => {
        const s = step();
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, secret: s.secret, files: s.files },
            {
                id: "hygiene",
                title: "Account, SSH, cron, boot and audit files at CIS modes; core dumps off; login shells with umask 0027 and a 900 s idle timeout",
                cis: ["1.2.1"],
                secret: false,
                files: [
                    { path: HYGIENE_LIMITS_PATH, mode: "0644", owner: "root:root", content: LIMITS },
                    { path: HYGIENE_COREDUMP_PATH, mode: "0644", owner: "root:root", content: COREDUMP },
                    { path: HYGIENE_PROFILE_PATH, mode: "0644", owner: "root:root", content: profile("0027", 900) },
                ],
            },
        );
        assert.deepEqual(
            [HYGIENE_LIMITS_PATH, HYGIENE_COREDUMP_PATH, HYGIENE_PROFILE_PATH, HYGIENE_LOGIN_DEFS_PATH],
            [
                "/etc/security/limits.d/hardened-docker-coredump.conf",
                "/etc/systemd/coredump.conf.d/hardened-docker.conf",
                "/etc/profile.d/hardened-docker-shell.sh",
                "/etc/login.defs",
            ],
        );
    });

    it("puts the arguments into the title and the profile.d file", () => {
        const s = step({ umask: "077", idleTimeoutSeconds: 300 });
        assert.equal(
            s.title,
            "Account, SSH, cron, boot and audit files at CIS modes; core dumps off; login shells with umask 0077 and a 300 s idle timeout",
        );
        assert.equal(s.files[2].content, profile("0077", 300));
        assert.equal(renderHygieneProfile(validateHygieneArgs({ umask: "022" }, CTX)), profile("0022", 900));
    });

    it("starts with the prelude, the paths, the values and the table", () => {
        const script = step({ umask: "077", idleTimeoutSeconds: 120 }).script;
        const head = [
            prelude("hygiene"),
            "# Where the host's files are looked up and written; tests point HYGIENE_ROOT at a fake tree.",
            'HYGIENE_ROOT=""',
            "HYGIENE_LIMITS=/etc/security/limits.d/hardened-docker-coredump.conf",
            "HYGIENE_COREDUMP=/etc/systemd/coredump.conf.d/hardened-docker.conf",
            "HYGIENE_PROFILE=/etc/profile.d/hardened-docker-shell.sh",
            "HYGIENE_LOGIN_DEFS=/etc/login.defs",
            "# The umask (args.hygiene.umask) and the idle timeout (args.hygiene.idleTimeoutSeconds).",
            "HYGIENE_UMASK=0077",
            "HYGIENE_TMOUT=120",
            "# kind, mode, owner, required or optional, path or glob (HYGIENE_FILE_MODES).",
            "HYGIENE_MODES=(",
            ...TABLE.map(
                ([path, kind, mode, owner, req]) =>
                    `    "${kind} ${mode} ${owner} ${req ? "required" : "optional"} ${path}"`,
            ),
            ")",
            "",
        ].join("\n");
        assert.ok(script.startsWith(head));
    });

    it("ends with the exact main function and its call", () => {
        const script = step().script;
        assert.ok(
            script.endsWith(
                [
                    "",
                    "hygiene_main() {",
                    "    hygiene_required",
                    "    hygiene_modes",
                    '    hd_install_file "$HD_TMP/limits.conf" "$HYGIENE_ROOT$HYGIENE_LIMITS" 0644 root:root || true',
                    '    hygiene_installed "$HD_TMP/limits.conf" "$HYGIENE_ROOT$HYGIENE_LIMITS" 0644 root:root',
                    '    hd_install_file "$HD_TMP/coredump.conf" "$HYGIENE_ROOT$HYGIENE_COREDUMP" 0644 root:root || true',
                    '    hygiene_installed "$HD_TMP/coredump.conf" "$HYGIENE_ROOT$HYGIENE_COREDUMP" 0644 root:root',
                    '    hygiene_shell_check "$HD_TMP/profile.sh"',
                    '    hd_install_file "$HD_TMP/profile.sh" "$HYGIENE_ROOT$HYGIENE_PROFILE" 0644 root:root || true',
                    '    hygiene_installed "$HD_TMP/profile.sh" "$HYGIENE_ROOT$HYGIENE_PROFILE" 0644 root:root',
                    "    hygiene_login_defs",
                    "}",
                    "",
                    "hygiene_main",
                    "",
                ].join("\n"),
            ),
        );
        assert.equal(HYGIENE_MAIN, "hygiene_main");
    });

    for (const [title, args] of [
        ["the defaults", undefined],
        ["umask 077 and a one-minute timeout", { umask: "077", idleTimeoutSeconds: 60 }],
    ] as [string, HygieneArgs | undefined][]) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            assertCleanScript(this, step(args).script);
        });
    }
});

describe("the profile.d file in real shells", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-hygiene-profile-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const SOURCE_TWICE =
        '. "$1"; . "$1"; umask; printf "TMOUT=%s\\n" "$TMOUT"; (TMOUT=1) 2>/dev/null || echo "TMOUT is read-only"';

    for (const shell of ["bash", "dash"]) {
        it(`sets the umask and a read-only TMOUT in ${shell}, sourced twice without a message`, function () {
            needTool(this, shell, ["-c", "true"], shell);
            const file = join(dir, "shell.sh");
            writeFileSync(file, step().files[2].content);
            assert.deepEqual(run(shell, ["-c", SOURCE_TWICE, "_", file], ""), {
                status: 0,
                stdout: "0027\nTMOUT=900\nTMOUT is read-only\n",
                stderr: "",
            });
            writeFileSync(file, step({ umask: "077", idleTimeoutSeconds: 60 }).files[2].content);
            assert.deepEqual(run(shell, ["-c", SOURCE_TWICE, "_", file], ""), {
                status: 0,
                stdout: "0077\nTMOUT=60\nTMOUT is read-only\n",
                stderr: "",
            });
        });

        it(`keeps a TMOUT that is already read-only in ${shell}`, function () {
            needTool(this, shell, ["-c", "true"], shell);
            const file = join(dir, "shell.sh");
            writeFileSync(file, step().files[2].content);
            const r = run(shell, ["-c", `TMOUT=300; readonly TMOUT; ${SOURCE_TWICE}`, "_", file], "");
            assert.deepEqual(r, { status: 0, stdout: "0027\nTMOUT=300\nTMOUT is read-only\n", stderr: "" });
        });
    }
});

/** uid and gid of the names the tests use. */
function ids(db: "passwd" | "group", name: string): number {
    const r = spawnSync("getent", [db, name], { encoding: "utf8" });
    assert.equal(r.status, 0, `${db} ${name} exists`);
    return Number(r.stdout.split(":")[2]);
}

/** An entry of a test tree: a file or a directory, its mode, and its owner (default root:root). */
type Node = [path: string, kind: "file" | "dir", mode: number, owner?: string];

function build(root: string, nodes: Node[]): void {
    for (const [path, kind, mode, owner] of nodes) {
        const full = join(root, path);
        mkdirSync(kind === "dir" ? full : dirname(full), { recursive: true });
        if (kind === "file") {
            writeFileSync(full, `${path}\n`);
        }
        const [user, group] = (owner ?? "root:root").split(":");
        chownSync(full, ids("passwd", user), ids("group", group));
        chmodSync(full, mode);
    }
}

/** Every path of the tree, with its mode and owner, sorted: `./etc/passwd 644 root:root`. */
function listing(root: string): string[] {
    const r = run("bash", ["-c", 'cd "$1" && find . -mindepth 1 -printf "%p %m %u:%g\\n" | sort', "_", root], "");
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l !== "");
}

const DEBIAN_LOGIN_DEFS = [
    '#\tUMASK\t\tDefault "umask" value.',
    "#",
    '# Prefix these values with "0" to get octal, "0x" to get hexadecimal.',
    "#",
    "ERASECHAR\t0177",
    "KILLCHAR\t025",
    "UMASK\t\t022",
    "",
    "# HOME_MODE is used by useradd(8) and newusers(8) to set the mode for new",
    "#HOME_MODE\t0700",
    "HOME_MODE\t0750",
    "",
].join("\n");

/** The files every host has, at the right modes. */
const REQUIRED: Node[] = [
    ["etc/passwd", "file", 0o644],
    ["etc/group", "file", 0o644],
    ["etc/shadow", "file", 0o640, "root:shadow"],
    ["etc/gshadow", "file", 0o640, "root:shadow"],
    ["etc/ssh/sshd_config", "file", 0o600],
];

const LOG = "hardened-docker[hygiene]: ";

describe("the hygiene script against a temporary tree", () => {
    let dir: string;
    beforeEach(function () {
        if (process.getuid?.() !== 0) {
            this.skip(); // chown to root:shadow and root:adm needs root
        }
        // Canonical, so the script's symlink check sees no link on the way to the tree.
        dir = realpathSync(mkdtempSync(join(tmpdir(), "hd-hygiene-")));
        chmodSync(dir, 0o755);
    });
    afterEach(() => {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    const main = (args?: HygieneArgs) =>
        runFunctions(step(args).script, HYGIENE_MAIN, `HYGIENE_ROOT=${dir}\nhygiene_main`);
    const loginDefs = (content: string, mode = 0o644, owner = "root:root") => {
        build(dir, [["etc/login.defs", "file", mode, owner]]);
        writeFileSync(join(dir, "etc/login.defs"), content);
    };

    it("sets every wrong mode and owner, installs the files, sets UMASK; a second run changes nothing", () => {
        build(dir, [
            ["etc/passwd", "file", 0o666],
            ["etc/passwd-", "file", 0o644],
            ["etc/group", "file", 0o644, "nobody:nogroup"],
            ["etc/shadow", "file", 0o644],
            ["etc/gshadow", "file", 0o640, "root:shadow"],
            ["etc/gshadow-", "file", 0o600],
            ["etc/ssh/sshd_config", "file", 0o644],
            ["etc/ssh/sshd_config.d", "dir", 0o775],
            ["etc/ssh/sshd_config.d/00-hardened-docker.conf", "file", 0o600],
            ["etc/ssh/sshd_config.d/50-cloud-init.conf", "file", 0o644],
            ["etc/ssh/sshd_config.d/README", "file", 0o644],
            ["etc/ssh/ssh_host_ed25519_key", "file", 0o640],
            ["etc/ssh/ssh_host_ed25519_key.pub", "file", 0o644],
            ["etc/ssh/ssh_host_rsa_key", "file", 0o600],
            ["etc/ssh/ssh_host_rsa_key.pub", "file", 0o664],
            ["etc/crontab", "file", 0o644],
            ["etc/cron.daily", "dir", 0o755],
            ["etc/cron.daily/logrotate", "file", 0o755],
            ["etc/cron.d", "dir", 0o2755],
            ["boot", "dir", 0o755],
            ["boot/grub", "dir", 0o755],
            ["boot/grub/grub.cfg", "file", 0o444],
            ["etc/audit", "dir", 0o755],
            ["etc/audit/auditd.conf", "file", 0o640],
            ["etc/audit/rules.d", "dir", 0o750],
            ["etc/audit/rules.d/50-hardened-docker.rules", "file", 0o644],
            ["var/log/audit", "dir", 0o700],
            ["var/log/audit/audit.log", "file", 0o600],
            ["var/log/audit/audit.log.1", "file", 0o640, "root:adm"],
        ]);
        loginDefs(DEBIAN_LOGIN_DEFS);
        assert.deepEqual(main(), {
            status: 0,
            stdout: [
                "changed: /etc/passwd 0644 root:root",
                "changed: /etc/group 0644 root:root",
                "changed: /etc/shadow 0640 root:shadow",
                "changed: /etc/gshadow- 0640 root:shadow",
                "changed: /etc/ssh/sshd_config 0600 root:root",
                "changed: /etc/ssh/sshd_config.d 0755 root:root",
                "changed: /etc/ssh/sshd_config.d/50-cloud-init.conf 0600 root:root",
                "changed: /etc/ssh/ssh_host_ed25519_key 0600 root:root",
                "changed: /etc/ssh/ssh_host_rsa_key.pub 0644 root:root",
                "changed: /etc/crontab 0600 root:root",
                "changed: /etc/cron.daily 0700 root:root",
                "changed: /etc/cron.d 0700 root:root",
                "changed: /boot/grub/grub.cfg 0400 root:root",
                "changed: /etc/audit 0750 root:root",
                "changed: /etc/audit/rules.d/50-hardened-docker.rules 0640 root:root",
                "changed: /var/log/audit 0750 root:adm",
                "changed: /var/log/audit/audit.log 0640 root:adm",
                `changed: ${dir}/etc/security/limits.d/hardened-docker-coredump.conf`,
                `changed: ${dir}/etc/systemd/coredump.conf.d/hardened-docker.conf`,
                `changed: ${dir}/etc/profile.d/hardened-docker-shell.sh`,
                "changed: /etc/login.defs UMASK 0027",
                "",
            ]
                .map((l) => (l === "" ? l : `${LOG}${l}`))
                .join("\n"),
            stderr: "",
        });
        assert.deepEqual(listing(dir), [
            "./boot 755 root:root",
            "./boot/grub 755 root:root",
            "./boot/grub/grub.cfg 400 root:root",
            "./etc 755 root:root",
            "./etc/audit 750 root:root",
            "./etc/audit/auditd.conf 640 root:root",
            "./etc/audit/rules.d 750 root:root",
            "./etc/audit/rules.d/50-hardened-docker.rules 640 root:root",
            "./etc/cron.d 700 root:root",
            "./etc/cron.daily 700 root:root",
            "./etc/cron.daily/logrotate 755 root:root",
            "./etc/crontab 600 root:root",
            "./etc/group 644 root:root",
            "./etc/gshadow 640 root:shadow",
            "./etc/gshadow- 640 root:shadow",
            "./etc/login.defs 644 root:root",
            "./etc/passwd 644 root:root",
            "./etc/passwd- 644 root:root",
            "./etc/profile.d 755 root:root",
            "./etc/profile.d/hardened-docker-shell.sh 644 root:root",
            "./etc/security 755 root:root",
            "./etc/security/limits.d 755 root:root",
            "./etc/security/limits.d/hardened-docker-coredump.conf 644 root:root",
            "./etc/shadow 640 root:shadow",
            "./etc/ssh 755 root:root",
            "./etc/ssh/ssh_host_ed25519_key 600 root:root",
            "./etc/ssh/ssh_host_ed25519_key.pub 644 root:root",
            "./etc/ssh/ssh_host_rsa_key 600 root:root",
            "./etc/ssh/ssh_host_rsa_key.pub 644 root:root",
            "./etc/ssh/sshd_config 600 root:root",
            "./etc/ssh/sshd_config.d 755 root:root",
            "./etc/ssh/sshd_config.d/00-hardened-docker.conf 600 root:root",
            "./etc/ssh/sshd_config.d/50-cloud-init.conf 600 root:root",
            "./etc/ssh/sshd_config.d/README 644 root:root",
            "./etc/systemd 755 root:root",
            "./etc/systemd/coredump.conf.d 755 root:root",
            "./etc/systemd/coredump.conf.d/hardened-docker.conf 644 root:root",
            "./var 755 root:root",
            "./var/log 755 root:root",
            "./var/log/audit 750 root:adm",
            "./var/log/audit/audit.log 640 root:adm",
            "./var/log/audit/audit.log.1 640 root:adm",
        ]);
        const s = step();
        for (const f of s.files) {
            assert.equal(readFileSync(join(dir, f.path), "utf8"), f.content, f.path);
        }
        assert.equal(
            readFileSync(join(dir, "etc/login.defs"), "utf8"),
            DEBIAN_LOGIN_DEFS.replace("UMASK\t\t022\n", "UMASK\t\t0027\n"),
        );

        assert.deepEqual(main(), { status: 0, stdout: "", stderr: "" });
    });

    it("with nothing but the required files, sets nothing else and is silent the second time", () => {
        build(dir, REQUIRED);
        loginDefs("UMASK\t0027\n");
        const expected = [
            `changed: ${dir}/etc/security/limits.d/hardened-docker-coredump.conf`,
            `changed: ${dir}/etc/systemd/coredump.conf.d/hardened-docker.conf`,
            `changed: ${dir}/etc/profile.d/hardened-docker-shell.sh`,
        ];
        assert.deepEqual(main(), { status: 0, stdout: expected.map((l) => `${LOG}${l}\n`).join(""), stderr: "" });
        assert.deepEqual(main(), { status: 0, stdout: "", stderr: "" });
    });

    for (const missing of ["etc/passwd", "etc/group", "etc/shadow", "etc/gshadow", "etc/ssh/sshd_config"]) {
        it(`stops before changing anything when /${missing} is missing`, () => {
            build(
                dir,
                REQUIRED.filter(([p]) => p !== missing).map(([p, k, _m, o]): Node => [p, k, 0o666, o]),
            );
            loginDefs(DEBIAN_LOGIN_DEFS);
            const before = listing(dir);
            assert.deepEqual(main(), {
                status: 1,
                stdout: "",
                stderr: `${LOG}error: /${missing} does not exist; the hygiene step requires it\n`,
            });
            assert.deepEqual(listing(dir), before);
            assert.equal(readFileSync(join(dir, "etc/login.defs"), "utf8"), DEBIAN_LOGIN_DEFS);
        });
    }

    it("follows no symbolic link: not a linked file, not a linked directory, nothing behind one", () => {
        build(dir, [
            ...REQUIRED,
            ["outside/secret", "file", 0o644],
            ["outside/crontabs", "dir", 0o755],
            ["outside/audit", "dir", 0o755],
            ["outside/audit/auditd.conf", "file", 0o644],
        ]);
        loginDefs("UMASK 0027\n");
        symlinkSync(join(dir, "outside/secret"), join(dir, "etc/ssh/ssh_host_evil_key"));
        symlinkSync(join(dir, "outside/gone"), join(dir, "etc/ssh/ssh_host_dangling_key"));
        symlinkSync(join(dir, "outside/crontabs"), join(dir, "etc/cron.d"));
        symlinkSync(join(dir, "outside/audit"), join(dir, "etc/audit"));
        const r = main();
        assert.deepEqual(
            {
                status: r.status,
                stderr: r.stderr,
                skipped: r.stdout.split("\n").filter((l) => !l.includes("changed:")),
            },
            {
                status: 0,
                stderr: "",
                skipped: [
                    `${LOG}skipped: /etc/ssh/ssh_host_dangling_key is a symbolic link or lies behind one, which this step does not follow`,
                    `${LOG}skipped: /etc/ssh/ssh_host_evil_key is a symbolic link or lies behind one, which this step does not follow`,
                    `${LOG}skipped: /etc/cron.d is a symbolic link or lies behind one, which this step does not follow`,
                    `${LOG}skipped: /etc/audit is a symbolic link or lies behind one, which this step does not follow`,
                    `${LOG}skipped: /etc/audit/auditd.conf is a symbolic link or lies behind one, which this step does not follow`,
                    "",
                ],
            },
        );
        assert.deepEqual(
            listing(dir).filter((l) => l.startsWith("./outside")),
            [
                "./outside 755 root:root",
                "./outside/audit 755 root:root",
                "./outside/audit/auditd.conf 644 root:root",
                "./outside/crontabs 755 root:root",
                "./outside/secret 644 root:root",
            ],
        );
    });

    for (const [title, node, message] of [
        ["a directory where a file belongs", ["etc/crontab", "dir", 0o700], "/etc/crontab is not a regular file"],
        ["a file where a directory belongs", ["etc/cron.d", "file", 0o600], "/etc/cron.d is not a directory"],
    ] as [string, Node, string][]) {
        it(`stops at ${title}`, () => {
            build(dir, [...REQUIRED, node]);
            loginDefs(DEBIAN_LOGIN_DEFS);
            assert.deepEqual(main(), { status: 1, stdout: "", stderr: `${LOG}error: ${message}\n` });
        });
    }

    it("edits login.defs in place: same owner and mode, only the UMASK value changes", () => {
        build(dir, REQUIRED);
        loginDefs(DEBIAN_LOGIN_DEFS, 0o640, "root:shadow");
        const r = main({ umask: "077" });
        assert.equal(r.status, 0, r.stderr);
        assert.ok(r.stdout.endsWith(`${LOG}changed: /etc/login.defs UMASK 0077\n`));
        assert.equal(
            readFileSync(join(dir, "etc/login.defs"), "utf8"),
            DEBIAN_LOGIN_DEFS.replace("UMASK\t\t022\n", "UMASK\t\t0077\n"),
        );
        assert.ok(listing(dir).includes("./etc/login.defs 640 root:shadow"));
        assert.deepEqual(main({ umask: "077" }), { status: 0, stdout: "", stderr: "" });
    });

    it("stops when login.defs is missing", () => {
        build(dir, REQUIRED);
        assert.deepEqual(main(), {
            status: 1,
            stdout: [
                `changed: ${dir}/etc/security/limits.d/hardened-docker-coredump.conf`,
                `changed: ${dir}/etc/systemd/coredump.conf.d/hardened-docker.conf`,
                `changed: ${dir}/etc/profile.d/hardened-docker-shell.sh`,
            ]
                .map((l) => `${LOG}${l}\n`)
                .join(""),
            stderr: `${LOG}error: /etc/login.defs does not exist (Debian's login package ships it)\n`,
        });
    });
});

describe("hygiene_login_defs_render", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-hygiene-defs-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const CASES: [title: string, input: string, output: string][] = [
        ["Debian's file", DEBIAN_LOGIN_DEFS, DEBIAN_LOGIN_DEFS.replace("UMASK\t\t022\n", "UMASK\t\t0027\n")],
        ["the value already set", "UMASK\t\t0027\nHOME_MODE\t0700\n", "UMASK\t\t0027\nHOME_MODE\t0700\n"],
        [
            "every UMASK line (the last counts), indented or with text after the value",
            "UMASK 022\n  UMASK\t077 # old\n#UMASK 000\nUMASKS 1\n",
            "UMASK 0027\n  UMASK\t0027 # old\n#UMASK 000\nUMASKS 1\n",
        ],
        ["a file without UMASK", "HOME_MODE\t0700\n", "HOME_MODE\t0700\nUMASK\t\t0027\n"],
        [
            "a file without UMASK or a final newline",
            "# end\nHOME_MODE\t0700",
            "# end\nHOME_MODE\t0700\nUMASK\t\t0027\n",
        ],
        ["an UMASK line without a final newline", "A 1\nUMASK 022", "A 1\nUMASK 0027"],
        ["carriage returns kept", "UMASK\t022\r\nB 2\r\n", "UMASK\t0027\r\nB 2\r\n"],
        ["an empty file", "", "UMASK\t\t0027\n"],
    ];
    for (const [title, input, output] of CASES) {
        it(`renders ${title}`, () => {
            writeFileSync(join(dir, "in"), input);
            const r = runFunctions(step().script, HYGIENE_MAIN, `hygiene_login_defs_render "${dir}/in" "${dir}/out"`);
            assert.deepEqual(r, { status: 0, stdout: "", stderr: "" });
            assert.equal(readFileSync(join(dir, "out"), "utf8"), output);
        });
    }
});

describe("hygiene_shell_check", () => {
    const check = (content: string) =>
        runFunctions(
            step().script,
            HYGIENE_MAIN,
            `printf '%s' '${content.replace(/'/g, "'\\''")}' >"$HD_TMP/p.sh"\nhygiene_shell_check "$HD_TMP/p.sh" && echo ok`,
        );

    it("accepts the rendered file", function () {
        needTool(this, "sh", ["-c", "true"], "dash");
        assert.deepEqual(check(step().files[2].content), { status: 0, stdout: "ok\n", stderr: "" });
    });

    it("refuses a file sh cannot parse", function () {
        needTool(this, "dash", ["-c", "true"], "dash");
        const r = check("if then\n");
        assert.deepEqual(
            { status: r.status, stdout: r.stdout, last: r.stderr.split("\n").slice(-2) },
            {
                status: 1,
                stdout: "",
                last: [
                    `${LOG}error: sh -n rejects the new /etc/profile.d/hardened-docker-shell.sh; the previous one is left in place`,
                    "",
                ],
            },
        );
    });

    it("refuses a file that sets another umask or timeout", function () {
        needTool(this, "sh", ["-c", "true"], "dash");
        assert.deepEqual(check(profile("0022", 900)), {
            status: 1,
            stdout: "",
            stderr: `${LOG}error: a shell that sources the new /etc/profile.d/hardened-docker-shell.sh has umask and TMOUT "0022 900", expected "0027 900"\n`,
        });
    });
});
