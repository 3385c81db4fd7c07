import * as assert from "node:assert/strict";
import {
    DAEMON_CONFIG_MAIN,
    type DaemonConfigArgs,
    daemonConfigFiles,
    renderDaemonConfig,
    renderDaemonDropIn,
    renderDaemonJson,
    validateDaemonConfigArgs,
} from "../../../../components/daemon/config";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript } from "../../host/stepHarness";
import { CA_PEM, CTX, MINIMAL, SERVER_CERT_PEM, SERVER_KEY_PEM } from "./fixtures";

const DEFAULT_JSON = `{
  "default-ulimits": {
    "nofile": {
      "Hard": 65536,
      "Name": "nofile",
      "Soft": 65536
    },
    "nproc": {
      "Hard": 16384,
      "Name": "nproc",
      "Soft": 16384
    }
  },
  "experimental": false,
  "hosts": [
    "fd://"
  ],
  "icc": false,
  "ip": "127.0.0.1",
  "iptables": true,
  "live-restore": true,
  "log-driver": "syslog",
  "log-level": "info",
  "log-opts": {
    "syslog-address": "tcp+tls://logs.example.com:6514",
    "tag": "{{.Name}}/{{.ID}}"
  },
  "no-new-privileges": true,
  "storage-driver": "overlay2",
  "userland-proxy": false,
  "userns-remap": "default"
}
`;

const SECCOMP = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}';
const TLS = {
    listenAddress: "192.0.2.10",
    caCertificate: CA_PEM,
    serverCertificate: SERVER_CERT_PEM,
    serverKey: SERVER_KEY_PEM,
};

function json(args: DaemonConfigArgs, dataRoot = CTX.dataRoot): string {
    return renderDaemonJson(validateDaemonConfigArgs(args, { ...CTX, dataRoot }));
}

/** DEFAULT_JSON with each `[old, new]` text replaced; each old text must be there. */
function edit(...changes: [string, string][]): string {
    let text = DEFAULT_JSON;
    for (const [from, to] of changes) {
        assert.ok(text.includes(from), from);
        text = text.replace(from, to);
    }
    return text;
}

const ULIMITS_JSON = DEFAULT_JSON.slice(
    DEFAULT_JSON.indexOf('  "default-ulimits"'),
    DEFAULT_JSON.indexOf('  "experimental"'),
);
const LOG_OPTS_JSON = DEFAULT_JSON.slice(DEFAULT_JSON.indexOf('  "log-opts"'), DEFAULT_JSON.indexOf('  "no-new'));

