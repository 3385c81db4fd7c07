/**
 * The convergence benchmark: the example program applied to fresh sandbox VMs over SSH, as the
 * end-to-end run does (test/e2e/lib/deploy.ts): the first apply of each sandbox, then applies with
 * no change, then applies that only audit (a new rerunTrigger). Counts the SSH sessions each apply
 * opens and the time its steps spend in apt, from the timestamps of the steps' own log lines.
 */
import { mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Deployer, seedSandbox, type ApplyResult } from "../../test/e2e/lib/deploy";
import type { ApplyRecord } from "../../test/e2e/lib/executor";
import { Sandbox } from "../../test/e2e/lib/sandbox";
import { spread } from "../lib/stats";
import type { ConvergenceResult } from "./types";

export interface ConvergenceOptions {
    /** Fresh sandboxes, each with one first apply. */
    runs: number;
    /** Applies with no change, and audit-only applies, on each sandbox. */
    repeats: number;
    log: (line: string) => void;
}

const STEP_LINE = /^hardened-docker\[([a-z0-9-]+)\]: (.*)$/;

/**
 * The time a resource spent installing packages: from each "installing: <packages>" line a step
 * prints (on stdout, hd_log) to the step's next line of its own (apt's lines, on either stream, in
 * between do not end it), or to the end of the resource.
 */
export function packageTime(record: ApplyRecord): { seconds: number; packages: string[] } {
    const lines = (record.lines ?? []).filter((l) => l.stream === "stdout");
    let ms = 0;
    const packages: string[] = [];
    lines.forEach((l, i) => {
        const m = STEP_LINE.exec(l.line);
        if (m === null || !m[2].startsWith("installing: ")) {
            return;
        }
        packages.push(
            ...m[2]
                .slice("installing: ".length)
                .split(/\s+/)
                .filter((p) => p !== ""),
        );
        const next = lines.slice(i + 1).find((x) => STEP_LINE.test(x.line));
        ms += (next?.ms ?? record.ms) - l.ms;
    });
    return { seconds: ms / 1000, packages };
}

function mustSucceed(r: ApplyResult, what: string): ApplyResult {
    if (!r.ok) {
        throw new Error(`${what} failed: ${r.errors.join("; ")}`);
    }
    return r;
}

function accelOf(pidFile: string): string {
    const pid = readFileSync(pidFile, "utf8").trim();
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const i = args.indexOf("-accel");
    return i < 0 ? "unknown" : args[i + 1];
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export async function runConvergenceBench(opts: ConvergenceOptions): Promise<ConvergenceResult> {
    const first = { ms: [] as number[], ssh: [] as number[], commands: [] as number[], pkg: [] as number[] };
    const share: number[] = [];
    const packages: Record<string, string[]> = {};
    const steps: Record<string, number[]> = {};
    const second = { ms: [] as number[], ssh: [] as number[], changed: [] as number[] };
    const audit = { ms: [] as number[], ssh: [] as number[], collector: [] as number[], ran: [] as string[][] };
    let sandbox: ConvergenceResult["sandbox"] | undefined;
    try {
        for (let run = 1; run <= opts.runs; run++) {
            // Like the end-to-end run: a sandbox already running is stopped, and each run boots a fresh one.
            opts.log(`convergence: run ${run}/${opts.runs}: booting a fresh sandbox (stops any running one)`);
            Sandbox.down();
            const sb = Sandbox.up();
            if (sandbox === undefined) {
                const [cpus, mem, kernel] = (
                    await sb.sudoOk("nproc; awk '/MemTotal/ {print $2}' /proc/meminfo; uname -r")
                )
                    .trim()
                    .split("\n");
                sandbox = {
                    accel: accelOf(sb.info.pidFile),
                    cpus: Number(cpus),
                    memoryMb: Math.round(Number(mem) / 1024),
                    image: `${path.basename(sb.info.imageDir).slice(0, 12)} (Debian 12, kernel ${kernel})`,
                };
            }
            const work = path.join(sb.info.runDir, "bench");
            mkdirSync(work, { recursive: true, mode: 0o700 });
            const deployer = new Deployer(sb, work);
            const { config } = await seedSandbox(sb);

            const r1 = mustSucceed(deployer.apply(config), `run ${run}: the first apply`);
            const ran = r1.records.filter((r) => r.action === "created" || r.action === "replaced");
            let pkgSeconds = 0;
            for (const r of ran) {
                const name = r.key.split("::")[1];
                (steps[name] ??= []).push(seconds(r.ms));
                const p = packageTime(r);
                pkgSeconds += p.seconds;
                if (p.packages.length > 0) {
                    packages[name] = [...new Set([...(packages[name] ?? []), ...p.packages])];
                }
            }
            first.ms.push(r1.ms);
            first.ssh.push(r1.sshSessions);
            first.commands.push(ran.filter((r) => r.key.startsWith("command:remote:Command::")).length);
            first.pkg.push(Math.round(pkgSeconds * 10) / 10);
            share.push(Math.round((pkgSeconds * 1000 * 1000) / r1.ms) / 1000);
            opts.log(
                `convergence: run ${run}/${opts.runs}: first apply ${seconds(r1.ms)} s, ${r1.sshSessions} SSH sessions, ${pkgSeconds.toFixed(1)} s installing packages`,
            );

            for (let i = 1; i <= opts.repeats; i++) {
                const r = mustSucceed(deployer.apply(config), `run ${run}: apply with no change ${i}`);
                second.ms.push(r.ms);
                second.ssh.push(r.sshSessions);
                second.changed.push(r.records.filter((x) => x.action !== "unchanged").length);
                opts.log(`convergence: run ${run}: no change ${i}: ${seconds(r.ms)} s, ${r.sshSessions} SSH sessions`);
            }
            for (let i = 1; i <= opts.repeats; i++) {
                const r = mustSucceed(
                    deployer.apply({ ...config, auditRun: `bench-${run}-${i}` }),
                    `run ${run}: audit ${i}`,
                );
                const did = r.records.filter((x) => x.action !== "unchanged");
                audit.ms.push(r.ms);
                audit.ssh.push(r.sshSessions);
                audit.ran.push(did.map((x) => x.key));
                const collector = did.find((x) => x.key === "command:remote:Command::compliance-collect");
                if (collector === undefined) {
                    throw new Error(`run ${run}: audit ${i}: the collector did not run`);
                }
                audit.collector.push(collector.ms);
                opts.log(
                    `convergence: run ${run}: audit ${i}: ${seconds(r.ms)} s, ${r.sshSessions} SSH sessions, collector ${seconds(collector.ms)} s`,
                );
            }
        }
    } finally {
        Sandbox.down();
    }
    return {
        runs: opts.runs,
        repeats: opts.repeats,
        sandbox: sandbox!,
        firstApply: {
            seconds: spread(first.ms.map(seconds)),
            sshSessions: first.ssh,
            commands: first.commands,
            packageSeconds: spread(first.pkg),
            packageShare: spread(share),
            packages,
            steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, spread(v)])),
        },
        secondApply: { seconds: spread(second.ms.map(seconds)), sshSessions: second.ssh, changed: second.changed },
        auditOnly: {
            seconds: spread(audit.ms.map(seconds)),
            sshSessions: audit.ssh,
            collectorSeconds: spread(audit.collector.map(seconds)),
            ran: audit.ran,
        },
    };
}
