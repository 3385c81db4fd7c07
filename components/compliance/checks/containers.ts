import { createHash } from "node:crypto";
import { DANGEROUS_CAPABILITIES, normaliseCapability } from "../../../policy-pack/lib/rules/linux";
import { forbiddenHostPath } from "../../../policy-pack/lib/rules/paths";
import type { ContainerFacts, Evidence } from "../evidence";
import { notApplicable, type AuditExpectations, type CheckDef, type Finding, type WaiverNote } from "./types";

/** One container's result for a control. */
interface Verdict {
    ok: boolean;
    /** What was seen, without the container's name. */
    seen: string;
}

/** HardenedContainer's waivers and the controls each relaxes. */
export const CONTAINER_WAIVER_CONTROLS: Readonly<Record<string, readonly string[]>> = Object.freeze({
    rootUser: ["4.1"],
    noHealthCheck: ["5.27"],
    allInterfaces: ["5.14"],
    privilegedPorts: ["5.8"],
    dangerousCapabilities: ["5.4"],
});

function label(c: ContainerFacts): string {
    return `${c.name} (${c.id.slice(0, 12)})`;
}

/**
 * A control checked on every running container. The control fails when one container fails it
 * without a waiver; a container whose labels waive the control shows as waived with the reason.
 */
function perContainer(
    id: string,
    cis: string,
    title: string,
    judge: (c: ContainerFacts, ev: Evidence, exp: AuditExpectations) => Verdict,
): CheckDef {
    return {
        id,
        cis,
        title,
        run(ev: Evidence, exp: AuditExpectations): Finding {
            const all = ev.containers();
            if (all.length === 0) {
                return notApplicable("no container is running");
            }
            const evidence: string[] = [];
            const waivers: WaiverNote[] = [];
            let failed = false;
            for (const c of all) {
                const v = judge(c, ev, exp);
                const waiver = Object.entries(exp.containerWaivers[c.id] ?? {}).find(
                    ([name]) =>
                        Object.hasOwn(CONTAINER_WAIVER_CONTROLS, name) && CONTAINER_WAIVER_CONTROLS[name].includes(cis),
                );
                if (waiver !== undefined) {
                    waivers.push({ by: `HardenedContainer ${label(c)} args.waivers.${waiver[0]}`, reason: waiver[1] });
                    evidence.push(`${label(c)}: ${v.seen} (waived)`);
                } else {
                    failed ||= !v.ok;
                    evidence.push(`${label(c)}: ${v.seen}${v.ok ? "" : " (fails)"}`);
                }
            }
            if (failed) {
                return { status: "fail", evidence, ...(waivers.length > 0 ? { waivers } : {}) };
            }
            return waivers.length > 0 ? { status: "waived", evidence, waivers } : { status: "pass", evidence };
        },
    };
}

const hc = (c: ContainerFacts) => c.inspect.HostConfig;
const list = (v: string[] | null | undefined) => (v ?? []).join(",") || "none";

/** A seccomp profile as evidence shows it: its size and digest, not its 13 KB of JSON. */
export function profileDigest(json: string): string {
    return `profile of ${Buffer.byteLength(json)} bytes, sha256 ${createHash("sha256").update(json).digest("hex").slice(0, 16)}`;
}

