import { execFileSync } from "node:child_process";
import * as assert from "node:assert/strict";
import {
    chmodSync,
    copyFileSync,
    cpSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    ACCOUNTS_DEFAULTS,
    ACCOUNTS_MAIN,
    renderAccounts,
    validateAccountsArgs,
    type AccountsArgs,
} from "../../../../components/host/accounts";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript, CTX, needTool, run, runFunctions } from "../stepHarness";

function step(args?: AccountsArgs) {
    return renderAccounts(validateAccountsArgs(args, CTX), CTX);
}

describe("validateAccountsArgs", () => {
    it("keeps only the deployment user and reports the others by default", () => {
        assert.deepEqual(validateAccountsArgs(undefined, CTX), { loginUsers: ["admin"], removeUnlisted: false });
        assert.deepEqual(validateAccountsArgs({}, CTX), { loginUsers: ["admin"], removeUnlisted: false });
        // null is how an unset value arrives from YAML and JSON config.
        assert.deepEqual(
            validateAccountsArgs({ loginUsers: null, removeUnlisted: null } as unknown as AccountsArgs, CTX),
            {
                loginUsers: ["admin"],
                removeUnlisted: false,
            },
        );
        assert.deepEqual(ACCOUNTS_DEFAULTS, {
            loginUsers: [],
            removeUnlisted: false,
            noLoginShell: "/usr/sbin/nologin",
            uidMin: 1000,
        });
        assert.ok(Object.isFrozen(ACCOUNTS_DEFAULTS) && Object.isFrozen(ACCOUNTS_DEFAULTS.loginUsers));
    });

    it("sorts the login users with the deployment user among them", () => {
        assert.deepEqual(validateAccountsArgs({ loginUsers: ["deploy", "_ci", "bob"], removeUnlisted: true }, CTX), {
            loginUsers: ["_ci", "admin", "bob", "deploy"],
            removeUnlisted: true,
        });
    });

    it("accepts the deployment user in the list, once", () => {
        assert.deepEqual(validateAccountsArgs({ loginUsers: ["admin", "alice"] }, CTX), {
            loginUsers: ["admin", "alice"],
            removeUnlisted: false,
        });
    });

    it("refuses a deployment user that is not a user name", () => {
        assert.throws(() => validateAccountsArgs({}, { ...CTX, connectionUser: "a b" }), {
            name: "ArgumentError",
            message: 'args.target.user must be a user name, got "a b"',
        });
    });

    const NAME = "must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got";
    const BAD: [title: string, args: unknown, message: string][] = [
        ["not an object", "alice", "args.accounts must be an object with the fields loginUsers, removeUnlisted"],
        ["a list", ["alice"], "args.accounts must be an object with the fields loginUsers, removeUnlisted"],
        [
            "an unknown field",
            { users: ["alice"] },
            "args.accounts.users is not an argument of the accounts step; allowed: loginUsers, removeUnlisted",
        ],
        [
            "a string",
            { loginUsers: "alice" },
            'args.accounts.loginUsers must be a list of user names, such as ["deploy"]',
        ],
        ["an upper-case name", { loginUsers: ["Alice"] }, `args.accounts.loginUsers[0] ${NAME} "Alice"`],
        [
            "a name with a shell character",
            { loginUsers: ["alice", "bob;id"] },
            `args.accounts.loginUsers[1] ${NAME} "bob;id"`,
        ],
        [
            "a name of 33 characters",
            { loginUsers: ["a".repeat(33)] },
            `args.accounts.loginUsers[0] ${NAME} "${"a".repeat(33)}"`,
        ],
        ["a uid", { loginUsers: [1000] }, `args.accounts.loginUsers[0] ${NAME} 1000`],
        [
            "root",
            { loginUsers: ["alice", "root"] },
            "args.accounts.loginUsers[1] is root, which always keeps its login; list only other users",
        ],
        ["a repeated user", { loginUsers: ["alice", "alice"] }, 'args.accounts.loginUsers[1] repeats "alice"'],
        [
            "removeUnlisted as a string",
            { removeUnlisted: "yes" },
            'args.accounts.removeUnlisted must be true or false, got "yes"',
        ],
        [
            "removeUnlisted as a number",
            { removeUnlisted: 1 },
            "args.accounts.removeUnlisted must be true or false, got 1",
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateAccountsArgs(args as AccountsArgs, CTX), {
                name: "ArgumentError",
                message,
            });
        });
    }
});

