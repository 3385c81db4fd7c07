import * as assert from "node:assert/strict";
import type { CheckDef, RawEvidence } from "../../../../components/compliance";
import { FILE_CHECKS } from "../../../../components/compliance/checks/files";
import type { Finding } from "../../../../components/compliance/checks/types";
import { Evidence, MissingEvidence } from "../../../../components/compliance/evidence";
import { editSection, recorded, SANDBOX_EXPECTATIONS } from "../fixtures";

const EXPECT = SANDBOX_EXPECTATIONS;

const HARDENED = recorded("hardened");
const WEAKENED = recorded("weakened");

function check(id: string): CheckDef {
    const c = FILE_CHECKS.find((x) => x.id === id);
    if (c === undefined) {
        throw new Error(`no file check ${id}`);
    }
    return c;
}

function run(id: string, raw: RawEvidence = HARDENED): Finding {
    return check(id).run(new Evidence(raw), EXPECT);
}

/** A copy of the evidence with the file-modes line of `path` replaced (or removed, with null). */
function fileLine(raw: RawEvidence, path: string, line: string | null): RawEvidence {
    return editSection(raw, "file-modes", (out) => {
        const lines = out.split("\n");
        const i = lines.findIndex((l) => l.split("|")[1] === path);
        assert.notEqual(i, -1, `the fixture has no file-modes line for ${path}`);
        if (line === null) {
            lines.splice(i, 1);
        } else {
            lines[i] = line;
        }
        return lines.join("\n");
    });
}

/** A copy with lines added to the file-modes section, as the collector prints them. */
function addLines(raw: RawEvidence, ...lines: string[]): RawEvidence {
    return editSection(raw, "file-modes", (out) => `${out}${lines.map((l) => `${l}\n`).join("")}`);
}

const passes = (...evidence: string[]): Finding => ({ status: "pass", evidence });
const fails = (...evidence: string[]): Finding => ({ status: "fail", evidence });
const notApplicable = (...evidence: string[]): Finding => ({ status: "not-applicable", evidence });

const TLS_FILES = [
    "tlscacert|/etc/docker/tls/ca.pem|444|root|root|f",
    "tlscert|/etc/docker/tls/cert.pem|444|root|root|f",
    "tlskey|/etc/docker/tls/key.pem|400|root|root|f",
];

