// Shared by the ssh step's specs: the host context, a process runner, and the tool rule
// (a missing tool skips the test, or fails it under REQUIRE_TOOLS=1 as in CI).
import { spawnSync } from "node:child_process";
import type { HostContext } from "../../../../components/host/step";

export const CTX: HostContext = Object.freeze({ connectionUser: "deploy", sshPort: 22, dataRoot: "/var/lib/docker" });

/** Runs a command with input on stdin; returns its exit status and output. */
export function run(cmd: string, args: string[], input = "", timeoutMs = 60000) {
    const r = spawnSync(cmd, args, { input, encoding: "utf8", timeout: timeoutMs });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}${r.stderr}` };
}

/** Skips the test when something it needs is missing, unless REQUIRE_TOOLS=1, where that fails it. */
export function requireTool(ctx: Mocha.Context, present: boolean, what: string): void {
    if (!present) {
        if (process.env.REQUIRE_TOOLS === "1") {
            throw new Error(`${what} is missing`);
        }
        ctx.skip();
    }
}

/** Is this command on the PATH (or an executable path)? */
export function have(cmd: string): boolean {
    return spawnSync("bash", ["-c", 'command -v "$1" >/dev/null', "have", cmd]).status === 0;
}
