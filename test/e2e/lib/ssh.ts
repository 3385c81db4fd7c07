/**
 * SSH for the end-to-end run, with `ssh2`: the same protocol `@pulumi/command`'s remote.Command
 * speaks, with its observable behaviour: the command runs in a session with stdin attached, both
 * streams are captured, and exactly one trailing newline is trimmed from each.
 */
import { StringDecoder } from "node:string_decoder";
import { createHash } from "node:crypto";
import { Client, utils, type ConnectConfig } from "ssh2";

export interface SshTarget {
    host: string;
    port: number;
    user: string;
    privateKey: string;
    /** Pinned host key, `ssh-ed25519 AAAA...`; the connection is refused on any other. */
    hostKey?: string;
    password?: string;
}

export interface ExecResult {
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
}

let sessions = 0;

/** SSH connections opened by this process so far. */
export function sshSessionsOpened(): number {
    return sessions;
}

/** The SHA256 fingerprint OpenSSH prints for a public key line. */
export function fingerprint(publicKeyLine: string): string {
    const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? "", "base64");
    return createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/** Opens a connection; rejects with the server's refusal (auth, host key, network). */
export function connect(target: SshTarget, timeoutMs = 30000): Promise<Client> {
    return new Promise((resolve, reject) => {
        const client = new Client();
        const config: ConnectConfig = {
            host: target.host,
            port: target.port,
            username: target.user,
            readyTimeout: timeoutMs,
            ...(target.password !== undefined
                ? { password: target.password, tryKeyboard: false }
                : { privateKey: target.privateKey }),
        };
        if (target.hostKey !== undefined) {
            const expected = utils.parseKey(target.hostKey);
            if (expected instanceof Error) {
                reject(new Error(`pinned host key does not parse: ${expected.message}`));
                return;
            }
            const want = expected.getPublicSSH().toString("base64");
            config.hostVerifier = (key: Buffer) => key.toString("base64") === want;
        }
        sessions += 1;
        client.once("ready", () => resolve(client));
        // Every error, not only the first: a host that reboots drops connections at any point, and
        // an unhandled error event would end the test run.
        client.on("error", (e) => reject(e));
        client.connect(config);
    });
}

/**
 * Runs a command in a new session of an open connection, feeding stdin; never rejects on exit code.
 * `onOutput` sees each stream's text as it arrives.
 */
export function execOn(
    client: Client,
    command: string,
    stdin?: string,
    timeoutMs = 1800000,
    onOutput?: (stream: "stdout" | "stderr", text: string) => void,
): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err, stream) => {
            if (err) {
                reject(err);
                return;
            }
            const out: Buffer[] = [];
            const errs: Buffer[] = [];
            let code: number | null = null;
            let signal: string | null = null;
            const timer = setTimeout(() => {
                stream.close();
                reject(new Error(`timed out after ${timeoutMs} ms: ${command.slice(0, 120)}`));
            }, timeoutMs);
            // A character split across two chunks is decoded once both arrived.
            const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
            stream.on("data", (d: Buffer) => {
                out.push(d);
                onOutput?.("stdout", decoders.stdout.write(d));
            });
            stream.stderr.on("data", (d: Buffer) => {
                errs.push(d);
                onOutput?.("stderr", decoders.stderr.write(d));
            });
            stream.on("exit", (c: number | null, s?: string) => {
                code = c;
                signal = s ?? null;
            });
            stream.on("close", () => {
                clearTimeout(timer);
                resolve({
                    code,
                    signal,
                    stdout: Buffer.concat(out).toString("utf8"),
                    stderr: Buffer.concat(errs).toString("utf8"),
                });
            });
            if (stdin !== undefined) {
                stream.end(stdin);
            } else {
                stream.end();
            }
        });
    });
}

/** Trims exactly one trailing newline, as remote.Command does with stdout and stderr. */
export function trimOneNewline(s: string): string {
    return s.endsWith("\n") ? s.slice(0, -1) : s;
}

/** One connection, one command, then close (what remote.Command does per resource). */
export async function run(target: SshTarget, command: string, stdin?: string, timeoutMs?: number): Promise<ExecResult> {
    const client = await connect(target);
    try {
        return await execOn(client, command, stdin, timeoutMs);
    } finally {
        client.end();
    }
}

/** Runs and throws unless the command exits 0; returns stdout. */
export async function runOk(target: SshTarget, command: string, stdin?: string): Promise<string> {
    const r = await run(target, command, stdin);
    if (r.code !== 0) {
        throw new Error(`'${command.slice(0, 200)}' exited ${r.code ?? r.signal}: ${r.stderr.trim()}`);
    }
    return r.stdout;
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
