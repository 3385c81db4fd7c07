import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { renderPidsLimitScript } from "../../../components/container";
import { planDaemon, type DockerDaemonArgs } from "../../../components/daemon";
import { planHost, STEP_ORDER, waitForPortScript, type HardenedHostArgs } from "../../../components/host";
import { renderDataVolume, validateDataVolumeArgs } from "../../../components/host/dataVolume";
import { embedFile, prelude } from "../../../components/host/shell";
import {
    findDaemonJson,
    UNKNOWN,
    type CommandScripts,
    type DaemonJsonWrite,
} from "../../../policy-pack/lib/daemonJson";
import { CA_PEM, SERVER_CERT_PEM, SERVER_KEY_PEM } from "../../components/daemon/config/fixtures";

const P = "/etc/docker/daemon.json";
const RUN_AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then exec /bin/bash -s; else exec sudo -n /bin/bash -s; fi';

function daemonArgs(config: DockerDaemonArgs["config"] = {}): DockerDaemonArgs {
    return {
        connection: { host: "192.0.2.10", user: "admin", privateKey: "KEY" },
        dockerEndpoint: "ssh://admin@192.0.2.10:22",
        config: {
            syslogAddress: "tcp+tls://logs.example.com:6514",
            waivers: { noAuthorizationPlugin: { reason: "no authorization plugin is packaged for Debian" } },
            ...config,
        },
    };
}

function parsed(obj: Record<string, unknown>, ...fields: DaemonJsonWrite["fields"]): DaemonJsonWrite {
    return {
        fields: fields.length === 0 ? ["create"] : fields,
        removed: false,
        content: { kind: "parsed", parsed: obj },
    };
}

function unreadable(reason: string, ...fields: DaemonJsonWrite["fields"]): DaemonJsonWrite {
    return {
        fields: fields.length === 0 ? ["create"] : fields,
        removed: false,
        content: { kind: "unreadable", reason },
    };
}

const ICC = '{"icc": true, "log-driver": "journald"}';
const ICC_OBJ = { icc: true, "log-driver": "journald" };