const OPTIONS: [string, DaemonConfigArgs, string, string?][] = [
    [
        "icc on, waived",
        {
            ...MINIMAL,
            icc: true,
            waivers: { ...MINIMAL.waivers, interContainerCommunication: { reason: "legacy container links" } },
        },
        edit(['  "icc": false,\n', '  "icc": true,\n']),
    ],
    ["log level warn", { ...MINIMAL, logLevel: "warn" }, edit(['"log-level": "info"', '"log-level": "warn"'])],
    [
        "btrfs",
        { ...MINIMAL, storageDriver: "btrfs" },
        edit(['"storage-driver": "overlay2"', '"storage-driver": "btrfs"']),
    ],
    [
        "ulimits",
        { ...MINIMAL, defaultUlimits: { core: { soft: 0, hard: 0 }, nofile: { soft: 1024, hard: 4096 } } },
        edit([
            ULIMITS_JSON,
            [
                '  "default-ulimits": {',
                '    "core": {',
                '      "Hard": 0,',
                '      "Name": "core",',
                '      "Soft": 0',
                "    },",
                '    "nofile": {',
                '      "Hard": 4096,',
                '      "Name": "nofile",',
                '      "Soft": 1024',
                "    },",
                '    "nproc": {',
                '      "Hard": 16384,',
                '      "Name": "nproc",',
                '      "Soft": 16384',
                "    }",
                "  },",
                "",
            ].join("\n"),
        ]),
    ],
    [
        "a remap user",
        { ...MINIMAL, usernsRemap: "dockerapp:dockerapp" },
        edit(['"userns-remap": "default"', '"userns-remap": "dockerapp:dockerapp"']),
    ],
    [
        "no remapping, waived",
        { ...MINIMAL, usernsRemap: false, waivers: { ...MINIMAL.waivers, noUsernsRemap: { reason: "a CI runner" } } },
        edit(['  "userland-proxy": false,\n  "userns-remap": "default"\n', '  "userland-proxy": false\n']),
    ],
    [
        "an authorization plugin",
        { syslogAddress: MINIMAL.syslogAddress, authorizationPlugins: ["opa-docker-authz:0.8", "authz-broker"] },
        edit([
            '{\n  "default-ulimits"',
            '{\n  "authorization-plugins": [\n    "opa-docker-authz:0.8",\n    "authz-broker"\n  ],\n  "default-ulimits"',
        ]),
    ],
    [
        "journald",
        { waivers: MINIMAL.waivers, logDriver: "journald" },
        edit(
            ['"log-driver": "syslog"', '"log-driver": "journald"'],
            [LOG_OPTS_JSON, '  "log-opts": {\n    "tag": "{{.Name}}/{{.ID}}"\n  },\n'],
        ),
    ],
    [
        "log options",
        {
            ...MINIMAL,
            logOpts: {
                "syslog-format": "rfc5424micro",
                "syslog-tls-ca-cert": "/etc/ssl/certs/logs-ca.pem",
                tag: "{{.Name}}",
            },
        },
        edit([
            LOG_OPTS_JSON,
            [
                '  "log-opts": {',
                '    "syslog-address": "tcp+tls://logs.example.com:6514",',
                '    "syslog-format": "rfc5424micro",',
                '    "syslog-tls-ca-cert": "/etc/ssl/certs/logs-ca.pem",',
                '    "tag": "{{.Name}}"',
                "  },",
                "",
            ].join("\n"),
        ]),
    ],
    [
        "swarm without live restore, waived",
        {
            ...MINIMAL,
            swarm: true,
            liveRestore: false,
            waivers: { ...MINIMAL.waivers, noLiveRestore: { reason: "this host is a swarm manager" } },
        },
        edit(['"live-restore": true', '"live-restore": false']),
    ],
    [
        "a seccomp profile",
        { ...MINIMAL, seccompProfile: SECCOMP },
        edit(['  "storage-driver"', '  "seccomp-profile": "/etc/docker/seccomp.json",\n  "storage-driver"']),
    ],
    [
        "an address for published ports",
        { ...MINIMAL, ip: "192.0.2.10" },
        edit(['"ip": "127.0.0.1"', '"ip": "192.0.2.10"']),
    ],
    [
        "TLS",
        { ...MINIMAL, tls: TLS },
        edit(
            ['    "fd://"\n', '    "fd://",\n    "tcp://192.0.2.10:2376"\n'],
            [
                '  "userland-proxy"',
                [
                    '  "tlscacert": "/etc/docker/tls/ca.pem",',
                    '  "tlscert": "/etc/docker/tls/server-cert.pem",',
                    '  "tlskey": "/etc/docker/tls/server-key.pem",',
                    '  "tlsverify": true,',
                    '  "userland-proxy"',
                ].join("\n"),
            ],
        ),
    ],
    [
        "extra keys",
        { ...MINIMAL, extra: { "registry-mirrors": ["https://mirror.example.com"], mtu: 1400, icc: false } },
        edit(
            ['  "no-new-privileges"', '  "mtu": 1400,\n  "no-new-privileges"'],
            [
                '  "storage-driver"',
                '  "registry-mirrors": [\n    "https://mirror.example.com"\n  ],\n  "storage-driver"',
            ],
        ),
    ],
    [
        "a moved data root",
        MINIMAL,
        edit(['{\n  "default-ulimits"', '{\n  "data-root": "/srv/docker",\n  "default-ulimits"']),
        "/srv/docker",
    ],
];

