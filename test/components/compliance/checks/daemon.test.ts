import * as assert from "node:assert/strict";
import type { RawEvidence } from "../../../../components/compliance";
import { DAEMON_CHECKS } from "../../../../components/compliance/checks/daemon";
import type { AuditExpectations, Finding } from "../../../../components/compliance/checks/types";
import { Evidence, type DockerInfo } from "../../../../components/compliance/evidence";
import { editSection, recorded, SANDBOX_EXPECTATIONS } from "../fixtures";

const EXPECT = SANDBOX_EXPECTATIONS;

const hardened = recorded("hardened");

function run(id: string, raw: RawEvidence = hardened, exp: AuditExpectations = EXPECT): Finding {
    const c = DAEMON_CHECKS.find((x) => x.id === id);
    assert.ok(c, `no check ${id}`);
    return c.run(new Evidence(raw), exp);
}

function info(edit: (i: DockerInfo & Record<string, unknown>) => void): RawEvidence {
    return editSection(hardened, "docker-info", (out) => {
        const i = JSON.parse(out) as DockerInfo & Record<string, unknown>;
        edit(i);
        return JSON.stringify(i);
    });
}

function daemonJson(edit: (j: Record<string, unknown>) => void, raw: RawEvidence = hardened): RawEvidence {
    return editSection(raw, "daemon-json", (out) => {
        const j = JSON.parse(out) as Record<string, unknown>;
        edit(j);
        return JSON.stringify(j, null, 2);
    });
}

function cmdline(...args: string[]): RawEvidence {
    return editSection(hardened, "dockerd-cmdline", () => ["/usr/sbin/dockerd", ...args, ""].join("\n"));
}

