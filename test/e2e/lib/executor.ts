/**
 * Pulumi mocks that do the real work, for the end-to-end run: the program registers its resources
 * as under `pulumi up`, the SDK waits for each resource's dependencies before it registers it, and
 * this `newResource`:
 * - runs every `command:remote:Command` over SSH, as `@pulumi/command` does: one connection per
 *   command, the `create` command in a session with `stdin` attached, the environment sent with
 *   SSH setenv (refused unless the host's sshd `AcceptEnv` admits the name, as in the provider),
 *   stdout and stderr captured with one trailing newline trimmed, a non-zero exit failing the resource;
 * - runs every `command:local:Command` with `sh -c` here;
 * - creates `docker` containers, networks and volumes on the engine of their provider's `ssh://`
 *   host through the adapter in dockerAdapter.ts.
 * Like the engine, it keeps state between runs (a JSON file): a resource whose inputs are unchanged
 * is not executed again and keeps its outputs; a changed one is executed again (containers,
 * networks and volumes are replaced, the old one deleted first). After a failure nothing new starts.
 */
import { spawn } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { createDockerResource, deleteDockerResource, EngineApi, isDockerResource, type Inputs } from "./dockerAdapter";
import { connect, execOn, trimOneNewline, type SshTarget } from "./ssh";

