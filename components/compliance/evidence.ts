import type { RawEvidence, Section } from "./collect";

/** `docker info`'s fields that the checks read. */
export interface DockerInfo {
    Driver?: string;
    LoggingDriver?: string;
    LiveRestoreEnabled?: boolean;
    ExperimentalBuild?: boolean;
    Debug?: boolean;
    SecurityOptions?: string[];
    DockerRootDir?: string;
    ServerVersion?: string;
    Plugins?: { Authorization?: string[] | null };
    Swarm?: { LocalNodeState?: string };
    RegistryConfig?: {
        InsecureRegistryCIDRs?: string[] | null;
        IndexConfigs?: Record<string, { Name?: string; Secure?: boolean }> | null;
    };
}

/** `docker inspect`'s fields that the collector's template keeps (never the environment). */
export interface ContainerInspect {
    Id: string;
    Name: string;
    Config: {
        User: string;
        Image: string;
        Healthcheck: { Test?: string[] | null } | null;
    };
    State: { Pid: number; Running: boolean; Health: string | null };
    HostConfig: {
        Privileged?: boolean;
        ReadonlyRootfs?: boolean;
        CapAdd?: string[] | null;
        CapDrop?: string[] | null;
        SecurityOpt?: string[] | null;
        Memory?: number;
        CpuShares?: number;
        NanoCpus?: number;
        CpuQuota?: number;
        PidsLimit?: number | null;
        NetworkMode?: string;
        PidMode?: string;
        IpcMode?: string;
        UTSMode?: string;
        UsernsMode?: string;
        CgroupParent?: string;
        RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
        Devices?: unknown[] | null;
    };
    Mounts:
        | { Type: string; Name?: string; Source: string; Destination: string; Propagation?: string; RW?: boolean }[]
        | null;
    AppArmorProfile: string;
    NetworkSettings: {
        Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
        Networks: Record<string, unknown> | null;
    };
}

/** One running container as the audit saw it. */
export interface ContainerFacts {
    id: string;
    /** The name without Docker's leading slash. */
    name: string;
    inspect: ContainerInspect;
    /** `/proc/<pid>/status` fields: CapEff, CapBnd, NoNewPrivs, Seccomp. */
    proc: Record<string, string>;
    /** `/proc/<pid>/attr/current`: `docker-default (enforce)`, or "" when unreadable. */
    apparmor: string;
    /** The command names of its processes, from `docker top`; undefined when it could not be read. */
    processes: string[] | undefined;
    /** Each bind mount's source and where it really is (symbolic links resolved). */
    bindSources: { source: string; real: string }[] | undefined;
}

/** A named volume: its `type` and `device` options (a `type=none` volume binds its device). */
export interface VolumeFacts {
    name: string;
    type: string;
    /** The device option with links resolved, or "". */
    device: string;
}

/** A file of CIS section 3 as `find -printf` saw it. */
export interface FileFacts {
    /** `file`, `unit:docker.service`, `certs.d`, `tlscacert`, ... */
    kind: string;
    path: string;
    /** Octal, without leading zeros: `644`. Undefined when the file is absent. */
    mode?: string;
    owner?: string;
    group?: string;
    /** `f` file, `d` directory, `s` socket, `l` link. */
    type?: string;
}

/** A failure to read the host: the check that needed it fails with this as its evidence. */
export class MissingEvidence extends Error {}

/**
 * The collector's sections, parsed on demand. A check asks for what it needs; a section that is
 * missing or whose command failed throws MissingEvidence, and the check fails saying so.
 */
export class Evidence {
    private readonly cache = new Map<string, unknown>();

    constructor(readonly raw: RawEvidence) {}

    /** A section's output; throws MissingEvidence unless its command exited 0 (or one of `okCodes`). */
    section(name: string, okCodes: number[] = [0]): string {
        const s: Section | undefined = this.raw[name];
        if (s === undefined) {
            throw new MissingEvidence(`the collector has no ${name} section`);
        }
        if (!okCodes.includes(s.rc)) {
            throw new MissingEvidence(`${name} failed (exit ${s.rc}): ${s.out.trim().slice(0, 300) || "no output"}`);
        }
        return s.out;
    }

    private memo<T>(key: string, make: () => T): T {
        if (!this.cache.has(key)) {
            this.cache.set(key, make());
        }
        return this.cache.get(key) as T;
    }

    meta(): { auditedAt: string; hostname: string; kernel: string; os: string } {
        return this.memo("meta", () => {
            const [auditedAt = "", hostname = "", kernel = "", os = ""] = this.section("meta").split("\n");
            return { auditedAt, hostname, kernel, os };
        });
    }

    info(): DockerInfo {
        return this.memo("info", () => parseJson<DockerInfo>(this.section("docker-info"), "docker info"));
    }

    /** daemon.json as the host has it; {} when absent. */
    daemonJson(): Record<string, unknown> {
        return this.memo("daemon-json", () => {
            const s = this.raw["daemon-json"];
            if (s !== undefined && s.rc !== 0 && /No such file/.test(s.out)) {
                return {};
            }
            return parseJson<Record<string, unknown>>(this.section("daemon-json"), "/etc/docker/daemon.json");
        });
    }

