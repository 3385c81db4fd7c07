import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    guardFor,
    MINIMAL_DEFAULTS,
    MINIMAL_MAIN,
    renderMinimal,
    validateMinimalArgs,
    type MinimalArgs,
} from "../../../../components/host/minimal";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript, CTX, runFunctions } from "../stepHarness";

function step(args?: MinimalArgs) {
    return renderMinimal(validateMinimalArgs(args, CTX), CTX);
}

describe("validateMinimalArgs", () => {
    it("fills in the defaults, sorted", () => {
        const plan = validateMinimalArgs(undefined, CTX);
        assert.deepEqual(plan, {
            removePackages: [
                "atftp",
                "atftpd",
                "avahi-daemon",
                "cups",
                "cups-browsed",
                "cups-daemon",
                "inetutils-inetd",
                "inetutils-talk",
                "inetutils-talkd",
                "inetutils-telnet",
                "inetutils-telnetd",
                "nis",
                "openbsd-inetd",
                "rsh-client",
                "rsh-redone-client",
                "rsh-redone-server",
                "rsh-server",
                "talk",
                "talkd",
                "telnet",
                "telnetd",
                "tftp",
                "tftp-hpa",
                "tftpd-hpa",
                "xinetd",
            ],
            disableServices: [
                "avahi-daemon.service",
                "avahi-daemon.socket",
                "bluetooth.service",
                "cups-browsed.service",
                "cups.path",
                "cups.service",
                "cups.socket",
                "rpcbind.service",
                "rpcbind.socket",
            ],
        });
        assert.deepEqual(validateMinimalArgs({}, CTX), plan);
        assert.ok(Object.isFrozen(MINIMAL_DEFAULTS));
        assert.ok(Object.isFrozen(MINIMAL_DEFAULTS.removePackages) && Object.isFrozen(MINIMAL_DEFAULTS.guarded));
    });

    it("replaces a default list with the caller's, sorted, and accepts empty lists", () => {
        assert.deepEqual(
            validateMinimalArgs(
                { removePackages: ["xinetd", "nis"], disableServices: ["getsmart@eth0.timer", "a.socket"] },
                CTX,
            ),
            { removePackages: ["nis", "xinetd"], disableServices: ["a.socket", "getsmart@eth0.timer"] },
        );
        assert.deepEqual(validateMinimalArgs({ removePackages: [], disableServices: [] }, CTX), {
            removePackages: [],
            disableServices: [],
        });
    });

    it("guards what the host needs, by exact name or prefix", () => {
        const table: [string, string | undefined][] = [
            ["openssh-server", "openssh-*"],
            ["ssh", "ssh"],
            ["sshguard", undefined],
            ["docker.io", "docker*"],
            ["docker-ce", "docker*"],
            ["containerd.io", "containerd*"],
            ["runc", "runc"],
            ["systemd-networkd", "systemd*"],
            ["sudo", "sudo"],
            ["auditd", "auditd"],
            ["rsyslog", "rsyslog"],
            ["nftables", "nftables"],
            ["apparmor", "apparmor*"],
            ["cloud-init", "cloud-*"],
            ["telnet", undefined],
            ["avahi-daemon", undefined],
        ];
        assert.deepEqual(
            table.map(([name]) => [name, guardFor(name)]),
            table,
        );
        for (const name of [...MINIMAL_DEFAULTS.removePackages]) {
            assert.equal(guardFor(name), undefined, name);
        }
    });

    const BAD: [title: string, args: unknown, message: string][] = [
        ["not an object", ["telnet"], "args.minimal must be an object with the fields disableServices, removePackages"],
        [
            "an unknown field",
            { purge: ["telnet"] },
            "args.minimal.purge is not an argument of the minimal step; allowed: disableServices, removePackages",
        ],
        [
            "packages as a string",
            { removePackages: "telnet" },
            'args.minimal.removePackages must be a list of names, such as ["telnet"]',
        ],
        [
            "the SSH server",
            { removePackages: ["telnet", "openssh-server"] },
            'args.minimal.removePackages[1] is "openssh-server", which the host needs (guarded by "openssh-*"); it can never be removed',
        ],
        [
            "Docker's package",
            { removePackages: ["docker.io"] },
            'args.minimal.removePackages[0] is "docker.io", which the host needs (guarded by "docker*"); it can never be removed',
        ],
        [
            "sudo",
            { removePackages: ["sudo"] },
            'args.minimal.removePackages[0] is "sudo", which the host needs (guarded by "sudo"); it can never be removed',
        ],
        [
            "systemd",
            { removePackages: ["systemd-timesyncd"] },
            'args.minimal.removePackages[0] is "systemd-timesyncd", which the host needs (guarded by "systemd*"); it can never be removed',
        ],
        [
            "an upper-case package",
            { removePackages: ["Telnet"] },
            'args.minimal.removePackages[0] must be a Debian package name of [a-z0-9+.-], got "Telnet"',
        ],
        [
            "a package with a shell character",
            { removePackages: ["telnet;reboot"] },
            'args.minimal.removePackages[0] must be a Debian package name of [a-z0-9+.-], got "telnet;reboot"',
        ],
        [
            "a one-letter package",
            { removePackages: ["x"] },
            'args.minimal.removePackages[0] must be a Debian package name of [a-z0-9+.-], got "x"',
        ],
        ["a repeated package", { removePackages: ["nis", "nis"] }, 'args.minimal.removePackages[1] repeats "nis"'],
        [
            "units as a string",
            { disableServices: "cups.service" },
            'args.minimal.disableServices must be a list of names, such as ["cups.service"]',
        ],
        [
            "the SSH unit",
            { disableServices: ["ssh.service"] },
            'args.minimal.disableServices[0] is "ssh.service", which the host needs (guarded by "ssh"); it can never be disabled',
        ],
        [
            "the SSH socket",
            { disableServices: ["cups.service", "ssh.socket"] },
            'args.minimal.disableServices[1] is "ssh.socket", which the host needs (guarded by "ssh"); it can never be disabled',
        ],
        [
            "Docker's socket",
            { disableServices: ["docker.socket"] },
            'args.minimal.disableServices[0] is "docker.socket", which the host needs (guarded by "docker*"); it can never be disabled',
        ],
        [
            "a getty instance",
            { disableServices: ["serial-getty@ttyS0.service"] },
            'args.minimal.disableServices[0] is "serial-getty@ttyS0.service", which the host needs (guarded by "serial-getty"); it can never be disabled',
        ],
        [
            "journald",
            { disableServices: ["systemd-journald.service"] },
            'args.minimal.disableServices[0] is "systemd-journald.service", which the host needs (guarded by "systemd*"); it can never be disabled',
        ],
        [
            "the firewall",
            { disableServices: ["nftables.service"] },
            'args.minimal.disableServices[0] is "nftables.service", which the host needs (guarded by "nftables"); it can never be disabled',
        ],
        [
            "a unit without a suffix",
            { disableServices: ["cups"] },
            'args.minimal.disableServices[0] must be a systemd unit name ending in .service, .socket, .path or .timer, got "cups"',
        ],
        [
            "a target",
            { disableServices: ["multi-user.target"] },
            'args.minimal.disableServices[0] must be a systemd unit name ending in .service, .socket, .path or .timer, got "multi-user.target"',
        ],
        [
            "a unit with a space",
            { disableServices: ["my unit.service"] },
            'args.minimal.disableServices[0] must be a systemd unit name ending in .service, .socket, .path or .timer, got "my unit.service"',
        ],
        [
            "a unit starting with a dash",
            { disableServices: ["--now.service"] },
            'args.minimal.disableServices[0] must be a systemd unit name ending in .service, .socket, .path or .timer, got "--now.service"',
        ],
        [
            "a repeated unit",
            { disableServices: ["cups.path", "cups.path"] },
            'args.minimal.disableServices[1] repeats "cups.path"',
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateMinimalArgs(args as MinimalArgs, CTX), { name: "ArgumentError", message });
        });
    }
});

