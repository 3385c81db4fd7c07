// The daemon-config script against a real dockerd 20.10 (Debian's docker.io), as root, in a
// private mount namespace: /etc is a copy, and tmpfs hides /run and /var/lib/docker, so the
// machine's own dockerd, its socket and its data are out of reach. "docker.service" is a
// throwaway dockerd that the script restarts through its daemon_restart function: socket-activated
// by systemd-socket-activate (as docker.socket does) on a socket in the test's directory, in its
// own network namespace, with its own data and exec roots, reading /etc/docker/daemon.json from
// the private /etc, and given the packaged unit's -H fd:// unless the script's drop-in is there.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import {
    DAEMON_CONFIG_MAIN,
    type DaemonConfigArgs,
    renderDaemonConfig,
    renderDaemonDropIn,
    renderDaemonJson,
    validateDaemonConfigArgs,
} from "../../../../components/daemon/config";
import {
    CA_PEM,
    CLIENT_CERT_PEM,
    CLIENT_KEY_PEM,
    CTX,
    MINIMAL,
    OTHER_KEY_PEM,
    SERVER_CERT_PEM,
    SERVER_KEY_PEM,
} from "./fixtures";

const DOCKERD = "/usr/sbin/dockerd";
const log = (line: string) => `hardened-docker[daemon-config]: ${line}`;
const TLS: DaemonConfigArgs = {
    ...MINIMAL,
    tls: {
        listenAddress: "127.0.0.1:2376",
        caCertificate: CA_PEM,
        serverCertificate: SERVER_CERT_PEM,
        serverKey: SERVER_KEY_PEM,
    },
};

/** A deny-by-default profile: enough for dockerd to read; no container runs under it here. */
const SECCOMP: DaemonConfigArgs = {
    ...TLS,
    seccompProfile: JSON.stringify({
        defaultAction: "SCMP_ACT_ERRNO",
        syscalls: [{ names: ["read", "write", "exit_group"], action: "SCMP_ACT_ALLOW" }],
    }),
};

function daemonJson(args: DaemonConfigArgs): string {
    return renderDaemonJson(validateDaemonConfigArgs(args, CTX));
}

/** The docker.service stand-in; `W` is the test's directory. */
function service(dir: string): string {
    return `
W=${dir}
svc_running() {
    local p
    p=$(cat "$W/svc.pid" 2>/dev/null || true)
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}
svc_stop() {
    local p i c
    p=$(cat "$W/svc.pid" 2>/dev/null || true)
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        kill -TERM "$p"
        for ((i = 0; i < 300; i++)); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$p" 2>/dev/null || true
    fi
    c=$(cat "$W/exec/containerd/containerd.pid" 2>/dev/null || true)
    if [ -n "$c" ] && grep -qF "$W/exec/" "/proc/$c/cmdline" 2>/dev/null; then
        kill -KILL "$c" 2>/dev/null || true
    fi
    rm -f "$W/svc.pid"
}
svc_start() {
    local host=()
    svc_stop
    if [ ! -f /etc/systemd/system/docker.service.d/hardened-docker.conf ]; then
        host=(-H fd://)
    fi
    rm -f "$W/docker.sock"
    : >"$W/dockerd.log"
    systemd-socket-activate -l "$W/docker.sock" -- unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ \\
        ${DOCKERD} "\${host[@]}" --data-root "$W/data" --exec-root "$W/exec" --pidfile "$W/dockerd.pid" \\
        </dev/null >>"$W/dockerd.log" 2>&1 &
    echo "$!" >"$W/svc.pid"
}
svc_wait() {
    local i
    for ((i = 0; i < 300; i++)); do
        if timeout 10 docker -H "unix://$W/docker.sock" version >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "the stand-in dockerd did not answer" >&2
    return 1
}
`;
}

/** The script's functions pointed at the stand-in, then `tail`. */
function withTail(script: string, dir: string, tail: string): string {
    const last = `\n${DAEMON_CONFIG_MAIN}\n`;
    assert.ok(script.endsWith(last));
    return [
        script.slice(0, -DAEMON_CONFIG_MAIN.length - 1),
        `source ${dir}/svc.sh`,
        "daemon_systemd() { return 0; }",
        `daemon_dockerd=${DOCKERD}`,
        `daemon_expect_root=${dir}/data`,
        `daemon_units_reload() { echo daemon-reload >>"${dir}/units.log"; }`,
        "daemon_units_check() { return 0; }",
        "daemon_running() { svc_running; }",
        "daemon_restart() { svc_start; }",
        `daemon_docker() { timeout 20 docker -H "unix://${dir}/docker.sock" "$@"; }`,
        // systemd-socket-activate's own lines are no part of a journal.
        `daemon_journal() { grep -v -e "^Listening on " -e "^Communication attempt on fd" -e "^Execing " "${dir}/dockerd.log"; }`,
        tail,
        "",
    ].join("\n");
}

