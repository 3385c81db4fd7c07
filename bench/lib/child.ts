/** Runs one benchmark step in a Node process of its own, as TypeScript, and returns its JSON line. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

export function runTs<T>(script: string, args: string[], nodeFlags: string[] = []): T {
    const r = spawnSync(
        process.execPath,
        [...nodeFlags, "-r", "ts-node/register/transpile-only", path.join(ROOT, script), ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 64 << 20,
            // The AWS SDK v2 that awsguard loads prints an end-of-support notice on stderr.
            env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1", AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
        },
    );
    if (r.status !== 0) {
        throw new Error(`${script} ${args.join(" ")} exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
    }
    const last = r.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(last) as T;
}