describe("renderMinimal", () => {
    it("describes the step", () => {
        const s = step();
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, files: s.files, secret: s.secret },
            {
                id: "minimal",
                title: "Unneeded network services are purged or disabled",
                cis: ["1.2.1"],
                files: [],
                secret: false,
            },
        );
    });

    it("carries the sorted lists after the prelude and ends with its main", () => {
        const script = step({
            removePackages: ["xinetd", "nis"],
            disableServices: ["rpcbind.socket", "cups.service"],
        }).script;
        assert.ok(
            script.startsWith(
                [
                    prelude("minimal"),
                    "# Where systemd shows that it runs; tests point this elsewhere.",
                    "MINIMAL_SYSTEMD=/run/systemd/system",
                    "# Packages to purge when installed, and units to disable when present (sorted).",
                    "MINIMAL_PACKAGES=(nis xinetd)",
                    "MINIMAL_UNITS=(cups.service rpcbind.socket)",
                    "",
                ].join("\n"),
            ),
        );
        assert.ok(
            step({ removePackages: [], disableServices: [] }).script.includes(
                "\nMINIMAL_PACKAGES=()\nMINIMAL_UNITS=()\n",
            ),
        );
        assert.ok(script.endsWith("\nminimal_main\n"));
    });

    for (const [title, args] of [
        ["the defaults", undefined],
        ["empty lists", { removePackages: [], disableServices: [] }],
    ] as [string, MinimalArgs | undefined][]) {
        it(`passes bash -n and shellcheck for ${title}`, function () {
            assertCleanScript(this, step(args).script);
        });
    }
});

