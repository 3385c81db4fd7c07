/**
 * The end-to-end run's stand-in for the Docker provider: it turns the inputs of the `docker`
 * resources the program registers into Docker Engine API requests, and sends them to the sandbox's
 * engine the way the provider does for an `ssh://` host: `docker system dial-stdio` over SSH, as the
 * SSH user (so the docker group membership the host step grants is what lets it in).
 *
 * Exactly these inputs are mapped; any other input fails the resource, loudly, by name:
 * - `docker:index/container:Container`: name, image, user, command, envs, labels, capabilities
 *   (drops, adds), privileged, readOnly, securityOpts, memory, memorySwap (MB), cpuShares, restart,
 *   maxRetryCount, ipcMode, networkMode, tmpfs, volumes (volumeName, containerPath, readOnly), ports
 *   (internal, external, ip, protocol), healthcheck (tests, interval, timeout, retries, startPeriod),
 *   wait, waitTimeout. The image is pulled when the engine lacks it, as the provider does; the
 *   container is started, and with `wait` the run waits for `healthy` up to `waitTimeout` seconds.
 * - `docker:index/network:Network`: name, driver, internal, attachable, ipv6, options, labels,
 *   ipamConfigs (subnet).
 * - `docker:index/volume:Volume`: name, driver, driverOpts, labels.
 * A resource without a `name` gets the engine's auto-name, `<resource name>-<7 hex>`.
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { Client } from "ssh2";

export type Inputs = Record<string, unknown>;

/** One Engine API request. */
export interface ApiRequest {
    method: "GET" | "POST" | "DELETE";
    path: string;
    body?: unknown;
}

export class UnmappedInputError extends Error {}

const MAPPED: Record<string, readonly string[]> = {
    "docker:index/container:Container": [
        "name",
        "image",
        "user",
        "command",
        "envs",
        "labels",
        "capabilities",
        "privileged",
        "readOnly",
        "securityOpts",
        "memory",
        "memorySwap",
        "cpuShares",
        "restart",
        "maxRetryCount",
        "ipcMode",
        "networkMode",
        "tmpfs",
        "volumes",
        "ports",
        "healthcheck",
        "wait",
        "waitTimeout",
    ],
    "docker:index/network:Network": [
        "name",
        "driver",
        "internal",
        "attachable",
        "ipv6",
        "options",
        "labels",
        "ipamConfigs",
    ],
    "docker:index/volume:Volume": ["name", "driver", "driverOpts", "labels"],
};

const NESTED: Record<string, readonly string[]> = {
    capabilities: ["drops", "adds"],
    volumes: ["volumeName", "containerPath", "readOnly"],
    ports: ["internal", "external", "ip", "protocol"],
    healthcheck: ["tests", "interval", "timeout", "retries", "startPeriod"],
    labels: ["label", "value"],
    ipamConfigs: ["subnet"],
};

/** The types this adapter creates. */
export function isDockerResource(type: string): boolean {
    return type in MAPPED;
}

function checkKeys(type: string, where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
        if (value[key] !== undefined && !allowed.includes(key)) {
            throw new UnmappedInputError(
                `the e2e Docker adapter does not map ${type} input ${where}${key}; map it in test/e2e/lib/dockerAdapter.ts before using it`,
            );
        }
    }
}

/** Throws UnmappedInputError naming the first input this adapter does not map. */
export function checkMapped(type: string, inputs: Inputs): void {
    const allowed = MAPPED[type];
    if (allowed === undefined) {
        throw new UnmappedInputError(`the e2e Docker adapter does not create ${type}`);
    }
    checkKeys(type, "", inputs, allowed);
    for (const [field, keys] of Object.entries(NESTED)) {
        const v = inputs[field];
        if (field === "labels" || v === undefined) {
            if (Array.isArray(v)) {
                v.forEach((item, i) => checkKeys(type, `${field}[${i}].`, item as Record<string, unknown>, keys));
            }
            continue;
        }
        const items = Array.isArray(v) ? v : [v];
        items.forEach((item, i) =>
            checkKeys(type, Array.isArray(v) ? `${field}[${i}].` : `${field}.`, item as Record<string, unknown>, keys),
        );
    }
}

/** Go duration strings as the provider takes them ("30s", "1m30s", "500ms") to nanoseconds. */
export function durationNs(value: string): number {
    const re = /(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g;
    const unit: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
    let total = 0;
    let consumed = "";
    for (const m of value.matchAll(re)) {
        total += Number(m[1]) * unit[m[2]];
        consumed += m[0];
    }
    if (consumed !== value || value === "") {
        throw new UnmappedInputError(`duration ${JSON.stringify(value)} is not a Go duration`);
    }
    return Math.round(total);
}

function labelsOf(inputs: Inputs): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of (inputs.labels as { label: string; value: string }[] | undefined) ?? []) {
        out[l.label] = l.value;
    }
    return out;
}