/** [title, command fields, the writes]: every way of writing that the pack reads. */
const READABLE: [string, CommandScripts, DaemonJsonWrite[]][] = [
    ["a quoted here-document", { create: `cat > ${P} <<'EOF'\n${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    ["a double-quoted delimiter", { create: `cat > ${P} <<"EOF"\n${ICC}\nEOF` }, [parsed(ICC_OBJ)]],
    ["an unquoted here-document without $", { create: `cat >${P} <<EOF\n${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    ["a here-document before the redirection", { create: `cat <<'EOF' >${P}\n${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    ["<<- with tabs", { create: `if true; then\n\tcat > ${P} <<-EOF\n\t${ICC}\n\tEOF\nfi\n` }, [parsed(ICC_OBJ)]],
    ["sudo tee", { create: `sudo tee ${P} >/dev/null <<'EOF'\n${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    ["a pipe into sudo tee", { create: `cat <<'EOF' | sudo -n tee ${P}\n${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    ["echo", { create: `echo '${ICC}' > ${P} && systemctl restart docker` }, [parsed(ICC_OBJ)]],
    [
        "echo with escaped double quotes",
        { create: `echo "{\\"icc\\": false}" | sudo tee ${P}` },
        [parsed({ icc: false })],
    ],
    ["printf %s", { create: `printf '%s\\n' '${ICC}' > ${P}` }, [parsed(ICC_OBJ)]],
    ["printf with escapes", { create: `printf '{\\n  "icc": false\\n}\\n' >${P}` }, [parsed({ icc: false })]],
    ["sudo sh -c", { create: `sudo sh -c 'echo "{\\"icc\\": true}" > ${P}'` }, [parsed({ icc: true })]],
    [
        "bash -c fed by a here-document",
        { create: `sudo bash -c 'cat > ${P}' <<'EOF'\n${ICC}\nEOF\n` },
        [parsed(ICC_OBJ)],
    ],
    [
        "a script in a here-document",
        { create: `sudo bash <<'SCRIPT'\nset -e\ncat > ${P} <<'JSON'\n${ICC}\nJSON\nSCRIPT\n` },
        [parsed(ICC_OBJ)],
    ],
    [
        "tee reading the command's stdin",
        { create: `sudo tee ${P} > /dev/null`, stdin: ICC },
        [parsed(ICC_OBJ, "stdin")],
    ],
    [
        "a script on stdin (RUN_AS_ROOT)",
        { create: RUN_AS_ROOT, stdin: `#!/bin/bash\nset -eu\necho '${ICC}' >${P}\n` },
        [parsed(ICC_OBJ, "stdin")],
    ],
    ["a variable", { create: `F=${P}\necho '${ICC}' > "$F"` }, [parsed(ICC_OBJ)]],
    [
        "a directory variable set later in the text",
        { create: `write() { cat > "$DIR/daemon.json" <<'EOF'\n${ICC}\nEOF\n}\nDIR=/etc/docker\nwrite` },
        [parsed(ICC_OBJ)],
    ],
    [
        "a default value",
        { create: `echo '${ICC}' > "\${TARGET:-${P}}"` },
        [unreadable(`it writes to "\${TARGET:-${P}}", which may be ${P}`)],
    ],
    ["cd /etc/docker", { create: `cd /etc/docker && printf '%s' '${ICC}' > ./daemon.json` }, [parsed(ICC_OBJ)]],
    ["a path written oddly", { create: `echo '${ICC}' > "/etc/docker/"./daemon.json` }, [parsed(ICC_OBJ)]],
    ["a doubled slash", { create: `echo '${ICC}' > /etc//docker/daemon.json` }, [parsed(ICC_OBJ)]],
    ["a here-string", { create: `tee ${P} <<< '${ICC}'` }, [parsed(ICC_OBJ)]],
    [
        "install from /dev/stdin",
        { create: `install -m 0644 -o root -g root /dev/stdin ${P} <<'EOF'\n${ICC}\nEOF\n` },
        [parsed(ICC_OBJ)],
    ],
    [
        "ssh to the host",
        { create: `ssh -p 22 admin@192.0.2.10 "sudo tee ${P} >/dev/null" <<'EOF'\n${ICC}\nEOF\n` },
        [parsed(ICC_OBJ)],
    ],
    ["su -c", { create: `su root -c "echo '{}' > ${P}"` }, [parsed({})]],
    ["a trap", { create: `trap "echo '{}' > ${P}" EXIT` }, [parsed({})]],
    ["eval of literal text", { create: `eval "echo '{}' > ${P}"` }, [parsed({})]],
    ["an empty file", { create: `: > ${P}` }, [parsed({})]],
    ["a byte order mark", { create: `cat > ${P} <<'EOF'\n\uFEFF${ICC}\nEOF\n` }, [parsed(ICC_OBJ)]],
    [
        "the same file from create and update",
        { create: `echo '${ICC}' > ${P}`, update: `echo '${ICC}' > ${P}` },
        [parsed(ICC_OBJ, "create", "update")],
    ],
    [
        "two different files",
        { create: `echo '{"icc": false}' > ${P}`, update: `echo '${ICC}' > ${P}` },
        [parsed({ icc: false }, "create"), parsed(ICC_OBJ, "update")],
    ],
    [
        "removal",
        { create: `rm -f ${P}` },
        [{ fields: ["create"], removed: true, content: { kind: "parsed", parsed: {} } }],
    ],
    ["removal, then a write", { create: `rm -f ${P}\necho '${ICC}' > ${P}` }, [parsed(ICC_OBJ)]],
    [
        "moving it away",
        { create: `mv ${P} /root/daemon.json.old` },
        [{ fields: ["create"], removed: true, content: { kind: "parsed", parsed: {} } }],
    ],
    [
        "removing its directory",
        { create: `sudo rm -rf /etc/docker && sudo systemctl restart docker` },
        [{ fields: ["create"], removed: true, content: { kind: "parsed", parsed: {} } }],
    ],
    ["sh -c with the path in $1", { create: `sudo sh -c 'cat > "$1"' _ ${P}`, stdin: ICC }, [parsed(ICC_OBJ, "stdin")]],
    [
        "sh -c with the path in ${0}",
        { create: `sh -c 'tee "\${0}" >/dev/null' ${P}`, stdin: ICC },
        [parsed(ICC_OBJ, "stdin")],
    ],
    [
        "a function given the path",
        { create: `put() {\n  cat > "$1" <<'EOF'\n${ICC}\nEOF\n}\nput ${P}` },
        [parsed(ICC_OBJ)],
    ],
    ["set -- and $1", { create: `set -- ${P}\necho '${ICC}' > "$1"` }, [parsed(ICC_OBJ)]],
    [
        "a path in the command's environment",
        { create: `echo '${ICC}' > "$F"`, environment: { F: P } },
        [parsed(ICC_OBJ)],
    ],
    [
        "a local command's directory",
        { create: `echo '${ICC}' > daemon.json`, dir: "/etc/docker", interpreter: ["/bin/sh", "-c"] },
        [parsed(ICC_OBJ)],
    ],
    ["sudo -D", { create: `echo '${ICC}' | sudo -D /etc/docker tee daemon.json` }, [parsed(ICC_OBJ)]],
    ["env -C", { create: `echo '${ICC}' | env -C /etc/docker tee ./daemon.json` }, [parsed(ICC_OBJ)]],
];

const COMPLIANT_TEXT = '{"icc": false, "log-driver": "journald"}';

/** A variable set to a compliant file, then changed in a way the pack does not follow, then written. */
const CHANGED_VARIABLE: [string, string][] = [
    ["IFS= read", `IFS= read -r J < /tmp/from-elsewhere.json`],
    ["while read", `while IFS= read -r J; do :; done < /tmp/x`],
    ["printf -v", `printf -v J '%s' '${ICC}'`],
    ["unset", `unset J`],
    ["readarray", `readarray -t J < /tmp/x`],
    ["mapfile", `mapfile J < /tmp/x`],
    ["getopts", `getopts ab J`],
    ["declare without a value", `declare J`],
    ["local without a value", `f() { local J; }`],
    ["a nameref", `declare -n R=J\nR='${ICC}'`],
    ["eval", `eval "$(cat /tmp/overrides)"`],
    [". file", `. /tmp/overrides.sh`],
    ["source file", `source /tmp/overrides.sh`],
    ["builtin read", `builtin read J`],
];

/** Writes the pack cannot read, with the reason it gives. */
const UNREADABLE: [string, CommandScripts, string][] = [
    [
        "an unquoted here-document with $",
        { create: `cat > ${P} <<EOF\n{"data-root": "$ROOT"}\nEOF\n` },
        'its here-document (<<EOF) is unquoted and expands "$" in its text',
    ],
    [
        "an unquoted here-document with $(...)",
        { create: `sudo tee ${P} <<EOF\n{"hosts": ["$(hostname)"]}\nEOF\n` },
        'its here-document (<<EOF) is unquoted and expands "$" in its text',
    ],
    [
        "a path from the host's environment",
        { create: `cat > "$DOCKER_CONFIG_FILE"`, stdin: ICC },
        `it writes to "$DOCKER_CONFIG_FILE", which may be ${P}`,
    ],
    [
        "a directory from the host's environment",
        { create: `sudo tee "\${CONF_DIR}/daemon.json" >/dev/null`, stdin: ICC },
        `it writes to "\${CONF_DIR}/daemon.json", which may be ${P}`,
    ],
    [
        "a function given a path from the host's environment",
        { create: `put() { cp /tmp/d.json "$1"; }\nput "$TARGET"` },
        `it writes to "$1", which may be ${P}`,
    ],
    [
        "sh -c given a path from the host's environment",
        { create: `sh -c 'echo "{}" > "$1"' sh "$TARGET"` },
        `it writes to "$1", which may be ${P}`,
    ],
    [
        "the path in the environment, and another path assigned",
        { create: `F=/tmp/x.json\necho '${ICC}' > "$F"`, environment: { F: P } },
        `it writes to "$F", which may be ${P}`,
    ],
    [
        "a directory's contents copied over its directory",
        { create: `sudo cp -r /tmp/dockercfg/. /etc/docker/` },
        `it writes to /etc/docker/, which may be ${P}`,
    ],
    [
        "a directory moved to its directory",
        { create: `mv /tmp/dockercfg /etc/docker` },
        `it writes to /etc/docker, which may be ${P}`,
    ],
    [
        "a directory copied as its directory",
        { create: `cp -a /srv/docker /etc/` },
        `it writes to /etc/, which may be ${P}`,
    ],
    [
        "an unquoted here-document with backquotes",
        { create: `cat > ${P} <<EOF\n{"labels": ["\`hostname\`"]}\nEOF\n` },
        'its here-document (<<EOF) is unquoted and expands "`" in its text',
    ],
    ["a copy", { create: `cp /tmp/daemon.json ${P}` }, "cp copies /tmp/daemon.json over it"],
    ["a copy into the directory", { create: `sudo cp ./daemon.json /etc/docker/` }, "cp copies ./daemon.json over it"],
    ["a copy with -t", { create: `cp -t /etc/docker /srv/cfg/daemon.json` }, "cp copies /srv/cfg/daemon.json over it"],
    ["install", { create: `install -m 0644 /srv/daemon.json ${P}` }, "install installs /srv/daemon.json over it"],
    ["a move", { create: `jq '.icc = true' ${P} > /tmp/d && mv /tmp/d ${P}` }, "mv moves /tmp/d over it"],
    ["a link", { create: `ln -sf /srv/daemon.json ${P}` }, "ln replaces it with a link to /srv/daemon.json"],
    ["jq into it", { create: `jq -n '{icc: true}' > ${P}` }, "jq produces its content"],
    ["jq into sponge", { create: `jq '.icc = true' ${P} | sponge ${P}` }, "jq produces its content"],
    ["sed -i", { create: `sed -i 's/"icc": false/"icc": true/' ${P}` }, "sed edits it in place"],
    ["sed -i.bak", { create: `sudo sed -Ei.bak 's/false/true/' ${P}` }, "sed edits it in place"],
    ["perl -pi", { create: `perl -pi -e 's/false/true/' ${P}` }, "perl edits it in place"],
    ["an append", { create: `echo '{}' >> ${P}` }, "echo appends to it (>>)"],
    ["tee -a", { create: `echo '{}' | tee -a ${P}` }, "tee -a appends to it"],
    [
        "echo of a variable",
        { create: `echo "{\\"data-root\\": \\"$ROOT\\"}" > ${P}` },
        "echo's text expands a variable or a command",
    ],
    [
        "echo with a backslash",
        { create: `echo '{"labels": ["a\\\\nb"]}' > ${P}` },
        "echo's text has a backslash, which bash's echo and sh's echo read differently",
    ],
    ["invalid JSON", { create: `echo '{"icc": false,}' > ${P}` }, "its content is not valid JSON"],
    [
        "JSON whose quotes the shell reads away",
        { create: `sudo sh -c "echo '${ICC}' > ${P}"` },
        "its content is not valid JSON",
    ],
    ["a JSON array", { create: `echo '[]' > ${P}` }, "its content is JSON, but not an object"],
    [
        "python",
        { create: `python3 -c "import json; json.dump({'icc': True}, open('${P}', 'w'))"` },
        "python3 runs a program that names it",
    ],
    [
        "a command the pack does not know",
        { create: `render-daemon-config --out ${P}` },
        "render-daemon-config is given it, and the pack cannot tell whether render-daemon-config changes it",
    ],
    [
        "an option value",
        { create: `render-daemon-config --out=${P}` },
        "render-daemon-config is given it, and the pack cannot tell whether render-daemon-config changes it",
    ],
    [
        "a loop over paths",
        { create: `for f in ${P} /etc/docker/key.json; do cp /srv/x "$f"; done` },
        `it writes to "$f", which may be ${P}`,
    ],
    ["a glob", { create: `cp /srv/d.json /etc/docker/d*.json` }, `it writes to /etc/docker/d*.json, which may be ${P}`],
    ["curl", { create: `curl -fsSL -o ${P} https://config.example.com/daemon.json` }, "curl downloads it"],
    ["dd", { create: `dd if=/srv/d.json of=${P}` }, "dd writes it"],
    ["exec", { create: `exec > ${P}\necho '{}'` }, "exec sends the rest of the script's output into it"],
    [
        "a group",
        { create: `{ echo '{'; echo '"icc": true'; echo '}'; } > ${P}` },
        "a compound command (a loop, an if, a group or a subshell) produces its content",
    ],
    [
        "a loop",
        { create: `for k in a b; do echo "$k"; done > ${P}` },
        "a compound command (a loop, an if, a group or a subshell) produces its content",
    ],
    [
        "tee without stdin",
        { create: `sudo tee ${P}` },
        "it reads its content from standard input, and the command gives none",
    ],
    ["stderr", { create: `dockerd --validate 2> ${P}` }, "dockerd writes its file descriptor 2 into it"],
    ["cat of another file", { create: `cat /srv/daemon.json > ${P}` }, "cat copies /srv/daemon.json into it"],
    ["eval of a variable", { create: `eval "$WRITE_DAEMON_JSON > ${P}"` }, "eval runs text the pack cannot resolve"],
    [
        "text bash cannot parse",
        { create: `echo "{} > ${P}` },
        "the pack cannot parse the script that names it (unterminated double quote)",
    ],
    [
        "python reading its program from a here-document",
        { create: `sudo python3 - <<'EOF'\nimport json\njson.dump({"icc": True}, open("${P}", "w"))\nEOF\n` },
        "python3 runs a program that names it",
    ],
    [
        "a non-shell interpreter",
        { create: `open('${P}', 'w').write('{}')`, interpreter: ["/usr/bin/python3", "-c"] },
        "its interpreter python3 runs a program that names it",
    ],
];

/** Commands that read the file, or write other files. */
const NONE: [string, CommandScripts][] = [
    ["cat", { create: `cat ${P}` }],
    ["jq", { create: `jq . ${P} >/dev/null` }],
    ["a backup copy", { create: `cp -p ${P} ${P}.bak` }],
    ["a backup by braces", { create: `cp ${P}{,.bak}` }],
    ["grep and test", { create: `test -f ${P} && grep -q '"icc": false' ${P} && echo ok` }],
    ["dockerd --validate", { create: `dockerd --validate --config-file ${P}` }],
    ["a message naming it", { create: `echo "wrote ${P}"; logger "changed ${P}"` }],
    ["another file in /etc/docker", { create: `cat > ${P}.bak <<'EOF'\n${ICC}\nEOF\n` }],
    ["a file elsewhere", { create: `cat > /tmp/daemon.json <<'EOF'\n${ICC}\nEOF\n` }],
    ["chmod and chown", { create: `chmod 0644 ${P} && chown root:root ${P}` }],
    ["docker itself", { create: "docker info --format '{{.LoggingDriver}}'" }],
    ["no fields", {}],
    ["unparsable text that names no daemon.json", { create: 'echo "unterminated' }],
    ["a copy of the file elsewhere", { create: `docker run --rm -v ${P}:/d.json:ro alpine cat /d.json` }],
    ["another file from the host's environment", { create: `cat > "$CONF_DIR/other.json"`, stdin: ICC }],
    ["$1 of sh -c bound to another file", { create: `sh -c 'cat > "$1"' _ /tmp/daemon.json`, stdin: ICC }],
    ["$1 outside a function", { create: `cat > "$1"`, stdin: ICC }],
    ["set -euo pipefail", { create: `set -euo pipefail\necho '${ICC}' > "$1"` }],
    ["a directory copied into another", { create: `cp -r /srv/certs.d /etc/docker/` }],
    ["a file moved elsewhere", { create: `mv /tmp/x /etc/docker.bak` }],
    ["rm -r of other directories", { create: `rm -rf /etc/docker.d /etc/docker/certs.d` }],
    [
        "a variable the environment may set, while it is unknown during preview",
        { create: `cat > "$F"`, stdin: ICC, environment: UNKNOWN },
    ],
    [
        "a variable whose environment value is unknown during preview",
        { create: `cat > "$F"`, stdin: ICC, environment: { F: UNKNOWN } },
    ],
];

describe("findDaemonJson", () => {
    describe("reads a generic command's daemon.json", () => {
        for (const [title, cmd, want] of READABLE) {
            it(title, () => assert.deepEqual(findDaemonJson(cmd), want));
        }
    });

    describe("calls a write it cannot read unreadable, with the reason", () => {
        for (const [title, cmd, reason] of UNREADABLE) {
            it(title, () => assert.deepEqual(findDaemonJson(cmd), [unreadable(reason)]));
        }
    });

    describe("finds no write in a command that only reads the file or writes others", () => {
        for (const [title, cmd] of NONE) {
            it(title, () => assert.deepEqual(findDaemonJson(cmd), []));
        }
    });

    describe("a variable changed in a way the pack does not follow is not its old value", () => {
        for (const [title, change] of CHANGED_VARIABLE) {
            it(title, () => {
                const create = `J='${COMPLIANT_TEXT}'\n${change}\necho "$J" > ${P}`;
                assert.deepEqual(findDaemonJson({ create }), [
                    unreadable("echo's text expands a variable or a command"),
                ]);
            });
        }

        it("an unchanged one is its value", () => {
            assert.deepEqual(findDaemonJson({ create: `J='${COMPLIANT_TEXT}'\nexport J\necho "$J" > ${P}` }), [
                parsed(JSON.parse(COMPLIANT_TEXT) as Record<string, unknown>),
            ]);
        });

        it("a path variable changed by source is only maybe the path", () => {
            assert.deepEqual(findDaemonJson({ create: `F=${P}\n. /tmp/env.sh\necho '${ICC}' > "$F"` }), [
                unreadable(`it writes to "$F", which may be ${P}`),
            ]);
        });
    });

    describe("values unknown during preview", () => {
        it("an unknown stdin is no content at all, not an unreadable one", () => {
            assert.deepEqual(findDaemonJson({ create: `sudo tee ${P}`, stdin: UNKNOWN }), []);
            assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: UNKNOWN }), []);
        });

        it("an unknown field is skipped, the known ones are read", () => {
            assert.deepEqual(findDaemonJson({ create: UNKNOWN, update: `echo '${ICC}' > ${P}` }), [
                parsed(ICC_OBJ, "update"),
            ]);
        });

        it("an unknown interpreter skips create and update", () => {
            assert.deepEqual(findDaemonJson({ create: `echo '${ICC}' > ${P}`, interpreter: UNKNOWN }), []);
        });
    });

    describe("hardened-docker's daemon-config step", () => {
        it("reads the embedded daemon.json, exactly as the component rendered it", () => {
            const plan = planDaemon(daemonArgs());
            assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: plan.steps[0].script }), [
                parsed(JSON.parse(plan.daemonJson) as Record<string, unknown>, "stdin"),
            ]);
        });

        it("with TLS (a secret script) and a seccomp profile too", () => {
            const plan = planDaemon(
                daemonArgs({
                    tls: {
                        listenAddress: "192.0.2.10:2376",
                        caCertificate: CA_PEM,
                        serverCertificate: SERVER_CERT_PEM,
                        serverKey: SERVER_KEY_PEM,
                    },
                    seccompProfile: JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [] }),
                }),
            );
            const writes = findDaemonJson({ create: RUN_AS_ROOT, stdin: plan.steps[0].script });
            assert.deepEqual(writes, [parsed(JSON.parse(plan.daemonJson) as Record<string, unknown>, "stdin")]);
            const json = (writes[0].content as { parsed: Record<string, unknown> }).parsed;
            assert.deepEqual(json.hosts, ["fd://", "tcp://192.0.2.10:2376"]);
            assert.equal(json.tlsverify, true);
        });

        it("finds nothing in the daemon-files step, nor in any HardenedHost step", () => {
            const plan = planDaemon(daemonArgs());
            assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: plan.steps[1].script }), []);
            const host = planHost({
                target: { kind: "ssh", address: "192.0.2.10", user: "admin", privateKey: "K", dataDevice: "/dev/vdb" },
                firewall: { adminCidrs: ["203.0.113.0/24"], publishedPorts: [] },
                logging: { remote: { host: "logs.example.net", port: 514, protocol: "tcp" } },
                dockerGroup: { trustedUsers: ["deploy"] },
            });
            assert.equal(host.steps.length > 5, true);
            for (const step of host.steps) {
                assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: step.script }), [], step.id);
            }
        });

        it("a write appended to the step is read besides the embedded file", () => {
            const plan = planDaemon(daemonArgs());
            const stdin = `${plan.steps[0].script}echo '${ICC}' >/etc/docker/daemon.json\n`;
            assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin }), [
                parsed(ICC_OBJ, "stdin"),
                parsed(JSON.parse(plan.daemonJson) as Record<string, unknown>, "stdin"),
            ]);
        });

        it("a step that installs another staged file at the path is unreadable", () => {
            const script = planDaemon(daemonArgs()).steps[0].script.replace(
                "daemon_srcs=(daemon.json docker.service.conf)",
                "daemon_srcs=(docker.service.conf daemon.json)",
            );
            assert.deepEqual(findDaemonJson({ stdin: script }), [
                unreadable("its daemon-config step installs another file than its embedded daemon.json there", "stdin"),
            ]);
        });

        it("a step whose embedded daemon.json is gone is unreadable", () => {
            const script = planDaemon(daemonArgs()).steps[0].script.replace(
                /cat >"\$HD_TMP\/daemon.json" <<'(HD_EOF_[0-9a-f]+)'\n[\s\S]*?\n\1\n/,
                "",
            );
            assert.deepEqual(findDaemonJson({ stdin: script }), [
                unreadable("its daemon-config step embeds no daemon.json", "stdin"),
            ]);
        });

        it("a step whose staged file is changed after it is embedded is unreadable", () => {
            const script = planDaemon(daemonArgs()).steps[0].script.replace(
                '    daemon_validate "$HD_TMP/daemon.json"',
                `    jq '.icc = true' "$HD_TMP/daemon.json" | sponge "$HD_TMP/daemon.json"\n    daemon_validate "$HD_TMP/daemon.json"`,
            );
            const json = JSON.parse(planDaemon(daemonArgs()).daemonJson) as Record<string, unknown>;
            assert.deepEqual(findDaemonJson({ stdin: script }), [
                parsed(json, "stdin"),
                unreadable("jq produces its content", "stdin"),
            ]);
        });
    });

    describe("every script the components render", () => {
        /** Each command's fields as the components create them, with what the pack should find. */
        function rendered(): [string, CommandScripts, DaemonJsonWrite[]][] {
            const out: [string, CommandScripts, DaemonJsonWrite[]][] = [];
            const tls = {
                listenAddress: "192.0.2.10:2376",
                caCertificate: CA_PEM,
                serverCertificate: SERVER_CERT_PEM,
                serverKey: SERVER_KEY_PEM,
            };
            const configs: DockerDaemonArgs["config"][] = [
                {},
                { tls },
                {
                    tls,
                    usernsRemap: "dockuser:dockgroup",
                    extra: { "registry-mirrors": ["https://mirror.example.net"] },
                },
            ];
            for (const config of configs) {
                const plan = planDaemon(daemonArgs(config));
                const json = JSON.parse(plan.daemonJson) as Record<string, unknown>;
                for (const step of plan.steps) {
                    out.push([
                        `daemon ${Object.keys(config ?? {}).join(",")} ${step.id}`,
                        { create: RUN_AS_ROOT, stdin: step.script },
                        step.id === "daemon-config" ? [parsed(json, "stdin")] : [],
                    ]);
                }
            }
            const targets: HardenedHostArgs["target"][] = [
                { kind: "ssh", address: "192.0.2.10", user: "admin", privateKey: "K", dataDevice: "/dev/vdb" },
                { kind: "aws", subnetId: "subnet-1", vpcId: "vpc-1", publicKey: "ssh-ed25519 AAAA x", privateKey: "K" },
            ];
            for (const target of targets) {
                for (const extra of [{}, { sshPort: 2222, dataRoot: "/srv/docker" }]) {
                    const host = planHost({
                        target,
                        firewall: {
                            adminCidrs: ["203.0.113.0/24"],
                            publishedPorts: [{ port: 8080, sources: ["198.51.100.0/24"] }],
                        },
                        logging: { remote: { host: "logs.example.net", port: 514, protocol: "tcp" } },
                        dockerGroup: { trustedUsers: ["deploy"] },
                        ...extra,
                    });
                    const steps = [...host.steps];
                    for (const device of [{ path: "/dev/vdb" }, { awsVolumeId: "vol-0123456789abcdef0" }]) {
                        steps.push(
                            renderDataVolume(
                                validateDataVolumeArgs({ ...host.dataVolume, device }, host.ctx),
                                host.ctx,
                            ),
                        );
                    }
                    assert.deepEqual([...new Set(steps.map((s) => s.id))].sort(), [...STEP_ORDER].sort());
                    for (const step of steps) {
                        out.push([
                            `host ${target.kind} ${Object.keys(extra).join(",")} ${step.id}`,
                            { create: RUN_AS_ROOT, stdin: step.script },
                            [],
                        ]);
                    }
                }
            }
            for (const access of ["ssh", "local"] as const) {
                const create = renderPidsLimitScript(64, access);
                out.push([`pids-limit ${access}`, { create, stdin: "0123abcd" }, []]);
                out.push([`pids-limit ${access}, in preview`, { create, stdin: UNKNOWN, environment: UNKNOWN }, []]);
                out.push([
                    `pids-limit ${access}, DOCKER_HOST`,
                    { create, environment: { DOCKER_HOST: "ssh://a@h" } },
                    [],
                ]);
            }
            out.push([
                "wait for ssh",
                { create: waitForPortScript(600), environment: { HD_HOST: "192.0.2.10", HD_PORT: "22" } },
                [],
            ]);
            return out;
        }

        it("finds the daemon-config step's own daemon.json and nothing else, with variables from the host's environment", () => {
            const scripts = rendered();
            assert.equal(scripts.length, 3 * 2 + 2 * 2 * (STEP_ORDER.length + 1) + 7);
            for (const [title, cmd, want] of scripts) {
                assert.deepEqual(findDaemonJson(cmd), want, title);
            }
        });
    });

    describe("properties", () => {
        const jsonObject = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 });

        /** A daemon-config step around embedFile's here-document, as render.ts lays it out. */
        function step(content: string): string {
            return [
                prelude("daemon-config"),
                "daemon_srcs=(daemon.json docker.service.conf)",
                `daemon_dests=(${P} /etc/systemd/system/docker.service.d/hardened-docker.conf)`,
                "main() {",
                embedFile("daemon.json", content),
                '    hd_install_file "$HD_TMP/daemon.json" "${daemon_dests[0]}" 0644 root:root',
                "}",
                "main",
                "",
            ].join("\n");
        }

        it("any JSON object embedded by embedFile round-trips, with or without a final newline", () => {
            fc.assert(
                fc.property(jsonObject, fc.boolean(), fc.nat(4), (obj, newline, indent) => {
                    const content = JSON.stringify(obj, null, indent) + (newline ? "\n" : "");
                    assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: step(content) }), [
                        parsed(JSON.parse(content) as Record<string, unknown>, "stdin"),
                    ]);
                }),
                { numRuns: 200 },
            );
        });

        it("any extra keys DockerDaemon accepts reach the pack as rendered", () => {
            const key = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/);
            fc.assert(
                fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 4 }), (extra) => {
                    const plan = planDaemon(
                        daemonArgs({ extra: JSON.parse(JSON.stringify(extra)) as Record<string, unknown> }),
                    );
                    assert.deepEqual(findDaemonJson({ create: RUN_AS_ROOT, stdin: plan.steps[0].script }), [
                        parsed(JSON.parse(plan.daemonJson) as Record<string, unknown>, "stdin"),
                    ]);
                }),
                { numRuns: 50 },
            );
        });

        it("any JSON object in a quoted here-document or a printf argument round-trips", () => {
            const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
            fc.assert(
                fc.property(jsonObject, fc.nat(4), (obj, indent) => {
                    const json = JSON.stringify(obj, null, indent);
                    const want = [parsed(JSON.parse(json) as Record<string, unknown>)];
                    assert.deepEqual(findDaemonJson({ create: `sudo tee ${P} <<'EOF'\n${json}\nEOF\n` }), want);
                    assert.deepEqual(findDaemonJson({ create: `printf '%s\\n' ${quote(json)} >${P}` }), want);
                }),
                { numRuns: 200 },
            );
        });

        it("never throws, whatever the text", () => {
            const token = fc.constantFrom(
                "cat",
                "echo",
                " ",
                "\n",
                "'",
                '"',
                "\\",
                "$",
                "$(",
                ")",
                "(",
                "`",
                "{",
                "}",
                "<<",
                "<<-",
                "<<<",
                ">",
                ">>",
                "|",
                ";",
                "&&",
                "EOF",
                "\tEOF",
                "=",
                "f",
                "${f}",
                "[",
                "*",
                P,
                "/etc/docker",
                "daemon.json",
                "tee",
                "sh -c",
                "cp",
                "for",
                "in",
                "do",
                "done",
                "#",
            );
            fc.assert(
                fc.property(fc.array(token, { maxLength: 40 }), fc.string(), (tokens, noise) => {
                    const text = tokens.join("");
                    findDaemonJson({ create: text, stdin: noise });
                    findDaemonJson({ create: RUN_AS_ROOT, stdin: text });
                }),
                { numRuns: 500 },
            );
        });
    });
});