/** Stand-ins for dpkg-query, apt-get and systemctl over a state directory; each logs its command line. */
const FAKES: Record<string, string> = {
    "dpkg-query": `#!/bin/bash
printf 'dpkg-query %s\\n' "$*" >>"$FAKE_LOG"
pkg=\${!#}
if [ -f "$FAKE_STATE/pkg/$pkg" ]; then cat "$FAKE_STATE/pkg/$pkg"; exit 0; fi
echo "dpkg-query: no packages found matching $pkg" >&2
exit 1
`,
    "apt-get": `#!/bin/bash
printf 'apt-get %s\\n' "$*" >>"$FAKE_LOG"
if [ "$1" = -s ]; then
    shift 2
    echo "NOTE: This is only a simulation!"
    [ -f "$FAKE_STATE/apt-extra" ] && cat "$FAKE_STATE/apt-extra"
    for p in "$@"; do echo "Purg $p [1.0-1]"; done
    exit 0
fi
shift 3
for p in "$@"; do rm -f "$FAKE_STATE/pkg/$p"; done
`,
    systemctl: `#!/bin/bash
printf 'systemctl %s\\n' "$*" >>"$FAKE_LOG"
unit=\${!#}
state="$FAKE_STATE/unit/$unit"
read -r enabled active <"$state" 2>/dev/null || { enabled=""; active=""; }
case "$1" in
show) if [ -f "$state" ]; then echo loaded; else echo not-found; fi ;;
is-enabled) if [ -f "$state" ]; then echo "$enabled"; [[ $enabled == enabled* ]]; else echo "Failed to get unit file state for $unit: No such file or directory" >&2; exit 1; fi ;;
is-active) [ "$active" = active ] ;;
disable)
    if [ "$2" = --runtime ]; then enabled=disabled; else enabled=$([ "$enabled" = static ] && echo static || echo disabled); fi
    [ "$2" = --now ] && active=inactive
    echo "$enabled $active" >"$state" ;;
*) exit 2 ;;
esac
`,
};