describe("ComplianceAudit checks: daemon (CIS 2, 5.1)", () => {
    it("passes every daemon control on the sandbox, each with what it read", () => {
        const seen = Object.fromEntries(DAEMON_CHECKS.map((c) => [c.cis, c.run(new Evidence(hardened), EXPECT)]));
        assert.deepEqual(seen, {
            "2.2": { status: "pass", evidence: ["default bridge: com.docker.network.bridge.enable_icc false"] },
            "2.3": { status: "pass", evidence: ['daemon.json "log-level": "info"', "docker info: Debug false"] },
            "2.4": {
                status: "pass",
                evidence: ['daemon.json "iptables": true', "Docker's DOCKER chain is loaded (nat table)"],
            },
            "2.5": {
                status: "pass",
                evidence: ['docker info: insecure registry CIDRs ["127.0.0.0/8"], insecure registries []'],
            },
            "2.6": { status: "pass", evidence: ["docker info: storage driver overlay2"] },
            "2.7": {
                status: "pass",
                evidence: [
                    "dockerd listens on no TCP port but the ones it publishes for containers",
                    'daemon.json "hosts": ["fd://"]',
                ],
            },
            "2.9": {
                status: "pass",
                evidence: [
                    "docker info: security options name=apparmor name=seccomp,profile=default name=userns name=cgroupns",
                ],
            },
            "2.10": { status: "pass", evidence: ["cgroup-parent is not set"] },
            "2.11": { status: "pass", evidence: ["storage-opts is not set", "docker info: storage driver overlay2"] },
            "2.12": { status: "fail", evidence: ["docker info: authorization plugins []"] },
            "2.13": {
                status: "fail",
                evidence: [
                    "docker info: log driver journald",
                    "rsyslog.service inactive",
                    "no forwarding rule of the logging step",
                ],
            },
            "2.14": { status: "pass", evidence: ['daemon.json "no-new-privileges": true'] },
            "2.15": { status: "pass", evidence: ["docker info: live restore true"] },
            "2.16": { status: "pass", evidence: ['daemon.json "userland-proxy": false', "docker-proxy processes: 0"] },
            "2.18": { status: "pass", evidence: ["docker info: experimental false"] },
            "5.1": { status: "pass", evidence: ["docker info: swarm inactive"] },
        });
    });

    it("2.2: inter-container traffic on, or no default bridge", () => {
        const on = editSection(hardened, "bridge-options", (o) =>
            o.replace('enable_icc":"false"', 'enable_icc":"true"'),
        );
        assert.deepEqual(run("daemon-icc-off", on), {
            status: "fail",
            evidence: ["default bridge: com.docker.network.bridge.enable_icc true"],
        });
        const none = editSection(hardened, "bridge-options", () => "Error: No such network: bridge\n", 1);
        assert.deepEqual(run("daemon-icc-off", none), {
            status: "not-applicable",
            evidence: ["the daemon has no default bridge network"],
        });
    });

    it("2.3: the command line wins over daemon.json; debug fails", () => {
        assert.deepEqual(run("daemon-log-level-info", cmdline("--log-level=debug")), {
            status: "fail",
            evidence: ["dockerd --log-level=debug", "docker info: Debug false"],
        });
        assert.deepEqual(run("daemon-log-level-info", cmdline("-l", "warn")), {
            status: "fail",
            evidence: ["dockerd -l warn", "docker info: Debug false"],
        });
        assert.deepEqual(
            run(
                "daemon-log-level-info",
                info((i) => (i.Debug = true)),
            ),
            {
                status: "fail",
                evidence: ['daemon.json "log-level": "info"', "docker info: Debug true"],
            },
        );
        const unset = daemonJson((j) => delete j["log-level"]);
        assert.deepEqual(run("daemon-log-level-info", unset), {
            status: "pass",
            evidence: ['log-level not set (default "info")', "docker info: Debug false"],
        });
    });

    it("2.4: iptables off, or Docker's chains missing", () => {
        assert.deepEqual(run("daemon-manages-iptables", cmdline("--iptables=false")), {
            status: "fail",
            evidence: ["dockerd --iptables=false", "Docker's DOCKER chain is loaded (nat table)"],
        });
        const flushed = editSection(
            editSection(hardened, "nft-ruleset", (o) => o.replace(/chain DOCKER \{/g, "chain OTHER {")),
            "iptables-docker",
            () => "iptables: No chain/target/match by that name.\n",
            1,
        );
        assert.deepEqual(run("daemon-manages-iptables", flushed), {
            status: "fail",
            evidence: ['daemon.json "iptables": true', "no DOCKER chain is loaded"],
        });
    });

    it("2.5: an insecure registry beyond loopback", () => {
        const raw = info((i) => {
            i.RegistryConfig = {
                InsecureRegistryCIDRs: ["127.0.0.0/8", "10.0.0.0/8"],
                IndexConfigs: { "registry.lan:5000": { Name: "registry.lan:5000", Secure: false } },
            };
        });
        assert.deepEqual(run("daemon-no-insecure-registries", raw), {
            status: "fail",
            evidence: [
                'docker info: insecure registry CIDRs ["127.0.0.0/8","10.0.0.0/8"], insecure registries ["registry.lan:5000"]',
            ],
        });
    });

    it("2.6: aufs fails", () => {
        assert.deepEqual(
            run(
                "daemon-storage-driver",
                info((i) => (i.Driver = "aufs")),
            ),
            {
                status: "fail",
                evidence: ["docker info: storage driver aufs"],
            },
        );
    });

    it("2.7: a TCP API without TLS verification fails; with it, passes", () => {
        const tcp = editSection(
            daemonJson((j) => (j.hosts = ["fd://", "tcp://0.0.0.0:2375"])),
            "listeners",
            (o) => `${o}LISTEN 0      4096   0.0.0.0:2375  0.0.0.0:* users:(("dockerd",pid=3501,fd=9))\n`,
        );
        assert.deepEqual(run("daemon-tcp-requires-tls", tcp), {
            status: "fail",
            evidence: [
                "dockerd's API on TCP: tcp://0.0.0.0:2375, 0.0.0.0:2375",
                'daemon.json "hosts": ["fd://","tcp://0.0.0.0:2375"]',
                "tlsverify not set (default false)",
                'tlscacert not set (default "")',
            ],
        });
        const tls = daemonJson((j) => {
            j.tlsverify = true;
            j.tlscacert = "/etc/docker/tls/ca.pem";
        }, tcp);
        assert.deepEqual(run("daemon-tcp-requires-tls", tls), {
            status: "pass",
            evidence: [
                "dockerd's API on TCP: tcp://0.0.0.0:2375, 0.0.0.0:2375",
                'daemon.json "hosts": ["fd://","tcp://0.0.0.0:2375"]',
                'daemon.json "tlsverify": true',
                'daemon.json "tlscacert": "/etc/docker/tls/ca.pem"',
            ],
        });
        // A listener dockerd holds on a port no container publishes is an API nobody configured in daemon.json.
        const stray = editSection(
            hardened,
            "listeners",
            (o) => `${o}LISTEN 0      4096   0.0.0.0:2376  0.0.0.0:* users:(("dockerd",pid=3501,fd=9))\n`,
        );
        assert.equal(run("daemon-tcp-requires-tls", stray).status, "fail");
        assert.deepEqual(run("daemon-tcp-requires-tls", cmdline("-H", "tcp://10.0.0.5:2375")).evidence.slice(0, 2), [
            "dockerd's API on TCP: tcp://10.0.0.5:2375",
            "dockerd -H tcp://10.0.0.5:2375",
        ]);
    });

    it("2.9, 2.12, 2.15, 2.18, 5.1: read from docker info", () => {
        assert.deepEqual(
            run(
                "daemon-userns-remap",
                info((i) => (i.SecurityOptions = ["name=apparmor", "name=seccomp,profile=default"])),
            ),
            { status: "fail", evidence: ["docker info: security options name=apparmor name=seccomp,profile=default"] },
        );
        assert.deepEqual(
            run(
                "daemon-authorization-plugin",
                info((i) => (i.Plugins = { Authorization: ["opa-docker-authz"] })),
            ),
            {
                status: "pass",
                evidence: ['docker info: authorization plugins ["opa-docker-authz"]'],
            },
        );
        assert.deepEqual(run("daemon-live-restore", recorded("weakened")), {
            status: "fail",
            evidence: ["docker info: live restore false"],
        });
        assert.deepEqual(
            run(
                "daemon-no-experimental",
                info((i) => (i.ExperimentalBuild = true)),
            ),
            {
                status: "fail",
                evidence: ["docker info: experimental true"],
            },
        );
        assert.deepEqual(
            run(
                "swarm-inactive",
                info((i) => (i.Swarm = { LocalNodeState: "active" })),
            ),
            {
                status: "fail",
                evidence: ["docker info: swarm active"],
            },
        );
    });

    it("2.10, 2.11: a cgroup parent or a base device size set", () => {
        assert.deepEqual(
            run(
                "daemon-default-cgroup-parent",
                daemonJson((j) => (j["cgroup-parent"] = "/custom")),
            ),
            {
                status: "fail",
                evidence: ['daemon.json "cgroup-parent": "/custom"'],
            },
        );
        assert.deepEqual(run("daemon-base-device-size", cmdline("--storage-opt", "dm.basesize=20G")), {
            status: "fail",
            evidence: ["dockerd --storage-opt dm.basesize=20G"],
        });
        assert.deepEqual(
            run(
                "daemon-base-device-size",
                daemonJson((j) => (j["storage-opts"] = ["overlay2.size=10G"])),
            ),
            {
                status: "pass",
                evidence: ['daemon.json "storage-opts": ["overlay2.size=10G"]', "docker info: storage driver overlay2"],
            },
        );
    });

    it("2.13: json-file fails; journald passes only when the host forwards the journal", () => {
        assert.deepEqual(
            run(
                "daemon-remote-logging",
                info((i) => (i.LoggingDriver = "json-file")),
            ),
            {
                status: "fail",
                evidence: ["docker info: log driver json-file keeps logs on the host"],
            },
        );
        assert.deepEqual(
            run(
                "daemon-remote-logging",
                info((i) => (i.LoggingDriver = "gelf")),
            ),
            {
                status: "pass",
                evidence: ["docker info: log driver gelf sends logs off the host"],
            },
        );
        const forwarding = editSection(
            hardened,
            "rsyslog",
            () => "active\n/etc/rsyslog.d/60-hardened-docker.conf present\n",
        );
        assert.deepEqual(run("daemon-remote-logging", forwarding, { ...EXPECT, remoteLogging: true }), {
            status: "pass",
            evidence: [
                "docker info: log driver journald",
                "rsyslog.service active",
                "the logging step's forwarding rule is installed",
            ],
        });
        const stopped = editSection(
            hardened,
            "rsyslog",
            () => "failed\n/etc/rsyslog.d/60-hardened-docker.conf present\n",
        );
        assert.equal(run("daemon-remote-logging", stopped, { ...EXPECT, remoteLogging: true }).status, "fail");
    });

    it("2.14, 2.16: no-new-privileges off; the userland proxy on or running", () => {
        assert.deepEqual(
            run(
                "daemon-no-new-privileges",
                daemonJson((j) => delete j["no-new-privileges"]),
            ),
            {
                status: "fail",
                evidence: ["no-new-privileges not set (default false)"],
            },
        );
        assert.deepEqual(run("daemon-no-new-privileges", cmdline("--no-new-privileges")), {
            status: "pass",
            evidence: ["dockerd --no-new-privileges"],
        });
        const proxy = editSection(
            hardened,
            "docker-proxy",
            () => "4242 /usr/bin/docker-proxy -proto tcp -host-ip 10.0.2.15\n",
        );
        assert.deepEqual(run("daemon-no-userland-proxy", proxy), {
            status: "fail",
            evidence: ['daemon.json "userland-proxy": false', "docker-proxy processes: 1"],
        });
        assert.deepEqual(
            run(
                "daemon-no-userland-proxy",
                daemonJson((j) => delete j["userland-proxy"]),
            ),
            {
                status: "fail",
                evidence: ["userland-proxy not set (default true)", "docker-proxy processes: 0"],
            },
        );
    });

    it("reads a missing daemon.json as empty, and an unreadable docker info as a reason to fail", () => {
        const none = editSection(
            hardened,
            "daemon-json",
            () => "cat: /etc/docker/daemon.json: No such file or directory\n",
            1,
        );
        assert.deepEqual(run("daemon-default-cgroup-parent", none), {
            status: "pass",
            evidence: ["cgroup-parent is not set"],
        });
        const broken = editSection(hardened, "docker-info", () => "Cannot connect to the Docker daemon\n", 1);
        assert.throws(
            () => run("daemon-live-restore", broken),
            /^Error: docker-info failed \(exit 1\): Cannot connect to the Docker daemon$/,
        );
    });
});

describe("ComplianceAudit checks: daemon, beyond one backend or one driver", () => {
    it("2.4: Docker's chain seen by iptables -S (either backend), or by nft when iptables is missing", () => {
        const legacy = editSection(
            editSection(hardened, "nft-ruleset", (o) => o.replace(/chain DOCKER \{/g, "chain OTHER {")),
            "iptables-docker",
            (o) => o,
            0,
        );
        assert.deepEqual(run("daemon-manages-iptables", legacy), {
            status: "pass",
            evidence: ['daemon.json "iptables": true', "Docker's DOCKER chain is loaded (nat table)"],
        });
        const none = editSection(
            editSection(hardened, "iptables-docker", () => "iptables: No chain/target/match by that name.\n", 1),
            "nft-ruleset",
            (o) => o.replace(/chain DOCKER \{/g, "chain OTHER {"),
        );
        assert.deepEqual(run("daemon-manages-iptables", none), {
            status: "fail",
            evidence: ['daemon.json "iptables": true', "no DOCKER chain is loaded"],
        });
    });

    it("2.13: the syslog driver is remote only with a syslog-address off this host", () => {
        const syslog = (opts: Record<string, string>) =>
            daemonJson(
                (j) => (j["log-opts"] = opts),
                info((i) => (i.LoggingDriver = "syslog")),
            );
        assert.deepEqual(
            run("daemon-remote-logging", syslog({ "syslog-address": "tcp+tls://logs.example.net:6514" })),
            {
                status: "pass",
                evidence: ["docker info: log driver syslog sends logs to tcp+tls://logs.example.net:6514"],
            },
        );
        for (const address of ["unix:///dev/log", "udp://127.0.0.1:514", "tcp://localhost:514"]) {
            assert.deepEqual(
                run("daemon-remote-logging", syslog({ "syslog-address": address })),
                {
                    status: "fail",
                    evidence: [
                        `docker info: log driver syslog to this host (${address})`,
                        "rsyslog.service inactive",
                        "no forwarding rule of the logging step",
                    ],
                },
                address,
            );
        }
        assert.deepEqual(
            run("daemon-remote-logging", syslog({})).evidence[0],
            "docker info: log driver syslog to this host (/dev/log)",
        );
        const forwarded = editSection(
            syslog({}),
            "rsyslog",
            () => "active\n/etc/rsyslog.d/60-hardened-docker.conf present\n",
        );
        assert.equal(run("daemon-remote-logging", forwarded, { ...EXPECT, remoteLogging: true }).status, "pass");
    });
});
