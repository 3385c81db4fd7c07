/**
 * `npm run bench [-- policy|program|convergence ...] [--runs N]`: runs the named benchmarks (all
 * three by default), prints each run, and writes the results to docs/performance.json (each
 * benchmark's own entry, with the machine, the versions and the command) and docs/performance.md.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPolicyBench } from "./policy/run";
import { runProgramBench } from "./program/run";
import { machine, versions } from "./lib/stats";
import { renderPerformance, type PerformanceRecord, type PerformanceResults } from "./report";

const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(ROOT, "docs/performance.json");
const CACHE = process.env.HD_BENCH_CACHE ?? path.join(os.homedir(), ".cache/hardened-docker/bench");
const NAMES = ["policy", "program", "convergence"] as const;
type Name = (typeof NAMES)[number];

function parseArgs(argv: string[]): { names: Name[]; runs?: number } {
    const names: Name[] = [];
    let runs: number | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--runs") {
            runs = Number(argv[++i]);
            if (!Number.isInteger(runs) || runs < 1) {
                throw new Error(`--runs must be a whole number of 1 or more, got ${argv[i]}`);
            }
        } else if ((NAMES as readonly string[]).includes(a)) {
            names.push(a as Name);
        } else {
            throw new Error(`unknown benchmark ${a}: expected ${NAMES.join(", ")} or --runs N`);
        }
    }
    return { names: names.length === 0 ? [...NAMES] : names, ...(runs === undefined ? {} : { runs }) };
}

function record<T>(command: string, packages: string[], started: number, result: T): PerformanceRecord<T> {
    return {
        command,
        ranAt: new Date().toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        machine: machine(),
        versions: versions(packages),
        result,
    };
}

async function main(): Promise<void> {
    const { names, runs } = parseArgs(process.argv.slice(2));
    const log = (line: string) => process.stdout.write(`${line}\n`);
    const results: PerformanceResults = existsSync(RESULTS)
        ? (JSON.parse(readFileSync(RESULTS, "utf8")) as PerformanceResults)
        : {};
    const save = () => {
        writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
        writeFileSync(path.join(ROOT, "docs/performance.md"), renderPerformance(results));
    };
    log(`machine: ${JSON.stringify(machine())}`);
    for (const name of names) {
        const started = Date.now();
        if (name === "policy") {
            const n = runs ?? 3;
            const result = runPolicyBench({
                sizes: [1000, 10000, 50000],
                runs: n,
                insecureEvery: 5,
                cacheDir: path.join(CACHE, "policy"),
                log,
            });
            results.policy = record(`npm run bench -- policy --runs ${n}`, POLICY_PACKAGES, started, result);
        } else if (name === "program") {
            const n = runs ?? 3;
            const result = runProgramBench({ hosts: [1, 10, 100], containersPerHost: 10, runs: n, log });
            results.program = record(`npm run bench -- program --runs ${n}`, PROGRAM_PACKAGES, started, result);
        } else {
            const n = runs ?? 2;
            const { runConvergenceBench } = await import("./convergence/run");
            const result = await runConvergenceBench({ runs: n, repeats: 3, log });
            results.convergence = record(`npm run bench -- convergence --runs ${n}`, PROGRAM_PACKAGES, started, result);
        }
        save();
    }
}

const POLICY_PACKAGES = ["@pulumi/policy", "@pulumi/pulumi", "@pulumi/awsguard", "typescript", "ts-node"];
const PROGRAM_PACKAGES = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/docker", "@pulumi/command", "ts-node"];

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