describe("renderAccounts", () => {
    it("describes the step", () => {
        const s = step();
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, files: s.files, secret: s.secret },
            {
                id: "accounts",
                title: "System accounts have no login shell and a locked password; login accounts other than root, admin are reported",
                cis: ["1.2.1"],
                files: [],
                secret: false,
            },
        );
        assert.equal(
            step({ loginUsers: ["deploy", "alice"], removeUnlisted: true }).title,
            "System accounts have no login shell and a locked password; login accounts other than root, admin, alice, deploy are removed (home directories kept)",
        );
    });

    it("carries the paths, the sorted list and the switch after the prelude, and ends with its main", () => {
        const script = step({ loginUsers: ["deploy", "alice"], removeUnlisted: true }).script;
        assert.ok(
            script.startsWith(
                [
                    prelude("accounts"),
                    "# The files the step reads; usermod and userdel write them.",
                    "ACCOUNTS_PASSWD=/etc/passwd",
                    "ACCOUNTS_SHADOW=/etc/shadow",
                    "ACCOUNTS_LOGIN_DEFS=/etc/login.defs",
                    "ACCOUNTS_SHELLS=/etc/shells",
                    "# The shell system accounts get.",
                    "ACCOUNTS_NOLOGIN=/usr/sbin/nologin",
                    "# The accounts that keep their login besides root (args.accounts.loginUsers and the deployment user), sorted.",
                    "ACCOUNTS_LOGIN_USERS=(admin alice deploy)",
                    "# Remove the unlisted login accounts (true), or only report them (false): args.accounts.removeUnlisted.",
                    "ACCOUNTS_REMOVE_UNLISTED=true",
                    "",
                ].join("\n"),
            ),
        );
        assert.ok(step().script.includes("\nACCOUNTS_LOGIN_USERS=(admin)\n"));
        assert.ok(step().script.includes("\nACCOUNTS_REMOVE_UNLISTED=false\n"));
        assert.ok(script.endsWith("\naccounts_main\n"));
        assert.ok(!/userdel\s+-/.test(script), "userdel is never given an option (-r would delete the home directory)");
    });

    for (const [title, args] of [
        ["the defaults", undefined],
        ["two login users, removing the others", { loginUsers: ["alice", "deploy"], removeUnlisted: true }],
    ] as [string, AccountsArgs | undefined][]) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            assertCleanScript(this, step(args).script);
        });
    }
});

/**
 * Fake usermod, userdel and pgrep over $FAKE_PASSWD and $FAKE_SHADOW; each logs its command line.
 * pgrep finds processes for the uids in $FAKE_BUSY.
 */
const FAKES: Record<string, string> = {
    usermod: `#!/bin/bash
printf 'usermod %s\\n' "$*" >>"$FAKE_LOG"
case $1 in
    -s) awk -F: -v OFS=: -v n="$3" -v s="$2" '$1 == n { $7 = s } { print }' "$FAKE_PASSWD" >"$FAKE_PASSWD.new"
        mv "$FAKE_PASSWD.new" "$FAKE_PASSWD" ;;
    -L) awk -F: -v OFS=: -v n="$2" '$1 == n { $2 = "!" $2 } { print }' "$FAKE_SHADOW" >"$FAKE_SHADOW.new"
        mv "$FAKE_SHADOW.new" "$FAKE_SHADOW" ;;
    *) exit 2 ;;
esac
`,
    userdel: `#!/bin/bash
printf 'userdel %s\\n' "$*" >>"$FAKE_LOG"
for f in "$FAKE_PASSWD" "$FAKE_SHADOW"; do
    awk -F: -v n="$1" '$1 != n' "$f" >"$f.new"
    mv "$f.new" "$f"
done
`,
    pgrep: `#!/bin/bash
printf 'pgrep %s\\n' "$*" >>"$FAKE_LOG"
for uid in $FAKE_BUSY; do
    if [ "$uid" = "$2" ]; then echo 4242; exit 0; fi
done
exit 1
`,
};

