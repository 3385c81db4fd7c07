import * as assert from "node:assert/strict";
import type * as command from "@pulumi/command";
import type * as docker from "@pulumi/docker";
import { planDaemon, type DockerDaemonArgs } from "../../components/daemon";
import { RUN_AS_ROOT } from "../../components/host";
import { embedFile } from "../../components/host/shell";
import type { CommandScriptProps } from "../../policy-pack/lib/daemonPolicy";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { DAEMON_POLICIES } from "../../policy-pack/policies/daemon";
import type { DockerProviderProps } from "../../policy-pack/policies/daemon/providerRequireTls";
import { policyPack, UNKNOWN, type Diagnostic, type PolicyPackClient } from "../harness/policyPack";
import { CA_PEM, SERVER_CERT_PEM, SERVER_KEY_PEM } from "../components/daemon/config/fixtures";
import { expected } from "./fixtures";

const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";
const PROVIDER = "pulumi:providers:docker";
const P = "/etc/docker/daemon.json";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

// The policies read resources by the SDKs' property names. These assignments fail to compile if a
// name is not an input of @pulumi/docker 5.2.0 or @pulumi/command 1.2.1 (tsc --noEmit runs on tests).
const providerKeys: (keyof DockerProviderProps & keyof docker.ProviderArgs)[] = [
    "host",
    "context",
    "caMaterial",
    "certMaterial",
    "keyMaterial",
    "certPath",
];
const remoteKeys: (keyof CommandScriptProps & keyof command.remote.CommandArgs)[] = [
    "create",
    "update",
    "stdin",
    "environment",
];
const localKeys: (keyof CommandScriptProps & keyof command.local.CommandArgs)[] = [
    "create",
    "update",
    "stdin",
    "interpreter",
    "environment",
    "dir",
];

/** Diagnostics in pack order, then by message: several policies may fire on one command. */
function sorted(ds: Diagnostic[]): Diagnostic[] {
    const order = (n: string) => ALL_POLICIES.findIndex((p) => p.meta.name === n);
    return [...ds].sort((a, b) => order(a.policyName) - order(b.policyName) || a.message.localeCompare(b.message));
}

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

/** The daemon-config command as DockerDaemon creates it (components/host/commands.ts runSteps), in wire form. */
function stepCommand(script: string, secret = false): Record<string, unknown> {
    return {
        create: RUN_AS_ROOT,
        stdin: secret ? { [SECRET_SIG]: SECRET, value: script } : script,
        addPreviousOutputInEnv: false,
        ...(secret ? { logging: "none" } : {}),
    };
}

const COMPLIANT = planDaemon(daemonArgs());
const COMPLIANT_JSON = JSON.parse(COMPLIANT.daemonJson) as Record<string, unknown>;

/** The compliant step with its embedded daemon.json changed, as a hand-edited step would be. */
function weakStep(change: (json: Record<string, unknown>) => void): Record<string, unknown> {
    const json = structuredClone(COMPLIANT_JSON);
    change(json);
    const script = COMPLIANT.steps[0].script.replace(
        embedFile("daemon.json", COMPLIANT.daemonJson),
        embedFile("daemon.json", `${JSON.stringify(json, null, 2)}\n`),
    );
    assert.notEqual(script, COMPLIANT.steps[0].script);
    return stepCommand(script);
}

const S = "the daemon.json in stdin";

interface Case {
    title: string;
    change: (json: Record<string, unknown>) => void;
    violations: [policy: string, sentence: string][];
}