describe("renderDaemonJson", () => {
    it("renders the exact daemon.json for the defaults", () => {
        assert.equal(json(MINIMAL), DEFAULT_JSON);
    });

    for (const [title, args, expected, dataRoot] of OPTIONS) {
        it(`renders the exact daemon.json with ${title}`, () => {
            assert.equal(json(args, dataRoot), expected);
        });
    }
});

describe("renderDaemonConfig", () => {
    it("describes the default step: id, title, CIS ids, files, not secret", () => {
        const plan = validateDaemonConfigArgs(MINIMAL, CTX);
        const step = renderDaemonConfig(plan, CTX);
        assert.equal(step.id, "daemon-config");
        assert.equal(
            step.title,
            "daemon.json per CIS section 2: logs by syslog to tcp+tls://logs.example.com:6514, userns-remap default, API on the Unix socket only; waived: CIS 2.12",
        );
        assert.deepEqual(step.cis, [
            "2.2",
            "2.3",
            "2.4",
            "2.5",
            "2.6",
            "2.7",
            "2.8",
            "2.9",
            "2.10",
            "2.11",
            "2.13",
            "2.14",
            "2.15",
            "2.16",
            "2.17",
            "2.18",
            "3.17",
            "3.18",
        ]);
        assert.deepEqual(step.files, [
            { path: "/etc/docker/daemon.json", mode: "0644", owner: "root:root", content: DEFAULT_JSON },
        ]);
        assert.equal(step.secret, false);
        assert.ok(step.script.startsWith(prelude("daemon-config")));
        assert.ok(step.script.endsWith(`\n\n${DAEMON_CONFIG_MAIN}\n`));
    });

    it("with TLS and a seccomp profile: the files in order, the key kept out of them, the step secret", () => {
        const plan = validateDaemonConfigArgs(
            {
                ...MINIMAL,
                tls: TLS,
                seccompProfile: SECCOMP,
                icc: true,
                waivers: { ...MINIMAL.waivers, interContainerCommunication: { reason: "legacy container links" } },
            },
            CTX,
        );
        const step = renderDaemonConfig(plan, CTX);
        assert.deepEqual(daemonConfigFiles(plan), step.files);
        assert.deepEqual(
            step.files.map((f) => [f.path, f.mode, f.owner]),
            [
                ["/etc/docker/tls/ca.pem", "0444", "root:root"],
                ["/etc/docker/tls/server-cert.pem", "0444", "root:root"],
                ["/etc/docker/seccomp.json", "0644", "root:root"],
                ["/etc/docker/daemon.json", "0644", "root:root"],
            ],
        );
        assert.deepEqual(
            step.files.slice(0, 2).map((f) => f.content),
            [CA_PEM, SERVER_CERT_PEM],
        );
        assert.equal(step.secret, true);
        assert.equal(
            step.title,
            "daemon.json per CIS section 2: logs by syslog to tcp+tls://logs.example.com:6514, userns-remap default, API on tcp://192.0.2.10:2376 with TLS client verification; waived: CIS 2.2, 2.12",
        );
        assert.deepEqual(step.cis.slice(-8), ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.17", "3.18"]);
        assert.ok(!step.cis.includes("2.2") && !step.cis.includes("2.12"));
        // The key is in the script (stdin, a secret) and nowhere else in the step.
        const keyLine = SERVER_KEY_PEM.split("\n")[1];
        assert.ok(step.script.includes(`\n${SERVER_KEY_PEM}`));
        assert.ok(!JSON.stringify({ ...step, script: "" }).includes(keyLine));
    });

    it("installs in order: TLS files, seccomp profile, daemon.json, the drop-in; removes what is not configured", () => {
        const values = (args: DaemonConfigArgs) =>
            renderDaemonConfig(validateDaemonConfigArgs(args, CTX), CTX)
                .script.split("\n")
                .filter((l) => /^daemon_(srcs|dests|modes|absent|userns|expect_[a-z_]+)=/.test(l));
        assert.deepEqual(values(MINIMAL), [
            "daemon_userns=default",
            "daemon_expect_root=/var/lib/docker",
            "daemon_expect_log_driver=syslog",
            "daemon_expect_live_restore=true",
            "daemon_expect_seccomp=default",
            "daemon_srcs=(daemon.json docker.service.conf)",
            "daemon_dests=(/etc/docker/daemon.json /etc/systemd/system/docker.service.d/hardened-docker.conf)",
            "daemon_modes=(0644 0644)",
            "daemon_absent=(/etc/docker/tls/ca.pem /etc/docker/tls/server-cert.pem /etc/docker/tls/server-key.pem /etc/docker/seccomp.json)",
        ]);
        assert.deepEqual(
            values({
                waivers: {
                    ...MINIMAL.waivers,
                    noUsernsRemap: { reason: "a CI runner" },
                    noLiveRestore: { reason: "swarm manager host" },
                },
                usernsRemap: false,
                liveRestore: false,
                logDriver: "journald",
                tls: TLS,
                seccompProfile: SECCOMP,
            }),
            [
                'daemon_userns=""',
                "daemon_expect_root=/var/lib/docker",
                "daemon_expect_log_driver=journald",
                "daemon_expect_live_restore=false",
                "daemon_expect_seccomp=/etc/docker/seccomp.json",
                "daemon_srcs=(ca.pem server-cert.pem server-key.pem seccomp.json daemon.json docker.service.conf)",
                "daemon_dests=(/etc/docker/tls/ca.pem /etc/docker/tls/server-cert.pem /etc/docker/tls/server-key.pem /etc/docker/seccomp.json /etc/docker/daemon.json /etc/systemd/system/docker.service.d/hardened-docker.conf)",
                "daemon_modes=(0444 0444 0400 0644 0644 0644)",
                "daemon_absent=()",
            ],
        );
    });

    it("renders the drop-in that leaves daemon.json the daemon's only configuration", () => {
        assert.equal(
            renderDaemonDropIn("/usr/sbin/dockerd"),
            [
                "# hardened-docker daemon-config: dockerd takes its whole configuration from /etc/docker/daemon.json,",
                '# whose "hosts" replaces -H fd:// (a setting given both ways stops dockerd); DOCKER_OPTS no longer applies.',
                "# Rendered by hardened-docker; edits on the host are overwritten.",
                "[Service]",
                "ExecStart=",
                "ExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock",
                "",
            ].join("\n"),
        );
        const script = renderDaemonConfig(validateDaemonConfigArgs(MINIMAL, CTX), CTX).script;
        assert.ok(script.includes(`\n${renderDaemonDropIn()}`));
        assert.ok(script.includes('\n    sed -i "s|@DOCKERD@|$daemon_dockerd|" "$HD_TMP/docker.service.conf"\n'));
    });

    it("validates before it installs, and restarts only after installing", () => {
        const script = renderDaemonConfig(validateDaemonConfigArgs(MINIMAL, CTX), CTX).script;
        const main = script.slice(script.indexOf(`${DAEMON_CONFIG_MAIN}() {`));
        const at = (s: string) => {
            const i = main.indexOf(s);
            assert.ok(i > 0, s);
            return i;
        };
        assert.ok(at("    hd_apt_install jq\n") < at("    daemon_userns\n"));
        assert.ok(at("    daemon_userns\n") < at('    daemon_validate "$HD_TMP/daemon.json"\n'));
        assert.ok(at('    daemon_validate "$HD_TMP/daemon.json"\n') < at("    daemon_backup\n"));
        assert.ok(at("    daemon_backup\n") < at("    daemon_install\n"));
        assert.ok(at("    daemon_install\n") < at('        daemon_activate || daemon_rollback "$since"\n'));
    });

    for (const [title, args] of [
        ["the defaults", MINIMAL],
        ["TLS and a seccomp profile", { ...MINIMAL, tls: TLS, seccompProfile: SECCOMP }],
    ] as const) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            assertCleanScript(this, renderDaemonConfig(validateDaemonConfigArgs(args, CTX), CTX).script);
        });
    }
});