const PASSWD = [
    "root:x:0:0:root:/root:/bin/bash",
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
    "sync:x:4:65534:sync:/bin:/bin/sync",
    "games:x:5:60:games:/usr/games:/bin/bash",
    "backup:x:34:34:backup:/var/backups:",
    "svc:x:998:998::/home/svc:/bin/false",
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh",
    "admin:x:1000:1000::/home/admin:/bin/bash",
    "alice:x:1001:1001::/home/alice:/bin/bash",
    "eve:x:1002:1002::/home/eve:/bin/bash",
    "bot:x:1003:1003::/home/bot:/usr/sbin/nologin",
];
const SHADOW = [
    "root:$6$root:19000:0:99999:7:::",
    "daemon:*:19000:0:99999:7:::",
    "sync:*:19000:0:99999:7:::",
    "games:*:19000:0:99999:7:::",
    "backup:$6$backup:19000:0:99999:7:::",
    "svc:!!:19000:0:99999:7:::",
    "nobody::19000:0:99999:7:::",
    "admin:$6$admin:19000:0:99999:7:::",
    "alice:$6$alice:19000:0:99999:7:::",
    "eve:$6$eve:19000:0:99999:7:::",
    "bot:!:19000:0:99999:7:::",
];
const SHELLS = "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n";
const LOGIN_DEFS = "#UID_MIN 500\nUID_MIN\t\t\t 1000\nUID_MAX\t\t\t60000\n";

const say = (line: string) => `hardened-docker[accounts]: ${line}`;
const lines = (...l: string[]) => l.map((x) => `${x}\n`).join("");
const EVE_REPORT = say(
    "unlisted login account: eve (uid 1002, shell /bin/bash): list it in args.accounts.loginUsers, or set args.accounts.removeUnlisted",
);
const SYSTEM_CHANGES = [
    say("changed: set the shell of system account games to /usr/sbin/nologin (was /bin/bash)"),
    say("changed: set the shell of system account backup to /usr/sbin/nologin (was /bin/sh)"),
    say("changed: locked the password of system account backup"),
    say("changed: set the shell of system account nobody to /usr/sbin/nologin (was /bin/sh)"),
    say("changed: locked the password of system account nobody"),
];
const SYSTEM_COMMANDS = [
    "usermod -s /usr/sbin/nologin games",
    "usermod -s /usr/sbin/nologin backup",
    "usermod -L backup",
    "usermod -s /usr/sbin/nologin nobody",
    "usermod -L nobody",
];
/** The passwd and shadow files after the system accounts are fixed, the others as they were. */
const PASSWD_FIXED = PASSWD.map((l) =>
    l.startsWith("games:") || l.startsWith("nobody:")
        ? l.replace(/:[^:]*$/, ":/usr/sbin/nologin")
        : l.startsWith("backup:")
          ? `${l}/usr/sbin/nologin`
          : l,
);
const SHADOW_FIXED = SHADOW.map((l) => (l.startsWith("backup:") || l.startsWith("nobody:") ? l.replace(":", ":!") : l));