/** One failing case per branch of each daemon.json policy, each made by changing the compliant file. */
const CASES: Case[] = [
    {
        title: "icc on",
        change: (j) => (j.icc = true),
        violations: [["docker-daemon-disable-icc", `${S} sets "icc" to true; expected false (CIS 2.2).`]],
    },
    {
        title: "icc unset",
        change: (j) => delete j.icc,
        violations: [["docker-daemon-disable-icc", `${S} leaves "icc" unset (true); expected false (CIS 2.2).`]],
    },
    {
        title: "debug log level, in any case",
        change: (j) => (j["log-level"] = "DEBUG"),
        violations: [
            [
                "docker-daemon-restrict-log-level",
                `${S} sets "log-level" to "DEBUG"; expected "info" (or the quieter "warn" or "error") (CIS 2.3).`,
            ],
        ],
    },
    {
        title: "debug mode",
        change: (j) => (j.debug = true),
        violations: [
            [
                "docker-daemon-restrict-log-level",
                `${S} sets "debug" to true, which logs at debug level; expected false or unset (CIS 2.3).`,
            ],
        ],
    },
    {
        title: "an insecure registry",
        change: (j) => (j["insecure-registries"] = ["registry.internal:5000"]),
        violations: [
            [
                "docker-daemon-disallow-insecure-registries",
                `${S} sets "insecure-registries" to ["registry.internal:5000"]; expected it absent or empty (CIS 2.5).`,
            ],
        ],
    },
    {
        title: "a plain-HTTP registry mirror (its credentials not shown)",
        change: (j) => (j["registry-mirrors"] = ["https://mirror.example.com", "http://ci:s3cret@mirror.internal"]),
        violations: [
            [
                "docker-daemon-disallow-insecure-registries",
                `${S} lists "http://mirror.internal" in "registry-mirrors", a mirror over plain HTTP; expected https:// mirrors only (CIS 2.5).`,
            ],
        ],
    },
    {
        title: "a mirror password holding / and @, none of it shown",
        change: (j) => (j["registry-mirrors"] = ["http://u:p@ss:w/rd@mirror.internal/v2"]),
        violations: [
            [
                "docker-daemon-disallow-insecure-registries",
                `${S} lists "http://mirror.internal/v2" in "registry-mirrors", a mirror over plain HTTP; expected https:// mirrors only (CIS 2.5).`,
            ],
        ],
    },
    {
        title: "iptables off",
        change: (j) => (j.iptables = false),
        violations: [
            [
                "docker-daemon-require-iptables",
                `${S} sets "iptables" to false, so published ports and the isolation between networks are left to hand-written rules; expected true or unset (CIS 2.4).`,
            ],
        ],
    },
    {
        title: "a cgroup parent",
        change: (j) => (j["cgroup-parent"] = "/docker-custom"),
        violations: [
            [
                "docker-daemon-disallow-cgroup-parent",
                `${S} sets "cgroup-parent" to "/docker-custom"; expected it unset, so containers stay under Docker's default cgroup (CIS 2.10).`,
            ],
        ],
    },
    {
        title: "a base device size, with its value not shown",
        change: (j) => (j["storage-opts"] = ["overlay2.override_kernel_check=true", "dm.basesize=50G", " SIZE=20G"]),
        violations: [
            [
                "docker-daemon-disallow-base-device-size",
                `${S} sets "storage-opts"[1] to "dm.basesize=…", which changes the base device size; expected the driver's default (CIS 2.11).`,
            ],
            [
                "docker-daemon-disallow-base-device-size",
                `${S} sets "storage-opts"[2] to "SIZE=…", which changes the base device size; expected the driver's default (CIS 2.11).`,
            ],
        ],
    },
    {
        title: "the aufs storage driver",
        change: (j) => (j["storage-driver"] = "aufs"),
        violations: [
            [
                "docker-daemon-disallow-deprecated-storage-driver",
                `${S} sets "storage-driver" to "aufs", which is deprecated; expected "overlay2" (CIS 2.6).`,
            ],
        ],
    },
    {
        title: "the devicemapper storage driver",
        change: (j) => (j["storage-driver"] = "devicemapper"),
        violations: [
            [
                "docker-daemon-disallow-deprecated-storage-driver",
                `${S} sets "storage-driver" to "devicemapper", which is deprecated; expected "overlay2" (CIS 2.6).`,
            ],
        ],
    },
    {
        title: "a TCP socket without TLS",
        change: (j) => (j.hosts = ["fd://", "tcp://0.0.0.0:2375"]),
        violations: [
            [
                "docker-daemon-require-tls-verify",
                `${S} listens on "tcp://0.0.0.0:2375" in "hosts" without client verification: "tlsverify" is unset, "tlscacert" is unset, "tlscert" is unset, "tlskey" is unset; expected "tlsverify": true with "tlscacert", "tlscert" and "tlskey" (CIS 2.7).`,
            ],
        ],
    },
    {
        title: "a TCP socket with TLS but no client verification",
        change: (j) =>
            Object.assign(j, {
                hosts: ["fd://", "192.0.2.10:2376"],
                tls: true,
                tlscert: "/etc/docker/tls/server-cert.pem",
                tlskey: "/etc/docker/tls/server-key.pem",
            }),
        violations: [
            [
                "docker-daemon-require-tls-verify",
                `${S} listens on "192.0.2.10:2376" in "hosts" without client verification: "tlsverify" is unset ("tls" alone does not verify clients), "tlscacert" is unset; expected "tlsverify": true with "tlscacert", "tlscert" and "tlskey" (CIS 2.7).`,
            ],
        ],
    },
    {
        title: "no user namespace remapping",
        change: (j) => delete j["userns-remap"],
        violations: [
            [
                "docker-daemon-require-userns-remap",
                `${S} leaves "userns-remap" unset, so container root is host root; expected "default" or a dedicated user (CIS 2.9).`,
            ],
        ],
    },
    {
        title: "an empty userns-remap",
        change: (j) => (j["userns-remap"] = ""),
        violations: [
            [
                "docker-daemon-require-userns-remap",
                `${S} sets "userns-remap" to "", which turns remapping off; expected "default" or a dedicated user (CIS 2.9).`,
            ],
        ],
    },
    {
        title: "userns-remap to root",
        change: (j) => (j["userns-remap"] = "root:root"),
        violations: [
            [
                "docker-daemon-require-userns-remap",
                `${S} sets "userns-remap" to "root:root", which maps container root to host root; expected "default" or a dedicated user (CIS 2.9).`,
            ],
        ],
    },
    {
        title: "no log driver",
        change: (j) => {
            delete j["log-driver"];
            delete j["log-opts"];
        },
        violations: [
            [
                "docker-daemon-require-remote-logging",
                `${S} leaves "log-driver" unset (json-file), which keeps logs on the host; expected one of "syslog", "journald", "fluentd", "gelf", "splunk", "awslogs", "gcplogs" (CIS 2.13).`,
            ],
        ],
    },
    {
        title: "the local log driver",
        change: (j) => {
            j["log-driver"] = "local";
            delete j["log-opts"];
        },
        violations: [
            [
                "docker-daemon-require-remote-logging",
                `${S} sets "log-driver" to "local", which keeps logs on the host; expected one of "syslog", "journald", "fluentd", "gelf", "splunk", "awslogs", "gcplogs" (CIS 2.13).`,
            ],
        ],
    },
    {
        title: "syslog without an address",
        change: (j) => (j["log-opts"] = { tag: "{{.Name}}" }),
        violations: [
            [
                "docker-daemon-require-remote-logging",
                `${S} sets "log-driver" to "syslog" but leaves "syslog-address" in "log-opts" unset, so logs go to the host's own syslog; expected a tcp:// or tcp+tls:// address (CIS 2.13).`,
            ],
        ],
    },
    {
        title: "syslog over UDP",
        change: (j) => (j["log-opts"] = { "syslog-address": "udp://logs.example.com:514" }),
        violations: [
            [
                "docker-daemon-require-remote-logging",
                `${S} sets "syslog-address" in "log-opts" to a udp:// address, which loses messages silently; expected tcp:// or tcp+tls:// (CIS 2.13).`,
            ],
        ],
    },
    {
        title: "syslog to a local socket",
        change: (j) => (j["log-opts"] = { "syslog-address": "unixgram:///dev/log" }),
        violations: [
            [
                "docker-daemon-require-remote-logging",
                `${S} sets "syslog-address" in "log-opts" to a unixgram:// address, not a remote server; expected tcp:// or tcp+tls:// (CIS 2.13).`,
            ],
        ],
    },
    {
        title: "new privileges allowed",
        change: (j) => (j["no-new-privileges"] = false),
        violations: [
            [
                "docker-daemon-require-no-new-privileges",
                `${S} sets "no-new-privileges" to false; expected true (CIS 2.14).`,
            ],
        ],
    },
    {
        title: "no-new-privileges unset",
        change: (j) => delete j["no-new-privileges"],
        violations: [
            [
                "docker-daemon-require-no-new-privileges",
                `${S} leaves "no-new-privileges" unset (false); expected true (CIS 2.14).`,
            ],
        ],
    },
    {
        title: "live restore off",
        change: (j) => (j["live-restore"] = false),
        violations: [
            ["docker-daemon-require-live-restore", `${S} sets "live-restore" to false; expected true (CIS 2.15).`],
        ],
    },
    {
        title: "live restore unset",
        change: (j) => delete j["live-restore"],
        violations: [
            [
                "docker-daemon-require-live-restore",
                `${S} leaves "live-restore" unset (false); expected true (CIS 2.15).`,
            ],
        ],
    },
    {
        title: "the userland proxy on",
        change: (j) => (j["userland-proxy"] = true),
        violations: [
            ["docker-daemon-disable-userland-proxy", `${S} sets "userland-proxy" to true; expected false (CIS 2.16).`],
        ],
    },
    {
        title: "the userland proxy unset",
        change: (j) => delete j["userland-proxy"],
        violations: [
            [
                "docker-daemon-disable-userland-proxy",
                `${S} leaves "userland-proxy" unset (true); expected false (CIS 2.16).`,
            ],
        ],
    },
    {
        title: "experimental features",
        change: (j) => (j.experimental = true),
        violations: [
            [
                "docker-daemon-disable-experimental",
                `${S} sets "experimental" to true; expected false or unset (CIS 2.18).`,
            ],
        ],
    },
];

