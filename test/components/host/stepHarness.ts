import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { HostContext } from "../../../components/host/step";

/** The host context the step tests render with. */
export const CTX: HostContext = Object.freeze({ connectionUser: "admin", sshPort: 22, dataRoot: "/var/lib/docker" });

/** What a command did. */
export interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command with `input` on stdin. */
export function run(cmd: string, args: string[], input: string, env?: NodeJS.ProcessEnv): Run {
    const r = spawnSync(cmd, args, { input, encoding: "utf8", timeout: 60000, env: env ?? process.env });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** True when the tool runs; when it does not, throws under REQUIRE_TOOLS=1 and skips the test otherwise. */
export function needTool(ctx: Mocha.Context, tool: string, args: string[], install: string): void {
    const r = spawnSync(tool, args, { encoding: "utf8" });
    if (r.error === undefined && r.status === 0) {
        return;
    }
    if (process.env.REQUIRE_TOOLS === "1") {
        throw new Error(`${tool} is not usable here (apt-get install ${install})`);
    }
    ctx.skip();
}

/** The script passes `bash -n` and `shellcheck --shell=bash --severity=style`. */
export function assertCleanScript(ctx: Mocha.Context, script: string): void {
    assert.deepEqual(run("bash", ["-n"], script), { status: 0, stdout: "", stderr: "" });
    needTool(ctx, "shellcheck", ["--version"], "shellcheck");
    assert.deepEqual(run("shellcheck", ["--shell=bash", "--severity=style", "-"], script), {
        status: 0,
        stdout: "",
        stderr: "",
    });
}

/**
 * Runs the step's script without its last line (the call of its main function), then `tail`: the
 * prelude and the functions are the real ones, and the test calls the functions it checks.
 */
export function runFunctions(script: string, main: string, tail: string, env?: NodeJS.ProcessEnv): Run {
    const last = `\n${main}\n`;
    assert.ok(script.endsWith(last), `the script ends with ${JSON.stringify(last)}`);
    return run("bash", ["-s"], `${script.slice(0, -main.length - 1)}${tail}\n`, env);
}