/** Pulumi's wire signature of a secret value: mocks see secrets wrapped as { [SIG]: SECRET, value }. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** The inputs with every secret wrapper replaced by its value (the provider sees plain values). */
export function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets);
    }
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG] === SECRET) {
            return unwrapSecrets(o.value);
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

export interface ResourceState {
    type: string;
    name: string;
    id: string;
    inputs: Inputs;
    outputs: Inputs;
}

export interface OutputLine {
    ms: number;
    stream: "stdout" | "stderr";
    line: string;
}

export interface ApplyRecord {
    key: string;
    action: "created" | "replaced" | "unchanged" | "failed" | "skipped";
    ms: number;
    error?: string;
    /** SSH connections this resource opened. */
    sshSessions: number;
    /**
     * A remote command's output, line by line, with its stream and the time the line arrived (ms
     * after the resource started): only the streams the command's `logging` shows.
     */
    lines?: OutputLine[];
}

export interface ExecutorOptions {
    /** State from the previous apply, by `type::name`. */
    state: Record<string, ResourceState>;
    /** The private key the Docker provider's ssh:// endpoint authenticates with (the user's ssh agent, normally). */
    dockerSshKey: string;
    /** Pinned host keys by `host:port`, for the Docker provider's connection. */
    knownHosts: Record<string, string>;
    /** Execute these resources (by `type::name`) even when unchanged (a forced replacement). */
    force?: (key: string) => boolean;
    log: (line: string) => void;
}

export class Executor {
    readonly records: ApplyRecord[] = [];
    readonly newState: Record<string, ResourceState>;
    private failed = false;
    private readonly providers = new Map<string, Inputs>();

    constructor(private readonly opts: ExecutorOptions) {
        this.newState = { ...opts.state };
    }

    get anyFailed(): boolean {
        return this.failed;
    }

    mocks(): pulumi.runtime.Mocks {
        return {
            newResource: (args) => this.newResource(args),
            call: (args) => {
                throw new Error(`the e2e executor runs no provider functions (${args.token})`);
            },
        };
    }

    private async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string; state: Inputs }> {
        const key = `${args.type}::${args.name}`;
        const inputs = unwrapSecrets(args.inputs ?? {}) as Inputs;
        const started = Date.now();
        if (args.type.startsWith("pulumi:providers:")) {
            const id = `${args.name}-provider`;
            this.providers.set(id, inputs);
            return { id, state: inputs };
        }
        if (!args.custom) {
            return { id: "", state: {} };
        }
        const prev = this.opts.state[key];
        const unchanged =
            prev !== undefined && isDeepStrictEqual(prev.inputs, inputs) && !(this.opts.force?.(key) ?? false);
        if (unchanged) {
            this.records.push({ key, action: "unchanged", ms: 0, sshSessions: 0 });
            return { id: prev.id, state: prev.outputs };
        }
        if (this.failed) {
            this.records.push({ key, action: "skipped", ms: 0, sshSessions: 0 });
            throw new Error(`${key}: not started, an earlier resource failed`);
        }
        const sessions = { n: 0 };
        const lines: OutputLine[] = [];
        try {
            let result: { id: string; state: Inputs };
            if (args.type === "command:remote:Command") {
                result = await this.remoteCommand(args.name, inputs, prev, sessions, (stream, line) =>
                    lines.push({ ms: Date.now() - started, stream, line }),
                );
            } else if (args.type === "command:local:Command") {
                result = await this.localCommand(args.name, inputs);
            } else if (isDockerResource(args.type)) {
                result = await this.docker(args, inputs, prev, sessions);
            } else {
                throw new Error(`the e2e executor does not create ${args.type}`);
            }
            this.newState[key] = { type: args.type, name: args.name, id: result.id, inputs, outputs: result.state };
            this.records.push({
                key,
                action: prev === undefined ? "created" : "replaced",
                ms: Date.now() - started,
                sshSessions: sessions.n,
                ...(lines.length === 0 ? {} : { lines }),
            });
            return result;
        } catch (e) {
            this.failed = true;
            const error = e instanceof Error ? e.message : String(e);
            this.records.push({
                key,
                action: "failed",
                ms: Date.now() - started,
                error,
                sshSessions: sessions.n,
                ...(lines.length === 0 ? {} : { lines }),
            });
            this.opts.log(`FAILED ${key}: ${error}`);
            throw e;
        }
    }

    private async remoteCommand(
        name: string,
        inputs: Inputs,
        prev: ResourceState | undefined,
        sessions: { n: number },
        onLine?: (stream: "stdout" | "stderr", line: string) => void,
    ): Promise<{ id: string; state: Inputs }> {
        const conn = inputs.connection as {
            host: string;
            port?: number;
            user?: string;
            privateKey?: string;
            hostKey?: string;
            password?: string;
        };
        const target: SshTarget = {
            host: conn.host,
            port: conn.port ?? 22,
            user: conn.user ?? "root",
            privateKey: conn.privateKey ?? "",
            ...(conn.hostKey === undefined ? {} : { hostKey: conn.hostKey }),
            ...(conn.password === undefined ? {} : { password: conn.password }),
        };
        const env: Record<string, string> = { ...((inputs.environment as Record<string, string> | undefined) ?? {}) };
        if (inputs.addPreviousOutputInEnv !== false && prev !== undefined) {
            env.PULUMI_COMMAND_STDOUT = String(prev.outputs.stdout ?? "");
            env.PULUMI_COMMAND_STDERR = String(prev.outputs.stderr ?? "");
        }
        const create = inputs.create as string | undefined;
        if (create === undefined) {
            throw new Error(`${name}: a remote Command without create is not supported by the e2e executor`);
        }
        this.opts.log(`running ${name} on ${target.user}@${target.host}:${target.port}`);
        sessions.n += 1;
        const client = await connect(target);
        try {
            if (Object.keys(env).length > 0) {
                await this.checkAcceptEnv(client, Object.keys(env));
            }
            const prefix = Object.entries(env)
                .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
                .join(" ");
            // As the provider logs: stdout, stderr, both (the default) or neither.
            const logging = (inputs.logging as string | undefined) ?? "stdoutAndStderr";
            const shows = {
                stdout: logging === "stdout" || logging === "stdoutAndStderr",
                stderr: logging === "stderr" || logging === "stdoutAndStderr",
            };
            const partial = { stdout: "", stderr: "" };
            const r = await execOn(
                client,
                prefix === "" ? create : `export ${prefix}; ${create}`,
                inputs.stdin as string | undefined,
                undefined,
                onLine === undefined
                    ? undefined
                    : (stream, text) => {
                          if (!shows[stream]) {
                              return;
                          }
                          const split = (partial[stream] + text).split("\n");
                          partial[stream] = split.pop() ?? "";
                          split.forEach((l) => onLine(stream, l));
                      },
            );
            for (const stream of ["stdout", "stderr"] as const) {
                if (partial[stream] !== "") {
                    onLine?.(stream, partial[stream]);
                }
            }
            const stdout = trimOneNewline(r.stdout);
            const stderr = trimOneNewline(r.stderr);
            const logged = [
                ...(logging === "stdout" || logging === "stdoutAndStderr" ? [stdout] : []),
                ...(logging === "stderr" || logging === "stdoutAndStderr" ? [stderr] : []),
            ];
            for (const line of logged
                .join("\n")
                .split("\n")
                .filter((l) => l !== "")) {
                this.opts.log(`  ${name}: ${line}`);
            }
            if (r.code !== 0) {
                throw new Error(
                    `${name}: Process exited with status ${r.code ?? r.signal}: ${logging === "none" ? "(output not logged)" : stderr}`,
                );
            }
            return { id: `${name}-${Date.now()}`, state: { ...inputs, stdout, stderr } };
        } finally {
            client.end();
        }
    }

    /** remote.Command sets each variable with SSH setenv, which sshd refuses unless AcceptEnv admits it. */
    private async checkAcceptEnv(client: import("ssh2").Client, names: string[]): Promise<void> {
        const r = await execOn(client, "sudo -n /usr/sbin/sshd -T 2>/dev/null | sed -n 's/^acceptenv //p'");
        const patterns = r.stdout.split(/\s+/).filter((p) => p !== "");
        const glob = (p: string) =>
            new RegExp(
                `^${p
                    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                    .replace(/\*/g, ".*")
                    .replace(/\?/g, ".")}$`,
            );
        for (const n of names) {
            if (!patterns.some((p) => glob(p).test(n))) {
                throw new Error(
                    `Unable to set '${n}'. This is likely because the remote server does not accept it (sshd AcceptEnv: ${patterns.join(" ") || "none"})`,
                );
            }
        }
    }

    private localCommand(name: string, inputs: Inputs): Promise<{ id: string; state: Inputs }> {
        return new Promise((resolve, reject) => {
            const child = spawn("sh", ["-c", inputs.create as string], {
                env: { ...process.env, ...((inputs.environment as Record<string, string>) ?? {}) },
            });
            const out: Buffer[] = [];
            const err: Buffer[] = [];
            child.stdout.on("data", (d: Buffer) => out.push(d));
            child.stderr.on("data", (d: Buffer) => err.push(d));
            child.on("close", (code) => {
                const stdout = trimOneNewline(Buffer.concat(out).toString());
                const stderr = trimOneNewline(Buffer.concat(err).toString());
                if (code !== 0) {
                    reject(new Error(`${name}: exit ${code}: ${stderr}`));
                } else {
                    resolve({ id: `${name}-${Date.now()}`, state: { ...inputs, stdout, stderr } });
                }
            });
            child.stdin.end((inputs.stdin as string | undefined) ?? "");
        });
    }

    private async docker(
        args: pulumi.runtime.MockResourceArgs,
        inputs: Inputs,
        prev: ResourceState | undefined,
        sessions: { n: number },
    ): Promise<{ id: string; state: Inputs }> {
        const providerId = (args.provider ?? "").split("::").pop() ?? "";
        const provider = this.providers.get(providerId);
        if (provider === undefined) {
            throw new Error(`${args.name}: the e2e executor needs an explicit docker provider (got ${args.provider})`);
        }
        const m = /^ssh:\/\/([^@]+)@([^:/]+):(\d+)$/.exec(String(provider.host));
        if (m === null) {
            throw new Error(`${args.name}: the provider host ${String(provider.host)} is not ssh://user@host:port`);
        }
        const [, user, host, port] = m;
        const pinned = this.opts.knownHosts[`${host}:${port}`];
        sessions.n += 1;
        const client = await connect({
            host,
            port: Number(port),
            user,
            privateKey: this.opts.dockerSshKey,
            ...(pinned === undefined ? {} : { hostKey: pinned }),
        });
        try {
            const api = new EngineApi(client);
            if (prev !== undefined) {
                await deleteDockerResource(api, args.type, prev.id);
            }
            return await createDockerResource(api, args.type, args.name, inputs, this.opts.log);
        } finally {
            client.end();
        }
    }
}