/** A user's own daemon.json with one weak setting: everything it leaves out is the daemon's default. */
const USER_JSON = '{\n  "icc": true,\n  "log-driver": "journald"\n}';
const USER_VIOLATIONS = (s: string): [string, string][] => [
    ["docker-daemon-disable-icc", `${s} sets "icc" to true; expected false (CIS 2.2).`],
    [
        "docker-daemon-require-userns-remap",
        `${s} leaves "userns-remap" unset, so container root is host root; expected "default" or a dedicated user (CIS 2.9).`,
    ],
    [
        "docker-daemon-require-no-new-privileges",
        `${s} leaves "no-new-privileges" unset (false); expected true (CIS 2.14).`,
    ],
    ["docker-daemon-require-live-restore", `${s} leaves "live-restore" unset (false); expected true (CIS 2.15).`],
    ["docker-daemon-disable-userland-proxy", `${s} leaves "userland-proxy" unset (true); expected false (CIS 2.16).`],
];

/** The same violations from a local command: each rule's policy over local commands is named `<rule>-local-command`. */
function onLocal(list: [string, string][]): [string, string][] {
    return list.map(([policy, sentence]) => [`${policy}-local-command`, sentence]);
}

function diags(list: [string, string][]): Diagnostic[] {
    return sorted(list.map(([policy, sentence]) => expected(policy, sentence)));
}

