import * as assert from "node:assert/strict";
import {
    chmodSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    APPARMOR_MAIN,
    renderAppArmorLoadScript,
    renderAppArmorUnloadCommand,
    validateAppArmor,
    type AppArmorPlan,
} from "../../../../components/container/apparmor";
import { embedFile, prelude } from "../../../../components/host/shell";
import { assertCleanScript, needTool, run, runFunctions } from "../../host/stepHarness";

const GENERATED = validateAppArmor(
    {
        name: "hd-api",
        rules: { execute: ["/app/server"], read: ["/app/**"], write: ["/data/**"], network: ["tcp"] },
    },
    ["NET_BIND_SERVICE"],
    "args.appArmor",
);

/** A written profile with text a shell would expand, and a line like a here-document's end. */
const WRITTEN = validateAppArmor(
    {
        name: "hd-api",
        profile: [
            "#include <tunables/global>",
            "# $(touch /tmp/hd-apparmor-pwned) `id` ${HOME} \\",
            "EOF",
            "profile hd-api flags=(attach_disconnected) {",
            "  #include <abstractions/base>",
            "  /app/server mrix,",
            "}",
        ].join("\n"),
    },
    [],
    "args.appArmor",
);

describe("renderAppArmorLoadScript", () => {
    it("sets the profile's name, path and digest after the prelude, embeds the profile, and ends with its main", () => {
        const script = renderAppArmorLoadScript(GENERATED);
        assert.ok(
            script.startsWith(
                [
                    prelude("apparmor"),
                    "APPARMOR_NAME=hd-api",
                    "APPARMOR_PATH=/etc/apparmor.d/hardened-docker.hd-api",
                    `APPARMOR_SHA256=${GENERATED.sha256}`,
                    "APPARMOR_KERNEL_PROFILES=/sys/kernel/security/apparmor/profiles",
                    "APPARMOR_ENABLED=/sys/module/apparmor/parameters/enabled",
                    embedFile("profile", GENERATED.text),
                    "",
                ].join("\n"),
            ),
        );
        assert.ok(script.endsWith("\napparmor_main\n"));
        assert.equal(APPARMOR_MAIN, "apparmor_main");
        assert.equal(renderAppArmorLoadScript(GENERATED), script);
        assert.notEqual(renderAppArmorLoadScript(WRITTEN), script);
    });

    for (const [title, plan] of [
        ["a generated profile", GENERATED],
        ["a written profile", WRITTEN],
    ] as [string, AppArmorPlan][]) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            assertCleanScript(this, renderAppArmorLoadScript(plan));
        });
    }
});

/**
 * A stand-in for apparmor_parser: logs its command line. `--skip-kernel-load` keeps a copy of the
 * file it checks and fails under FAKE_REFUSE; `--replace` fails under FAKE_LOAD_FAIL, else puts
 * `<name> (<FAKE_MODE, or enforce>)` in the fake kernel list (nothing under FAKE_NOLOAD).
 */
const FAKE_PARSER = `#!/bin/bash
printf '%s\\n' "$*" >>"$FAKE_DIR/log"
case "$1" in
--skip-kernel-load)
    cp "$3" "$FAKE_DIR/checked"
    if [ -n "\${FAKE_REFUSE:-}" ]; then
        echo "AppArmor parser error at line 6: syntax error, unexpected TOK_END" >&2
        exit 1
    fi
    ;;
--replace)
    if [ -n "\${FAKE_LOAD_FAIL:-}" ]; then
        echo "apparmor_parser: Unable to replace \\"hd-api\\".  Permission denied" >&2
        exit 243
    fi
    [ -z "\${FAKE_NOLOAD:-}" ] || exit 0
    name=$(sed -n 's/^profile \\([^ ]*\\) .*/\\1/p' "$2")
    grep -v "^$name (" "$FAKE_DIR/profiles" >"$FAKE_DIR/profiles.new" || true
    printf '%s (%s)\\n' "$name" "\${FAKE_MODE:-enforce}" >>"$FAKE_DIR/profiles.new"
    mv "$FAKE_DIR/profiles.new" "$FAKE_DIR/profiles"
    ;;
*)
    exit 2
    ;;
esac
`;

/** The kernel's list before the load: other profiles, one of them named like ours. */
const KERNEL_BEFORE = "docker-default (enforce)\nhd-api2 (complain)\nhd-api//child (complain)\n";