describe("the daemon-config script with a real dockerd 20.10 (private namespaces)", function () {
    this.timeout(300000);
    let dir = "";

    before(function () {
        const has = (cmd: string, args: string[]) => spawnSync(cmd, args).status === 0;
        const why =
            process.getuid?.() !== 0
                ? "root"
                : !has(DOCKERD, ["--version"])
                  ? `${DOCKERD} (apt-get install docker.io)`
                  : !has("jq", ["--version"])
                    ? "jq"
                    : !has("systemd-socket-activate", ["--version"])
                      ? "systemd-socket-activate (apt-get install systemd)"
                      : !has("unshare", ["--mount", "--net", "true"])
                        ? "unshare --mount --net (a privileged environment)"
                        : undefined;
        if (why !== undefined) {
            if (process.env.REQUIRE_TOOLS === "1") {
                throw new Error(`the daemon-config script tests need ${why}`);
            }
            this.skip();
        }
    });

    beforeEach(() => {
        dir = mkdtempSync("/tmp/hd-dc-");
        // The remapped root must traverse to its data root, as it can to /var/lib/docker.
        chmodSync(dir, 0o711);
        writeFileSync(`${dir}/svc.sh`, service(dir));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Runs, in one private namespace, each item in turn: a script (its exit status and output are
     * returned, in order) or `{ shell }`, run as it is. `after` runs last, to collect results; the
     * stand-in dockerd is stopped at the end whatever happens.
     */
    function session(items: (string | { shell: string })[], after = ""): [number, string][] {
        const lines = [
            "set -euo pipefail",
            `W=${dir}`,
            'cp -a /etc "$W/etc"',
            'mount --bind "$W/etc" /etc',
            // The machine's dockerd: its socket, exec root, containerd and data stay out of reach.
            "mount -t tmpfs tmpfs /run",
            "mount -t tmpfs tmpfs /var/lib/docker",
            'source "$W/svc.sh"',
            "trap svc_stop EXIT",
        ];
        let n = 0;
        for (const item of items) {
            if (typeof item === "string") {
                writeFileSync(`${dir}/step-${n}.sh`, item);
                lines.push(`rc=0; bash -s <"$W/step-${n}.sh" >"$W/out-${n}" 2>&1 || rc=$?; echo "$rc" >"$W/rc-${n}"`);
                n++;
            } else {
                lines.push(item.shell);
            }
        }
        lines.push(after);
        const r = spawnSync("unshare", ["--mount", "bash", "-c", lines.join("\n")], {
            encoding: "utf8",
            timeout: 280000,
        });
        const outputs = () =>
            [...Array(n).keys()]
                .map((i) => {
                    try {
                        return `--- step ${i}:\n${readFileSync(`${dir}/out-${i}`, "utf8")}`;
                    } catch {
                        return `--- step ${i}: did not run`;
                    }
                })
                .join("\n");
        assert.equal(r.status, 0, `${r.stdout}${r.stderr}\n${outputs()}`);
        const left = spawnSync("sh", ["-c", `ps -eo args | grep -F -e "${dir}/" -e /trial/ | grep -v grep || true`], {
            encoding: "utf8",
        });
        assert.equal(left.stdout, "", "no dockerd or containerd is left running");
        return [...Array(n).keys()].map((i) => [
            Number(readFileSync(`${dir}/rc-${i}`, "utf8")),
            readFileSync(`${dir}/out-${i}`, "utf8"),
        ]);
    }

    /** The whole step, pointed at the stand-in. */
    function step(args: DaemonConfigArgs, tail = ""): string {
        const script = renderDaemonConfig(validateDaemonConfigArgs(args, CTX), CTX).script;
        return withTail(script, dir, `${tail}\n${DAEMON_CONFIG_MAIN}`);
    }

    /** The script's functions, then `tail`. */
    function functions(tail: string): string {
        return withTail(renderDaemonConfig(validateDaemonConfigArgs(TLS, CTX), CTX).script, dir, tail);
    }

    const START = { shell: "svc_start; svc_wait" };
    const INFO = `timeout 20 docker -H "unix://$W/docker.sock" info --format '{{.LoggingDriver}} {{.LiveRestoreEnabled}} {{.Driver}} {{.DockerRootDir}} {{.SecurityOptions}}' >"$W/info.txt"`;

    describe("daemon_validate: a trial dockerd", () => {
        /** daemon_validate on `candidate`, with the TLS files staged (the good key, or `key`). */
        function validate(candidate: string, key = SERVER_KEY_PEM): [number, string] {
            writeFileSync(`${dir}/candidate.json`, candidate);
            writeFileSync(`${dir}/ca.pem`, CA_PEM);
            writeFileSync(`${dir}/server-cert.pem`, SERVER_CERT_PEM);
            writeFileSync(`${dir}/server-key.pem`, key);
            return session([
                functions(
                    [
                        'cp "$W/ca.pem" "$W/server-cert.pem" "$W/server-key.pem" "$HD_TMP/"',
                        "daemon_userns >/dev/null",
                        'daemon_validate "$W/candidate.json"',
                    ].join("\n"),
                ),
            ])[0];
        }
        const REFUSED =
            "hardened-docker\\[daemon-config\\]: error: dockerd refuses the new daemon.json \\(a trial dockerd in private namespaces; nothing was installed\\): ";

        it("accepts the default daemon.json", () => {
            assert.deepEqual(validate(daemonJson(MINIMAL)), [0, ""]);
        });

        it("accepts daemon.json with TLS, loading the staged CA, certificate and key", () => {
            assert.deepEqual(validate(daemonJson(TLS)), [0, ""]);
        });

        it("refuses an unknown key, in dockerd's words", () => {
            const [status, out] = validate(daemonJson({ ...MINIMAL, extra: { "no-such-option": true } }));
            assert.equal(status, 1);
            assert.match(
                out,
                new RegExp(
                    `^${REFUSED}unable to configure the Docker daemon with file /tmp/hd-trial\\.[A-Za-z0-9]+/daemon\\.json: the following directives don't match any configuration option: no-such-option\\n$`,
                ),
            );
        });

        it("refuses a value of the wrong type, in dockerd's words", () => {
            const [status, out] = validate(daemonJson(MINIMAL).replace('"icc": false', '"icc": "no"'));
            assert.equal(status, 1);
            assert.match(
                out,
                new RegExp(
                    `^${REFUSED}unable to configure the Docker daemon with file /tmp/hd-trial\\.[A-Za-z0-9]+/daemon\\.json: json: cannot unmarshal string into Go struct field Config\\.icc of type bool\\n$`,
                ),
            );
        });

        it("refuses a value dockerd cannot use", () => {
            const [status, out] = validate(daemonJson(MINIMAL).replace('"log-level": "info"', '"log-level": "loud"'));
            assert.deepEqual(
                [status, out.replace(/^hardened-docker.*\): /, "")],
                [1, "unable to parse logging level: loud\n"],
            );
        });

        it("refuses a key that does not match the certificate", () => {
            const [status, out] = validate(daemonJson(TLS), OTHER_KEY_PEM);
            assert.equal(status, 1);
            assert.match(
                out,
                new RegExp(
                    `^${REFUSED}failed to create API server: Error reading X509 key pair \\(cert: "/tmp/[^"]+/server-cert\\.pem", key: "/tmp/[^"]+/server-key\\.pem"\\): tls: private key does not match public key\\. Make sure the key is not encrypted\\.\\n$`,
                ),
            );
        });
    });

    describe("the whole step", () => {
        const DEFAULTS_FIRST_RUN = [
            log("changed: created the system user dockremap (userns-remap)"),
            log("changed: /etc/subuid: dockremap gets 100000-165535"),
            log("changed: /etc/subgid: dockremap gets 100000-165535"),
            log("changed: /etc/docker/daemon.json"),
            log("changed: /etc/systemd/system/docker.service.d/hardened-docker.conf"),
            log("changed: restarted docker.service"),
            "",
        ].join("\n");

        it("installs, restarts dockerd with it, changes nothing the second time, and starts a stopped dockerd", () => {
            const after = [
                INFO,
                `stat -c '%a %U:%G %n' /etc/docker/daemon.json /etc/systemd/system/docker.service.d/hardened-docker.conf >"$W/modes.txt"`,
                'cp /etc/docker/daemon.json "$W/daemon.json.txt"',
                'cp /etc/systemd/system/docker.service.d/hardened-docker.conf "$W/dropin.txt"',
                'ls /etc/docker >"$W/etc-docker.txt"',
            ].join("\n");
            const results = session([START, step(MINIMAL), step(MINIMAL), { shell: "svc_stop" }, step(MINIMAL)], after);
            assert.deepEqual(results, [
                [0, DEFAULTS_FIRST_RUN],
                [0, ""],
                [
                    0,
                    `${log("changed: restarted docker.service, which did not run with the installed files: it was stopped")}\n`,
                ],
            ]);
            assert.equal(readFileSync(`${dir}/daemon.json.txt`, "utf8"), daemonJson(MINIMAL));
            assert.equal(readFileSync(`${dir}/dropin.txt`, "utf8"), renderDaemonDropIn(DOCKERD));
            assert.equal(
                readFileSync(`${dir}/modes.txt`, "utf8"),
                "644 root:root /etc/docker/daemon.json\n644 root:root /etc/systemd/system/docker.service.d/hardened-docker.conf\n",
            );
            // Nothing to keep: there was no daemon.json before.
            assert.equal(readFileSync(`${dir}/etc-docker.txt`, "utf8"), "daemon.json\nkey.json\n");
            assert.equal(readFileSync(`${dir}/units.log`, "utf8"), "daemon-reload\n");
            assert.equal(
                readFileSync(`${dir}/info.txt`, "utf8"),
                `syslog true overlay2 ${dir}/data/100000.100000 [name=seccomp,profile=default name=userns]\n`,
            );
        });

        it("installs the TLS files with CIS modes and a seccomp profile; the socket then wants a client certificate; and removes them again", () => {
            writeFileSync(`${dir}/ca.pem`, CA_PEM);
            writeFileSync(`${dir}/client-cert.pem`, CLIENT_CERT_PEM);
            writeFileSync(`${dir}/client-key.pem`, CLIENT_KEY_PEM);
            const client = (certs: string) =>
                `nsenter --net=/proc/$(cat "$W/svc.pid")/ns/net timeout 20 docker -H tcp://127.0.0.1:2376 --tlsverify --tlscacert "$W/ca.pem" ${certs} version --format '{{.Server.Version}}'`;
            const probe = [
                `stat -c '%a %U:%G %n' /etc/docker/tls/* /etc/docker/seccomp.json >"$W/modes.txt"`,
                INFO.replace("info.txt", "info-tls.txt"),
                `${client('--tlscert "$W/client-cert.pem" --tlskey "$W/client-key.pem"')} >"$W/with-cert.txt" 2>&1 || true`,
                `${client("")} >"$W/without-cert.txt" 2>&1 && echo "answered" >>"$W/without-cert.txt" || true`,
            ].join("\n");
            const results = session([START, step(SECCOMP), { shell: probe }, step(MINIMAL)], INFO);
            assert.deepEqual(results, [
                [
                    0,
                    [
                        log("changed: created the system user dockremap (userns-remap)"),
                        log("changed: /etc/subuid: dockremap gets 100000-165535"),
                        log("changed: /etc/subgid: dockremap gets 100000-165535"),
                        log("changed: /etc/docker/tls/ca.pem"),
                        log("changed: /etc/docker/tls/server-cert.pem"),
                        log("changed: /etc/docker/tls/server-key.pem"),
                        log("changed: /etc/docker/seccomp.json"),
                        log("changed: /etc/docker/daemon.json"),
                        log("changed: /etc/systemd/system/docker.service.d/hardened-docker.conf"),
                        log("changed: restarted docker.service"),
                        "",
                    ].join("\n"),
                ],
                [
                    0,
                    [
                        log("changed: /etc/docker/daemon.json"),
                        log("changed: removed /etc/docker/tls/ca.pem"),
                        log("changed: removed /etc/docker/tls/server-cert.pem"),
                        log("changed: removed /etc/docker/tls/server-key.pem"),
                        log("changed: removed /etc/docker/seccomp.json"),
                        log("changed: restarted docker.service"),
                        "",
                    ].join("\n"),
                ],
            ]);
            assert.equal(
                readFileSync(`${dir}/modes.txt`, "utf8"),
                [
                    "444 root:root /etc/docker/tls/ca.pem",
                    "444 root:root /etc/docker/tls/server-cert.pem",
                    "400 root:root /etc/docker/tls/server-key.pem",
                    "644 root:root /etc/docker/seccomp.json",
                    "",
                ].join("\n"),
            );
            assert.equal(readFileSync(`${dir}/with-cert.txt`, "utf8"), "20.10.24+dfsg1\n");
            assert.equal(
                readFileSync(`${dir}/info-tls.txt`, "utf8"),
                `syslog true overlay2 ${dir}/data/100000.100000 [name=seccomp,profile=/etc/docker/seccomp.json name=userns]\n`,
            );
            assert.equal(
                readFileSync(`${dir}/info.txt`, "utf8"),
                `syslog true overlay2 ${dir}/data/100000.100000 [name=seccomp,profile=default name=userns]\n`,
            );
            const without = readFileSync(`${dir}/without-cert.txt`, "utf8");
            assert.ok(!without.includes("answered"), without);
            // The server asked for a client certificate and got none.
            assert.match(without, /remote error: tls: bad certificate/);
        });

        it("rolls back when dockerd does not come back, and says why", () => {
            const after = [
                INFO,
                'cp /etc/docker/daemon.json "$W/daemon.json.txt"',
                'cp /etc/docker/daemon.json.hd-previous "$W/previous.txt"',
            ].join("\n");
            // The trial runs vfs and passes; the real start needs btrfs under the data root.
            const results = session([START, step(MINIMAL), step({ ...MINIMAL, storageDriver: "btrfs" })], after);
            assert.deepEqual(results, [
                [0, DEFAULTS_FIRST_RUN],
                [
                    1,
                    [
                        log("changed: /etc/docker/daemon.json"),
                        log(
                            "error: dockerd did not come back with the new configuration (dockerd stopped), so the previous files are restored and dockerd runs with them again; dockerd said: failed to start daemon: error initializing graphdriver: prerequisites for driver not satisfied (wrong filesystem?)",
                        ),
                        "",
                    ].join("\n"),
                ],
            ]);
            assert.equal(readFileSync(`${dir}/daemon.json.txt`, "utf8"), daemonJson(MINIMAL));
            assert.equal(readFileSync(`${dir}/previous.txt`, "utf8"), daemonJson(MINIMAL));
            assert.equal(
                readFileSync(`${dir}/info.txt`, "utf8"),
                `syslog true overlay2 ${dir}/data/100000.100000 [name=seccomp,profile=default name=userns]\n`,
            );
        });

        it("rolls back when the restart command fails, and restores a file that was absent by removing it", () => {
            const failing = [
                "daemon_restart() {",
                '    if grep -qs \'"log-level": "warn"\' /etc/docker/daemon.json; then',
                `        echo "Job for docker.service failed because the control process exited with error code." >>"$W/dockerd.log"`,
                "        return 1",
                "    fi",
                "    svc_start",
                "}",
            ].join("\n");
            const after = [
                INFO,
                'ls /etc/docker >"$W/etc-docker.txt"',
                'ls /etc/systemd/system/docker.service.d >"$W/dropins.txt" 2>&1 || true',
            ].join("\n");
            const results = session([START, step({ ...MINIMAL, logLevel: "warn" }, failing)], after);
            assert.deepEqual(results, [
                [
                    1,
                    [
                        log("changed: created the system user dockremap (userns-remap)"),
                        log("changed: /etc/subuid: dockremap gets 100000-165535"),
                        log("changed: /etc/subgid: dockremap gets 100000-165535"),
                        log("changed: /etc/docker/daemon.json"),
                        log("changed: /etc/systemd/system/docker.service.d/hardened-docker.conf"),
                        log(
                            "error: dockerd did not come back with the new configuration (systemctl restart docker.service failed), so the previous files are restored and dockerd runs with them again; dockerd said: Job for docker.service failed because the control process exited with error code.",
                        ),
                        "",
                    ].join("\n"),
                ],
            ]);
            // Back to the host as it was: no daemon.json, no drop-in, dockerd with its defaults.
            assert.equal(readFileSync(`${dir}/etc-docker.txt`, "utf8"), "key.json\n");
            assert.equal(readFileSync(`${dir}/dropins.txt`, "utf8"), "");
            assert.equal(
                readFileSync(`${dir}/info.txt`, "utf8").split(" ").slice(0, 3).join(" "),
                "json-file false overlay2",
            );
        });
    });
});