/** The auto-name the engine gives a resource without an explicit name. */
export function autoName(resourceName: string): string {
    return `${resourceName}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

const MB = 1024 * 1024;

/** The `POST /containers/create` body for a Container's inputs (after checkMapped). */
export function containerCreateBody(inputs: Inputs): Record<string, unknown> {
    const caps = (inputs.capabilities as { drops?: string[]; adds?: string[] } | undefined) ?? {};
    const ports = (inputs.ports as { internal: number; external?: number; ip?: string; protocol?: string }[]) ?? [];
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of ports) {
        const key = `${p.internal}/${p.protocol ?? "tcp"}`;
        exposed[key] = {};
        (bindings[key] ??= []).push({
            HostIp: p.ip ?? "0.0.0.0",
            HostPort: p.external === undefined ? "" : String(p.external),
        });
    }
    const hc = inputs.healthcheck as
        { tests: string[]; interval?: string; timeout?: string; retries?: number; startPeriod?: string } | undefined;
    const restart = (inputs.restart as string | undefined) ?? "no";
    const hostConfig: Record<string, unknown> = {
        CapDrop: caps.drops ?? [],
        CapAdd: caps.adds ?? [],
        Privileged: inputs.privileged === true,
        ReadonlyRootfs: inputs.readOnly === true,
        SecurityOpt: (inputs.securityOpts as string[] | undefined) ?? [],
        RestartPolicy: {
            Name: restart,
            MaximumRetryCount: restart === "on-failure" ? ((inputs.maxRetryCount as number | undefined) ?? 0) : 0,
        },
        PortBindings: bindings,
        Tmpfs: (inputs.tmpfs as Record<string, string> | undefined) ?? {},
        Mounts: ((inputs.volumes as { volumeName: string; containerPath: string; readOnly?: boolean }[]) ?? []).map(
            (v) => ({ Type: "volume", Source: v.volumeName, Target: v.containerPath, ReadOnly: v.readOnly === true }),
        ),
    };
    if (inputs.memory !== undefined) {
        hostConfig.Memory = (inputs.memory as number) * MB;
    }
    if (inputs.memorySwap !== undefined) {
        const swap = inputs.memorySwap as number;
        hostConfig.MemorySwap = swap === -1 ? -1 : swap * MB;
    }
    if (inputs.cpuShares !== undefined) {
        hostConfig.CpuShares = inputs.cpuShares;
    }
    if (inputs.ipcMode !== undefined) {
        hostConfig.IpcMode = inputs.ipcMode;
    }
    if (inputs.networkMode !== undefined) {
        hostConfig.NetworkMode = inputs.networkMode;
    }
    const body: Record<string, unknown> = {
        Image: inputs.image,
        Labels: labelsOf(inputs),
        ExposedPorts: exposed,
        HostConfig: hostConfig,
    };
    if (inputs.user !== undefined) {
        body.User = inputs.user;
    }
    if (inputs.command !== undefined) {
        body.Cmd = inputs.command;
    }
    if (inputs.envs !== undefined) {
        body.Env = inputs.envs;
    }
    if (hc !== undefined) {
        body.Healthcheck = {
            Test: hc.tests,
            ...(hc.interval === undefined ? {} : { Interval: durationNs(hc.interval) }),
            ...(hc.timeout === undefined ? {} : { Timeout: durationNs(hc.timeout) }),
            ...(hc.retries === undefined ? {} : { Retries: hc.retries }),
            ...(hc.startPeriod === undefined ? {} : { StartPeriod: durationNs(hc.startPeriod) }),
        };
    }
    return body;
}

/** The `POST /networks/create` body for a Network's inputs (after checkMapped). */
export function networkCreateBody(name: string, inputs: Inputs): Record<string, unknown> {
    const ipam = (inputs.ipamConfigs as { subnet?: string }[] | undefined) ?? [];
    return {
        Name: name,
        CheckDuplicate: true,
        Driver: inputs.driver ?? "bridge",
        Internal: inputs.internal === true,
        Attachable: inputs.attachable === true,
        EnableIPv6: inputs.ipv6 === true,
        Options: inputs.options ?? {},
        Labels: labelsOf(inputs),
        ...(ipam.length > 0 ? { IPAM: { Driver: "default", Config: ipam.map((c) => ({ Subnet: c.subnet })) } } : {}),
    };
}

/** The `POST /volumes/create` body for a Volume's inputs (after checkMapped). */
export function volumeCreateBody(name: string, inputs: Inputs): Record<string, unknown> {
    return {
        Name: name,
        Driver: inputs.driver ?? "local",
        DriverOpts: inputs.driverOpts ?? {},
        Labels: labelsOf(inputs),
    };
}

/** A Docker Engine API client over `docker system dial-stdio` on an SSH connection. */
export class EngineApi {
    constructor(private readonly client: Client) {}

    request<T = unknown>(req: ApiRequest): Promise<{ status: number; body: T }> {
        return new Promise((resolve, reject) => {
            this.client.exec("docker system dial-stdio", (err, stream) => {
                if (err) {
                    reject(err);
                    return;
                }
                const stderr: Buffer[] = [];
                stream.stderr.on("data", (d: Buffer) => stderr.push(d));
                const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
                const r = http.request(
                    {
                        method: req.method,
                        path: req.path,
                        headers: {
                            Host: "docker",
                            Connection: "close",
                            ...(payload === undefined
                                ? {}
                                : { "Content-Type": "application/json", "Content-Length": payload.length }),
                        },
                        createConnection: () => stream as unknown as import("node:net").Socket,
                    },
                    (res) => {
                        const chunks: Buffer[] = [];
                        res.on("data", (d: Buffer) => chunks.push(d));
                        res.on("end", () => {
                            stream.close();
                            const text = Buffer.concat(chunks).toString("utf8");
                            let body: unknown = text;
                            try {
                                body = text === "" ? undefined : JSON.parse(text);
                            } catch {
                                // a stream of JSON lines (image pull): keep the text
                            }
                            resolve({ status: res.statusCode ?? 0, body: body as T });
                        });
                    },
                );
                r.on("error", (e) =>
                    reject(new Error(`${req.method} ${req.path}: ${e.message} ${Buffer.concat(stderr).toString()}`)),
                );
                if (payload !== undefined) {
                    r.write(payload);
                }
                r.end();
            });
        });
    }

    async ok<T = unknown>(req: ApiRequest, expected: number[] = [200, 201, 204]): Promise<T> {
        const res = await this.request<T>(req);
        if (!expected.includes(res.status)) {
            throw new Error(`docker API ${req.method} ${req.path} answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
        return res.body;
    }
}