    /** The running dockerd's arguments (without the program name). */
    cmdline(): string[] {
        return this.memo("cmdline", () =>
            this.section("dockerd-cmdline")
                .split("\n")
                .filter((a) => a !== "")
                .slice(1),
        );
    }

    /**
     * The daemon's effective value of a setting: its command-line flag wins over daemon.json (the
     * daemon refuses to start when both set it). `flags` are the flag's spellings (`--log-level`, `-l`).
     */
    daemonSetting(key: string, flags: string[]): { value: unknown; source: string } | undefined {
        const args = this.cmdline();
        for (let i = 0; i < args.length; i++) {
            for (const flag of flags) {
                if (args[i] === flag) {
                    const next = args[i + 1];
                    // A boolean flag alone is true; otherwise the next word is its value.
                    if (next === undefined || next.startsWith("-")) {
                        return { value: true, source: `dockerd ${flag}` };
                    }
                    return { value: next, source: `dockerd ${flag} ${next}` };
                }
                if (args[i].startsWith(`${flag}=`)) {
                    const v = args[i].slice(flag.length + 1);
                    return { value: v === "true" ? true : v === "false" ? false : v, source: `dockerd ${args[i]}` };
                }
            }
        }
        const json = this.daemonJson();
        if (Object.prototype.hasOwnProperty.call(json, key)) {
            return { value: json[key], source: `daemon.json ${JSON.stringify(key)}: ${JSON.stringify(json[key])}` };
        }
        return undefined;
    }

    files(): FileFacts[] {
        return this.memo("files", () =>
            this.section("file-modes")
                .split("\n")
                .filter((l) => l !== "")
                .map((l) => {
                    const [kind, path, mode, owner, group, type] = l.split("|");
                    return mode === "absent" || mode === undefined
                        ? { kind, path }
                        : { kind, path, mode, owner, group, type };
                }),
        );
    }

    containers(): ContainerFacts[] {
        return this.memo("containers", () => {
            const ids = this.section("containers")
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => /^[0-9a-f]{64}$/.test(l));
            const out: ContainerFacts[] = [];
            for (const id of ids) {
                const inspectSection = this.raw[`inspect:${id}`];
                if (inspectSection === undefined) {
                    throw new MissingEvidence(`the collector has no inspect:${id.slice(0, 12)} section`);
                }
                if (inspectSection.rc !== 0) {
                    // Removed between the list and its inspection: it no longer runs. Anything else
                    // (a timeout, a daemon error) is evidence missing, not a container less.
                    if (/No such (object|container)/.test(inspectSection.out)) {
                        continue;
                    }
                    throw new MissingEvidence(
                        `docker inspect ${id.slice(0, 12)} failed (exit ${inspectSection.rc}): ${inspectSection.out.trim().slice(0, 300)}`,
                    );
                }
                const inspect = parseJson<ContainerInspect>(inspectSection.out, `docker inspect ${id.slice(0, 12)}`);
                if (inspect.State.Running !== true) {
                    continue;
                }
                const proc: Record<string, string> = {};
                for (const line of (this.raw[`proc:${id}`]?.out ?? "").split("\n")) {
                    const m = /^([A-Za-z]+):\s*(.*)$/.exec(line);
                    if (m !== null) {
                        proc[m[1]] = m[2].trim();
                    }
                }
                const apparmorSection = this.raw[`apparmor:${id}`];
                const top = this.raw[`processes:${id}`];
                const processes =
                    top === undefined || top.rc !== 0
                        ? undefined
                        : top.out
                              .split("\n")
                              .slice(1)
                              .map((l) => l.trim().split(/\s+/).slice(1).join(" "))
                              .filter((c) => c !== "");
                const binds = this.raw[`binds:${id}`];
                const bindSources =
                    binds === undefined || binds.rc !== 0
                        ? undefined
                        : binds.out
                              .split("\n")
                              .filter((l) => l !== "")
                              .map((l) => {
                                  const [source, real = source] = l.split("\t");
                                  return { source, real };
                              });
                out.push({
                    id,
                    name: inspect.Name.replace(/^\//, ""),
                    inspect,
                    proc,
                    apparmor: apparmorSection?.rc === 0 ? apparmorSection.out.trim() : "",
                    processes,
                    bindSources,
                });
            }
            // By name: the report reads the same whatever order `docker ps` listed them in.
            return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        });
    }

    /** Every named volume, by name. */
    volumes(): Map<string, VolumeFacts> {
        return this.memo("volumes", () => {
            const out = new Map<string, VolumeFacts>();
            for (const line of this.section("volumes").split("\n")) {
                if (line === "") {
                    continue;
                }
                const [name, type = "", device = ""] = line.split("\t");
                out.set(name, { name, type, device });
            }
            return out;
        });
    }

    /** Where each path named by a loaded audit rule really is (links resolved). */
    auditRulePaths(): Map<string, string> {
        return this.memo("audit-rule-paths", () => {
            const out = new Map<string, string>();
            for (const line of this.section("audit-rule-paths").split("\n")) {
                const [path, real] = line.split("\t");
                if (path !== undefined && path !== "") {
                    out.set(path, real || path);
                }
            }
            return out;
        });
    }
}

function parseJson<T>(text: string, what: string): T {
    try {
        return JSON.parse(text) as T;
    } catch {
        throw new MissingEvidence(`${what} is not JSON: ${text.trim().slice(0, 200)}`);
    }
}
