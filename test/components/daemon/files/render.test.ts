import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import {
    DAEMON_FILES_DEFAULTS,
    DAEMON_FILES_MAIN,
    DAEMON_FILE_RULES,
    type DaemonFileRule,
    daemonFilesCis,
    renderDaemonFiles,
    renderSocketDropIn,
    validateDaemonFilesArgs,
} from "../../../../components/daemon/files";
import { prelude } from "../../../../components/host/shell";
import type { HostContext } from "../../../../components/host/step";
import { assertCleanScript, needTool, run, runFunctions } from "../../host/stepHarness";

export const CTX: HostContext = { connectionUser: "admin", sshPort: 22, dataRoot: "/var/lib/docker" };

function render(tls: boolean) {
    return renderDaemonFiles(validateDaemonFilesArgs({ tls }), CTX);
}

/**
 * CIS Docker Benchmark v1.6.0, section 3, written out on its own: the ids of the ownership and mode
 * recommendations, what they are about, the owner, the mode, and whether the mode is exact.
 */
const CIS_SECTION_3: [string, string, string, string, string, boolean][] = [
    ["3.1", "3.2", "docker.service", "root:root", "0644", false],
    ["3.3", "3.4", "docker.socket", "root:root", "0644", false],
    ["3.5", "3.6", "/etc/docker", "root:root", "0755", false],
    ["3.7", "3.8", "/etc/docker/certs.d/*/*", "root:root", "0444", false],
    ["3.9", "3.10", "/etc/docker/tls/ca.pem", "root:root", "0444", false],
    ["3.11", "3.12", "/etc/docker/tls/server-cert.pem", "root:root", "0444", false],
    ["3.13", "3.14", "/etc/docker/tls/server-key.pem", "root:root", "0400", true],
    ["3.15", "3.16", "/var/run/docker.sock", "root:docker", "0660", false],
    ["3.17", "3.18", "/etc/docker/daemon.json", "root:root", "0644", false],
    ["3.19", "3.20", "/etc/default/docker", "root:root", "0644", false],
    ["3.21", "3.22", "/etc/sysconfig/docker", "root:root", "0644", false],
    ["3.23", "3.24", "/run/containerd/containerd.sock", "root:root", "0660", false],
];

const ALL_IDS = [...Array(24).keys()].map((i) => `3.${i + 1}`);
const TLS_IDS = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];

describe("DAEMON_FILE_RULES", () => {
    it("is exactly the expected table", () => {
        const row = (
            cis: [string, string],
            path: string,
            owner: string,
            mode: string,
            kind: DaemonFileRule["kind"],
            exact = false,
        ): DaemonFileRule => ({ cis, path, owner, mode, kind, exact });
        assert.deepEqual(DAEMON_FILE_RULES, [
            row(["3.1", "3.2"], "/lib/systemd/system/docker.service", "root:root", "0644", "file"),
            row(["3.1", "3.2"], "/usr/lib/systemd/system/docker.service", "root:root", "0644", "file"),
            row(["3.1", "3.2"], "/etc/systemd/system/docker.service", "root:root", "0644", "file"),
            row(["3.3", "3.4"], "/lib/systemd/system/docker.socket", "root:root", "0644", "file"),
            row(["3.3", "3.4"], "/usr/lib/systemd/system/docker.socket", "root:root", "0644", "file"),
            row(["3.3", "3.4"], "/etc/systemd/system/docker.socket", "root:root", "0644", "file"),
            row(["3.5", "3.6"], "/etc/docker", "root:root", "0755", "dir"),
            row(["3.7", "3.8"], "/etc/docker/certs.d/*/*", "root:root", "0444", "glob"),
            row(["3.9", "3.10"], "/etc/docker/tls/ca.pem", "root:root", "0444", "file"),
            row(["3.11", "3.12"], "/etc/docker/tls/server-cert.pem", "root:root", "0444", "file"),
            row(["3.13", "3.14"], "/etc/docker/tls/server-key.pem", "root:root", "0400", "file", true),
            row(["3.15", "3.16"], "/var/run/docker.sock", "root:docker", "0660", "socket"),
            row(["3.17", "3.18"], "/etc/docker/daemon.json", "root:root", "0644", "file"),
            row(["3.19", "3.20"], "/etc/default/docker", "root:root", "0644", "file"),
            row(["3.21", "3.22"], "/etc/sysconfig/docker", "root:root", "0644", "file"),
            row(["3.23", "3.24"], "/run/containerd/containerd.sock", "root:root", "0660", "socket"),
        ]);
    });

    it("covers every id from 3.1 to 3.24, each with the benchmark's subject, owner and mode", () => {
        const seen = new Set<string>();
        for (const r of DAEMON_FILE_RULES) {
            const cis = CIS_SECTION_3.find(([own, mode]) => own === r.cis[0] && mode === r.cis[1]);
            assert.ok(cis, `${r.path}: ${r.cis.join(", ")} is an ownership id then a mode id of section 3`);
            const [own, mode, subject, owner, want, exact] = cis;
            assert.ok(r.path === subject || r.path.endsWith(`/${subject}`), `${r.path} is ${subject}`);
            assert.deepEqual([r.owner, r.mode, r.exact], [owner, want, exact], r.path);
            seen.add(own).add(mode);
        }
        assert.deepEqual([...seen], ALL_IDS);
    });

    it("is frozen", () => {
        assert.ok(Object.isFrozen(DAEMON_FILE_RULES) && DAEMON_FILE_RULES.every((r) => Object.isFrozen(r)));
        assert.ok(Object.isFrozen(DAEMON_FILES_DEFAULTS));
    });
});

