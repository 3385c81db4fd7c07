import * as assert from "node:assert/strict";
import type { CheckDef, RawEvidence } from "../../../../components/compliance";
import {
    CONTAINER_CHECKS,
    CONTAINER_WAIVER_CONTROLS,
    profileDigest,
} from "../../../../components/compliance/checks/containers";
import { tightenDefaultProfile } from "../../../../components/container/seccomp";
import { EXAMPLE_API_DENIED_SYSCALLS } from "../../../../example/app";
import type { Finding } from "../../../../components/compliance/checks/types";
import { Evidence, MissingEvidence, type ContainerInspect } from "../../../../components/compliance/evidence";
import { containerId, containerIds, editSection, recorded, withSections, SANDBOX_EXPECTATIONS } from "../fixtures";

const EXPECT = SANDBOX_EXPECTATIONS;

const HARDENED = recorded("hardened");
const WEAKENED = recorded("weakened");
const WEB = containerId(HARDENED, "web-");
const API = containerId(HARDENED, "api-");
const WEAK = "28137862d942036c5cd40146f13b910a5865a84aa2fdd678a9bcb53ad82e8750";

/** How the checks name the recorded containers in their evidence. */
const W = "web-a5b89f5 (ff0d1a40e010)";
const A = "api-e0506b0 (35d10e56dbdd)";

function check(id: string): CheckDef {
    const c = CONTAINER_CHECKS.find((x) => x.id === id);
    if (c === undefined) {
        throw new Error(`no container check ${id}`);
    }
    return c;
}

/** The stack's container waivers that `waive` put beside the evidence (ComplianceAudit takes them from the HardenedContainers). */
const WAIVERS = "test-waivers";

function run(id: string, raw: RawEvidence = HARDENED): Finding {
    const containerWaivers =
        raw[WAIVERS] === undefined ? {} : (JSON.parse(raw[WAIVERS].out) as Record<string, Record<string, string>>);
    return check(id).run(new Evidence(raw), { ...EXPECT, containerWaivers });
}

/** A copy of the evidence with one container's `docker inspect` data changed. */
function inspect(raw: RawEvidence, cid: string, edit: (i: ContainerInspect) => void): RawEvidence {
    return editSection(raw, `inspect:${cid}`, (out) => {
        const i = JSON.parse(out) as ContainerInspect;
        edit(i);
        return JSON.stringify(i);
    });
}

/** A copy with one of the container's `/proc/<pid>/status` fields changed. */
function proc(raw: RawEvidence, cid: string, field: string, value: string): RawEvidence {
    return editSection(raw, `proc:${cid}`, (out) => {
        const re = new RegExp(`^${field}:\\t.*$`, "m");
        assert.match(out, re);
        return out.replace(re, `${field}:\t${value}`);
    });
}

/** A copy whose container `cid` is a HardenedContainer of the stack with the waiver `name`. */
function waive(raw: RawEvidence, cid: string, name: string, reason: string): RawEvidence {
    const copy = structuredClone(raw);
    const waivers =
        copy[WAIVERS] === undefined ? {} : (JSON.parse(copy[WAIVERS].out) as Record<string, Record<string, string>>);
    waivers[cid] = { ...(waivers[cid] ?? {}), [name]: reason };
    copy[WAIVERS] = { rc: 0, out: JSON.stringify(waivers) };
    return copy;
}

/** The web container's single published port, rebound. */
function publish(raw: RawEvidence, cid: string, hostIp: string, hostPort: string): RawEvidence {
    return inspect(raw, cid, (i) => {
        const ports = i.NetworkSettings.Ports!;
        const [port] = Object.keys(ports);
        ports[port] = [{ HostIp: hostIp, HostPort: hostPort }];
    });
}

const fails = (...evidence: string[]): Finding => ({ status: "fail", evidence });
const passes = (...evidence: string[]): Finding => ({ status: "pass", evidence });

/** What each check sees on the two recorded hardened containers (web, then api). */
const HARDENED_SEEN: Record<string, [cis: string, web: string, api: string]> = {
    "container-non-root-user": ["4.1", 'user "101:101"', 'user "app"'],
    "container-apparmor": [
        "5.2",
        "profile docker-default, process docker-default (enforce)",
        "profile docker-default, process docker-default (enforce)",
    ],
    "container-capabilities": [
        "5.4",
        "cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000",
        "cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000",
    ],
    "container-not-privileged": ["5.5", "privileged false", "privileged false"],
    "container-no-sensitive-mounts": ["5.6", "bind mounts: none", "bind mounts: none"],
    "container-no-sshd": ["5.7", "processes: httpd", "processes: httpd"],
    "container-no-privileged-ports": ["5.8", "host ports: 8080", "host ports: 9898"],
    "container-no-host-network": ["5.10", "network mode app-net-ca7c7cb", "network mode app-net-ca7c7cb"],
    "container-memory-limit": ["5.11", "memory 134217728 bytes", "memory 268435456 bytes"],
    "container-cpu-limit": ["5.12", "cpu shares 256, nano CPUs 0, quota 0", "cpu shares 512, nano CPUs 0, quota 0"],
    "container-read-only-root": ["5.13", "read-only root true", "read-only root true"],
    "container-ports-on-one-address": [
        "5.14",
        "published: 10.0.2.15:8080->8080/tcp",
        "published: 10.0.2.15:9898->9898/tcp",
    ],
    "container-restart-policy": ["5.15", "restart on-failure:5", "restart on-failure:5"],
    "container-no-host-pid": ["5.16", "pid mode private", "pid mode private"],
    "container-no-host-ipc": ["5.17", "ipc mode private", "ipc mode private"],
    "container-no-shared-propagation": ["5.20", "mount propagation: no mounts", "mount propagation: /data default"],
    "container-no-host-uts": ["5.21", "uts mode private", "uts mode private"],
    "container-seccomp": [
        "5.22",
        "security options no-new-privileges:true,apparmor=docker-default, Seccomp 2",
        "security options no-new-privileges:true,apparmor=docker-default, Seccomp 2",
    ],
    "container-default-cgroup": ["5.25", "cgroup parent default", "cgroup parent default"],
    "container-no-new-privileges": ["5.26", "NoNewPrivs 1", "NoNewPrivs 1"],
    "container-health-check": ["5.27", "health check, now healthy", "health check, now healthy"],
    "container-pids-limit": ["5.29", "pids limit 64", "pids limit 128"],
    "container-not-default-bridge": ["5.30", "networks app-net-ca7c7cb", "networks app-net-ca7c7cb"],
    "container-no-host-userns": ["5.31", "userns mode daemon default", "userns mode daemon default"],
    "container-no-engine-socket": ["5.32", "no engine socket or state mounted", "no engine socket or state mounted"],
};