describe("ComplianceAudit: file checks (CIS section 3)", () => {
    it("has an ownership and a mode check for each file, in benchmark order, with their titles", () => {
        assert.deepEqual(
            FILE_CHECKS.map((c) => [c.id, c.cis, c.title]),
            [
                ["file-owner-docker-service", "3.1", "The docker.service unit file: owned by root:root"],
                ["file-mode-docker-service", "3.2", "The docker.service unit file: mode 644 or stricter"],
                ["file-owner-docker-socket", "3.3", "The docker.socket unit file: owned by root:root"],
                ["file-mode-docker-socket", "3.4", "The docker.socket unit file: mode 644 or stricter"],
                ["file-owner-etc-docker", "3.5", "/etc/docker: owned by root:root"],
                ["file-mode-etc-docker", "3.6", "/etc/docker: mode 755 or stricter"],
                [
                    "file-owner-registry-certificates",
                    "3.7",
                    "The registry certificates under /etc/docker/certs.d: owned by root:root",
                ],
                [
                    "file-mode-registry-certificates",
                    "3.8",
                    "The registry certificates under /etc/docker/certs.d: mode 444 or stricter",
                ],
                ["file-owner-tls-ca-certificate", "3.9", "The TLS CA certificate: owned by root:root"],
                ["file-mode-tls-ca-certificate", "3.10", "The TLS CA certificate: mode 444 or stricter"],
                ["file-owner-tls-certificate", "3.11", "The daemon's TLS certificate: owned by root:root"],
                ["file-mode-tls-certificate", "3.12", "The daemon's TLS certificate: mode 444 or stricter"],
                ["file-owner-tls-key", "3.13", "The daemon's TLS key: owned by root:root"],
                ["file-mode-tls-key", "3.14", "The daemon's TLS key: mode exactly 400"],
                ["file-owner-docker-sock", "3.15", "The Docker socket: owned by root:docker"],
                ["file-mode-docker-sock", "3.16", "The Docker socket: mode 660 or stricter"],
                ["file-owner-daemon-json", "3.17", "/etc/docker/daemon.json: owned by root:root"],
                ["file-mode-daemon-json", "3.18", "/etc/docker/daemon.json: mode 644 or stricter"],
                ["file-owner-etc-default-docker", "3.19", "/etc/default/docker: owned by root:root"],
                ["file-mode-etc-default-docker", "3.20", "/etc/default/docker: mode 644 or stricter"],
                ["file-owner-etc-sysconfig-docker", "3.21", "/etc/sysconfig/docker: owned by root:root"],
                ["file-mode-etc-sysconfig-docker", "3.22", "/etc/sysconfig/docker: mode 644 or stricter"],
                ["file-owner-containerd-sock", "3.23", "containerd.sock: owned by root:root"],
                ["file-mode-containerd-sock", "3.24", "containerd.sock: mode 660 or stricter"],
            ],
        );
    });

    describe("the recorded hardened host", () => {
        it("parses the file-modes section", () => {
            assert.deepEqual(new Evidence(HARDENED).files(), [
                {
                    kind: "unit:docker.service",
                    path: "/lib/systemd/system/docker.service",
                    mode: "644",
                    owner: "root",
                    group: "root",
                    type: "f",
                },
                {
                    kind: "unit:docker.socket",
                    path: "/lib/systemd/system/docker.socket",
                    mode: "644",
                    owner: "root",
                    group: "root",
                    type: "f",
                },
                { kind: "file", path: "/etc/docker", mode: "755", owner: "root", group: "root", type: "d" },
                { kind: "file", path: "/etc/docker/daemon.json", mode: "644", owner: "root", group: "root", type: "f" },
                { kind: "file", path: "/var/run/docker.sock", mode: "660", owner: "root", group: "docker", type: "s" },
                { kind: "file", path: "/etc/default/docker", mode: "644", owner: "root", group: "root", type: "f" },
                {
                    kind: "file",
                    path: "/run/containerd/containerd.sock",
                    mode: "660",
                    owner: "root",
                    group: "root",
                    type: "s",
                },
            ]);
        });

        /** Each present file's line, which both its ownership and its mode check show. */
        const PRESENT: [owner: string, mode: string, line: string][] = [
            [
                "file-owner-docker-service",
                "file-mode-docker-service",
                "/lib/systemd/system/docker.service: 644 root:root",
            ],
            ["file-owner-docker-socket", "file-mode-docker-socket", "/lib/systemd/system/docker.socket: 644 root:root"],
            ["file-owner-etc-docker", "file-mode-etc-docker", "/etc/docker: 755 root:root"],
            ["file-owner-docker-sock", "file-mode-docker-sock", "/var/run/docker.sock: 660 root:docker"],
            ["file-owner-daemon-json", "file-mode-daemon-json", "/etc/docker/daemon.json: 644 root:root"],
            ["file-owner-etc-default-docker", "file-mode-etc-default-docker", "/etc/default/docker: 644 root:root"],
            [
                "file-owner-containerd-sock",
                "file-mode-containerd-sock",
                "/run/containerd/containerd.sock: 660 root:root",
            ],
        ];
        for (const [owner, mode, line] of PRESENT) {
            it(`${owner} and ${mode} pass: ${line}`, () => {
                assert.deepEqual(run(owner), passes(line));
                assert.deepEqual(run(mode), passes(line));
            });
        }

        /** The files this host does not have. */
        const ABSENT: [owner: string, mode: string, what: string][] = [
            [
                "file-owner-registry-certificates",
                "file-mode-registry-certificates",
                "the registry certificates under /etc/docker/certs.d",
            ],
            ["file-owner-tls-ca-certificate", "file-mode-tls-ca-certificate", "the TLS CA certificate"],
            ["file-owner-tls-certificate", "file-mode-tls-certificate", "the daemon's TLS certificate"],
            ["file-owner-tls-key", "file-mode-tls-key", "the daemon's TLS key"],
            ["file-owner-etc-sysconfig-docker", "file-mode-etc-sysconfig-docker", "/etc/sysconfig/docker"],
        ];
        for (const [owner, mode, what] of ABSENT) {
            it(`${owner} and ${mode} are not applicable when absent: ${what}`, () => {
                assert.deepEqual(run(owner), notApplicable(`${what}: not present on this host`));
                assert.deepEqual(run(mode), notApplicable(`${what}: not present on this host`));
            });
        }

        it("every check is covered above", () => {
            const covered = [...PRESENT, ...ABSENT].flatMap(([o, m]) => [o, m]).sort();
            assert.deepEqual(covered, FILE_CHECKS.map((c) => c.id).sort());
        });
    });

    describe("modes", () => {
        it("3.18: daemon.json 666 fails its mode check, not its ownership check", () => {
            const raw = fileLine(HARDENED, "/etc/docker/daemon.json", "file|/etc/docker/daemon.json|666|root|root|f");
            assert.deepEqual(
                run("file-mode-daemon-json", raw),
                fails("/etc/docker/daemon.json: 666 root:root (want 644 or stricter)"),
            );
            assert.deepEqual(run("file-owner-daemon-json", raw), passes("/etc/docker/daemon.json: 666 root:root"));
        });

        it("3.18: the weakened host's daemon.json is 666", () => {
            assert.deepEqual(
                run("file-mode-daemon-json", WEAKENED),
                fails("/etc/docker/daemon.json: 666 root:root (want 644 or stricter)"),
            );
            assert.deepEqual(run("file-owner-daemon-json", WEAKENED), passes("/etc/docker/daemon.json: 666 root:root"));
        });

        it("3.18: stricter modes pass; a mode with any bit beyond 644 fails, even when numerically smaller", () => {
            for (const mode of ["600", "640", "444", "400", "0"]) {
                const raw = fileLine(
                    HARDENED,
                    "/etc/docker/daemon.json",
                    `file|/etc/docker/daemon.json|${mode}|root|root|f`,
                );
                assert.deepEqual(
                    run("file-mode-daemon-json", raw),
                    passes(`/etc/docker/daemon.json: ${mode.padStart(3, "0")} root:root`),
                    mode,
                );
            }
            for (const mode of ["611", "700", "654", "4644", "1644"]) {
                const raw = fileLine(
                    HARDENED,
                    "/etc/docker/daemon.json",
                    `file|/etc/docker/daemon.json|${mode}|root|root|f`,
                );
                assert.deepEqual(
                    run("file-mode-daemon-json", raw),
                    fails(`/etc/docker/daemon.json: ${mode} root:root (want 644 or stricter)`),
                    mode,
                );
            }
        });

        it("3.6: a group-writable /etc/docker fails", () => {
            const raw = fileLine(HARDENED, "/etc/docker", "file|/etc/docker|775|root|root|d");
            assert.deepEqual(
                run("file-mode-etc-docker", raw),
                fails("/etc/docker: 775 root:root (want 755 or stricter)"),
            );
        });

        it("3.2, 3.4: a writable unit file fails", () => {
            const raw = fileLine(
                HARDENED,
                "/lib/systemd/system/docker.socket",
                "unit:docker.socket|/lib/systemd/system/docker.socket|664|root|root|f",
            );
            assert.deepEqual(
                run("file-mode-docker-socket", raw),
                fails("/lib/systemd/system/docker.socket: 664 root:root (want 644 or stricter)"),
            );
            assert.deepEqual(
                run("file-mode-docker-service", raw),
                passes("/lib/systemd/system/docker.service: 644 root:root"),
            );
        });

        it("3.16, 3.24: a world-writable socket fails", () => {
            const docker = fileLine(HARDENED, "/var/run/docker.sock", "file|/var/run/docker.sock|666|root|docker|s");
            assert.deepEqual(
                run("file-mode-docker-sock", docker),
                fails("/var/run/docker.sock: 666 root:docker (want 660 or stricter)"),
            );
            const containerd = fileLine(
                HARDENED,
                "/run/containerd/containerd.sock",
                "file|/run/containerd/containerd.sock|666|root|root|s",
            );
            assert.deepEqual(
                run("file-mode-containerd-sock", containerd),
                fails("/run/containerd/containerd.sock: 666 root:root (want 660 or stricter)"),
            );
        });
    });

    describe("ownership", () => {
        it("3.15: the Docker socket must be root:docker", () => {
            for (const [owner, group] of [
                ["root", "root"],
                ["admin", "docker"],
            ]) {
                const raw = fileLine(
                    HARDENED,
                    "/var/run/docker.sock",
                    `file|/var/run/docker.sock|660|${owner}|${group}|s`,
                );
                assert.deepEqual(
                    run("file-owner-docker-sock", raw),
                    fails(`/var/run/docker.sock: 660 ${owner}:${group} (want root:docker)`),
                );
                assert.deepEqual(
                    run("file-mode-docker-sock", raw),
                    passes(`/var/run/docker.sock: 660 ${owner}:${group}`),
                );
            }
        });

        it("3.23: containerd.sock must be root:root, not root:docker", () => {
            const raw = fileLine(
                HARDENED,
                "/run/containerd/containerd.sock",
                "file|/run/containerd/containerd.sock|660|root|docker|s",
            );
            assert.deepEqual(
                run("file-owner-containerd-sock", raw),
                fails("/run/containerd/containerd.sock: 660 root:docker (want root:root)"),
            );
        });

        it("3.1, 3.5, 3.17, 3.19: a file owned by another user or group fails", () => {
            const raw = fileLine(
                fileLine(
                    fileLine(
                        fileLine(
                            HARDENED,
                            "/lib/systemd/system/docker.service",
                            "unit:docker.service|/lib/systemd/system/docker.service|644|admin|root|f",
                        ),
                        "/etc/docker",
                        "file|/etc/docker|755|root|admin|d",
                    ),
                    "/etc/docker/daemon.json",
                    "file|/etc/docker/daemon.json|644|1000|1000|f",
                ),
                "/etc/default/docker",
                "file|/etc/default/docker|644|root|docker|f",
            );
            assert.deepEqual(
                run("file-owner-docker-service", raw),
                fails("/lib/systemd/system/docker.service: 644 admin:root (want root:root)"),
            );
            assert.deepEqual(run("file-owner-etc-docker", raw), fails("/etc/docker: 755 root:admin (want root:root)"));
            assert.deepEqual(
                run("file-owner-daemon-json", raw),
                fails("/etc/docker/daemon.json: 644 1000:1000 (want root:root)"),
            );
            assert.deepEqual(
                run("file-owner-etc-default-docker", raw),
                fails("/etc/default/docker: 644 root:docker (want root:root)"),
            );
            assert.deepEqual(
                run("file-owner-docker-socket", raw),
                passes("/lib/systemd/system/docker.socket: 644 root:root"),
            );
        });
    });

    describe("optional files", () => {
        it("3.19, 3.20: /etc/default/docker removed is not applicable", () => {
            const raw = fileLine(HARDENED, "/etc/default/docker", null);
            assert.deepEqual(
                run("file-owner-etc-default-docker", raw),
                notApplicable("/etc/default/docker: not present on this host"),
            );
            assert.deepEqual(
                run("file-mode-etc-default-docker", raw),
                notApplicable("/etc/default/docker: not present on this host"),
            );
        });

        it("3.21, 3.22: /etc/sysconfig/docker is checked when present", () => {
            const ok = addLines(HARDENED, "file|/etc/sysconfig/docker|644|root|root|f");
            assert.deepEqual(
                run("file-owner-etc-sysconfig-docker", ok),
                passes("/etc/sysconfig/docker: 644 root:root"),
            );
            assert.deepEqual(run("file-mode-etc-sysconfig-docker", ok), passes("/etc/sysconfig/docker: 644 root:root"));
            const loose = addLines(HARDENED, "file|/etc/sysconfig/docker|646|root|root|f");
            assert.deepEqual(
                run("file-mode-etc-sysconfig-docker", loose),
                fails("/etc/sysconfig/docker: 646 root:root (want 644 or stricter)"),
            );
        });

        it("3.8 counts the certificate files; 3.7 their directories too (whoever owns one can replace them)", () => {
            const raw = addLines(
                HARDENED,
                "certs.d|/etc/docker/certs.d/registry.example:5000|755|root|root|d",
                "certs.d|/etc/docker/certs.d/registry.example:5000/ca.crt|444|root|root|f",
                "certs.d|/etc/docker/certs.d/registry.example:5000/client.cert|400|root|root|f",
            );
            const seen = [
                "/etc/docker/certs.d/registry.example:5000/ca.crt: 444 root:root",
                "/etc/docker/certs.d/registry.example:5000/client.cert: 400 root:root",
            ];
            assert.deepEqual(
                run("file-owner-registry-certificates", raw),
                passes("/etc/docker/certs.d/registry.example:5000: 755 root:root", ...seen),
            );
            assert.deepEqual(run("file-mode-registry-certificates", raw), passes(...seen));
            const ownedDir = addLines(
                HARDENED,
                "certs.d|/etc/docker/certs.d/registry.example:5000|755|admin|admin|d",
                "certs.d|/etc/docker/certs.d/registry.example:5000/ca.crt|444|root|root|f",
            );
            assert.deepEqual(
                run("file-owner-registry-certificates", ownedDir),
                fails("/etc/docker/certs.d/registry.example:5000: 755 admin:admin (want root:root)"),
            );
        });

        it("3.8: a writable registry certificate fails; 3.7: one owned by another user fails", () => {
            const raw = addLines(
                HARDENED,
                "certs.d|/etc/docker/certs.d/registry.example:5000|755|root|root|d",
                "certs.d|/etc/docker/certs.d/registry.example:5000/ca.crt|644|root|root|f",
                "certs.d|/etc/docker/certs.d/registry.example:5000/client.cert|444|admin|root|f",
            );
            assert.deepEqual(
                run("file-mode-registry-certificates", raw),
                fails("/etc/docker/certs.d/registry.example:5000/ca.crt: 644 root:root (want 444 or stricter)"),
            );
            assert.deepEqual(
                run("file-owner-registry-certificates", raw),
                fails("/etc/docker/certs.d/registry.example:5000/client.cert: 444 admin:root (want root:root)"),
            );
        });

        it("3.8: certs.d with only directories is not applicable; 3.7 checks the directories' owner", () => {
            const raw = addLines(HARDENED, "certs.d|/etc/docker/certs.d/registry.example:5000|755|root|root|d");
            const what = "the registry certificates under /etc/docker/certs.d: not present on this host";
            assert.deepEqual(
                run("file-owner-registry-certificates", raw),
                passes("/etc/docker/certs.d/registry.example:5000: 755 root:root"),
            );
            assert.deepEqual(run("file-mode-registry-certificates", raw), notApplicable(what));
        });
    });

    describe("TLS files the daemon names", () => {
        it("3.9 to 3.14 pass with the CIS modes and root:root", () => {
            const raw = addLines(HARDENED, ...TLS_FILES);
            assert.deepEqual(
                run("file-owner-tls-ca-certificate", raw),
                passes("/etc/docker/tls/ca.pem: 444 root:root"),
            );
            assert.deepEqual(run("file-mode-tls-ca-certificate", raw), passes("/etc/docker/tls/ca.pem: 444 root:root"));
            assert.deepEqual(run("file-owner-tls-certificate", raw), passes("/etc/docker/tls/cert.pem: 444 root:root"));
            assert.deepEqual(run("file-mode-tls-certificate", raw), passes("/etc/docker/tls/cert.pem: 444 root:root"));
            assert.deepEqual(run("file-owner-tls-key", raw), passes("/etc/docker/tls/key.pem: 400 root:root"));
            assert.deepEqual(run("file-mode-tls-key", raw), passes("/etc/docker/tls/key.pem: 400 root:root"));
        });

        it("3.14: the key must be exactly 400: 440, 600 and the stricter 000 fail", () => {
            for (const [mode, shown] of [
                ["440", "440"],
                ["600", "600"],
                ["0", "000"],
            ]) {
                const raw = addLines(
                    HARDENED,
                    TLS_FILES[0],
                    TLS_FILES[1],
                    `tlskey|/etc/docker/tls/key.pem|${mode}|root|root|f`,
                );
                assert.deepEqual(
                    run("file-mode-tls-key", raw),
                    fails(`/etc/docker/tls/key.pem: ${shown} root:root (want exactly 400)`),
                    mode,
                );
                assert.deepEqual(run("file-owner-tls-key", raw), passes(`/etc/docker/tls/key.pem: ${shown} root:root`));
            }
        });

        it("3.10, 3.12: a certificate more open than 444 fails; 400 passes", () => {
            const raw = addLines(
                HARDENED,
                "tlscacert|/etc/docker/tls/ca.pem|644|root|root|f",
                "tlscert|/etc/docker/tls/cert.pem|400|root|root|f",
            );
            assert.deepEqual(
                run("file-mode-tls-ca-certificate", raw),
                fails("/etc/docker/tls/ca.pem: 644 root:root (want 444 or stricter)"),
            );
            assert.deepEqual(run("file-mode-tls-certificate", raw), passes("/etc/docker/tls/cert.pem: 400 root:root"));
        });

        it("3.13: a key owned by another user fails", () => {
            const raw = addLines(HARDENED, "tlskey|/etc/docker/tls/key.pem|400|admin|admin|f");
            assert.deepEqual(
                run("file-owner-tls-key", raw),
                fails("/etc/docker/tls/key.pem: 400 admin:admin (want root:root)"),
            );
        });

        it("3.13, 3.14: a key named by the daemon but absent fails both; the other TLS controls are unaffected", () => {
            const raw = addLines(HARDENED, "tlskey|/etc/docker/tls/key.pem|absent");
            assert.deepEqual(new Evidence(raw).files().at(-1), { kind: "tlskey", path: "/etc/docker/tls/key.pem" });
            assert.deepEqual(
                run("file-owner-tls-key", raw),
                fails("/etc/docker/tls/key.pem: named by the daemon, but absent"),
            );
            assert.deepEqual(
                run("file-mode-tls-key", raw),
                fails("/etc/docker/tls/key.pem: named by the daemon, but absent"),
            );
            assert.deepEqual(
                run("file-mode-tls-certificate", raw),
                notApplicable("the daemon's TLS certificate: not present on this host"),
            );
        });

        it("3.9, 3.10: one CA file present and another named but absent fails with the absent one", () => {
            const raw = addLines(
                HARDENED,
                "tlscacert|/etc/docker/tls/ca.pem|444|root|root|f",
                "tlscacert|/etc/docker/ca-old.pem|absent",
            );
            assert.deepEqual(
                run("file-mode-tls-ca-certificate", raw),
                fails("/etc/docker/ca-old.pem: named by the daemon, but absent"),
            );
            const worse = addLines(
                HARDENED,
                "tlscacert|/etc/docker/tls/ca.pem|666|root|root|f",
                "tlscacert|/etc/docker/ca-old.pem|absent",
            );
            assert.deepEqual(
                run("file-mode-tls-ca-certificate", worse),
                fails(
                    "/etc/docker/tls/ca.pem: 666 root:root (want 444 or stricter)",
                    "/etc/docker/ca-old.pem: named by the daemon, but absent",
                ),
            );
        });
    });

    it("fails to read the host when the file-modes section failed", () => {
        const raw = editSection(HARDENED, "file-modes", () => "find: permission denied\n", 1);
        for (const c of FILE_CHECKS) {
            assert.throws(
                () => c.run(new Evidence(raw), EXPECT),
                (e: Error) => {
                    assert.ok(e instanceof MissingEvidence);
                    assert.equal(e.message, "file-modes failed (exit 1): find: permission denied");
                    return true;
                },
                c.id,
            );
        }
    });
});