const DROP_IN = [
    "# hardened-docker daemon-files (CIS 3.15, 3.16): systemd creates Docker's API socket",
    "# root:docker, mode 0660, whatever the packaged docker.socket says after an upgrade.",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "[Socket]",
    "SocketMode=0660",
    "SocketUser=root",
    "SocketGroup=docker",
    "",
].join("\n");

describe("renderDaemonFiles", () => {
    it("renders the step without TLS: section 3 less 3.9-3.14, one drop-in, nothing secret", () => {
        const step = render(false);
        assert.equal(step.id, "daemon-files");
        assert.equal(
            step.title,
            "Docker's files and sockets have the owners and modes of CIS section 3 or stricter, kept through package upgrades",
        );
        assert.deepEqual(
            step.cis,
            ALL_IDS.filter((id) => !TLS_IDS.includes(id)),
        );
        assert.deepEqual(step.files, [
            {
                path: "/etc/systemd/system/docker.socket.d/50-hardened-docker.conf",
                mode: "0644",
                owner: "root:root",
                content: DROP_IN,
            },
        ]);
        assert.equal(step.secret, false);
        assert.ok(step.script.startsWith(prelude("daemon-files")));
        assert.ok(step.script.endsWith(`\n\n${DAEMON_FILES_MAIN}\n`));
        assert.ok(step.script.includes("\nDAEMON_FILES_REQUIRED=()\n"));
    });

    it("renders the step with TLS: all of section 3, and the TLS files required", () => {
        const step = render(true);
        assert.deepEqual(step.cis, ALL_IDS);
        assert.deepEqual(daemonFilesCis({ tls: true }), ALL_IDS);
        assert.ok(
            step.script.includes(
                "\nDAEMON_FILES_REQUIRED=(/etc/docker/tls/ca.pem /etc/docker/tls/server-cert.pem /etc/docker/tls/server-key.pem)\n",
            ),
        );
        assert.deepEqual(step.files, render(false).files);
    });

    it("renders the rule table into the script, one quoted line a rule", () => {
        const values = [
            "DAEMON_FILES_RULES=(",
            '    "file /lib/systemd/system/docker.service root:root 0644 0 3.1,3.2"',
            '    "file /usr/lib/systemd/system/docker.service root:root 0644 0 3.1,3.2"',
            '    "file /etc/systemd/system/docker.service root:root 0644 0 3.1,3.2"',
            '    "file /lib/systemd/system/docker.socket root:root 0644 0 3.3,3.4"',
            '    "file /usr/lib/systemd/system/docker.socket root:root 0644 0 3.3,3.4"',
            '    "file /etc/systemd/system/docker.socket root:root 0644 0 3.3,3.4"',
            '    "dir /etc/docker root:root 0755 0 3.5,3.6"',
            '    "glob /etc/docker/certs.d/*/* root:root 0444 0 3.7,3.8"',
            '    "file /etc/docker/tls/ca.pem root:root 0444 0 3.9,3.10"',
            '    "file /etc/docker/tls/server-cert.pem root:root 0444 0 3.11,3.12"',
            '    "file /etc/docker/tls/server-key.pem root:root 0400 1 3.13,3.14"',
            '    "socket /var/run/docker.sock root:docker 0660 0 3.15,3.16"',
            '    "file /etc/docker/daemon.json root:root 0644 0 3.17,3.18"',
            '    "file /etc/default/docker root:root 0644 0 3.19,3.20"',
            '    "file /etc/sysconfig/docker root:root 0644 0 3.21,3.22"',
            '    "socket /run/containerd/containerd.sock root:root 0660 0 3.23,3.24"',
            ")",
            "# The files that must exist: the daemon uses TLS (tls).",
            "DAEMON_FILES_REQUIRED=()",
            "DAEMON_FILES_DROPIN=/etc/systemd/system/docker.socket.d/50-hardened-docker.conf",
            "DAEMON_FILES_SOCKET_OWNER=root:docker",
            "DAEMON_FILES_SOCKET_MODE=0660",
            "",
        ].join("\n");
        assert.ok(render(false).script.includes(values));
    });

    it("renders the drop-in from the socket's rule", () => {
        assert.equal(renderSocketDropIn(), DROP_IN);
    });

    for (const tls of [false, true]) {
        it(`passes bash -n and shellcheck (tls: ${tls})`, function () {
            assertCleanScript(this, render(tls).script);
        });
    }
});