describe("the AppArmor load script, with a stand-in apparmor_parser and kernel files", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    let path: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-apparmor-script-"));
        mkdirSync(join(dir, "bin"));
        mkdirSync(join(dir, "tmp"));
        writeFileSync(join(dir, "bin", "apparmor_parser"), FAKE_PARSER);
        chmodSync(join(dir, "bin", "apparmor_parser"), 0o755);
        writeFileSync(join(dir, "enabled"), "Y\n");
        writeFileSync(join(dir, "profiles"), KERNEL_BEFORE);
        writeFileSync(join(dir, "log"), "");
        path = join(dir, "etc/apparmor.d/hardened-docker.hd-api");
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            TMPDIR: join(dir, "tmp"),
            FAKE_DIR: dir,
        };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const TAIL = [
        'APPARMOR_ENABLED="$FAKE_DIR/enabled"',
        'APPARMOR_KERNEL_PROFILES="$FAKE_DIR/profiles"',
        'APPARMOR_PATH="$FAKE_DIR/etc/apparmor.d/hardened-docker.hd-api"',
        APPARMOR_MAIN,
    ].join("\n");
    const main = (plan: AppArmorPlan = GENERATED, extra: NodeJS.ProcessEnv = {}) =>
        runFunctions(renderAppArmorLoadScript(plan), APPARMOR_MAIN, TAIL, { ...env, ...extra });
    /** The parser's command lines, the script's private directory written as <HD_TMP>. */
    const log = () =>
        readFileSync(join(dir, "log"), "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) =>
                l
                    .split(`${join(dir, "tmp")}/`)
                    .join("<TMPDIR>/")
                    .replace(/<TMPDIR>\/tmp\.[A-Za-z0-9]{10}\//, "<HD_TMP>/"),
            );
    const CHECK = "--skip-kernel-load --skip-cache <HD_TMP>/profile";
    const lines = (...l: string[]) => l.map((x) => `${x}\n`).join("");
    const done = (plan: AppArmorPlan) => `apparmor=hd-api mode=enforce sha256=${plan.sha256}`;

    it("checks, installs (root, 644), loads and verifies the profile; a second run changes nothing", () => {
        assert.deepEqual(main(), {
            status: 0,
            stdout: lines(
                `hardened-docker[apparmor]: changed: ${path}`,
                `hardened-docker[apparmor]: loaded: hd-api from ${path}`,
                done(GENERATED),
            ),
            stderr: "",
        });
        assert.deepEqual(log(), [CHECK, `--replace ${path}`]);
        assert.equal(readFileSync(join(dir, "checked"), "utf8"), GENERATED.text);
        assert.equal(readFileSync(path, "utf8"), GENERATED.text);
        const st = statSync(path);
        assert.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o644, 0, 0]);
        assert.equal(readFileSync(join(dir, "profiles"), "utf8"), `${KERNEL_BEFORE}hd-api (enforce)\n`);
        // The private directory is gone.
        assert.deepEqual(readdirSync(join(dir, "tmp")), []);

        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main(), {
            status: 0,
            stdout: lines(`hardened-docker[apparmor]: loaded: hd-api from ${path}`, done(GENERATED)),
            stderr: "",
        });
        // Loaded again (the same text replaces the kernel's copy), the file untouched.
        assert.deepEqual(log(), [CHECK, `--replace ${path}`]);
        assert.equal(readFileSync(path, "utf8"), GENERATED.text);
        assert.equal(readFileSync(join(dir, "profiles"), "utf8"), `${KERNEL_BEFORE}hd-api (enforce)\n`);
    });

    it("rewrites a changed profile and loads it in place of the old one", () => {
        assert.equal(main(GENERATED).status, 0);
        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main(WRITTEN), {
            status: 0,
            stdout: lines(
                `hardened-docker[apparmor]: changed: ${path}`,
                `hardened-docker[apparmor]: loaded: hd-api from ${path}`,
                done(WRITTEN),
            ),
            stderr: "",
        });
        assert.deepEqual(log(), [CHECK, `--replace ${path}`]);
        // Byte for byte: nothing in the written text was expanded by the shell.
        assert.equal(readFileSync(path, "utf8"), WRITTEN.text);
        assert.ok(!existsSync("/tmp/hd-apparmor-pwned"));
        assert.equal(readFileSync(join(dir, "profiles"), "utf8"), `${KERNEL_BEFORE}hd-api (enforce)\n`);
    });

    it("puts back the mode of an installed profile that was changed by hand", () => {
        mkdirSync(join(dir, "etc/apparmor.d"), { recursive: true });
        writeFileSync(path, GENERATED.text, { mode: 0o600 });
        assert.deepEqual(main(), {
            status: 0,
            stdout: lines(
                `hardened-docker[apparmor]: changed: ${path}`,
                `hardened-docker[apparmor]: loaded: hd-api from ${path}`,
                done(GENERATED),
            ),
            stderr: "",
        });
        assert.equal(statSync(path).mode & 0o7777, 0o644);
    });

    for (const [title, enabled] of [
        ["says N", "N\n"],
        ["is missing", undefined],
    ] as [string, string | undefined][]) {
        it(`stops before anything when the kernel's AppArmor switch ${title}`, () => {
            if (enabled === undefined) {
                rmSync(join(dir, "enabled"));
            } else {
                writeFileSync(join(dir, "enabled"), enabled);
            }
            assert.deepEqual(main(), {
                status: 1,
                stdout: "",
                stderr: "hardened-docker[apparmor]: error: this kernel does not enforce AppArmor (boot with apparmor=1 security=apparmor): profile hd-api cannot confine the container (CIS 5.2)\n",
            });
            assert.deepEqual(log(), []);
            assert.ok(!existsSync(path));
            assert.equal(readFileSync(join(dir, "profiles"), "utf8"), KERNEL_BEFORE);
        });
    }

    it("stops before anything when apparmor_parser is missing", function () {
        // Only /usr/bin and /bin on PATH: this host keeps the real parser in /usr/sbin.
        if (existsSync("/usr/bin/apparmor_parser") || existsSync("/bin/apparmor_parser")) {
            this.skip();
        }
        assert.deepEqual(main(GENERATED, { PATH: "/usr/bin:/bin" }), {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[apparmor]: error: apparmor_parser is missing: install the apparmor package (HardenedHost's engine step does)\n",
        });
        assert.ok(!existsSync(path));
    });

    it("changes nothing on the host when the parser refuses the profile", () => {
        mkdirSync(join(dir, "etc/apparmor.d"), { recursive: true });
        writeFileSync(path, WRITTEN.text, { mode: 0o644 });
        assert.deepEqual(main(GENERATED, { FAKE_REFUSE: "1" }), {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[apparmor]: error: apparmor_parser refuses profile hd-api (args.appArmor): AppArmor parser error at line 6: syntax error, unexpected TOK_END\n",
        });
        assert.deepEqual(log(), [CHECK]);
        // The installed profile is the previous one, and the kernel's list is as it was.
        assert.equal(readFileSync(path, "utf8"), WRITTEN.text);
        assert.equal(readFileSync(join(dir, "profiles"), "utf8"), KERNEL_BEFORE);
        assert.deepEqual(readdirSync(join(dir, "tmp")), []);
    });

    it("installs nothing when the parser refuses a first profile", () => {
        assert.equal(main(GENERATED, { FAKE_REFUSE: "1" }).status, 1);
        assert.ok(!existsSync(join(dir, "etc")));
    });

    it("fails with the parser's message when the kernel does not take the profile", () => {
        assert.deepEqual(main(GENERATED, { FAKE_LOAD_FAIL: "1" }), {
            status: 1,
            stdout: lines(`hardened-docker[apparmor]: changed: ${path}`),
            stderr: `hardened-docker[apparmor]: error: apparmor_parser could not load ${path}: apparmor_parser: Unable to replace "hd-api".  Permission denied\n`,
        });
        assert.deepEqual(log(), [CHECK, `--replace ${path}`]);
    });

    it("fails when the kernel holds the profile in complain mode after the load", () => {
        assert.deepEqual(main(GENERATED, { FAKE_MODE: "complain" }), {
            status: 1,
            stdout: lines(
                `hardened-docker[apparmor]: changed: ${path}`,
                `hardened-docker[apparmor]: loaded: hd-api from ${path}`,
            ),
            stderr: "hardened-docker[apparmor]: error: profile hd-api is complain, expected enforce (CIS 5.2)\n",
        });
    });

    it("fails when the profile is not in the kernel's list after the load (a name like it is not it)", () => {
        assert.deepEqual(main(GENERATED, { FAKE_NOLOAD: "1" }), {
            status: 1,
            stdout: lines(
                `hardened-docker[apparmor]: changed: ${path}`,
                `hardened-docker[apparmor]: loaded: hd-api from ${path}`,
            ),
            stderr: "hardened-docker[apparmor]: error: profile hd-api is not loaded, expected enforce (CIS 5.2)\n",
        });
    });

    it("never replaces a loaded profile of that name that it did not install (a distribution's)", () => {
        writeFileSync(join(dir, "profiles"), `${KERNEL_BEFORE}hd-api (enforce)\n`);
        assert.deepEqual(main(), {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[apparmor]: error: a profile named hd-api is loaded and was not installed by hardened-docker: choose another args.appArmor.name\n",
        });
        assert.deepEqual(log(), []);
        assert.ok(!existsSync(join(dir, "etc")));
    });

    it("reads each profile's mode from the kernel's list", () => {
        writeFileSync(join(dir, "profiles"), `${KERNEL_BEFORE}hd-api (kill)\n`);
        const withList = (name: string) =>
            runFunctions(
                renderAppArmorLoadScript(GENERATED),
                APPARMOR_MAIN,
                `APPARMOR_KERNEL_PROFILES="$FAKE_DIR/profiles"\nAPPARMOR_NAME=${name}\napparmor_mode`,
                env,
            );
        assert.deepEqual(withList("hd-api"), { status: 0, stdout: "kill", stderr: "" });
        assert.deepEqual(withList("hd-api2"), { status: 0, stdout: "complain", stderr: "" });
        assert.deepEqual(withList("docker-default"), { status: 0, stdout: "enforce", stderr: "" });
        assert.deepEqual(withList("hd-ap"), { status: 0, stdout: "", stderr: "" });
    });
});

