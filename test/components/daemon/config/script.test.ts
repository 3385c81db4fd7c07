// The daemon-config script's functions one by one, with fakes for systemctl, dockerd, docker and
// usermod: bash and jq only, nothing on the machine is read or changed. The real dockerd runs in
// script.host.test.ts.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import {
    DAEMON_CONFIG_MAIN,
    type DaemonConfigArgs,
    renderDaemonConfig,
    validateDaemonConfigArgs,
} from "../../../../components/daemon/config";
import { needTool, runFunctions } from "../../host/stepHarness";
import { CTX, MINIMAL } from "./fixtures";

const log = (line: string) => `hardened-docker[daemon-config]: ${line}`;

function script(args: DaemonConfigArgs = MINIMAL): string {
    return renderDaemonConfig(validateDaemonConfigArgs(args, CTX), CTX).script;
}

/** Runs the script's functions, then `tail`; returns [exit status, stdout + stderr]. */
function call(tail: string, args?: DaemonConfigArgs): [number | null, string] {
    const r = runFunctions(script(args), DAEMON_CONFIG_MAIN, tail);
    return [r.status, `${r.stdout}${r.stderr}`];
}

describe("the daemon-config script's functions (fakes)", () => {
    let dir = "";
    before(function () {
        needTool(this, "jq", ["--version"], "jq");
    });
    beforeEach(() => {
        dir = mkdtempSync("/tmp/hd-daemon-config-");
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    describe("daemon_userns_notice", () => {
        const fake = (opts: string, containers: number, volumes: number) =>
            [
                "docker() {",
                '    case "$1" in',
                `    info) printf '%s\\n' '${opts}' ;;`,
                `    ps) seq ${containers} ;;`,
                `    volume) seq ${volumes} ;;`,
                "    esac",
                "}",
                "daemon_userns_notice",
            ].join("\n");

        it("says that what the un-remapped daemon made stays on disk but out of sight", () => {
            assert.deepEqual(call(fake('["name=apparmor","name=seccomp,profile=default"]', 2, 1)), [
                0,
                `${log("warning: turning on userns-remap: the 2 containers and 1 volumes of the un-remapped daemon stay on disk under /var/lib/docker, but the remapped daemon does not see them (usernsRemap: false with waivers.noUsernsRemap keeps them in use)")}\n`,
            ]);
        });

        it("says nothing when the daemon is remapped already, or has nothing", () => {
            assert.deepEqual(call(fake('["name=apparmor","name=userns"]', 2, 1)), [0, ""]);
            assert.deepEqual(call(fake('["name=apparmor"]', 0, 0)), [0, ""]);
        });
    });

    describe("daemon_find_dockerd", () => {
        it("takes the binary from the packaged unit's ExecStart", () => {
            writeFileSync(
                `${dir}/docker.service`,
                "[Service]\nExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n",
            );
            writeFileSync(`${dir}/dockerd`, "#!/bin/sh\n", { mode: 0o755 });
            const unit = `${dir}/docker.service`;
            assert.deepEqual(
                call(
                    `systemctl() { printf '%s\\n' "${unit}"; }\nsed -i "s|/usr/sbin/dockerd|${dir}/dockerd|" "${unit}"\ndaemon_find_dockerd\necho "$daemon_dockerd"`,
                ),
                [0, `${dir}/dockerd\n`],
            );
        });

        it("fails when there is no dockerd", () => {
            assert.deepEqual(
                call(
                    `systemctl() { return 1; }\ncommand() { [ "$2" != dockerd ] && builtin command "$@"; }\ndaemon_find_dockerd`,
                ),
                [1, `${log("error: dockerd is not installed (HardenedHost's engine step installs it)")}\n`],
            );
        });
    });

    describe("daemon_units_check", () => {
        const show = (argv: string) =>
            `systemctl() { printf '%s\\n' '{ path=/usr/sbin/dockerd ; argv[]=${argv} ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }'; }\ndaemon_dockerd=/usr/sbin/dockerd`;

        it("accepts the drop-in's ExecStart", () => {
            assert.deepEqual(
                call(
                    `${show("/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock")}\ndaemon_units_check && echo ok`,
                ),
                [0, "ok\n"],
            );
        });

        it("refuses an ExecStart that another drop-in set", () => {
            assert.deepEqual(
                call(
                    `${show("/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock")}\ndaemon_units_check || echo "$daemon_failure"`,
                ),
                [
                    0,
                    'after systemctl daemon-reload, docker.service does not run "/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock" (does another drop-in set ExecStart?): { path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n',
                ],
            );
        });
    });

    describe("daemon_validate with a dockerd that has --validate (23.0 and later)", () => {
        const FAKE = [
            "#!/bin/bash",
            'if [ "$1" = --help ]; then echo "      --validate    Validate daemon configuration and exit"; exit 0; fi',
            'if [ "$1" = --validate ] && [ "$2" = --config-file ]; then',
            '    if grep -q foo "$3"; then echo "unable to configure the Docker daemon with file $3: the following directives don\'t match any configuration option: foo" >&2; exit 1; fi',
            '    echo "configuration OK"; exit 0',
            "fi",
            "exit 2",
            "",
        ].join("\n");

        it("passes a candidate dockerd accepts, without a trial run", () => {
            writeFileSync(`${dir}/dockerd`, FAKE, { mode: 0o755 });
            writeFileSync(`${dir}/ok.json`, '{"icc": false}\n');
            assert.deepEqual(
                call(
                    `daemon_dockerd=${dir}/dockerd\ndaemon_trial() { echo "trial"; }\ndaemon_validate ${dir}/ok.json && echo valid`,
                ),
                [0, "valid\n"],
            );
        });

        it("refuses, with dockerd's words, a candidate dockerd refuses", () => {
            writeFileSync(`${dir}/dockerd`, FAKE, { mode: 0o755 });
            writeFileSync(`${dir}/bad.json`, '{"foo": 1}\n');
            assert.deepEqual(call(`daemon_dockerd=${dir}/dockerd\ndaemon_validate ${dir}/bad.json`), [
                1,
                `${log(`error: dockerd --validate refuses the new daemon.json; nothing was installed: unable to configure the Docker daemon with file ${dir}/bad.json: the following directives don't match any configuration option: foo`)}\n`,
            ]);
        });

        it("refuses a candidate that is not a JSON object, before asking dockerd", () => {
            writeFileSync(`${dir}/list.json`, "[]\n");
            writeFileSync(`${dir}/broken.json`, '{"icc": false,\n');
            assert.deepEqual(call(`daemon_dockerd=/bin/false\ndaemon_validate ${dir}/list.json`), [
                1,
                `${log("error: the new daemon.json is not a JSON object; nothing was installed: not an object")}\n`,
            ]);
            const [status, out] = call(`daemon_dockerd=/bin/false\ndaemon_validate ${dir}/broken.json`);
            assert.equal(status, 1);
            assert.match(
                out,
                // jq's own words, which differ between versions.
                /^hardened-docker\[daemon-config\]: error: the new daemon.json is not a JSON object; nothing was installed: .*Unfinished JSON term at EOF at line 2, column 0\n$/,
            );
        });
    });

    describe("daemon_reason", () => {
        for (const [title, input, reason] of [
            [
                "takes dockerd's last words",
                'time="x" level=info msg="Starting up"\ntime="x" level=info msg="more"\nfailed to start daemon: error initializing graphdriver: prerequisites for driver not satisfied (wrong filesystem?)\n',
                "failed to start daemon: error initializing graphdriver: prerequisites for driver not satisfied (wrong filesystem?)",
            ],
            [
                "else its errors",
                'time="x" level=info msg="Starting up"\ntime="x" level=error msg="bad thing"\ntime="x" level=info msg="later"\n',
                'time="x" level=error msg="bad thing"',
            ],
            [
                "else its last lines",
                'time="1" level=info msg="a"\ntime="2" level=info msg="b"\n',
                'time="1" level=info msg="a"\ntime="2" level=info msg="b"',
            ],
            ["or says that it said nothing", "", "(nothing logged)"],
        ]) {
            it(title, () => {
                writeFileSync(`${dir}/log`, input);
                assert.deepEqual(call(`daemon_reason <${dir}/log`), [0, reason]);
            });
        }
    });

    describe("daemon_subid", () => {
        it("gives dockremap the first 65536 ids after every range in the file", () => {
            writeFileSync(`${dir}/subuid`, "alice:100000:65536\nbob:165536:65536\n");
            assert.deepEqual(call(`usermod() { echo "usermod $*"; }\ndaemon_subid ${dir}/subuid --add-subuids`), [
                0,
                `usermod --add-subuids 231072-296607 dockremap\n${log(`changed: ${dir}/subuid: dockremap gets 231072-296607`)}\n`,
            ]);
        });

        it("starts at 100000 in an empty or missing file, and leaves dockremap's range alone", () => {
            writeFileSync(`${dir}/subgid`, "");
            writeFileSync(`${dir}/mine`, "dockremap:300000:65536\n");
            assert.deepEqual(
                call(
                    `usermod() { echo "usermod $*"; }\ndaemon_subid ${dir}/subgid --add-subgids\ndaemon_subid ${dir}/missing --add-subgids\ndaemon_subid ${dir}/mine --add-subgids`,
                ),
                [
                    0,
                    [
                        "usermod --add-subgids 100000-165535 dockremap",
                        log(`changed: ${dir}/subgid: dockremap gets 100000-165535`),
                        "usermod --add-subgids 100000-165535 dockremap",
                        log(`changed: ${dir}/missing: dockremap gets 100000-165535`),
                        "",
                    ].join("\n"),
                ],
            );
        });
    });

    describe("daemon_effective", () => {
        const info = (line: string) => `daemon_docker() { printf '%s\\n' '${line}'; }\n`;
        const SECCOMP = '{"defaultAction":"SCMP_ACT_ERRNO"}';
        for (const [title, line, args, out] of [
            [
                "accepts the defaults: syslog, live restore, a remapped data root, the default profile",
                "syslog|true|/var/lib/docker/100000.100000|false|name=seccomp,profile=default name=userns ",
                MINIMAL,
                "",
            ],
            [
                "accepts Docker 23's name of the default profile",
                "syslog|true|/var/lib/docker/231072.231072|false|name=apparmor name=seccomp,profile=builtin name=userns name=cgroupns ",
                MINIMAL,
                "",
            ],
            [
                "accepts a custom profile and no remapping",
                "journald|false|/var/lib/docker|false|name=seccomp,profile=/etc/docker/seccomp.json ",
                {
                    logDriver: "journald",
                    usernsRemap: false,
                    liveRestore: false,
                    seccompProfile: SECCOMP,
                    waivers: {
                        ...MINIMAL.waivers,
                        noUsernsRemap: { reason: "a CI runner host" },
                        noLiveRestore: { reason: "a swarm manager host" },
                    },
                },
                "",
            ],
            [
                "refuses the wrong log driver",
                "json-file|true|/var/lib/docker/100000.100000|false|name=userns ",
                MINIMAL,
                "its log driver is json-file, not syslog",
            ],
            [
                "refuses live restore off",
                "syslog|false|/var/lib/docker/100000.100000|false|name=userns ",
                MINIMAL,
                "live restore is false, not true",
            ],
            [
                "refuses experimental features",
                "syslog|true|/var/lib/docker/100000.100000|true|name=userns ",
                MINIMAL,
                "experimental features are on",
            ],
            [
                "refuses a daemon without remapping",
                "syslog|true|/var/lib/docker|false|name=seccomp,profile=default ",
                MINIMAL,
                "user namespaces are not remapped (data root /var/lib/docker, security options: name=seccomp,profile=default)",
            ],
            [
                "refuses remapping that was not asked for",
                "journald|false|/var/lib/docker/100000.100000|false|name=userns ",
                {
                    logDriver: "journald",
                    usernsRemap: false,
                    liveRestore: false,
                    waivers: {
                        ...MINIMAL.waivers,
                        noUsernsRemap: { reason: "a CI runner host" },
                        noLiveRestore: { reason: "a swarm manager host" },
                    },
                },
                "its data root is /var/lib/docker/100000.100000, not /var/lib/docker without remapping",
            ],
            [
                "refuses another seccomp profile",
                "syslog|true|/var/lib/docker/100000.100000|false|name=seccomp,profile=unconfined name=userns ",
                MINIMAL,
                "its seccomp profile is unconfined, not default",
            ],
        ] as const) {
            it(title, () => {
                const [status, output] = call(`${info(line)}daemon_effective`, args as DaemonConfigArgs);
                assert.deepEqual([status, output], [out === "" ? 0 : 1, out]);
            });
        }

        it("says so when docker info fails", () => {
            assert.deepEqual(
                call(
                    "daemon_docker() { echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; return 1; }\ndaemon_effective",
                ),
                [1, "docker info fails: Cannot connect to the Docker daemon at unix:///var/run/docker.sock."],
            );
        });
    });
});