describe("daemon policies, through the analyzer server", () => {
    let pack: PolicyPackClient;
    before(async function () {
        this.timeout(60000);
        pack = await policyPack();
    });
    // Configure replaces the whole config: every test starts from the policies' defaults.
    beforeEach(() => pack.configure({}));

    const analyze = async (type: string, props: Record<string, unknown>, name = "dd-daemon-config") =>
        sorted(await pack.analyze({ type, name, props }));

    it("names its property keys as the SDKs do", () => {
        const provider: Record<keyof DockerProviderProps, true> = {
            host: true,
            context: true,
            caMaterial: true,
            certMaterial: true,
            keyMaterial: true,
            certPath: true,
        };
        const commandProps: Record<keyof CommandScriptProps, true> = {
            create: true,
            update: true,
            stdin: true,
            interpreter: true,
            environment: true,
            dir: true,
        };
        assert.deepEqual([...providerKeys].sort(), Object.keys(provider).sort());
        assert.deepEqual([...localKeys].sort(), Object.keys(commandProps).sort());
        assert.deepEqual(remoteKeys, ["create", "update", "stdin", "environment"]);
    });

    it("serves every daemon policy with its CIS id, tags and defaults", async () => {
        const served = new Map((await pack.info()).getPoliciesList().map((p) => [p.getName(), p]));
        assert.deepEqual(
            DAEMON_POLICIES.map((p) => [p.meta.name, p.meta.cis, p.meta.severity, p.meta.enforcementLevel]),
            [
                ["docker-daemon-require-reviewable-config", "2", "high", "mandatory"],
                ["docker-daemon-require-reviewable-config-local-command", "2", "high", "mandatory"],
                ["docker-daemon-disable-icc", "2.2", "medium", "advisory"],
                ["docker-daemon-disable-icc-local-command", "2.2", "medium", "advisory"],
                ["docker-daemon-restrict-log-level", "2.3", "low", "advisory"],
                ["docker-daemon-restrict-log-level-local-command", "2.3", "low", "advisory"],
                ["docker-daemon-require-iptables", "2.4", "medium", "advisory"],
                ["docker-daemon-require-iptables-local-command", "2.4", "medium", "advisory"],
                ["docker-daemon-disallow-insecure-registries", "2.5", "high", "mandatory"],
                ["docker-daemon-disallow-insecure-registries-local-command", "2.5", "high", "mandatory"],
                ["docker-daemon-disallow-deprecated-storage-driver", "2.6", "low", "advisory"],
                ["docker-daemon-disallow-deprecated-storage-driver-local-command", "2.6", "low", "advisory"],
                ["docker-daemon-require-tls-verify", "2.7", "critical", "mandatory"],
                ["docker-daemon-require-tls-verify-local-command", "2.7", "critical", "mandatory"],
                ["docker-provider-require-tls", "2.7", "high", "mandatory"],
                ["docker-daemon-require-userns-remap", "2.9", "medium", "advisory"],
                ["docker-daemon-require-userns-remap-local-command", "2.9", "medium", "advisory"],
                ["docker-daemon-disallow-cgroup-parent", "2.10", "medium", "advisory"],
                ["docker-daemon-disallow-cgroup-parent-local-command", "2.10", "medium", "advisory"],
                ["docker-daemon-disallow-base-device-size", "2.11", "low", "advisory"],
                ["docker-daemon-disallow-base-device-size-local-command", "2.11", "low", "advisory"],
                ["docker-daemon-require-remote-logging", "2.13", "medium", "advisory"],
                ["docker-daemon-require-remote-logging-local-command", "2.13", "medium", "advisory"],
                ["docker-daemon-require-no-new-privileges", "2.14", "high", "mandatory"],
                ["docker-daemon-require-no-new-privileges-local-command", "2.14", "high", "mandatory"],
                ["docker-daemon-require-live-restore", "2.15", "low", "advisory"],
                ["docker-daemon-require-live-restore-local-command", "2.15", "low", "advisory"],
                ["docker-daemon-disable-userland-proxy", "2.16", "low", "advisory"],
                ["docker-daemon-disable-userland-proxy-local-command", "2.16", "low", "advisory"],
                ["docker-daemon-disable-experimental", "2.18", "low", "advisory"],
                ["docker-daemon-disable-experimental-local-command", "2.18", "low", "advisory"],
            ],
        );
        for (const p of DAEMON_POLICIES) {
            const s = served.get(p.meta.name);
            assert.ok(s, `${p.meta.name} is not served`);
            assert.equal(s.getFramework()?.getName(), "CIS Docker Benchmark");
            assert.equal(s.getFramework()?.getReference(), p.meta.cis);
            assert.deepEqual(s.getTagsList(), [
                "cis-docker-1.6.0",
                `cis-${p.meta.cis}`,
                `section-${p.meta.cis.split(".")[0]}`,
            ]);
            assert.equal(
                p.meta.enforcementLevel,
                p.meta.severity === "critical" || p.meta.severity === "high" ? "mandatory" : "advisory",
            );
        }
        const schema = served
            .get("docker-daemon-require-remote-logging")!
            .getConfigschema()
            ?.getProperties()
            ?.toJavaScript() as Record<string, { default?: unknown }>;
        assert.deepEqual(schema.allowedLogDrivers.default, [
            "syslog",
            "journald",
            "fluentd",
            "gelf",
            "splunk",
            "awslogs",
            "gcplogs",
        ]);
    });

    describe("DockerDaemon's own commands", () => {
        it("pass every policy: the daemon-config step, the daemon-files step and the provider", async () => {
            assert.deepEqual(await analyze(REMOTE, stepCommand(COMPLIANT.steps[0].script)), []);
            assert.deepEqual(await analyze(REMOTE, stepCommand(COMPLIANT.steps[1].script), "dd-daemon-files"), []);
            assert.deepEqual(
                await analyze(
                    PROVIDER,
                    {
                        host: "ssh://admin@192.0.2.10:22",
                        sshOpts: JSON.stringify(["-o", "BatchMode=yes"]),
                    },
                    "dd-docker",
                ),
                [],
            );
        });

        it("pass with a TCP socket under TLS, in a secret script", async () => {
            const plan = planDaemon(
                daemonArgs({
                    tls: {
                        listenAddress: "192.0.2.10:2376",
                        caCertificate: CA_PEM,
                        serverCertificate: SERVER_CERT_PEM,
                        serverKey: SERVER_KEY_PEM,
                    },
                    logDriver: "journald",
                    syslogAddress: undefined,
                }),
            );
            assert.equal(plan.steps[0].secret, true);
            assert.deepEqual(await analyze(REMOTE, stepCommand(plan.steps[0].script, true)), []);
        });

        for (const c of CASES) {
            it(`reject a daemon.json with ${c.title}`, async () => {
                assert.deepEqual(await analyze(REMOTE, weakStep(c.change)), diags(c.violations));
            });
        }

        // Each rule's policy over local commands: the same checks, under the rule's name and -local-command.
        const LOCAL_CASES = CASES.map((c) => ({ ...c, violations: onLocal(c.violations) }));
        for (const c of LOCAL_CASES) {
            it(`reject a daemon.json with ${c.title}, written by a local command`, async () => {
                assert.deepEqual(await analyze(LOCAL, weakStep(c.change)), diags(c.violations));
            });
        }

        it("cover every daemon.json policy with a failing case", () => {
            const tripped = new Set([...CASES, ...LOCAL_CASES].flatMap((c) => c.violations.map(([p]) => p)));
            assert.deepEqual(
                DAEMON_POLICIES.map((p) => p.meta.name).filter(
                    (n) =>
                        n.startsWith("docker-daemon-") &&
                        n !== "docker-daemon-require-reviewable-config" &&
                        n !== "docker-daemon-require-reviewable-config-local-command" &&
                        !tripped.has(n),
                ),
                [],
            );
        });

        it("a relaxation DockerDaemon accepts with its own waiver is still reported, as the pack's to waive", async () => {
            const plan = planDaemon(
                daemonArgs({
                    icc: true,
                    liveRestore: false,
                    swarm: true,
                    waivers: {
                        interContainerCommunication: { reason: "legacy containers on the default bridge, INC-7" },
                        noLiveRestore: { reason: "swarm manager: live restore is incompatible with swarm mode" },
                        noAuthorizationPlugin: { reason: "no authorization plugin is packaged for Debian" },
                    },
                }),
            );
            assert.deepEqual(
                await analyze(REMOTE, stepCommand(plan.steps[0].script)),
                diags([
                    ["docker-daemon-disable-icc", `${S} sets "icc" to true; expected false (CIS 2.2).`],
                    [
                        "docker-daemon-require-live-restore",
                        `${S} sets "live-restore" to false; expected true (CIS 2.15).`,
                    ],
                ]),
            );
        });

        it("config.extra: every key the policies check is refused, except an http:// registry mirror", async () => {
            for (const extra of [
                { icc: true },
                { "insecure-registries": ["10.0.0.0/8"] },
                { "storage-driver": "aufs" },
                { hosts: ["fd://", "tcp://0.0.0.0:2375"] },
                { tlsverify: false },
                { "userns-remap": "" },
                { "log-driver": "json-file" },
                { "log-opts": { "syslog-address": "udp://logs.example.com:514" } },
                { "no-new-privileges": false },
                { "live-restore": false },
                { "userland-proxy": true },
                { "log-level": "debug" },
                { debug: true },
                { experimental: true },
            ]) {
                assert.throws(() => planDaemon(daemonArgs({ extra })), /would (set|change)/, JSON.stringify(extra));
            }
            const plan = planDaemon(daemonArgs({ extra: { "registry-mirrors": ["http://mirror.internal"] } }));
            assert.deepEqual(
                await analyze(REMOTE, stepCommand(plan.steps[0].script)),
                diags([
                    [
                        "docker-daemon-disallow-insecure-registries",
                        `${S} lists "http://mirror.internal" in "registry-mirrors", a mirror over plain HTTP; expected https:// mirrors only (CIS 2.5).`,
                    ],
                ]),
            );
        });

        it("a step whose embedded daemon.json is replaced by a computed one is unreviewable", async () => {
            const script = COMPLIANT.steps[0].script.replace(
                '    daemon_validate "$HD_TMP/daemon.json"',
                `    jq '.icc = true' "$HD_TMP/daemon.json" | sponge "$HD_TMP/daemon.json"\n    daemon_validate "$HD_TMP/daemon.json"`,
            );
            assert.deepEqual(
                await analyze(REMOTE, stepCommand(script)),
                diags([
                    [
                        "docker-daemon-require-reviewable-config",
                        `the command's stdin writes ${P} in a form the pack cannot read (jq produces its content), so none of its CIS section 2 settings can be checked (CIS 2).`,
                    ],
                ]),
            );
        });
    });

    describe("a user's own commands", () => {
        it("check a daemon.json written by a here-document, as dockerd reads it (absent keys are defaults)", async () => {
            const props = {
                create: `sudo tee ${P} > /dev/null <<'EOF'\n${USER_JSON}\nEOF\nsudo systemctl restart docker`,
            };
            assert.deepEqual(
                await analyze(REMOTE, props, "docker-config"),
                diags(USER_VIOLATIONS("the daemon.json in create")),
            );
        });

        it("check one written by echo in create and update, once", async () => {
            const line = `echo '${USER_JSON.replace(/\n\s*/g, " ")}' | sudo tee ${P}`;
            assert.deepEqual(
                await analyze(LOCAL, { create: line, update: line }, "docker-config"),
                diags(onLocal(USER_VIOLATIONS("the daemon.json in create and update"))),
            );
        });

        it("check one sent on stdin to tee", async () => {
            assert.deepEqual(
                await analyze(REMOTE, { create: `sudo tee ${P}`, stdin: USER_JSON }, "docker-config"),
                diags(USER_VIOLATIONS("the daemon.json in stdin")),
            );
        });

        it("check one written through sh -c's $1", async () => {
            assert.deepEqual(
                await analyze(REMOTE, { create: `sudo sh -c 'cat > "$1"' _ ${P}`, stdin: USER_JSON }, "docker-config"),
                diags(USER_VIOLATIONS("the daemon.json in stdin")),
            );
        });

        it("check one written through the command's environment and directory", async () => {
            assert.deepEqual(
                await analyze(REMOTE, { create: `sudo tee "$F" >/dev/null`, stdin: USER_JSON, environment: { F: P } }),
                diags(USER_VIOLATIONS("the daemon.json in stdin")),
            );
            assert.deepEqual(
                await analyze(LOCAL, { create: `cat > daemon.json`, stdin: USER_JSON, dir: "/etc/docker" }),
                diags(onLocal(USER_VIOLATIONS("the daemon.json in stdin"))),
            );
        });

        const unreviewable = (field: string, reason: string) =>
            diags([
                [
                    "docker-daemon-require-reviewable-config",
                    `the command's ${field} writes ${P} in a form the pack cannot read (${reason}), so none of its CIS section 2 settings can be checked (CIS 2).`,
                ],
            ]);

        it("call one written to a path from the host's environment unreviewable", async () => {
            for (const create of [`sudo sh -c 'cat > "$1"' _ "$TARGET"`, `cat > "$TARGET"`]) {
                const raw = create.startsWith("sudo") ? '"$1"' : '"$TARGET"';
                assert.deepEqual(
                    await analyze(REMOTE, { create, stdin: USER_JSON }, "docker-config"),
                    unreviewable("create", `it writes to ${raw}, which may be ${P}`),
                    create,
                );
            }
            // The environment is unknown during preview: nothing yet.
            assert.deepEqual(
                await analyze(REMOTE, { create: `cat > "$TARGET"`, stdin: USER_JSON, environment: UNKNOWN }),
                [],
            );
        });

        it("call one a local command writes through ssh unreviewable, under the rule's local-command policy", async () => {
            const create = `jq '.icc = false' daemon.json | ssh admin@docker-1 "sudo tee ${P}"`;
            assert.deepEqual(await analyze(LOCAL, { create }, "push-config"), [
                expected(
                    "docker-daemon-require-reviewable-config-local-command",
                    `the command's create writes ${P} in a form the pack cannot read (jq produces its content), so none of its CIS section 2 settings can be checked (CIS 2).`,
                ),
            ]);
            assert.deepEqual(
                await analyze(REMOTE, { create }, "push-config"),
                unreviewable("create", "jq produces its content"),
            );
        });

        it("call a compliant file in a variable changed by read, printf -v, unset, eval or source unreviewable", async () => {
            const set = `J='${COMPLIANT.daemonJson}'`;
            const write = `echo "$J" > ${P}`;
            assert.deepEqual(await analyze(REMOTE, { create: `${set}\n${write}` }, "docker-config"), []);
            for (const change of [
                "IFS= read -r J < /tmp/from-elsewhere.json",
                `printf -v J '%s' '{"icc": true}'`,
                "unset J",
                'eval "$(cat /tmp/overrides)"',
                ". /tmp/overrides.sh",
            ]) {
                assert.deepEqual(
                    await analyze(REMOTE, { create: `${set}\n${change}\n${write}` }, "docker-config"),
                    unreviewable("create", "echo's text expands a variable or a command"),
                    change,
                );
            }
        });

        it("pass a compliant one", async () => {
            const props = { create: `sudo tee ${P} <<'EOF'\n${COMPLIANT.daemonJson}EOF\n` };
            assert.deepEqual(await analyze(REMOTE, props, "docker-config"), []);
        });

        it("report a removal: dockerd then runs on its defaults", async () => {
            const s = `with ${P} removed by create, dockerd`;
            assert.deepEqual(
                await analyze(REMOTE, { create: `sudo rm -f ${P} && sudo systemctl restart docker` }, "docker-reset"),
                diags([
                    ["docker-daemon-disable-icc", `${s} leaves "icc" unset (true); expected false (CIS 2.2).`],
                    [
                        "docker-daemon-require-userns-remap",
                        `${s} leaves "userns-remap" unset, so container root is host root; expected "default" or a dedicated user (CIS 2.9).`,
                    ],
                    [
                        "docker-daemon-require-remote-logging",
                        `${s} leaves "log-driver" unset (json-file), which keeps logs on the host; expected one of "syslog", "journald", "fluentd", "gelf", "splunk", "awslogs", "gcplogs" (CIS 2.13).`,
                    ],
                    ...USER_VIOLATIONS(s).slice(2),
                ]),
            );
        });

        for (const [title, create, reason] of [
            ["jq", `jq '.icc = true' ${P} > /tmp/d.json && sudo mv /tmp/d.json ${P}`, "mv moves /tmp/d.json over it"],
            [
                "an unquoted here-document",
                `cat <<EOF | sudo tee ${P}\n{"data-root": "$DATA_ROOT"}\nEOF`,
                'its here-document (<<EOF) is unquoted and expands "$" in its text',
            ],
            ["sed -i", `sudo sed -i 's/"icc": false/"icc": true/' ${P}`, "sed edits it in place"],
            ["a copy", `sudo cp /srv/config/daemon.json ${P}`, "cp copies /srv/config/daemon.json over it"],
        ]) {
            it(`call a daemon.json written by ${title} unreviewable, and nothing else`, async () => {
                assert.deepEqual(
                    await analyze(REMOTE, { create }, "docker-config"),
                    diags([
                        [
                            "docker-daemon-require-reviewable-config",
                            `the command's create writes ${P} in a form the pack cannot read (${reason}), so none of its CIS section 2 settings can be checked (CIS 2).`,
                        ],
                    ]),
                );
            });
        }

        it("pass commands that only read it", async () => {
            for (const create of [
                `cat ${P}`,
                `jq -e '.icc == false' ${P}`,
                `sudo cp -p ${P} ${P}.bak`,
                `dockerd --validate --config-file ${P}`,
            ]) {
                assert.deepEqual(await analyze(REMOTE, { create }, "docker-read"), [], create);
            }
        });
    });

    describe("values unknown during preview", () => {
        it("raise no violation: an unknown stdin, create or interpreter", async () => {
            assert.deepEqual(await analyze(REMOTE, { create: RUN_AS_ROOT, stdin: UNKNOWN }), []);
            assert.deepEqual(await analyze(REMOTE, { create: `sudo tee ${P}`, stdin: UNKNOWN }), []);
            assert.deepEqual(await analyze(REMOTE, { create: UNKNOWN, stdin: USER_JSON }), []);
            assert.deepEqual(
                await analyze(LOCAL, { create: `echo '{}' > ${P}`, interpreter: ["/bin/sh", UNKNOWN] }),
                [],
            );
        });

        it("the known fields are still checked", async () => {
            const props = weakStep((j) => (j.icc = true));
            props.update = UNKNOWN;
            assert.deepEqual(
                await analyze(REMOTE, props),
                diags([["docker-daemon-disable-icc", `${S} sets "icc" to true; expected false (CIS 2.2).`]]),
            );
        });

        it("an unknown provider host or key raises no violation", async () => {
            assert.deepEqual(await analyze(PROVIDER, { host: UNKNOWN }, "docker"), []);
            assert.deepEqual(
                await analyze(
                    PROVIDER,
                    { host: "tcp://192.0.2.10:2376", caMaterial: "CA", certMaterial: "CERT", keyMaterial: UNKNOWN },
                    "docker",
                ),
                [],
            );
        });
    });

    describe("settings", () => {
        it("allowedLogDrivers replaces the list of drivers that leave the host", async () => {
            await pack.configure({ "docker-daemon-require-remote-logging": { allowedLogDrivers: ["journald"] } });
            assert.deepEqual(
                await analyze(REMOTE, stepCommand(COMPLIANT.steps[0].script)),
                diags([
                    [
                        "docker-daemon-require-remote-logging",
                        `${S} sets "log-driver" to "syslog"; expected one of "journald" (CIS 2.13).`,
                    ],
                ]),
            );
        });

        it("a waiver for the command applies to its daemon.json", async () => {
            const props = weakStep((j) => {
                j.icc = true;
                j["live-restore"] = false;
            });
            await pack.configure({
                "docker-daemon-disable-icc": {
                    waivers: [{ resource: "*-daemon-config", justification: "legacy bridge containers, INC-7" }],
                },
            });
            assert.deepEqual(
                await analyze(REMOTE, props),
                diags([
                    [
                        "docker-daemon-require-live-restore",
                        `${S} sets "live-restore" to false; expected true (CIS 2.15).`,
                    ],
                ]),
            );
        });
    });

    describe("docker-provider-require-tls", () => {
        const reject = (host: string, missing: string) =>
            expected(
                "docker-provider-require-tls",
                `host is ${JSON.stringify(host)}, a TCP endpoint, but ${missing} not set (nor certPath); expected TLS with a client certificate (CIS 2.7).`,
            );

        it("rejects a TCP host without client certificates", async () => {
            for (const host of [
                "tcp://192.0.2.10:2375",
                "http://192.0.2.10:2375",
                "https://192.0.2.10:2376",
                "192.0.2.10:2375",
            ]) {
                assert.deepEqual(await analyze(PROVIDER, { host }, "docker"), [
                    reject(host, "caMaterial, certMaterial and keyMaterial are"),
                ]);
            }
        });

        it("shows the host without the user and password it may carry", async () => {
            assert.deepEqual(await analyze(PROVIDER, { host: "tcp://admin:S3cr3tPass@10.0.0.5:2375" }, "docker"), [
                reject("tcp://10.0.0.5:2375", "caMaterial, certMaterial and keyMaterial are"),
            ]);
        });

        it("names the missing material only, never its value", async () => {
            const got = await analyze(
                PROVIDER,
                {
                    host: "tcp://192.0.2.10:2376",
                    caMaterial: CA_PEM,
                    certMaterial: { [SECRET_SIG]: SECRET, value: SERVER_CERT_PEM },
                },
                "docker",
            );
            assert.deepEqual(got, [reject("tcp://192.0.2.10:2376", "keyMaterial is")]);
            assert.equal(got[0].message.includes("BEGIN"), false);
        });

        it("reads a JSON-encoded host as the engine may send it", async () => {
            assert.deepEqual(await analyze(PROVIDER, { host: JSON.stringify("tcp://192.0.2.10:2375") }, "docker"), [
                reject("tcp://192.0.2.10:2375", "caMaterial, certMaterial and keyMaterial are"),
            ]);
        });

        it("passes TLS material, a cert path, SSH, the Unix socket, a named pipe, a context and no host", async () => {
            for (const props of [
                {
                    host: "tcp://192.0.2.10:2376",
                    caMaterial: CA_PEM,
                    certMaterial: SERVER_CERT_PEM,
                    keyMaterial: { [SECRET_SIG]: SECRET, value: SERVER_KEY_PEM },
                },
                { host: "tcp://192.0.2.10:2376", certPath: "/home/ci/.docker/prod" },
                { host: "ssh://admin@192.0.2.10:22" },
                { host: "unix:///var/run/docker.sock" },
                { host: "npipe:////./pipe/docker_engine" },
                { host: "tcp://192.0.2.10:2375", context: "prod" },
                {},
            ]) {
                assert.deepEqual(await analyze(PROVIDER, props, "docker"), [], JSON.stringify(props));
            }
        });
    });
});
