/**
 * One apply of the real program (index.ts), in its own process like `pulumi up`, with the executor's
 * mocks doing the real work on the sandbox. Reads a JSON request from the file named by argv[2]:
 * { config, statePath, resultPath, dockerSshKeyPath, knownHosts, force? (regexp of keys) } and
 * writes the result (records, outputs, timings) to resultPath and the new state to statePath.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Executor, type ResourceState } from "./lib/executor";
import { sshSessionsOpened } from "./lib/ssh";

interface ApplyRequest {
    config: Record<string, unknown>;
    statePath: string;
    resultPath: string;
    dockerSshKeyPath: string;
    knownHosts: Record<string, string>;
    force?: string;
}

async function main(): Promise<void> {
    const req = JSON.parse(readFileSync(process.argv[2], "utf8")) as ApplyRequest;
    let state: Record<string, ResourceState> = {};
    try {
        state = JSON.parse(readFileSync(req.statePath, "utf8")) as Record<string, ResourceState>;
    } catch {
        state = {};
    }
    const started = Date.now();
    const errors: string[] = [];
    const force = req.force === undefined ? undefined : new RegExp(req.force);
    const executor = new Executor({
        state,
        dockerSshKey: readFileSync(req.dockerSshKeyPath, "utf8"),
        knownHosts: req.knownHosts,
        ...(force === undefined ? {} : { force: (k: string) => force.test(k) }),
        log: (line) => process.stderr.write(`[apply] ${line}\n`),
    });
    process.on("unhandledRejection", (e) => {
        errors.push(e instanceof Error ? e.message : String(e));
    });
    await pulumi.runtime.setMocks(executor.mocks(), "hardened-docker", "e2e", false);
    for (const [k, v] of Object.entries(req.config)) {
        pulumi.runtime.setConfig(`hardened-docker:${k}`, typeof v === "string" ? v : JSON.stringify(v));
    }
    const outputs: Record<string, unknown> = {};
    try {
        const program = (await import("../../index")) as Record<string, unknown>;
        for (const [k, v] of Object.entries(program)) {
            if (pulumi.Output.isInstance(v)) {
                outputs[k] = await new Promise((resolve, reject) => {
                    (v as pulumi.Output<unknown>).apply((x) => resolve(x));
                    // An output whose resource failed never resolves: give up once everything settled.
                    const check = setInterval(() => {
                        if (executor.anyFailed) {
                            clearInterval(check);
                            reject(new Error(`output ${k}: a resource failed`));
                        }
                    }, 500);
                }).catch((e: Error) => {
                    errors.push(e.message);
                    return undefined;
                });
            }
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
        await settings.waitForRPCs?.().catch((e: Error) => errors.push(e.message));
        // An error thrown in an apply that a component registers as an output (ComplianceAudit's
        // verdict) reaches the process as an unhandled rejection, as under `pulumi up`, where it
        // fails the update: let it arrive before the result is written.
        await new Promise((r) => setTimeout(r, 200));
    } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
    }
    const failed = executor.records.filter((r) => r.action === "failed");
    writeFileSync(req.statePath, JSON.stringify(executor.newState, null, 2), { mode: 0o600 });
    writeFileSync(
        req.resultPath,
        JSON.stringify(
            {
                ok: failed.length === 0 && errors.length === 0,
                errors: [...new Set([...failed.map((r) => `${r.key}: ${r.error}`), ...errors])],
                records: executor.records,
                outputs,
                sshSessions: sshSessionsOpened(),
                ms: Date.now() - started,
            },
            null,
            2,
        ),
        { mode: 0o600 },
    );
    process.exit(0);
}

void main();