const SELINUX_NOT_IN_USE =
    "docker info: security options name=apparmor name=seccomp,profile=default name=userns name=cgroupns: " +
    "SELinux is not in use (AppArmor confines the containers, 5.2)";

/** The hardened host with SELinux among the daemon's security options. */
function withSelinux(raw: RawEvidence): RawEvidence {
    return editSection(raw, "docker-info", (out) => {
        const info = JSON.parse(out) as { SecurityOptions: string[] };
        info.SecurityOptions = [...info.SecurityOptions, "name=selinux"];
        return JSON.stringify(info);
    });
}

describe("ComplianceAudit: container checks (CIS 4.1 and section 5)", () => {
    it("has one check per control, in benchmark order, with stable ids", () => {
        assert.deepEqual(
            CONTAINER_CHECKS.map((c) => [c.id, c.cis]),
            [
                ["container-non-root-user", "4.1"],
                ["container-apparmor", "5.2"],
                ["container-selinux-labels", "5.3"],
                ...Object.entries(HARDENED_SEEN)
                    .filter(([, [cis]]) => cis !== "4.1" && cis !== "5.2")
                    .map(([id, [cis]]) => [id, cis]),
            ],
        );
        assert.equal(new Set(CONTAINER_CHECKS.map((c) => c.id)).size, CONTAINER_CHECKS.length);
    });

    it("maps each waiver label to the control it relaxes", () => {
        assert.deepEqual(CONTAINER_WAIVER_CONTROLS, {
            rootUser: ["4.1"],
            noHealthCheck: ["5.27"],
            allInterfaces: ["5.14"],
            privilegedPorts: ["5.8"],
            dangerousCapabilities: ["5.4"],
        });
        assert.equal(Object.isFrozen(CONTAINER_WAIVER_CONTROLS), true);
    });

    describe("the recorded hardened host", () => {
        it("sees the two running containers by name and id, sorted by name", () => {
            const cs = new Evidence(HARDENED).containers();
            assert.deepEqual(
                cs.map((c) => [c.id, c.name, c.apparmor, c.processes, c.bindSources, c.proc]),
                [
                    [
                        API,
                        "api-e0506b0",
                        "docker-default (enforce)",
                        ["httpd"],
                        [],
                        { CapEff: "0000000000000000", CapBnd: "0000000000000000", NoNewPrivs: "1", Seccomp: "2" },
                    ],
                    [
                        WEB,
                        "web-a5b89f5",
                        "docker-default (enforce)",
                        ["httpd"],
                        [],
                        { CapEff: "0000000000000000", CapBnd: "0000000000000000", NoNewPrivs: "1", Seccomp: "2" },
                    ],
                ],
            );
        });

        for (const [id, [cis, web, api]] of Object.entries(HARDENED_SEEN)) {
            it(`${cis} ${id} passes, with what it saw on each container`, () => {
                assert.equal(check(id).cis, cis);
                assert.deepEqual(run(id), passes(`${A}: ${api}`, `${W}: ${web}`));
            });
        }

        it("5.3 is not applicable: the daemon does not use SELinux", () => {
            assert.deepEqual(run("container-selinux-labels"), {
                status: "not-applicable",
                evidence: [SELINUX_NOT_IN_USE],
            });
        });
    });

    describe("which containers are audited", () => {
        it("no running container: every check is not applicable", () => {
            const none = editSection(HARDENED, "containers", () => "");
            for (const c of CONTAINER_CHECKS) {
                const expected =
                    c.id === "container-selinux-labels" ? [SELINUX_NOT_IN_USE] : ["no container is running"];
                assert.deepEqual(
                    c.run(new Evidence(none), EXPECT),
                    { status: "not-applicable", evidence: expected },
                    c.id,
                );
            }
            assert.deepEqual(run("container-selinux-labels", withSelinux(none)), {
                status: "not-applicable",
                evidence: ["no container is running"],
            });
        });

        it("skips a container that stopped before its inspection (inspect section failed)", () => {
            const stopped = editSection(HARDENED, `inspect:${WEB}`, () => `Error: No such object: ${WEB}\n`, 1);
            assert.deepEqual(run("container-non-root-user", stopped), passes(`${A}: user "app"`));
            const bothStopped = editSection(stopped, `inspect:${API}`, () => `Error: No such object: ${API}\n`, 1);
            assert.deepEqual(run("container-non-root-user", bothStopped), {
                status: "not-applicable",
                evidence: ["no container is running"],
            });
        });

        it("ignores lines of the container list that are not full container ids", () => {
            const noisy = editSection(
                HARDENED,
                "containers",
                (out) => `WARNING: something\n${WEB.slice(0, 12)}\n${out}`,
            );
            assert.deepEqual(run("container-non-root-user", noisy), passes(`${A}: user "app"`, `${W}: user "101:101"`));
        });

        it("fails to read the host when the container list failed", () => {
            const broken = editSection(HARDENED, "containers", () => "Cannot connect to the Docker daemon\n", 1);
            assert.throws(
                () => run("container-non-root-user", broken),
                (e: Error) => {
                    assert.ok(e instanceof MissingEvidence);
                    assert.equal(e.message, "containers failed (exit 1): Cannot connect to the Docker daemon");
                    return true;
                },
            );
        });

        it("fails to read the host when a running container's inspect data is not JSON", () => {
            const broken = editSection(HARDENED, `inspect:${API}`, () => "template: :1: unexpected EOF");
            assert.throws(
                () => run("container-non-root-user", broken),
                (e: Error) => {
                    assert.ok(e instanceof MissingEvidence);
                    assert.equal(e.message, "docker inspect 35d10e56dbdd is not JSON: template: :1: unexpected EOF");
                    return true;
                },
            );
        });
    });

    describe("the stack's container waivers", () => {
        it("4.1: rootUser waives a root container; the control shows as waived with the label and reason", () => {
            const raw = waive(
                inspect(HARDENED, WEB, (i) => (i.Config.User = "root")),
                WEB,
                "rootUser",
                "the upstream image must start as root",
            );
            assert.deepEqual(run("container-non-root-user", raw), {
                status: "waived",
                evidence: [`${A}: user "app"`, `${W}: user "root" (waived)`],
                waivers: [
                    {
                        by: `HardenedContainer ${W} args.waivers.rootUser`,
                        reason: "the upstream image must start as root",
                    },
                ],
            });
        });

        it("a waiver on one container does not hide another container's failure", () => {
            const raw = inspect(
                waive(
                    inspect(HARDENED, WEB, (i) => (i.Config.User = "root")),
                    WEB,
                    "rootUser",
                    "the upstream image must start as root",
                ),
                API,
                (i) => (i.Config.User = "0:0"),
            );
            assert.deepEqual(run("container-non-root-user", raw), {
                status: "fail",
                evidence: [`${A}: user "0:0" (fails)`, `${W}: user "root" (waived)`],
                waivers: [
                    {
                        by: `HardenedContainer ${W} args.waivers.rootUser`,
                        reason: "the upstream image must start as root",
                    },
                ],
            });
        });

        it("a waiver relaxes only its own control", () => {
            const raw = waive(
                inspect(HARDENED, WEB, (i) => (i.Config.User = "root")),
                WEB,
                "noHealthCheck",
                "a batch job has nothing to probe",
            );
            assert.deepEqual(
                run("container-non-root-user", raw),
                fails(`${A}: user "app"`, `${W}: user "root" (fails)`),
            );
            const unknown = waive(
                inspect(HARDENED, WEB, (i) => (i.Config.User = "root")),
                WEB,
                "everything",
                "no such waiver exists",
            );
            assert.deepEqual(
                run("container-non-root-user", unknown),
                fails(`${A}: user "app"`, `${W}: user "root" (fails)`),
            );
        });

        it("5.4: dangerousCapabilities waives an added SYS_ADMIN", () => {
            const raw = waive(
                inspect(HARDENED, API, (i) => (i.HostConfig.CapAdd = ["SYS_ADMIN"])),
                API,
                "dangerousCapabilities",
                "mounts a FUSE filesystem",
            );
            assert.deepEqual(run("container-capabilities", raw), {
                status: "waived",
                evidence: [
                    `${A}: cap-drop ALL, cap-add SYS_ADMIN, CapEff 0000000000000000, CapBnd 0000000000000000 (waived)`,
                    `${W}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                ],
                waivers: [
                    {
                        by: `HardenedContainer ${A} args.waivers.dangerousCapabilities`,
                        reason: "mounts a FUSE filesystem",
                    },
                ],
            });
        });

        it("5.8: privilegedPorts waives host port 80", () => {
            const raw = waive(
                publish(HARDENED, WEB, "10.0.2.15", "80"),
                WEB,
                "privilegedPorts",
                "serves plain HTTP on port 80",
            );
            assert.deepEqual(run("container-no-privileged-ports", raw), {
                status: "waived",
                evidence: [`${A}: host ports: 9898`, `${W}: host ports: 80 (waived)`],
                waivers: [
                    {
                        by: `HardenedContainer ${W} args.waivers.privilegedPorts`,
                        reason: "serves plain HTTP on port 80",
                    },
                ],
            });
        });

        it("5.14: allInterfaces waives a port published on 0.0.0.0", () => {
            const raw = waive(
                publish(HARDENED, API, "0.0.0.0", "9898"),
                API,
                "allInterfaces",
                "the API is reached on every interface",
            );
            assert.deepEqual(run("container-ports-on-one-address", raw), {
                status: "waived",
                evidence: [
                    `${A}: published: 0.0.0.0:9898->9898/tcp (waived)`,
                    `${W}: published: 10.0.2.15:8080->8080/tcp`,
                ],
                waivers: [
                    {
                        by: `HardenedContainer ${A} args.waivers.allInterfaces`,
                        reason: "the API is reached on every interface",
                    },
                ],
            });
        });

        it("5.27: noHealthCheck waives a container without a health check", () => {
            const raw = waive(
                inspect(HARDENED, WEB, (i) => (i.Config.Healthcheck = null)),
                WEB,
                "noHealthCheck",
                "a batch job has nothing to probe",
            );
            assert.deepEqual(run("container-health-check", raw), {
                status: "waived",
                evidence: [`${A}: health check, now healthy`, `${W}: no health check (waived)`],
                waivers: [
                    {
                        by: `HardenedContainer ${W} args.waivers.noHealthCheck`,
                        reason: "a batch job has nothing to probe",
                    },
                ],
            });
        });
    });

    describe("failures, one container changed at a time", () => {
        it("4.1: an empty user, root, uid 0 or root:root runs as root; another uid with group 0 does not", () => {
            for (const user of ["", "root", "0", "0:0", "root:root"]) {
                const raw = inspect(HARDENED, WEB, (i) => (i.Config.User = user));
                assert.deepEqual(
                    run("container-non-root-user", raw),
                    fails(`${A}: user "app"`, `${W}: user ${JSON.stringify(user)} (fails)`),
                    user,
                );
            }
            const raw = inspect(HARDENED, WEB, (i) => (i.Config.User = "1000:0"));
            assert.deepEqual(run("container-non-root-user", raw), passes(`${A}: user "app"`, `${W}: user "1000:0"`));
        });

        it("5.2: an unconfined container fails", () => {
            const raw = editSection(
                inspect(HARDENED, WEB, (i) => (i.AppArmorProfile = "unconfined")),
                `apparmor:${WEB}`,
                () => "unconfined\n",
            );
            assert.deepEqual(
                run("container-apparmor", raw),
                fails(
                    `${A}: profile docker-default, process docker-default (enforce)`,
                    `${W}: profile unconfined, process unconfined (fails)`,
                ),
            );
        });

        it("5.2: a profile in complain mode, no profile, or an unreadable process label fails", () => {
            const complain = editSection(HARDENED, `apparmor:${API}`, () => "docker-default (complain)\n");
            assert.deepEqual(
                run("container-apparmor", complain),
                fails(
                    `${A}: profile docker-default, process docker-default (complain) (fails)`,
                    `${W}: profile docker-default, process docker-default (enforce)`,
                ),
            );
            const none = inspect(HARDENED, API, (i) => (i.AppArmorProfile = ""));
            assert.deepEqual(
                run("container-apparmor", none),
                fails(
                    `${A}: profile (none), process docker-default (enforce) (fails)`,
                    `${W}: profile docker-default, process docker-default (enforce)`,
                ),
            );
            const unreadable = editSection(
                HARDENED,
                `apparmor:${API}`,
                () => "tr: /proc/4110/attr/current: No such file or directory\n",
                1,
            );
            assert.deepEqual(
                run("container-apparmor", unreadable),
                fails(
                    `${A}: profile docker-default, process (unreadable) (fails)`,
                    `${W}: profile docker-default, process docker-default (enforce)`,
                ),
            );
        });

        it("5.3: with SELinux in use, label=disable fails and labelled containers pass", () => {
            const selinux = withSelinux(HARDENED);
            assert.deepEqual(
                run("container-selinux-labels", selinux),
                passes(
                    `${A}: security options no-new-privileges:true,apparmor=docker-default`,
                    `${W}: security options no-new-privileges:true,apparmor=docker-default`,
                ),
            );
            for (const opt of ["label=disable", "label:disable"]) {
                const raw = inspect(selinux, WEB, (i) => i.HostConfig.SecurityOpt!.push(opt));
                assert.deepEqual(
                    run("container-selinux-labels", raw),
                    fails(
                        `${A}: security options no-new-privileges:true,apparmor=docker-default`,
                        `${W}: security options no-new-privileges:true,apparmor=docker-default,${opt} (fails)`,
                    ),
                    opt,
                );
            }
            // Without SELinux, the same option is not looked at.
            const raw = inspect(HARDENED, WEB, (i) => i.HostConfig.SecurityOpt!.push("label=disable"));
            assert.deepEqual(run("container-selinux-labels", raw), {
                status: "not-applicable",
                evidence: [SELINUX_NOT_IN_USE],
            });
        });

        it("5.3: fails to read the host without docker info", () => {
            const raw = editSection(HARDENED, "docker-info", () => "permission denied\n", 1);
            assert.throws(() => run("container-selinux-labels", raw), {
                name: "Error",
                message: "docker-info failed (exit 1): permission denied",
            });
        });

        it("5.4: an added SYS_ADMIN (in any spelling) or ALL fails, a harmless capability passes", () => {
            // Docker upper-cases the list, so "all" adds every capability too.
            for (const cap of ["SYS_ADMIN", "cap_sys_admin", "ALL", "all", " All "]) {
                const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.CapAdd = [cap]));
                assert.deepEqual(
                    run("container-capabilities", raw),
                    fails(
                        `${A}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                        `${W}: cap-drop ALL, cap-add ${cap}, CapEff 0000000000000000, CapBnd 0000000000000000 (fails)`,
                    ),
                    cap,
                );
            }
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.CapAdd = ["NET_BIND_SERVICE"]));
            assert.deepEqual(
                run("container-capabilities", raw),
                passes(
                    `${A}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                    `${W}: cap-drop ALL, cap-add NET_BIND_SERVICE, CapEff 0000000000000000, CapBnd 0000000000000000`,
                ),
            );
        });

        it("5.4: a container that does not drop all capabilities fails", () => {
            const raw = proc(
                inspect(HARDENED, API, (i) => (i.HostConfig.CapDrop = ["NET_RAW"])),
                API,
                "CapBnd",
                "00000000a80425db",
            );
            assert.deepEqual(
                run("container-capabilities", raw),
                fails(
                    `${A}: cap-drop NET_RAW, cap-add none, CapEff 0000000000000000, CapBnd 00000000a80425db (fails)`,
                    `${W}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                ),
            );
        });

        it("5.4: the weakened host's hand-started hd-e2e-weak keeps the default capabilities", () => {
            assert.deepEqual(
                run("container-capabilities", WEAKENED),
                fails(
                    `${A}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                    "hd-e2e-weak (28137862d942): cap-drop none, cap-add none, CapEff 0000000000000000, CapBnd 00000000a80425fb (fails)",
                    `${W}: cap-drop ALL, cap-add none, CapEff 0000000000000000, CapBnd 0000000000000000`,
                ),
            );
            assert.deepEqual(containerIds(WEAKENED), [WEAK, API, WEB]);
        });

        it("the weakened host's hd-e2e-weak passes every other container check", () => {
            for (const c of CONTAINER_CHECKS) {
                if (c.id === "container-capabilities") {
                    continue;
                }
                assert.notEqual(c.run(new Evidence(WEAKENED), EXPECT).status, "fail", c.id);
            }
            assert.deepEqual(
                run("container-health-check", WEAKENED),
                passes(
                    `${A}: health check, now healthy`,
                    "hd-e2e-weak (28137862d942): health check, now healthy",
                    `${W}: health check, now healthy`,
                ),
            );
            assert.deepEqual(
                run("container-ports-on-one-address", WEAKENED),
                passes(
                    `${A}: published: 10.0.2.15:9898->9898/tcp`,
                    "hd-e2e-weak (28137862d942): published: none",
                    `${W}: published: 10.0.2.15:8080->8080/tcp`,
                ),
            );
            assert.deepEqual(
                run("container-no-privileged-ports", WEAKENED),
                passes(
                    `${A}: host ports: 9898`,
                    "hd-e2e-weak (28137862d942): host ports: none",
                    `${W}: host ports: 8080`,
                ),
            );
        });

        it("5.5: a privileged container fails", () => {
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.Privileged = true));
            assert.deepEqual(
                run("container-not-privileged", raw),
                fails(`${A}: privileged false`, `${W}: privileged true (fails)`),
            );
        });

        it("5.6: a bind mount of /etc (or below it) fails; other binds and volumes pass", () => {
            const raw = inspect(HARDENED, WEB, (i) => {
                i.Mounts = [
                    { Type: "bind", Source: "/srv/web", Destination: "/srv", Propagation: "rprivate", RW: false },
                    { Type: "bind", Source: "/etc", Destination: "/host-etc", Propagation: "rprivate", RW: false },
                    { Type: "bind", Source: "/usr/share/zoneinfo/UTC", Destination: "/etc/localtime", RW: false },
                ];
            });
            assert.deepEqual(
                run("container-no-sensitive-mounts", raw),
                fails(
                    `${A}: bind mounts: none`,
                    `${W}: mounts /etc:/host-etc, /usr/share/zoneinfo/UTC:/etc/localtime (fails)`,
                ),
            );
            const ok = inspect(HARDENED, WEB, (i) => {
                i.Mounts = [
                    { Type: "bind", Source: "/srv/web", Destination: "/srv", Propagation: "rprivate", RW: false },
                ];
            });
            assert.deepEqual(
                run("container-no-sensitive-mounts", ok),
                passes(`${A}: bind mounts: none`, `${W}: bind mounts: /srv/web`),
            );
        });

        it("5.7: processes that could not be read fail (never a pass by default)", () => {
            const raw = editSection(HARDENED, `processes:${API}`, () => "Error: container is not running\n", 1);
            assert.deepEqual(
                run("container-no-sshd", raw),
                fails(`${A}: processes (unreadable) (fails)`, `${W}: processes: httpd`),
            );
        });

        it("a waiver named like an Object property waives nothing and breaks nothing", () => {
            for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
                const raw = waive(HARDENED, WEB, name, "not a waiver at all, only a label");
                assert.deepEqual(
                    run("container-non-root-user", raw),
                    passes(`${A}: user "app"`, `${W}: user "101:101"`),
                    name,
                );
            }
        });

        it("5.7: a container running sshd fails", () => {
            const raw = editSection(HARDENED, `processes:${API}`, (out) => `${out}4200                sshd\n`);
            assert.deepEqual(
                run("container-no-sshd", raw),
                fails(`${A}: processes: httpd, sshd (fails)`, `${W}: processes: httpd`),
            );
            const daemon = editSection(
                HARDENED,
                `processes:${WEB}`,
                (out) => `${out}4201                sshd: admin [priv]\n`,
            );
            assert.deepEqual(
                run("container-no-sshd", daemon),
                fails(`${A}: processes: httpd`, `${W}: processes: httpd, sshd: admin [priv] (fails)`),
            );
        });

        it("5.8: host port 80 fails, port 1024 passes", () => {
            assert.deepEqual(
                run("container-no-privileged-ports", publish(HARDENED, WEB, "10.0.2.15", "80")),
                fails(`${A}: host ports: 9898`, `${W}: host ports: 80 (fails)`),
            );
            assert.deepEqual(
                run("container-no-privileged-ports", publish(HARDENED, WEB, "10.0.2.15", "1024")),
                passes(`${A}: host ports: 9898`, `${W}: host ports: 1024`),
            );
        });

        it("5.10: the host network fails", () => {
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.NetworkMode = "host"));
            assert.deepEqual(
                run("container-no-host-network", raw),
                fails(`${A}: network mode app-net-ca7c7cb`, `${W}: network mode host (fails)`),
            );
        });

        it("5.11: no memory limit fails", () => {
            const raw = inspect(HARDENED, API, (i) => (i.HostConfig.Memory = 0));
            assert.deepEqual(
                run("container-memory-limit", raw),
                fails(`${A}: memory 0 bytes (fails)`, `${W}: memory 134217728 bytes`),
            );
        });

        it("5.12: neither CPU shares, nano CPUs nor a quota fails; nano CPUs alone pass", () => {
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.CpuShares = 0));
            assert.deepEqual(
                run("container-cpu-limit", raw),
                fails(`${A}: cpu shares 512, nano CPUs 0, quota 0`, `${W}: cpu shares 0, nano CPUs 0, quota 0 (fails)`),
            );
            const nano = inspect(raw, WEB, (i) => (i.HostConfig.NanoCpus = 500000000));
            assert.deepEqual(
                run("container-cpu-limit", nano),
                passes(
                    `${A}: cpu shares 512, nano CPUs 0, quota 0`,
                    `${W}: cpu shares 0, nano CPUs 500000000, quota 0`,
                ),
            );
        });

        it("5.13: a writable root filesystem fails", () => {
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.ReadonlyRootfs = false));
            assert.deepEqual(
                run("container-read-only-root", raw),
                fails(`${A}: read-only root true`, `${W}: read-only root false (fails)`),
            );
        });

        it("5.14: a port on 0.0.0.0, :: or every address fails", () => {
            for (const [ip, shown] of [
                ["0.0.0.0", "0.0.0.0"],
                ["::", "::"],
                ["", "*"],
            ]) {
                assert.deepEqual(
                    run("container-ports-on-one-address", publish(HARDENED, WEB, ip, "8080")),
                    fails(
                        `${A}: published: 10.0.2.15:9898->9898/tcp`,
                        `${W}: published: ${shown}:8080->8080/tcp (fails)`,
                    ),
                    ip,
                );
            }
        });

        it("5.15: always, unless-stopped, on-failure:0 and on-failure:6 fail; no and on-failure:1 pass", () => {
            const policy = (name: string, retries: number) =>
                inspect(
                    HARDENED,
                    WEB,
                    (i) => (i.HostConfig.RestartPolicy = { Name: name, MaximumRetryCount: retries }),
                );
            for (const [name, retries, shown] of [
                ["always", 0, "always"],
                ["unless-stopped", 0, "unless-stopped"],
                ["on-failure", 0, "on-failure:0"],
                ["on-failure", 6, "on-failure:6"],
            ] as const) {
                assert.deepEqual(
                    run("container-restart-policy", policy(name, retries)),
                    fails(`${A}: restart on-failure:5`, `${W}: restart ${shown} (fails)`),
                    shown,
                );
            }
            for (const [name, retries, shown] of [
                ["no", 0, "no"],
                ["", 0, "no"],
                ["on-failure", 1, "on-failure:1"],
            ] as const) {
                assert.deepEqual(
                    run("container-restart-policy", policy(name, retries)),
                    passes(`${A}: restart on-failure:5`, `${W}: restart ${shown}`),
                    shown,
                );
            }
        });

        it("5.16, 5.17, 5.21, 5.31: sharing the host's PID, IPC, UTS or user namespace fails", () => {
            const raw = inspect(HARDENED, API, (i) => {
                i.HostConfig.PidMode = "host";
                i.HostConfig.IpcMode = "host";
                i.HostConfig.UTSMode = "host";
                i.HostConfig.UsernsMode = "host";
            });
            assert.deepEqual(
                run("container-no-host-pid", raw),
                fails(`${A}: pid mode host (fails)`, `${W}: pid mode private`),
            );
            assert.deepEqual(
                run("container-no-host-ipc", raw),
                fails(`${A}: ipc mode host (fails)`, `${W}: ipc mode private`),
            );
            assert.deepEqual(
                run("container-no-host-uts", raw),
                fails(`${A}: uts mode host (fails)`, `${W}: uts mode private`),
            );
            assert.deepEqual(
                run("container-no-host-userns", raw),
                fails(`${A}: userns mode host (fails)`, `${W}: userns mode daemon default`),
            );
        });

        it("5.20: a mount propagating rshared or shared fails", () => {
            for (const propagation of ["rshared", "shared"]) {
                const raw = inspect(HARDENED, API, (i) => (i.Mounts![0].Propagation = propagation));
                assert.deepEqual(
                    run("container-no-shared-propagation", raw),
                    fails(
                        `${A}: mount propagation: /data ${propagation} (fails)`,
                        `${W}: mount propagation: no mounts`,
                    ),
                    propagation,
                );
            }
            const rslave = inspect(HARDENED, API, (i) => (i.Mounts![0].Propagation = "rslave"));
            assert.deepEqual(
                run("container-no-shared-propagation", rslave),
                passes(`${A}: mount propagation: /data rslave`, `${W}: mount propagation: no mounts`),
            );
        });

        it("5.22: seccomp=unconfined, or a process not in seccomp filter mode, fails", () => {
            const unconfined = inspect(HARDENED, WEB, (i) => (i.HostConfig.SecurityOpt = ["seccomp=unconfined"]));
            assert.deepEqual(
                run("container-seccomp", unconfined),
                fails(
                    `${A}: security options no-new-privileges:true,apparmor=docker-default, Seccomp 2`,
                    `${W}: security options seccomp=unconfined, Seccomp 2 (fails)`,
                ),
            );
            const off = proc(HARDENED, WEB, "Seccomp", "0");
            assert.deepEqual(
                run("container-seccomp", off),
                fails(
                    `${A}: security options no-new-privileges:true,apparmor=docker-default, Seccomp 2`,
                    `${W}: security options no-new-privileges:true,apparmor=docker-default, Seccomp 0 (fails)`,
                ),
            );
        });

        it("5.22: a container the stack gives its own profile must run under exactly that one; evidence shows its digest", () => {
            const profile = tightenDefaultProfile({ denySyscalls: [...EXAMPLE_API_DENIED_SYSCALLS] });
            const digest = profileDigest(profile);
            assert.equal(digest, "profile of 9297 bytes, sha256 e317fb13c195e9ed");
            const declared = (raw: RawEvidence) =>
                check("container-seccomp").run(new Evidence(raw), {
                    ...EXPECT,
                    containerWaivers: {},
                    containerSeccomp: { [API]: profile },
                });
            const withProfile = inspect(HARDENED, API, (i) => i.HostConfig.SecurityOpt!.push(`seccomp=${profile}`));
            const defaultOpts = "no-new-privileges:true,apparmor=docker-default";
            assert.deepEqual(
                declared(withProfile),
                passes(
                    `${A}: security options ${defaultOpts},seccomp=<${digest}>, Seccomp 2, declared seccomp=<${digest}>`,
                    `${W}: security options ${defaultOpts}, Seccomp 2`,
                ),
            );
            // Under Docker's default (or any other) profile instead, it fails.
            assert.deepEqual(
                declared(HARDENED),
                fails(
                    `${A}: security options ${defaultOpts}, Seccomp 2, declared seccomp=<${digest}> (fails)`,
                    `${W}: security options ${defaultOpts}, Seccomp 2`,
                ),
            );
            const other = tightenDefaultProfile({ denySyscalls: ["ptrace"] });
            const otherProfile = inspect(HARDENED, API, (i) => i.HostConfig.SecurityOpt!.push(`seccomp=${other}`));
            assert.deepEqual(
                declared(otherProfile),
                fails(
                    `${A}: security options ${defaultOpts},seccomp=<${profileDigest(other)}>, Seccomp 2, declared seccomp=<${digest}> (fails)`,
                    `${W}: security options ${defaultOpts}, Seccomp 2`,
                ),
            );
        });

        it("5.25: a custom cgroup parent fails", () => {
            const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.CgroupParent = "/custom.slice"));
            assert.deepEqual(
                run("container-default-cgroup", raw),
                fails(`${A}: cgroup parent default`, `${W}: cgroup parent /custom.slice (fails)`),
            );
        });

        it("5.26: NoNewPrivs 0, or an unreadable /proc status, fails", () => {
            assert.deepEqual(
                run("container-no-new-privileges", proc(HARDENED, API, "NoNewPrivs", "0")),
                fails(`${A}: NoNewPrivs 0 (fails)`, `${W}: NoNewPrivs 1`),
            );
            const gone = editSection(
                HARDENED,
                `proc:${API}`,
                () => "grep: /proc/4110/status: No such file or directory\n",
                2,
            );
            assert.deepEqual(
                run("container-no-new-privileges", gone),
                fails(`${A}: NoNewPrivs (unreadable) (fails)`, `${W}: NoNewPrivs 1`),
            );
        });

        it("5.27: no health check, or a NONE health check, fails", () => {
            const none = inspect(HARDENED, WEB, (i) => (i.Config.Healthcheck = null));
            assert.deepEqual(
                run("container-health-check", none),
                fails(`${A}: health check, now healthy`, `${W}: no health check (fails)`),
            );
            const disabled = inspect(HARDENED, WEB, (i) => (i.Config.Healthcheck = { Test: ["NONE"] }));
            assert.deepEqual(
                run("container-health-check", disabled),
                fails(`${A}: health check, now healthy`, `${W}: no health check (fails)`),
            );
            const starting = inspect(HARDENED, WEB, (i) => (i.State.Health = null));
            assert.deepEqual(
                run("container-health-check", starting),
                passes(`${A}: health check, now healthy`, `${W}: health check, now (no status)`),
            );
        });

        it("5.29: a PIDs limit of 0, -1 or none fails", () => {
            for (const [limit, shown] of [
                [0, "0"],
                [-1, "-1"],
                [null, "none"],
            ] as const) {
                const raw = inspect(HARDENED, WEB, (i) => (i.HostConfig.PidsLimit = limit));
                assert.deepEqual(
                    run("container-pids-limit", raw),
                    fails(`${A}: pids limit 128`, `${W}: pids limit ${shown} (fails)`),
                    shown,
                );
            }
        });

        it("5.30: the default bridge network fails", () => {
            const raw = inspect(HARDENED, WEB, (i) => {
                i.HostConfig.NetworkMode = "default";
                i.NetworkSettings.Networks = { bridge: {} };
            });
            assert.deepEqual(
                run("container-not-default-bridge", raw),
                fails(`${A}: networks app-net-ca7c7cb`, `${W}: networks bridge (fails)`),
            );
            const mode = inspect(HARDENED, WEB, (i) => (i.HostConfig.NetworkMode = "bridge"));
            assert.deepEqual(
                run("container-not-default-bridge", mode),
                fails(`${A}: networks app-net-ca7c7cb`, `${W}: networks app-net-ca7c7cb (fails)`),
            );
        });

        it("5.32: a bind of the Docker socket fails 5.32, not 5.6", () => {
            const raw = inspect(HARDENED, API, (i) =>
                i.Mounts!.push({
                    Type: "bind",
                    Source: "/var/run/docker.sock",
                    Destination: "/var/run/docker.sock",
                    Propagation: "rprivate",
                    RW: true,
                }),
            );
            assert.deepEqual(
                run("container-no-engine-socket", raw),
                fails(
                    `${A}: mounts /var/run/docker.sock:/var/run/docker.sock (fails)`,
                    `${W}: no engine socket or state mounted`,
                ),
            );
            assert.deepEqual(
                run("container-no-sensitive-mounts", raw),
                passes(`${A}: bind mounts: /var/run/docker.sock`, `${W}: bind mounts: none`),
            );
        });

        it("5.32: the api container's named volume under the data root passes; the same path bound fails", () => {
            // The api container's /data is a volume whose source is under /var/lib/docker (it passes above).
            const mounts = new Evidence(HARDENED).containers()[0].inspect.Mounts;
            assert.deepEqual(mounts, [
                {
                    Destination: "/data",
                    Driver: "local",
                    Mode: "z",
                    Name: "api-data-5b36730",
                    Propagation: "",
                    RW: true,
                    Source: "/var/lib/docker/165536.165536/volumes/api-data-5b36730/_data",
                    Type: "volume",
                },
            ]);
            const bind = inspect(HARDENED, API, (i) => (i.Mounts![0].Type = "bind"));
            assert.deepEqual(
                run("container-no-engine-socket", bind),
                fails(
                    `${A}: mounts /var/lib/docker/165536.165536/volumes/api-data-5b36730/_data:/data (fails)`,
                    `${W}: no engine socket or state mounted`,
                ),
            );
        });
    });

    it("withSections replaces whole sections: a host whose only container is the weakened one", () => {
        const raw = withSections(WEAKENED, { containers: { rc: 0, out: `${WEAK}\n` } });
        assert.deepEqual(run("container-capabilities", raw), {
            status: "fail",
            evidence: [
                "hd-e2e-weak (28137862d942): cap-drop none, cap-add none, CapEff 0000000000000000, CapBnd 00000000a80425fb (fails)",
            ],
        });
    });
});

describe("ComplianceAudit checks: containers, what the mounts really reach", () => {
    const runOn = (id: string, raw: RawEvidence) => check(id).run(new Evidence(raw), EXPECT);
    const withMount = (raw: RawEvidence, cid: string, mount: ContainerInspect["Mounts"]) =>
        editSection(raw, `inspect:${cid}`, (out) => {
            const i = JSON.parse(out) as ContainerInspect;
            i.Mounts = mount;
            return JSON.stringify(i);
        });

    it("5.6: a bind source that is a link to /etc fails, named with where it really is", () => {
        const raw = editSection(
            withMount(HARDENED, WEB, [{ Type: "bind", Source: "/srv/conf", Destination: "/conf" }]),
            `binds:${WEB}`,
            () => "/srv/conf\t/etc\n",
        );
        const f = runOn("container-no-sensitive-mounts", raw);
        assert.equal(f.status, "fail");
        // Sorted by name: api, then web.
        assert.match(f.evidence[1], /^web-a5b89f5 \(ff0d1a40e010\): mounts \/srv\/conf \(at \/etc\):\/conf \(fails\)$/);
    });

    it("5.6 and 5.32: a named volume that binds a host directory counts as a bind of it", () => {
        const etc = editSection(
            withMount(HARDENED, WEB, [
                {
                    Type: "volume",
                    Name: "etc-vol",
                    Source: "/var/lib/docker/volumes/etc-vol/_data",
                    Destination: "/conf",
                },
            ]),
            "volumes",
            (o) => `${o}etc-vol\tnone\t/etc\n`,
        );
        assert.match(
            runOn("container-no-sensitive-mounts", etc).evidence[1],
            /^web-a5b89f5 \(ff0d1a40e010\): mounts volume etc-vol \(binds \/etc\):\/conf \(fails\)$/,
        );
        const sock = editSection(
            withMount(HARDENED, API, [
                { Type: "volume", Name: "sock", Source: "/var/lib/docker/volumes/sock/_data", Destination: "/s" },
            ]),
            "volumes",
            (o) => `${o}sock\tnone\t/run/docker.sock\n`,
        );
        assert.equal(runOn("container-no-engine-socket", sock).status, "fail");
        assert.equal(runOn("container-no-sensitive-mounts", sock).status, "pass");
    });

    it("5.6: bind sources that could not be resolved fail (never a pass by default)", () => {
        const raw = editSection(HARDENED, `binds:${API}`, () => "Error: No such container\n", 1);
        const f = runOn("container-no-sensitive-mounts", raw);
        assert.equal(f.status, "fail");
        assert.deepEqual(f.evidence, [
            "api-e0506b0 (35d10e56dbdd): bind mounts unreadable (fails)",
            "web-a5b89f5 (ff0d1a40e010): bind mounts: none",
        ]);
    });

    it("a container whose inspection failed for another reason than its removal is missing evidence", () => {
        const raw = editSection(
            HARDENED,
            `inspect:${WEB}`,
            () => "error during connect: context deadline exceeded\n",
            124,
        );
        assert.throws(
            () => runOn("container-non-root-user", raw),
            new RegExp(
                `^Error: docker inspect ${WEB.slice(0, 12)} failed \\(exit 124\\): error during connect: context deadline exceeded$`,
            ),
        );
    });

    it("a container that stopped after the list is not audited", () => {
        const raw = editSection(HARDENED, `inspect:${WEB}`, (out) => {
            const i = JSON.parse(out) as ContainerInspect;
            i.State.Running = false;
            return JSON.stringify(i);
        });
        assert.deepEqual(
            runOn("container-non-root-user", raw).evidence.map((l) => l.split(":")[0]),
            [new Evidence(HARDENED).containers()[0].name + " (" + API.slice(0, 12) + ")"],
        );
    });
});

describe("ComplianceAudit: a container's own AppArmor profile (CIS 5.2)", () => {
    /** The digest of the profile the recorded sandbox had installed (the example's API's). */
    const SHA = "59ce8fd401014e7358285003044734d16436965087f5f5accee5e9f8f1890009";
    const PATH = "/etc/apparmor.d/hardened-docker.hd-example-api";
    const DECLARED = { [API]: { name: "hd-example-api", sha256: SHA, path: PATH } };
    /** The API under its own profile, as the host shows it once HardenedContainer loaded it. */
    function underProfile(mode = "enforce", installed = SHA): RawEvidence {
        let raw = editSection(HARDENED, `inspect:${API}`, (out) =>
            out.replace('"AppArmorProfile":"docker-default"', '"AppArmorProfile":"hd-example-api"'),
        );
        raw = editSection(raw, `apparmor:${API}`, () => `hd-example-api (${mode})\n`);
        return withSections(raw, {
            "apparmor-profiles": {
                rc: 0,
                out: `docker-default (enforce)\nhd-example-api (${mode})\n${installed}  ${PATH}\n`,
            },
        });
    }
    function apparmor(raw: RawEvidence, containerAppArmor = DECLARED): Finding {
        return check("container-apparmor").run(new Evidence(raw), { ...EXPECT, containerAppArmor });
    }

    it("passes when the container runs under its declared profile, enforced, installed as declared", () => {
        assert.deepEqual(apparmor(underProfile()), {
            status: "pass",
            evidence: [
                `${A}: profile hd-example-api, process hd-example-api (enforce); declared hd-example-api, ${PATH} sha256 as declared`,
                `${W}: profile docker-default, process docker-default (enforce)`,
            ],
        });
    });

    it("fails when the container runs under docker-default instead", () => {
        assert.deepEqual(
            apparmor(HARDENED).evidence[0],
            `${A}: profile docker-default, process docker-default (enforce); declared hd-example-api, ${PATH} sha256 as declared (fails)`,
        );
        assert.equal(apparmor(HARDENED).status, "fail");
    });

    it("fails when the profile is in complain mode or the installed file differs", () => {
        assert.equal(apparmor(underProfile("complain")).status, "fail");
        const other = "b".repeat(64);
        const f = apparmor(underProfile("enforce", other));
        assert.equal(f.status, "fail");
        assert.equal(
            f.evidence[0],
            `${A}: profile hd-example-api, process hd-example-api (enforce); declared hd-example-api, ${PATH} sha256 ${other} (want ${SHA}) (fails)`,
        );
    });
});