describe("the accounts script, with stand-ins for usermod, userdel and pgrep", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-accounts-"));
        mkdirSync(join(dir, "bin"));
        for (const [name, text] of Object.entries(FAKES)) {
            writeFileSync(join(dir, "bin", name), text);
            chmodSync(join(dir, "bin", name), 0o755);
        }
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            FAKE_PASSWD: join(dir, "passwd"),
            FAKE_SHADOW: join(dir, "shadow"),
            FAKE_LOGIN_DEFS: join(dir, "login.defs"),
            FAKE_SHELLS: join(dir, "shells"),
            FAKE_LOG: join(dir, "log"),
            FAKE_BUSY: "",
        };
        writeFileSync(join(dir, "passwd"), lines(...PASSWD));
        writeFileSync(join(dir, "shadow"), lines(...SHADOW));
        writeFileSync(join(dir, "shells"), SHELLS);
        writeFileSync(join(dir, "login.defs"), LOGIN_DEFS);
        writeFileSync(join(dir, "log"), "");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const TAIL = [
        "ACCOUNTS_PASSWD=$FAKE_PASSWD ACCOUNTS_SHADOW=$FAKE_SHADOW ACCOUNTS_LOGIN_DEFS=$FAKE_LOGIN_DEFS ACCOUNTS_SHELLS=$FAKE_SHELLS",
        ACCOUNTS_MAIN,
    ].join("\n");
    const main = (args?: AccountsArgs) => runFunctions(step(args).script, ACCOUNTS_MAIN, TAIL, env);
    const log = () =>
        readFileSync(join(dir, "log"), "utf8")
            .split("\n")
            .filter((l) => l !== "");
    const passwd = () => readFileSync(join(dir, "passwd"), "utf8");
    const shadow = () => readFileSync(join(dir, "shadow"), "utf8");

    it("gives system accounts nologin and a locked password, reports the unlisted login account, and keeps it; a second run changes nothing", () => {
        assert.deepEqual(main({ loginUsers: ["alice"] }), {
            status: 0,
            stdout: lines(EVE_REPORT, ...SYSTEM_CHANGES),
            stderr: "",
        });
        assert.deepEqual(log(), SYSTEM_COMMANDS);
        assert.equal(passwd(), lines(...PASSWD_FIXED));
        assert.equal(shadow(), lines(...SHADOW_FIXED));

        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main({ loginUsers: ["alice"] }), { status: 0, stdout: lines(EVE_REPORT), stderr: "" });
        assert.deepEqual(log(), []);
        assert.equal(passwd(), lines(...PASSWD_FIXED));
    });

    it("reports every login account outside the list, the listed one and the deployment user excepted", () => {
        assert.deepEqual(
            main().stdout,
            lines(
                say(
                    "unlisted login account: alice (uid 1001, shell /bin/bash): list it in args.accounts.loginUsers, or set args.accounts.removeUnlisted",
                ),
                EVE_REPORT,
                ...SYSTEM_CHANGES,
            ),
        );
        assert.deepEqual(main({ loginUsers: ["alice", "eve"] }), { status: 0, stdout: "", stderr: "" });
    });

    it("removes the unlisted login account without -r after checking it is idle; a second run is silent", () => {
        assert.deepEqual(main({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 0,
            stdout: lines(...SYSTEM_CHANGES, say("changed: removed account eve (home directory kept)")),
            stderr: "",
        });
        assert.deepEqual(log(), ["pgrep -u 1002", ...SYSTEM_COMMANDS, "userdel eve"]);
        assert.equal(passwd(), lines(...PASSWD_FIXED.filter((l) => !l.startsWith("eve:"))));
        assert.equal(shadow(), lines(...SHADOW_FIXED.filter((l) => !l.startsWith("eve:"))));

        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 0,
            stdout: "",
            stderr: "",
        });
        assert.deepEqual(log(), []);
    });

    it("refuses to remove an account that has running processes, before changing anything", () => {
        env.FAKE_BUSY = "1002";
        assert.deepEqual(main({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 1,
            stdout: "",
            stderr: `${say("error: account eve has running processes, so it is not removed: stop them, or list it in args.accounts.loginUsers")}\n`,
        });
        assert.deepEqual(log(), ["pgrep -u 1002"]);
        assert.equal(passwd(), lines(...PASSWD));
        assert.equal(shadow(), lines(...SHADOW));
    });

    it("stops when pgrep fails", () => {
        writeFileSync(join(dir, "bin", "pgrep"), "#!/bin/bash\nexit 3\n");
        assert.deepEqual(main({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 1,
            stdout: "",
            stderr: `${say("error: could not list the processes of account eve (pgrep exited with 3)")}\n`,
        });
        assert.deepEqual(log(), []);
    });

    it("stops before changing anything when a listed user does not exist", () => {
        assert.deepEqual(main({ loginUsers: ["alice", "ghost"] }), {
            status: 1,
            stdout: "",
            stderr: `${say("error: user ghost (args.accounts.loginUsers) does not exist on this host")}\n`,
        });
        assert.deepEqual(log(), []);
        assert.equal(passwd(), lines(...PASSWD));
        assert.equal(shadow(), lines(...SHADOW));
    });

    it("leaves a listed system account alone, and locks an extra uid-0 account", () => {
        writeFileSync(join(dir, "passwd"), lines(...PASSWD, "toor:x:0:0::/root:/bin/bash"));
        writeFileSync(join(dir, "shadow"), lines(...SHADOW, "toor:$6$toor:19000:0:99999:7:::"));
        assert.deepEqual(main({ loginUsers: ["alice", "eve", "games", "nobody"] }), {
            status: 0,
            stdout: lines(
                say("changed: set the shell of system account backup to /usr/sbin/nologin (was /bin/sh)"),
                say("changed: locked the password of system account backup"),
                say("changed: set the shell of system account toor to /usr/sbin/nologin (was /bin/bash)"),
                say("changed: locked the password of system account toor"),
            ),
            stderr: "",
        });
        assert.deepEqual(log(), [
            "usermod -s /usr/sbin/nologin backup",
            "usermod -L backup",
            "usermod -s /usr/sbin/nologin toor",
            "usermod -L toor",
        ]);
    });

    it("takes UID_MIN from login.defs, and 1000 without it", () => {
        writeFileSync(
            join(dir, "passwd"),
            lines("root:x:0:0:root:/root:/bin/bash", "old:x:600:600::/home/old:/bin/bash"),
        );
        writeFileSync(join(dir, "shadow"), lines("root:*:::::::", "old:$6$old:::::::"));
        writeFileSync(join(dir, "login.defs"), "UID_MIN 500\n");
        assert.deepEqual(main(), {
            status: 1,
            stdout: "",
            stderr: `${say("error: user admin (args.accounts.loginUsers) does not exist on this host")}\n`,
        });
        writeFileSync(
            join(dir, "passwd"),
            lines(
                "root:x:0:0:root:/root:/bin/bash",
                "admin:x:1000:1000::/home/admin:/bin/bash",
                "old:x:600:600::/home/old:/bin/bash",
            ),
        );
        assert.deepEqual(main(), {
            status: 0,
            stdout: lines(
                say(
                    "unlisted login account: old (uid 600, shell /bin/bash): list it in args.accounts.loginUsers, or set args.accounts.removeUnlisted",
                ),
            ),
            stderr: "",
        });
        rmSync(join(dir, "login.defs"));
        assert.deepEqual(main(), {
            status: 0,
            stdout: lines(
                say("changed: set the shell of system account old to /usr/sbin/nologin (was /bin/bash)"),
                say("changed: locked the password of system account old"),
            ),
            stderr: "",
        });
    });

    it("refuses a UID_MIN that is not a number", () => {
        writeFileSync(join(dir, "login.defs"), "UID_MIN 0x3e8\n");
        assert.deepEqual(main(), {
            status: 1,
            stdout: "",
            stderr: `${say(`error: UID_MIN in ${join(dir, "login.defs")} is "0x3e8", not a number`)}\n`,
        });
    });

    it("fails the check when a system account is not locked after usermod", () => {
        // A usermod that reports success and changes nothing.
        writeFileSync(join(dir, "bin", "usermod"), "#!/bin/bash\nexit 0\n");
        assert.deepEqual(main({ loginUsers: ["alice", "eve"] }), {
            status: 1,
            stdout: lines(...SYSTEM_CHANGES),
            stderr: `${say("error: system account games still has the login shell /bin/bash")}\n`,
        });
    });

    it("fails the check when an account is still there after userdel", () => {
        writeFileSync(join(dir, "bin", "userdel"), "#!/bin/bash\nexit 0\n");
        writeFileSync(join(dir, "passwd"), lines(...PASSWD_FIXED));
        writeFileSync(join(dir, "shadow"), lines(...SHADOW_FIXED));
        assert.deepEqual(main({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 1,
            stdout: lines(say("changed: removed account eve (home directory kept)")),
            stderr: `${say("error: account eve still exists, with the login shell /bin/bash")}\n`,
        });
    });
});

describe("the accounts script with the real usermod and userdel", () => {
    let dir: string;
    beforeEach(function () {
        // A private mount namespace with a synthetic /etc bound over the real one: the host's own
        // accounts are never touched.
        needTool(this, "unshare", ["-m", "true"], "util-linux (and root)");
        needTool(this, "usermod", ["--help"], "passwd");
        dir = mkdtempSync(join(tmpdir(), "hd-accounts-etc-"));
        mkdirSync(join(dir, "etc"));
        for (const name of ["login.defs", "ld.so.cache"]) {
            if (existsSync(`/etc/${name}`)) {
                copyFileSync(`/etc/${name}`, join(dir, "etc", name));
            }
        }
        if (existsSync("/etc/pam.d")) {
            cpSync("/etc/pam.d", join(dir, "etc/pam.d"), { recursive: true });
        }
        writeFileSync(join(dir, "etc/nsswitch.conf"), "passwd: files\ngroup: files\nshadow: files\ngshadow: files\n");
        writeFileSync(join(dir, "etc/shells"), SHELLS);
        // eve's home is in the temporary tree, to see it kept; its uid is one no process here runs as.
        mkdirSync(join(dir, "home/eve"), { recursive: true });
        writeFileSync(join(dir, "home/eve/notes"), "keep me\n");
        writeFileSync(
            join(dir, "etc/passwd"),
            lines(
                ...PASSWD.map((l) =>
                    l.startsWith("eve:") ? `eve:x:59999:1002::${join(dir, "home/eve")}:/bin/bash` : l,
                ),
            ),
        );
        writeFileSync(join(dir, "etc/shadow"), lines(...SHADOW), { mode: 0o640 });
        const groups = ["root:x:0:", "daemon:x:1:", "games:x:60:", "backup:x:34:", "svc:x:998:", "nogroup:x:65534:"];
        for (const [name, gid] of [
            ["admin", 1000],
            ["alice", 1001],
            ["eve", 1002],
            ["bot", 1003],
        ] as const) {
            groups.push(`${name}:x:${gid}:`);
        }
        writeFileSync(join(dir, "etc/group"), lines(...groups));
        writeFileSync(join(dir, "etc/gshadow"), lines(...groups.map((g) => `${g.split(":")[0]}:!::`)), { mode: 0o640 });
    });
    afterEach(() => {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    const inNamespace = (args?: AccountsArgs) =>
        run(
            "unshare",
            ["-m", "bash", "-c", 'mount --bind "$1" /etc && exec bash -s', "_", join(dir, "etc")],
            step(args).script,
        );

    it("locks the system accounts and removes the unlisted one, keeping its home closed to its freed uid; a second run changes nothing", () => {
        assert.deepEqual(inNamespace({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 0,
            stdout: lines(
                ...SYSTEM_CHANGES,
                say("changed: removed account eve (home directory kept)"),
                say(`changed: ${dir}/home/eve is now root:root 0700 (uid 59999 is free again and must not reach it)`),
            ),
            stderr: "",
        });
        assert.equal(
            execFileSync("stat", ["-c", "%a %U:%G", join(dir, "home/eve")], { encoding: "utf8" }),
            "700 root:root\n",
        );
        assert.equal(
            readFileSync(join(dir, "etc/passwd"), "utf8"),
            lines(...PASSWD_FIXED.filter((l) => !l.startsWith("eve:"))),
        );
        assert.equal(readFileSync(join(dir, "home/eve/notes"), "utf8"), "keep me\n");
        const shadowFields = readFileSync(join(dir, "etc/shadow"), "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => l.split(":").slice(0, 2).join(":"));
        assert.deepEqual(shadowFields, [
            "root:$6$root",
            "daemon:*",
            "sync:*",
            "games:*",
            "backup:!$6$backup",
            "svc:!!",
            "nobody:!",
            "admin:$6$admin",
            "alice:$6$alice",
            "bot:!",
        ]);
        assert.deepEqual(inNamespace({ loginUsers: ["alice"], removeUnlisted: true }), {
            status: 0,
            stdout: "",
            stderr: "",
        });
    });
});
