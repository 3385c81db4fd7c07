// Runs the whole daemon-files script, as root, in a private mount namespace (unshare) with copies of
// /etc, the dpkg database and the packaged unit directory, and an empty /run: a tree of Docker's
// files with wrong owners and modes is fixed in place, the real dpkg-statoverride records its
// overrides in the copied database, and a real dpkg upgrade of a test package shows them applied.
// Needs root, unshare --mount, perl (to make the sockets), dpkg and containerd.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { renderDaemonFiles, renderSocketDropIn, validateDaemonFilesArgs } from "../../../../components/daemon/files";
import { CTX } from "./render.test";

const log = (line: string) => `hardened-docker[daemon-files]: ${line}`;
const changed = (line: string) => log(`changed: ${line}`);
const DROP_IN = "/etc/systemd/system/docker.socket.d/50-hardened-docker.conf";
const CERTS = "/etc/docker/certs.d/registry.example:5000";
const override = (o: string, path: string) =>
    changed(`dpkg's stat override "root root ${o} ${path}" keeps it through upgrades`);

function script(tls = false): string {
    return renderDaemonFiles(validateDaemonFilesArgs({ tls }), CTX).script;
}

function have(cmd: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** The namespace: copies of /etc, the dpkg database and the unit directory; an empty /run. */
const SETUP = `
set -euo pipefail
real_statoverride=$(command -v dpkg-statoverride)
cp -a /etc "$W/etc"
mount --bind "$W/etc" /etc
cp -a /var/lib/dpkg "$W/dpkg"
mount --bind "$W/dpkg" /var/lib/dpkg
mkdir "$W/units"
cp -a /usr/lib/systemd/system/docker.service /usr/lib/systemd/system/docker.socket "$W/units/"
mount --bind "$W/units" /usr/lib/systemd/system
mount -t tmpfs tmpfs /run
mkdir "$W/bin"
printf '#!/bin/bash\\nprintf "%%s\\\\n" "$*" >>"$W/statoverride.log"\\nexec %s "$@"\\n' "$real_statoverride" >"$W/bin/dpkg-statoverride"
chmod 0755 "$W/bin/dpkg-statoverride"
export PATH="$W/bin:$PATH"
getent group docker >/dev/null || groupadd -r docker
rm -rf /etc/docker /etc/sysconfig /etc/systemd/system/docker.socket.d /etc/systemd/system/docker.service \\
    /etc/systemd/system/docker.socket
mkdir -m 0755 /etc/docker
mk() { mkdir -p "$(dirname "$1")"; printf 'x\\n' >"$1"; chown "$3" "$1"; chmod "$2" "$1"; }
sock() {
    mkdir -p "$(dirname "$1")"
    perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die "$ARGV[0]: $!\\n"' "$1"
    chown "$3" "$1"
    chmod "$2" "$1"
}
snapshot() {
    find /etc/docker /etc/sysconfig /etc/default/docker /etc/systemd/system /run /usr/lib/systemd/system /etc/shadow \\
        -printf '%u:%g %m %p\\n' 2>/dev/null | sort >"$W/$1"
    "$real_statoverride" --list | sort >>"$W/$1"
}
`;

/** Docker's files with wrong owners and modes, a few already stricter than the benchmark. */
const WRONG_TREE = `
chown nobody:nogroup /lib/systemd/system/docker.service
chmod 0664 /lib/systemd/system/docker.service
chmod 0600 /lib/systemd/system/docker.socket
ln -s /dev/null /etc/systemd/system/docker.service
chown root:docker /etc/docker
chmod 2775 /etc/docker
mkdir -p "${CERTS}/sub"
mk "${CERTS}/ca.crt" 0644 root:root
mk "${CERTS}/client.cert" 0444 nobody:nogroup
mk "${CERTS}/client.key" 0400 root:root
mk /etc/docker/tls/ca.pem 0644 root:root
mk /etc/docker/tls/server-cert.pem 0444 root:root
mk /etc/docker/tls/server-key.pem 0600 root:root
mk /etc/docker/daemon.json 0600 root:root
chmod 0666 /etc/default/docker
mk /etc/sysconfig/docker 0640 root:docker
sock /run/docker.sock 0666 root:root
sock /run/containerd/containerd.sock 0666 root:root
`;

const STATE = `
stat -c '%U:%G %a %n' /lib/systemd/system/docker.service /lib/systemd/system/docker.socket /etc/docker \\
    "${CERTS}"/* /etc/docker/tls/* /var/run/docker.sock /etc/docker/daemon.json /etc/default/docker \\
    /etc/sysconfig/docker /run/containerd/containerd.sock ${DROP_IN} >"$W/state.txt"
"$real_statoverride" --list | grep docker | sort >"$W/overrides.txt"
cp ${DROP_IN} "$W/dropin.txt"
`;

describe("the daemon-files script in a private namespace (real dpkg, containerd and files)", function () {
    this.timeout(120000);
    let dir = "";

    before(function () {
        const why =
            process.getuid?.() !== 0
                ? "root"
                : !have("dpkg-statoverride") || !have("dpkg-deb") || !have("perl")
                  ? "dpkg and perl"
                  : !have("containerd")
                    ? "containerd (apt-get install containerd)"
                    : spawnSync("unshare", ["--mount", "--net", "true"]).status !== 0
                      ? "unshare --mount --net (a privileged environment)"
                      : !existsSync("/usr/lib/systemd/system/docker.service")
                        ? "Debian's docker.io (apt-get install docker.io)"
                        : undefined;
        if (why !== undefined) {
            if (process.env.REQUIRE_TOOLS === "1") {
                throw new Error(`the daemon-files script tests need ${why}`);
            }
            this.skip();
        }
    });

    beforeEach(() => {
        dir = mkdtempSync("/tmp/hd-daemon-files-");
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    const read = (name: string) => readFileSync(`${dir}/${name}`, "utf8");

    /**
     * Runs, in one namespace, each item in turn: a script (its exit status, output and the
     * dpkg-statoverride calls it made are returned, in order) or `{ shell }`, run as it is.
     */
    function runs(items: (string | { shell: string })[], after = ""): [number, string, string][] {
        const lines = [`export W=${dir}`, SETUP];
        let n = 0;
        for (const item of items) {
            if (typeof item === "string") {
                writeFileSync(`${dir}/step-${n}.sh`, item);
                lines.push(
                    `rc=0; bash -s <"$W/step-${n}.sh" >"$W/out-${n}" 2>&1 || rc=$?; echo "$rc" >"$W/rc-${n}"`,
                    `touch "$W/statoverride.log"; mv "$W/statoverride.log" "$W/so-${n}"`,
                );
                n++;
            } else {
                lines.push(item.shell);
            }
        }
        lines.push(after);
        // A network namespace of its own too: a throwaway dockerd started with --bridge=none removes
        // the docker0 bridge of whatever network namespace it runs in, and must never reach the host's.
        const r = spawnSync("unshare", ["--mount", "--net", "bash", "-c", lines.join("\n")], { encoding: "utf8" });
        assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
        return [...Array(n).keys()].map((i) => [Number(read(`rc-${i}`)), read(`out-${i}`), read(`so-${i}`)]);
    }

    const LIST = [
        "--list /lib/systemd/system/docker.service",
        "--list /lib/systemd/system/docker.socket",
        "--list /etc/docker",
        "--list /etc/default/docker",
    ];

    it("fixes every wrong owner and mode, keeps the stricter ones, adds the overrides; the second run is silent", () => {
        const results = runs([{ shell: WRONG_TREE }, script(true), script(true)], STATE);
        assert.deepEqual(results, [
            [
                0,
                [
                    changed(DROP_IN),
                    changed("/lib/systemd/system/docker.service owner nobody:nogroup -> root:root (CIS 3.1)"),
                    changed("/lib/systemd/system/docker.service mode 0664 -> 0644 (CIS 3.2)"),
                    override("0644", "/lib/systemd/system/docker.service"),
                    override("0600", "/lib/systemd/system/docker.socket"),
                    changed("/etc/docker owner root:docker -> root:root (CIS 3.5)"),
                    changed("/etc/docker mode 2775 -> 0755 (CIS 3.6)"),
                    override("0755", "/etc/docker"),
                    changed(`${CERTS}/ca.crt mode 0644 -> 0444 (CIS 3.8)`),
                    changed(`${CERTS}/client.cert owner nobody:nogroup -> root:root (CIS 3.7)`),
                    changed("/etc/docker/tls/ca.pem mode 0644 -> 0444 (CIS 3.10)"),
                    changed("/etc/docker/tls/server-key.pem mode 0600 -> 0400 (CIS 3.14)"),
                    changed("/var/run/docker.sock owner root:root -> root:docker (CIS 3.15)"),
                    changed("/var/run/docker.sock mode 0666 -> 0660 (CIS 3.16)"),
                    changed("/etc/default/docker mode 0666 -> 0644 (CIS 3.20)"),
                    override("0644", "/etc/default/docker"),
                    changed("/etc/sysconfig/docker owner root:docker -> root:root (CIS 3.21)"),
                    changed("/run/containerd/containerd.sock mode 0666 -> 0660 (CIS 3.24)"),
                    "",
                ].join("\n"),
                [
                    "--list /lib/systemd/system/docker.service",
                    "--update --add root root 0644 /lib/systemd/system/docker.service",
                    "--list /lib/systemd/system/docker.socket",
                    "--update --add root root 0600 /lib/systemd/system/docker.socket",
                    "--list /etc/docker",
                    "--update --add root root 0755 /etc/docker",
                    "--list /etc/default/docker",
                    "--update --add root root 0644 /etc/default/docker",
                    ...LIST,
                    "",
                ].join("\n"),
            ],
            [0, "", [...LIST, ...LIST, ""].join("\n")],
        ]);
        assert.equal(
            read("state.txt"),
            [
                "root:root 644 /lib/systemd/system/docker.service",
                "root:root 600 /lib/systemd/system/docker.socket",
                "root:root 755 /etc/docker",
                `root:root 444 ${CERTS}/ca.crt`,
                `root:root 444 ${CERTS}/client.cert`,
                `root:root 400 ${CERTS}/client.key`,
                // A directory among the certificates is left as it is.
                `root:docker 2755 ${CERTS}/sub`,
                "root:root 444 /etc/docker/tls/ca.pem",
                "root:root 444 /etc/docker/tls/server-cert.pem",
                "root:root 400 /etc/docker/tls/server-key.pem",
                "root:docker 660 /var/run/docker.sock",
                "root:root 600 /etc/docker/daemon.json",
                "root:root 644 /etc/default/docker",
                "root:root 640 /etc/sysconfig/docker",
                "root:root 660 /run/containerd/containerd.sock",
                `root:root 644 ${DROP_IN}`,
                "",
            ].join("\n"),
        );
        assert.equal(
            read("overrides.txt"),
            [
                "root root 600 /lib/systemd/system/docker.socket",
                "root root 644 /etc/default/docker",
                "root root 644 /lib/systemd/system/docker.service",
                "root root 755 /etc/docker",
                "",
            ].join("\n"),
        );
        assert.equal(read("dropin.txt"), renderSocketDropIn());
    });

    it("replaces a looser dpkg override and keeps a stricter one", () => {
        const pre = {
            shell: [
                '"$real_statoverride" --add root root 0664 /etc/default/docker',
                '"$real_statoverride" --add root docker 0644 /etc/docker',
                '"$real_statoverride" --add root root 0640 /lib/systemd/system/docker.socket',
            ].join("\n"),
        };
        const after = `"$real_statoverride" --list | grep docker | sort >"$W/overrides.txt"`;
        const [[rc, out, calls], second] = runs([pre, script(), script()], after);
        assert.deepEqual(
            [rc, out],
            [
                0,
                [
                    changed(DROP_IN),
                    override("0644", "/lib/systemd/system/docker.service"),
                    changed(`removed dpkg's stat override "root docker 644 /etc/docker"`),
                    override("0755", "/etc/docker"),
                    changed(`removed dpkg's stat override "root root 664 /etc/default/docker"`),
                    override("0644", "/etc/default/docker"),
                    "",
                ].join("\n"),
            ],
        );
        assert.deepEqual(
            calls.split("\n").filter((c) => !c.startsWith("--list")),
            [
                "--update --add root root 0644 /lib/systemd/system/docker.service",
                "--remove /etc/docker",
                "--update --add root root 0755 /etc/docker",
                "--remove /etc/default/docker",
                "--update --add root root 0644 /etc/default/docker",
                "",
            ],
        );
        assert.deepEqual(second, [0, "", [...LIST, ...LIST, ""].join("\n")]);
        assert.equal(
            read("overrides.txt"),
            [
                "root root 640 /lib/systemd/system/docker.socket",
                "root root 644 /etc/default/docker",
                "root root 644 /lib/systemd/system/docker.service",
                "root root 755 /etc/docker",
                "",
            ].join("\n"),
        );
    });

    it("keeps the mode through a real dpkg upgrade of the package that owns the file", () => {
        // A test package that installs /etc/sysconfig/docker world-writable, version 1 then 2.
        const build = (version: number) =>
            [
                `rm -rf "$W/pkg"; mkdir -p "$W/pkg/DEBIAN" "$W/pkg/etc/sysconfig"`,
                `printf 'Package: hd-test-sysconfig\\nVersion: ${version}\\nArchitecture: all\\nMaintainer: test <test@example.com>\\nDescription: test\\n' >"$W/pkg/DEBIAN/control"`,
                `printf 'DOCKER_OPTS=${version}\\n' >"$W/pkg/etc/sysconfig/docker"`,
                `chmod 0666 "$W/pkg/etc/sysconfig/docker"`,
                `dpkg-deb --root-owner-group --build "$W/pkg" "$W/v${version}.deb" >/dev/null`,
                `dpkg --log="$W/dpkg.log" -i "$W/v${version}.deb" >/dev/null`,
                `stat -c '%U:%G %a %n' /etc/sysconfig/docker >>"$W/upgrade.txt"`,
            ].join("\n");
        const results = runs(
            [{ shell: build(1) }, script(), { shell: build(2) }, script()],
            'cat /etc/sysconfig/docker >"$W/content.txt"',
        );
        assert.deepEqual(
            results.map(([rc, out]) => [rc, out.split("\n").filter((l) => l.includes("/etc/sysconfig/docker"))]),
            [
                [
                    0,
                    [
                        changed("/etc/sysconfig/docker mode 0666 -> 0644 (CIS 3.22)"),
                        override("0644", "/etc/sysconfig/docker"),
                    ],
                ],
                [0, []],
            ],
        );
        assert.equal(results[1][1], "");
        // Installed 0666 as packaged; upgraded, the new file has the override's mode.
        assert.equal(read("upgrade.txt"), "root:root 666 /etc/sysconfig/docker\nroot:root 644 /etc/sysconfig/docker\n");
        assert.equal(read("content.txt"), "DOCKER_OPTS=2\n");
    });

    it("with systemd, reloads it once for the drop-in and checks what docker.socket will create", () => {
        const systemd = {
            shell: [
                "mkdir -p /run/systemd/system",
                'echo 0660 >"$W/socket-mode"',
                `cat >"$W/bin/systemctl" <<'EOF'`,
                "#!/bin/bash",
                'printf "%s\\n" "$*" >>"$W/systemctl.log"',
                'case "$*" in',
                '    "daemon-reload") ;;',
                '    "show --value -p LoadState docker.socket") echo loaded ;;',
                '    "show --value -p SocketUser docker.socket") echo root ;;',
                '    "show --value -p SocketGroup docker.socket") echo docker ;;',
                '    "show --value -p SocketMode docker.socket") cat "$W/socket-mode" ;;',
                '    *) echo "unexpected systemctl $*" >&2; exit 1 ;;',
                "esac",
                "EOF",
                'chmod 0755 "$W/bin/systemctl"',
            ].join("\n"),
        };
        const SHOW = [
            "show --value -p LoadState docker.socket",
            "show --value -p SocketUser docker.socket",
            "show --value -p SocketGroup docker.socket",
            "show --value -p SocketMode docker.socket",
        ];
        // A later drop-in of someone else's makes the socket world-writable at the next start.
        const loosened = { shell: 'echo 0666 >"$W/socket-mode"' };
        const results = runs([systemd, script(), script(), loosened, script()], "");
        assert.deepEqual(
            results.map(([rc, out]) => [rc, out]),
            [
                [
                    0,
                    [
                        changed(DROP_IN),
                        changed(`reloaded systemd's units for ${DROP_IN}`),
                        override("0644", "/lib/systemd/system/docker.service"),
                        override("0644", "/lib/systemd/system/docker.socket"),
                        override("0755", "/etc/docker"),
                        override("0644", "/etc/default/docker"),
                        "",
                    ].join("\n"),
                ],
                [0, ""],
                [
                    1,
                    `${log(`error: not as CIS section 3 expects: docker.socket creates the socket root:docker 0666, expected root:docker 0660 or stricter (CIS 3.15, 3.16): a drop-in sorting after ${DROP_IN} overrides it`)}\n`,
                ],
            ],
        );
        assert.equal(read("systemctl.log"), ["daemon-reload", ...SHOW, ...SHOW, ...SHOW, ""].join("\n"));
    });

    it("fixes the live sockets of a running dockerd and containerd in place: both keep answering, unrestarted", () => {
        // Throwaway daemons with their own state under $W, listening in the namespace's own /run.
        const start = {
            shell: [
                `cat >"$W/containerd.toml" <<EOF`,
                "version = 2",
                'root = "$W/containerd-root"',
                'state = "$W/containerd-state"',
                'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
                "[grpc]",
                '  address = "/run/containerd/containerd.sock"',
                "[ttrpc]",
                '  address = "/run/containerd/containerd.sock.ttrpc"',
                "EOF",
                "echo '{}' >\"$W/daemon.json\"",
                'containerd -c "$W/containerd.toml" >"$W/containerd.log" 2>&1 &',
                "cpid=$!",
                "dpid=",
                "trap 'kill $dpid $cpid 2>/dev/null; wait' EXIT",
                "for _ in $(seq 100); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.1; done",
                'dockerd --data-root "$W/docker-data" --exec-root "$W/docker-exec" --pidfile "$W/dockerd.pid" \\',
                '    -H unix:///run/docker.sock --config-file "$W/daemon.json" --containerd /run/containerd/containerd.sock \\',
                '    --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs >"$W/dockerd.log" 2>&1 &',
                "dpid=$!",
                "answers() {",
                "    /usr/bin/docker -H unix:///run/docker.sock version --format '{{.Server.Version}}' >/dev/null 2>&1 &&",
                "        ctr --address /run/containerd/containerd.sock version >/dev/null 2>&1",
                "}",
                "for _ in $(seq 300); do answers && break; sleep 0.1; done",
                "stat -c '%U:%G %a %n' /var/run/docker.sock /run/containerd/containerd.sock >\"$W/created.txt\"",
                "chown root:root /var/run/docker.sock",
                "chmod 0666 /var/run/docker.sock /run/containerd/containerd.sock",
            ].join("\n"),
        };
        const after = [
            'if answers; then echo answering; fi >"$W/answers.txt"',
            'if kill -0 "$dpid" "$cpid"; then echo "same processes"; fi >>"$W/answers.txt"',
            "stat -c '%U:%G %a %n' /var/run/docker.sock /run/containerd/containerd.sock >\"$W/fixed.txt\"",
        ].join("\n");
        const results = runs([start, script(), script()], after);
        // What the daemons make by themselves, which the rules match.
        assert.equal(
            read("created.txt"),
            "root:docker 660 /var/run/docker.sock\nroot:root 660 /run/containerd/containerd.sock\n",
        );
        assert.deepEqual(
            results.map(([rc, out]) => [rc, out.split("\n").filter((l) => l.includes(".sock "))]),
            [
                [
                    0,
                    [
                        changed("/var/run/docker.sock owner root:root -> root:docker (CIS 3.15)"),
                        changed("/var/run/docker.sock mode 0666 -> 0660 (CIS 3.16)"),
                        changed("/run/containerd/containerd.sock mode 0666 -> 0660 (CIS 3.24)"),
                    ],
                ],
                [0, []],
            ],
        );
        assert.equal(results[1][1], "");
        assert.equal(read("answers.txt"), "answering\nsame processes\n");
        assert.equal(read("fixed.txt"), read("created.txt"));
    });

    // Each refusal comes before any change: the tree, the overrides and /etc/shadow stay as they were.
    const REFUSALS: [string, string, string, boolean][] = [
        [
            "a symbolic link among the registry certificates",
            `ln -s /etc/shadow "${CERTS}/evil.crt"`,
            `${CERTS}/evil.crt is a symbolic link to /etc/shadow: put the file itself there (CIS 3.7, 3.8); nothing was changed`,
            false,
        ],
        [
            "a directory where daemon.json belongs",
            "rm /etc/docker/daemon.json; mkdir /etc/docker/daemon.json",
            "/etc/docker/daemon.json is not a regular file (CIS 3.17, 3.18); nothing was changed",
            false,
        ],
        [
            "containerd configured to give its socket to another group",
            "printf '[grpc]\\n  gid = 105\\n' >>/etc/containerd/config.toml",
            "containerd's [grpc] section sets gid=105 uid=0, so containerd would make its socket owned by another user or group at its next start: remove uid and gid from [grpc] in /etc/containerd/config.toml (CIS 3.23); nothing was changed",
            false,
        ],
        [
            "no docker group",
            "groupdel docker",
            "the docker group does not exist, and /var/run/docker.sock is root:docker (CIS 3.15): the HardenedHost docker-group step creates it; nothing was changed",
            false,
        ],
        [
            "a missing server key when the daemon uses TLS",
            "rm /etc/docker/tls/server-key.pem",
            "/etc/docker/tls/server-key.pem does not exist, but the daemon uses TLS (tls: true): the daemon's configuration step installs it (CIS 3.9-3.14); nothing was changed",
            true,
        ],
    ];
    for (const [name, breakIt, message, tls] of REFUSALS) {
        it(`refuses ${name}, changing nothing`, () => {
            const results = runs(
                [{ shell: `${WRONG_TREE}\n${breakIt}\nsnapshot before.txt` }, script(tls)],
                "snapshot after.txt",
            );
            assert.deepEqual(results, [[1, `${log(`error: ${message}`)}\n`, ""]]);
            assert.equal(read("after.txt"), read("before.txt"));
            assert.match(read("before.txt"), /^root:shadow 640 \/etc\/shadow$/m);
        });
    }
});