describe("renderAppArmorUnloadCommand", () => {
    const P = "/etc/apparmor.d/hardened-docker.hd-api";
    const INNER = `if [ -f ${P} ]; then apparmor_parser --remove ${P} 2>/dev/null || true; rm -f ${P}; fi`;
    const UNLOAD = renderAppArmorUnloadCommand(GENERATED);

    it("unloads and removes the profile as root, directly or through sudo -n", () => {
        assert.equal(UNLOAD, `if [ "$(id -u)" -eq 0 ]; then sh -c '${INNER}'; else sudo -n sh -c '${INNER}'; fi`);
        assert.equal(renderAppArmorUnloadCommand(WRITTEN), UNLOAD);
    });

    it("passes sh -n, and so does the command it runs", () => {
        assert.deepEqual(run("sh", ["-n"], UNLOAD), { status: 0, stdout: "", stderr: "" });
        assert.deepEqual(run("sh", ["-n"], INNER), { status: 0, stdout: "", stderr: "" });
    });

    describe("run in a private mount namespace over a scratch /etc/apparmor.d", () => {
        let dir: string;
        beforeEach(function () {
            needTool(this, "unshare", ["-m", "true"], "util-linux (and root)");
            if (!existsSync("/etc/apparmor.d")) {
                this.skip();
            }
            dir = mkdtempSync(join(tmpdir(), "hd-apparmor-unload-"));
            mkdirSync(join(dir, "bin"));
            writeFileSync(
                join(dir, "bin", "apparmor_parser"),
                '#!/bin/sh\nprintf \'%s\\n\' "$*" >>"$FAKE_LOG"\necho "apparmor_parser: not loaded" >&2\nexit "${FAKE_STATUS:-0}"\n',
            );
            chmodSync(join(dir, "bin", "apparmor_parser"), 0o755);
            writeFileSync(join(dir, "log"), "");
        });
        afterEach(() => {
            if (dir !== undefined) {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        const unload = (present: boolean, status: number) =>
            run(
                "unshare",
                [
                    "-m",
                    "sh",
                    "-c",
                    [
                        "mount -t tmpfs tmpfs /etc/apparmor.d",
                        "echo keep >/etc/apparmor.d/other",
                        ...(present ? [`echo profile >${P}`] : []),
                        'sh -c "$1"',
                        'echo "status=$?"',
                        "ls -A /etc/apparmor.d",
                    ].join("\n"),
                    "_",
                    UNLOAD,
                ],
                "",
                {
                    ...process.env,
                    PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
                    FAKE_LOG: join(dir, "log"),
                    FAKE_STATUS: String(status),
                },
            );
        const log = () => readFileSync(join(dir, "log"), "utf8");

        it("removes the loaded profile and its file, and nothing else", () => {
            assert.deepEqual(unload(true, 0), { status: 0, stdout: "status=0\nother\n", stderr: "" });
            assert.equal(log(), `--remove ${P}\n`);
        });

        it("removes the file even when the kernel no longer holds the profile", () => {
            assert.deepEqual(unload(true, 1), { status: 0, stdout: "status=0\nother\n", stderr: "" });
            assert.equal(log(), `--remove ${P}\n`);
        });

        it("does nothing, successfully, when the profile is already gone", () => {
            assert.deepEqual(unload(false, 1), { status: 0, stdout: "status=0\nother\n", stderr: "" });
            assert.equal(log(), "");
        });
    });
});