describe("the minimal script, with stand-ins for dpkg-query, apt-get and systemctl", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-minimal-"));
        for (const d of ["bin", "state/pkg", "state/unit", "systemd"]) {
            mkdirSync(join(dir, d), { recursive: true });
        }
        for (const [name, text] of Object.entries(FAKES)) {
            writeFileSync(join(dir, "bin", name), text);
            chmodSync(join(dir, "bin", name), 0o755);
        }
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            FAKE_STATE: join(dir, "state"),
            FAKE_LOG: join(dir, "log"),
        };
        writeFileSync(join(dir, "log"), "");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const pkg = (name: string, status: string) => writeFileSync(join(dir, "state/pkg", name), status);
    const unit = (name: string, enabled: string, active: string) =>
        writeFileSync(join(dir, "state/unit", name), `${enabled} ${active}\n`);
    const log = () =>
        readFileSync(join(dir, "log"), "utf8")
            .split("\n")
            .filter((l) => l !== "");
    const main = (args: MinimalArgs, systemd = true) =>
        runFunctions(
            step(args).script,
            MINIMAL_MAIN,
            `MINIMAL_SYSTEMD=${dir}/${systemd ? "systemd" : "none"}\nminimal_main`,
            env,
        );

    const ARGS: MinimalArgs = {
        removePackages: ["telnet", "nis", "xinetd", "talkd"],
        disableServices: [
            "avahi-daemon.service",
            "bluetooth.service",
            "cups.socket",
            "rpcbind.service",
            "rpcbind.socket",
        ],
    };

    it("purges the installed ones, disables the present ones, and changes nothing on a second run", () => {
        pkg("telnet", "installed");
        pkg("xinetd", "installed");
        pkg("talkd", "config-files");
        unit("avahi-daemon.service", "enabled", "active");
        unit("rpcbind.socket", "enabled", "inactive");
        unit("rpcbind.service", "static", "active");
        unit("cups.socket", "disabled", "inactive");
        const first = main(ARGS);
        assert.deepEqual(first, {
            status: 0,
            stdout: [
                "hardened-docker[minimal]: changed: purged telnet",
                "hardened-docker[minimal]: changed: purged xinetd",
                "hardened-docker[minimal]: changed: disabled and stopped avahi-daemon.service",
                "hardened-docker[minimal]: changed: disabled and stopped rpcbind.service",
                "hardened-docker[minimal]: changed: disabled and stopped rpcbind.socket",
                "",
            ].join("\n"),
            stderr: "",
        });
        assert.deepEqual(log(), [
            "dpkg-query -W -f=${db:Status-Status} nis",
            "dpkg-query -W -f=${db:Status-Status} talkd",
            "dpkg-query -W -f=${db:Status-Status} telnet",
            "dpkg-query -W -f=${db:Status-Status} xinetd",
            "apt-get -s purge telnet xinetd",
            "apt-get purge -y -qq telnet xinetd",
            "dpkg-query -W -f=${db:Status-Status} telnet",
            "dpkg-query -W -f=${db:Status-Status} xinetd",
            "systemctl show -p LoadState --value avahi-daemon.service",
            "systemctl is-enabled avahi-daemon.service",
            "systemctl is-enabled avahi-daemon.service",
            "systemctl disable --now --quiet avahi-daemon.service",
            "systemctl is-enabled avahi-daemon.service",
            "systemctl is-active --quiet avahi-daemon.service",
            "systemctl show -p LoadState --value bluetooth.service",
            "systemctl show -p LoadState --value cups.socket",
            "systemctl is-enabled cups.socket",
            "systemctl is-active --quiet cups.socket",
            "systemctl show -p LoadState --value rpcbind.service",
            "systemctl is-enabled rpcbind.service",
            "systemctl is-active --quiet rpcbind.service",
            "systemctl is-enabled rpcbind.service",
            "systemctl disable --now --quiet rpcbind.service",
            "systemctl is-enabled rpcbind.service",
            "systemctl is-active --quiet rpcbind.service",
            "systemctl show -p LoadState --value rpcbind.socket",
            "systemctl is-enabled rpcbind.socket",
            "systemctl is-enabled rpcbind.socket",
            "systemctl disable --now --quiet rpcbind.socket",
            "systemctl is-enabled rpcbind.socket",
            "systemctl is-active --quiet rpcbind.socket",
        ]);
        assert.equal(existsSync(join(dir, "state/pkg/telnet")), false);
        assert.equal(readFileSync(join(dir, "state/pkg/talkd"), "utf8"), "config-files");

        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main(ARGS), { status: 0, stdout: "", stderr: "" });
        assert.equal(log().filter((l) => l.startsWith("apt-get") || l.startsWith("systemctl disable")).length, 0);
    });

    it("refuses a purge that would take other packages with it, and purges nothing", () => {
        pkg("avahi-daemon", "installed");
        writeFileSync(join(dir, "state/apt-extra"), "Purg avahi-utils [0.8-10]\nPurg docker.io [20.10.24+dfsg1-1]\n");
        const r = main({ removePackages: ["avahi-daemon"], disableServices: [] });
        assert.deepEqual(r, {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[minimal]: error: purging avahi-daemon would also change other packages (Purg avahi-utils Purg docker.io): list those too, or take the packages they need out of args.minimal.removePackages\n",
        });
        assert.equal(existsSync(join(dir, "state/pkg/avahi-daemon")), true);
        assert.deepEqual(
            log().filter((l) => l.startsWith("apt-get")),
            ["apt-get -s purge avahi-daemon"],
        );
    });

    it("refuses a purge that would install a replacement", () => {
        pkg("nis", "installed");
        writeFileSync(join(dir, "state/apt-extra"), "Inst yp-tools [4.2.3-3]\n");
        assert.equal(
            main({ removePackages: ["nis"], disableServices: [] }).stderr,
            "hardened-docker[minimal]: error: purging nis would also change other packages (Inst yp-tools): list those too, or take the packages they need out of args.minimal.removePackages\n",
        );
    });

    it("leaves units alone where systemd does not run", () => {
        unit("cups.socket", "enabled", "active");
        assert.deepEqual(main({ removePackages: [], disableServices: ["cups.socket"] }, false), {
            status: 0,
            stdout: "hardened-docker[minimal]: skipped: disabling units (systemd is not running here)\n",
            stderr: "",
        });
        assert.deepEqual(log(), []);
    });

    it("clears a runtime enablement too", () => {
        unit("cups.path", "enabled-runtime", "active");
        assert.deepEqual(main({ removePackages: [], disableServices: ["cups.path"] }), {
            status: 0,
            stdout: "hardened-docker[minimal]: changed: disabled and stopped cups.path\n",
            stderr: "",
        });
        assert.ok(log().includes("systemctl disable --runtime --quiet cups.path"));
    });
});

describe("the purge check against this machine's apt", () => {
    const installed = (p: string) =>
        spawnSync("dpkg-query", ["-W", "-f=${db:Status-Status}", p], { encoding: "utf8" }).stdout === "installed";

    it("simulates with apt-get -s only, and names the dependents a purge would take along", function () {
        this.timeout(120000); // apt-get -s reads the whole package cache
        if (!installed("libauparse0") || !installed("auditd")) {
            if (process.env.REQUIRE_TOOLS === "1") {
                throw new Error("auditd is not installed (apt-get install auditd)");
            }
            this.skip();
        }
        // auditd depends on libauparse0: purging the library alone would purge auditd too.
        const r = runFunctions(step().script, MINIMAL_MAIN, "minimal_check_purge libauparse0");
        assert.deepEqual(r, {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[minimal]: error: purging libauparse0 would also change other packages (Purg auditd): list those too, or take the packages they need out of args.minimal.removePackages\n",
        });
        const both = runFunctions(
            step().script,
            MINIMAL_MAIN,
            "minimal_check_purge auditd libauparse0 && echo allowed",
        );
        assert.deepEqual(both, { status: 0, stdout: "allowed\n", stderr: "" });
        assert.equal(installed("auditd"), true);
    });
});