/** Creates one docker resource on the engine; returns its id and the state the provider would report. */
export async function createDockerResource(
    api: EngineApi,
    type: string,
    resourceName: string,
    inputs: Inputs,
    log: (line: string) => void,
): Promise<{ id: string; state: Inputs }> {
    checkMapped(type, inputs);
    const name = (inputs.name as string | undefined) ?? autoName(resourceName);
    if (type === "docker:index/network:Network") {
        const res = await api.ok<{ Id: string }>({
            method: "POST",
            path: "/networks/create",
            body: networkCreateBody(name, inputs),
        });
        return { id: res.Id, state: { ...inputs, name } };
    }
    if (type === "docker:index/volume:Volume") {
        await api.ok({ method: "POST", path: "/volumes/create", body: volumeCreateBody(name, inputs) });
        return { id: name, state: { ...inputs, name } };
    }
    const image = inputs.image as string;
    const have = await api.request({ method: "GET", path: `/images/${encodeURIComponent(image)}/json` });
    if (have.status === 404) {
        log(`pulling ${image}`);
        const pulled = await api.ok<string>({
            method: "POST",
            path: `/images/create?fromImage=${encodeURIComponent(image)}`,
        });
        if (typeof pulled === "string" && pulled.includes('"error"')) {
            throw new Error(`pulling ${image}: ${pulled}`);
        }
    }
    const created = await api.ok<{ Id: string }>({
        method: "POST",
        path: `/containers/create?name=${encodeURIComponent(name)}`,
        body: containerCreateBody(inputs),
    });
    await api.ok({ method: "POST", path: `/containers/${created.Id}/start` });
    if (inputs.wait === true) {
        const deadline = Date.now() + ((inputs.waitTimeout as number | undefined) ?? 60) * 1000;
        for (;;) {
            const state = await api.ok<{ State: { Health?: { Status: string }; Running: boolean; ExitCode: number } }>({
                method: "GET",
                path: `/containers/${created.Id}/json`,
            });
            const health = state.State.Health?.Status;
            if (health === "healthy") {
                break;
            }
            if (Date.now() > deadline || (!state.State.Running && state.State.ExitCode !== 0)) {
                throw new Error(
                    `container ${name} did not become healthy in ${inputs.waitTimeout as number} s (health ${health}, running ${state.State.Running})`,
                );
            }
            await new Promise((r) => setTimeout(r, 1000));
        }
    }
    return { id: created.Id, state: { ...inputs, name } };
}

/** Removes a resource this adapter created (for a replacement). */
export async function deleteDockerResource(api: EngineApi, type: string, id: string): Promise<void> {
    const path =
        type === "docker:index/container:Container"
            ? `/containers/${id}?force=true&v=false`
            : type === "docker:index/network:Network"
              ? `/networks/${id}`
              : `/volumes/${encodeURIComponent(id)}`;
    await api.ok({ method: "DELETE", path }, [200, 204, 404]);
}