describe("the docker.socket drop-in under systemd-analyze verify", () => {
    let dir = "";
    beforeEach(() => {
        dir = mkdtempSync("/tmp/hd-daemon-files-unit-");
        mkdirSync(`${dir}/docker.socket.d`);
        writeFileSync(
            `${dir}/docker.socket`,
            "[Unit]\nDescription=Docker Socket for the API\n\n[Socket]\nListenStream=/run/docker.sock\nSocketMode=0666\n\n[Install]\nWantedBy=sockets.target\n",
        );
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function verify(dropIn: string) {
        writeFileSync(`${dir}/docker.socket.d/50-hardened-docker.conf`, dropIn);
        return run("systemd-analyze", ["verify", `${dir}/docker.socket`], "", {
            ...process.env,
            SYSTEMD_UNIT_PATH: `${dir}:`,
        });
    }

    it("is read without a warning, where a misspelt key is reported", function () {
        needTool(this, "systemd-analyze", ["--version"], "systemd");
        assert.deepEqual(verify(DROP_IN), { status: 0, stdout: "", stderr: "" });
        assert.match(verify(DROP_IN.replace("SocketGroup", "SocketGrop")).stderr, /Unknown key 'SocketGrop'/);
    });
});

describe("the daemon-files script's functions", () => {
    const script = render(false).script;
    const call = (tail: string) => runFunctions(script, DAEMON_FILES_MAIN, tail);

    // [rule's mode, current mode, exact, the mode the path must have]: the current mode when it is
    // the rule's or stricter (no bit outside the rule's), else the current one less the extra bits.
    const MODES: [string, string, 0 | 1, string][] = [
        ["0644", "644", 0, "0644"],
        ["0644", "600", 0, "0600"],
        ["0644", "640", 0, "0640"],
        ["0644", "0", 0, "0000"],
        ["0644", "664", 0, "0644"],
        ["0644", "666", 0, "0644"],
        ["0644", "755", 0, "0644"],
        ["0644", "620", 0, "0600"],
        ["0644", "4755", 0, "0644"],
        ["0444", "400", 0, "0400"],
        ["0444", "444", 0, "0444"],
        ["0444", "644", 0, "0444"],
        ["0444", "440", 0, "0440"],
        ["0755", "2775", 0, "0755"],
        ["0755", "700", 0, "0700"],
        ["0755", "1777", 0, "0755"],
        ["0660", "666", 0, "0660"],
        ["0660", "600", 0, "0600"],
        ["0660", "770", 0, "0660"],
        ["0400", "400", 1, "0400"],
        ["0400", "440", 1, "0400"],
        ["0400", "600", 1, "0400"],
        ["0400", "0", 1, "0400"],
        ["0400", "444", 1, "0400"],
    ];

    it("daemon_files_mode keeps a stricter mode and only ever removes bits", () => {
        const tail = MODES.map(([want, cur, exact]) => `daemon_files_mode ${want} ${cur} ${exact}`).join("\n");
        assert.deepEqual(call(tail), {
            status: 0,
            stdout: MODES.map(([, , , fixed]) => `${fixed}\n`).join(""),
            stderr: "",
        });
    });

    it("daemon_files_complies checks the owner exactly and the mode as daemon_files_mode does", () => {
        const cases: [string, string, 0 | 1, string, string, boolean][] = [
            ["root:root", "0644", 0, "root:root", "600", true],
            ["root:root", "0644", 0, "root:root", "664", false],
            ["root:root", "0644", 0, "root:docker", "644", false],
            ["root:docker", "0660", 0, "root:docker", "0660", true],
            ["root:docker", "0660", 0, "root:root", "0660", false],
            ["root:root", "0400", 1, "root:root", "400", true],
            ["root:root", "0400", 1, "root:root", "0", false],
            ["root:root", "0444", 0, "root:root", "400", true],
            ["root:root", "0444", 0, "nobody:root", "400", false],
        ];
        const tail = cases
            .map(
                ([o, m, e, owner, mode]) =>
                    `if daemon_files_complies ${o} ${m} ${e} ${owner} ${mode}; then echo yes; else echo no; fi`,
            )
            .join("\n");
        assert.deepEqual(call(tail), {
            status: 0,
            stdout: cases.map((c) => (c[5] ? "yes\n" : "no\n")).join(""),
            stderr: "",
        });
    });

    describe("daemon_files_paths", () => {
        let dir = "";
        beforeEach(() => {
            dir = mkdtempSync("/tmp/hd-daemon-files-paths-");
        });
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        it("lists a glob's regular files and links, not its directories, and skips masked paths", () => {
            mkdirSync(`${dir}/certs.d/registry.example:5000/sub`, { recursive: true });
            mkdirSync(`${dir}/certs.d/mirror.example`);
            for (const f of [
                "registry.example:5000/ca.crt",
                "registry.example:5000/client.key",
                "mirror.example/ca.crt",
            ]) {
                writeFileSync(`${dir}/certs.d/${f}`, "x\n");
            }
            symlinkSync("/etc/hostname", `${dir}/certs.d/mirror.example/linked.crt`);
            symlinkSync("/dev/null", `${dir}/certs.d/mirror.example/masked.crt`);
            symlinkSync("/dev/null", `${dir}/docker.service`);
            writeFileSync(`${dir}/daemon.json`, "{}\n");
            const tail = [
                `daemon_files_paths glob '${dir}/certs.d/*/*'`,
                `daemon_files_paths glob '${dir}/none.d/*/*'`,
                `daemon_files_paths file ${dir}/docker.service`,
                `daemon_files_paths file ${dir}/daemon.json`,
                `daemon_files_paths file ${dir}/missing.json`,
            ].join("\n");
            assert.deepEqual(call(tail), {
                status: 0,
                stdout: [
                    `${dir}/certs.d/mirror.example/ca.crt`,
                    `${dir}/certs.d/mirror.example/linked.crt`,
                    `${dir}/certs.d/registry.example:5000/ca.crt`,
                    `${dir}/certs.d/registry.example:5000/client.key`,
                    `${dir}/daemon.json`,
                    "",
                ].join("\n"),
                stderr: "",
            });
        });
    });
});