/** Security options as evidence shows them: a seccomp profile's JSON by its digest. */
const securityOpts = (v: string[] | null | undefined) =>
    list((v ?? []).map((o) => (/^seccomp[=:]\{/.test(o) ? `seccomp=<${profileDigest(o.slice(8))}>` : o)));

function isRoot(user: string): boolean {
    const name = user.split(":")[0];
    return name === "" || name === "root" || name === "0";
}

/** A published port's host address, and whether it is every address of the host. */
function bindings(c: ContainerFacts): { port: string; hostIp: string; hostPort: number }[] {
    const out: { port: string; hostIp: string; hostPort: number }[] = [];
    for (const [port, binds] of Object.entries(c.inspect.NetworkSettings.Ports ?? {})) {
        for (const b of binds ?? []) {
            out.push({ port, hostIp: b.HostIp, hostPort: Number(b.HostPort) });
        }
    }
    return out;
}

/**
 * What each mount really reaches on the host: a bind mount's source with links resolved, and a named
 * volume that binds a device (`type=none`, `o=bind`, `device=/etc`) counts as a bind of that device.
 * Undefined when the collector could not resolve the bind sources.
 */
function hostPaths(c: ContainerFacts, ev: Evidence): { shown: string; real: string; dest: string }[] | undefined {
    if (c.bindSources === undefined) {
        return undefined;
    }
    const out: { shown: string; real: string; dest: string }[] = [];
    for (const m of c.inspect.Mounts ?? []) {
        if (m.Type === "bind") {
            const real = c.bindSources.find((b) => b.source === m.Source)?.real ?? m.Source;
            out.push({ shown: real === m.Source ? m.Source : `${m.Source} (at ${real})`, real, dest: m.Destination });
        } else if (m.Type === "volume" && m.Name !== undefined) {
            const v = ev.volumes().get(m.Name);
            if (v !== undefined && v.type === "none" && v.device !== "") {
                out.push({ shown: `volume ${m.Name} (binds ${v.device})`, real: v.device, dest: m.Destination });
            }
        }
    }
    return out;
}

/** What the mounts reach: 5.6 (sensitive host directories) or 5.32 (the engine's socket and state). */
function mounts(c: ContainerFacts, ev: Evidence, cis: "5.6" | "5.32"): Verdict {
    const paths = hostPaths(c, ev);
    if (paths === undefined) {
        return { ok: false, seen: "bind mounts unreadable" };
    }
    const bad = paths.filter((p) => forbiddenHostPath(p.real)?.cis === cis);
    if (bad.length > 0) {
        return { ok: false, seen: `mounts ${bad.map((p) => `${p.shown}:${p.dest}`).join(", ")}` };
    }
    if (cis === "5.32") {
        return { ok: true, seen: "no engine socket or state mounted" };
    }
    return { ok: true, seen: `bind mounts: ${paths.map((p) => p.shown).join(", ") || "none"}` };
}

/** CIS 5.3 on each container: no `label=disable` (SELinux labelling switched off). */
const selinuxLabels = perContainer(
    "container-selinux-labels",
    "5.3",
    "Where the daemon uses SELinux, no running container switches its labels off",
    (c) => {
        const off = (hc(c).SecurityOpt ?? []).filter((o) => /^label[=:]disable$/.test(o));
        return { ok: off.length === 0, seen: `security options ${securityOpts(hc(c).SecurityOpt)}` };
    },
);

/** CIS 5.3 applies only where the daemon runs SELinux; AppArmor hosts have no labels to set. */
const selinux: CheckDef = {
    ...selinuxLabels,
    run(ev, exp) {
        const opts = ev.info().SecurityOptions ?? [];
        if (!opts.includes("name=selinux")) {
            return notApplicable(
                `docker info: security options ${opts.join(" ") || "(none)"}: SELinux is not in use` +
                    (opts.includes("name=apparmor") ? " (AppArmor confines the containers, 5.2)" : ""),
            );
        }
        return selinuxLabels.run(ev, exp);
    },
};

export const CONTAINER_CHECKS: readonly CheckDef[] = Object.freeze([
    perContainer("container-non-root-user", "4.1", "Every running container runs as a non-root user", (c) => ({
        ok: !isRoot(c.inspect.Config.User),
        seen: `user ${JSON.stringify(c.inspect.Config.User)}`,
    })),
    perContainer(
        "container-apparmor",
        "5.2",
        "Every running container is confined by an AppArmor profile in enforce mode",
        (c, ev, exp) => {
            const confined =
                c.inspect.AppArmorProfile !== "" &&
                c.inspect.AppArmorProfile !== "unconfined" &&
                c.apparmor.endsWith("(enforce)");
            const seen = `profile ${c.inspect.AppArmorProfile || "(none)"}, process ${c.apparmor || "(unreadable)"}`;
            // A HardenedContainer with its own profile runs under exactly that one, as it was installed.
            const declared = Object.hasOwn(exp.containerAppArmor, c.id) ? exp.containerAppArmor[c.id] : undefined;
            if (declared === undefined) {
                return { ok: confined, seen };
            }
            const installed =
                new RegExp(`^([0-9a-f]{64})  ${declared.path.replace(/\./g, "\\.")}$`, "m").exec(
                    ev.raw["apparmor-profiles"]?.out ?? "",
                )?.[1] ?? "(not installed)";
            return {
                ok:
                    confined &&
                    c.inspect.AppArmorProfile === declared.name &&
                    c.apparmor === `${declared.name} (enforce)` &&
                    installed === declared.sha256,
                seen: `${seen}; declared ${declared.name}, ${declared.path} sha256 ${installed === declared.sha256 ? "as declared" : `${installed} (want ${declared.sha256})`}`,
            };
        },
    ),
    selinux,
    perContainer(
        "container-capabilities",
        "5.4",
        "Every running container drops all capabilities and adds none that reaches the host",
        (c) => {
            // Docker upper-cases both lists, and an added ALL overrides cap-drop ALL.
            const added = (hc(c).CapAdd ?? []).map((x) => normaliseCapability(x) ?? x.trim().toUpperCase());
            const dropsAll = (hc(c).CapDrop ?? []).some((x) => x.toUpperCase() === "ALL");
            const dangerous = added.filter((x) => x === "ALL" || DANGEROUS_CAPABILITIES.includes(x));
            return {
                ok: dropsAll && dangerous.length === 0,
                seen: `cap-drop ${list(hc(c).CapDrop)}, cap-add ${list(hc(c).CapAdd)}, CapEff ${c.proc.CapEff ?? "(unreadable)"}, CapBnd ${c.proc.CapBnd ?? "(unreadable)"}`,
            };
        },
    ),
    perContainer("container-not-privileged", "5.5", "No running container is privileged", (c) => ({
        ok: hc(c).Privileged !== true,
        seen: `privileged ${String(hc(c).Privileged ?? false)}`,
    })),
    perContainer(
        "container-no-sensitive-mounts",
        "5.6",
        "No running container mounts a sensitive host directory",
        (c, ev) => mounts(c, ev, "5.6"),
    ),
    perContainer("container-no-sshd", "5.7", "No running container runs sshd", (c) => ({
        ok: c.processes !== undefined && !c.processes.some((p) => p === "sshd" || p.startsWith("sshd:")),
        seen: c.processes === undefined ? "processes (unreadable)" : `processes: ${c.processes.join(", ") || "(none)"}`,
    })),
    perContainer(
        "container-no-privileged-ports",
        "5.8",
        "No running container publishes a host port below 1024",
        (c) => {
            const low = bindings(c).filter((b) => b.hostPort > 0 && b.hostPort < 1024);
            return {
                ok: low.length === 0,
                seen: `host ports: ${
                    bindings(c)
                        .map((b) => b.hostPort)
                        .join(", ") || "none"
                }`,
            };
        },
    ),
    perContainer(
        "container-no-host-network",
        "5.10",
        "No running container shares the host's network namespace",
        (c) => ({
            ok: hc(c).NetworkMode !== "host",
            seen: `network mode ${hc(c).NetworkMode ?? "(unknown)"}`,
        }),
    ),
    perContainer("container-memory-limit", "5.11", "Every running container has a memory limit", (c) => ({
        ok: (hc(c).Memory ?? 0) > 0,
        seen: `memory ${hc(c).Memory ?? 0} bytes`,
    })),
    perContainer("container-cpu-limit", "5.12", "Every running container has CPU shares or a CPU limit", (c) => ({
        ok: (hc(c).CpuShares ?? 0) > 0 || (hc(c).NanoCpus ?? 0) > 0 || (hc(c).CpuQuota ?? 0) > 0,
        seen: `cpu shares ${hc(c).CpuShares ?? 0}, nano CPUs ${hc(c).NanoCpus ?? 0}, quota ${hc(c).CpuQuota ?? 0}`,
    })),
    perContainer("container-read-only-root", "5.13", "Every running container's root filesystem is read-only", (c) => ({
        ok: hc(c).ReadonlyRootfs === true,
        seen: `read-only root ${String(hc(c).ReadonlyRootfs ?? false)}`,
    })),
    perContainer("container-ports-on-one-address", "5.14", "Every published port is bound to one host address", (c) => {
        const any = bindings(c).filter((b) => b.hostIp === "" || b.hostIp === "0.0.0.0" || b.hostIp === "::");
        return {
            ok: any.length === 0,
            seen: `published: ${
                bindings(c)
                    .map((b) => `${b.hostIp || "*"}:${b.hostPort}->${b.port}`)
                    .join(", ") || "none"
            }`,
        };
    }),
    perContainer(
        "container-restart-policy",
        "5.15",
        "Restart policy on-failure with at most 5 retries (or no restart)",
        (c) => {
            const p = hc(c).RestartPolicy ?? {};
            const name = p.Name ?? "";
            const retries = p.MaximumRetryCount ?? 0;
            return {
                ok: name === "" || name === "no" || (name === "on-failure" && retries >= 1 && retries <= 5),
                seen: `restart ${name || "no"}${name === "on-failure" ? `:${retries}` : ""}`,
            };
        },
    ),
    perContainer("container-no-host-pid", "5.16", "No running container shares the host's PID namespace", (c) => ({
        ok: hc(c).PidMode !== "host",
        seen: `pid mode ${hc(c).PidMode || "private"}`,
    })),
    perContainer("container-no-host-ipc", "5.17", "No running container shares the host's IPC namespace", (c) => ({
        ok: hc(c).IpcMode !== "host",
        seen: `ipc mode ${hc(c).IpcMode || "private"}`,
    })),
    perContainer(
        "container-no-shared-propagation",
        "5.20",
        "No mount of a running container propagates shared",
        (c) => {
            const shared = (c.inspect.Mounts ?? []).filter(
                (m) => m.Propagation === "shared" || m.Propagation === "rshared",
            );
            return {
                ok: shared.length === 0,
                seen: `mount propagation: ${(c.inspect.Mounts ?? []).map((m) => `${m.Destination} ${m.Propagation || "default"}`).join(", ") || "no mounts"}`,
            };
        },
    ),
    perContainer("container-no-host-uts", "5.21", "No running container shares the host's UTS namespace", (c) => ({
        ok: hc(c).UTSMode !== "host",
        seen: `uts mode ${hc(c).UTSMode || "private"}`,
    })),
    perContainer(
        "container-seccomp",
        "5.22",
        "Every running container is filtered by a seccomp profile, the one its stack declares",
        (c, _ev, exp) => {
            const opts = hc(c).SecurityOpt ?? [];
            const unconfined = opts.some((o) => /^seccomp[=:]unconfined$/.test(o));
            // A HardenedContainer with its own profile must run under exactly that profile.
            const declared = Object.hasOwn(exp.containerSeccomp, c.id) ? exp.containerSeccomp[c.id] : undefined;
            const asDeclared = declared === undefined || opts.includes(`seccomp=${declared}`);
            return {
                ok: !unconfined && c.proc.Seccomp === "2" && asDeclared,
                seen:
                    `security options ${securityOpts(opts)}, Seccomp ${c.proc.Seccomp ?? "(unreadable)"}` +
                    (declared === undefined ? "" : `, declared seccomp=<${profileDigest(declared)}>`),
            };
        },
    ),
    perContainer("container-default-cgroup", "5.25", "No running container has a custom cgroup parent", (c) => ({
        ok: (hc(c).CgroupParent ?? "") === "",
        seen: `cgroup parent ${hc(c).CgroupParent || "default"}`,
    })),
    perContainer(
        "container-no-new-privileges",
        "5.26",
        "Every running container's processes cannot gain privileges",
        (c) => ({
            ok: c.proc.NoNewPrivs === "1",
            seen: `NoNewPrivs ${c.proc.NoNewPrivs ?? "(unreadable)"}`,
        }),
    ),
    perContainer("container-health-check", "5.27", "Every running container has a health check", (c) => {
        const test = c.inspect.Config.Healthcheck?.Test ?? [];
        return {
            ok: test.length > 0 && test[0] !== "NONE",
            seen:
                test.length > 0 && test[0] !== "NONE"
                    ? `health check, now ${c.inspect.State.Health ?? "(no status)"}`
                    : "no health check",
        };
    }),
    perContainer("container-pids-limit", "5.29", "Every running container has a PIDs limit", (c) => ({
        ok: (hc(c).PidsLimit ?? 0) > 0,
        seen: `pids limit ${hc(c).PidsLimit ?? "none"}`,
    })),
    perContainer(
        "container-not-default-bridge",
        "5.30",
        "No running container is on the default bridge network",
        (c) => {
            const nets = Object.keys(c.inspect.NetworkSettings.Networks ?? {});
            return {
                ok: !nets.includes("bridge") && hc(c).NetworkMode !== "default" && hc(c).NetworkMode !== "bridge",
                seen: `networks ${nets.join(", ") || "none"}`,
            };
        },
    ),
    perContainer("container-no-host-userns", "5.31", "No running container shares the host's user namespace", (c) => ({
        ok: hc(c).UsernsMode !== "host",
        seen: `userns mode ${hc(c).UsernsMode || "daemon default"}`,
    })),
    perContainer(
        "container-no-engine-socket",
        "5.32",
        "No running container mounts the Docker socket or the engine's state",
        (c, ev) => mounts(c, ev, "5.32"),
    ),
]);
