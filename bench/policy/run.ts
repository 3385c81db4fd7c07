/**
 * The policy benchmark: the pack over synthetic stacks of about 1,000, 10,000 and 50,000 resources
 * (lib/syntheticStack.ts), and @pulumi/awsguard over the same AWS resources, each run in a fresh
 * process (child.ts) through the analyzer handlers the Pulumi CLI calls.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { runTs } from "../lib/child";
import { growthExponent, spread, type Spread } from "../lib/stats";
import { copiesFor, type StackTemplate } from "../lib/syntheticStack";
import {
    AWS_MIN_MS,
    AWS_PASSES,
    PREFIX_RUNS,
    STACK_RULE_RUNS,
    type ChildResult,
    type GrowthResult,
    type PackName,
    type RulePauses,
} from "./child";

export interface PolicyBenchOptions {
    sizes: number[];
    runs: number;
    /** The insecure example joins every `insecureEvery`-th copy of the fleet host. */
    insecureEvery: number;
    cacheDir: string;
    log: (line: string) => void;
}

export interface PolicySizeResult {
    target: number;
    copies: number;
    resources: number;
    customResources: number;
    awsResources: number;
    /** Bytes of the AnalyzeStack request. */
    stackBytes: number;
    ours: {
        policies: number;
        /** µs per custom resource: Analyze of every custom resource. */
        analyzeAllUs: Spread;
        /** µs per AWS resource. */
        analyzeAwsUs: Spread;
        analyzeStackMs: Spread;
        decodeStackMs: Spread;
        stackRuleMs: Record<string, Spread>;
        /**
         * The same without the collector's pauses inside each check, and those pauses. Absent from
         * records made before they were measured.
         */
        stackRuleOwnMs?: Record<string, Spread>;
        /** Over every run of every process. */
        stackRulePauses?: Record<string, RulePauses>;
        peakRssMb: Spread;
        decodedStackRssMb: Spread;
        /** Peak memory of the Analyze calls alone, before the AnalyzeStack request. */
        analyzePeakRssMb: Spread;
        violations: Record<string, number>;
    };
    awsguard: {
        policies: number;
        analyzeAwsUs: Spread;
        analyzeStackMs: Spread;
        peakRssMb: Spread;
        violations: Record<string, number>;
    };
    /** Ours per AWS resource over awsguard's, run by run (same stack, same machine, same session). */
    awsRatio: Spread;
    /** Passes over the AWS resources in each run, per pack. Absent from records of a fixed count. */
    awsPassCount?: { ours: Spread; awsguard: Spread };
}

/** How a time grows with the stack: 1 is linear, 2 quadratic. */
export interface Growth {
    /** The slope of a least-squares line through log time over log resources, every size. */
    fit: number;
    /** The slope between the two largest sizes alone, where a superlinear part shows most. */
    top: number;
}

/**
 * The stack rules on the smaller stacks inside the largest one's heap (child.ts, runGrowthChild):
 * each rule beside a pass that is linear by construction (referencePass), on the same resources.
 */
export interface InHeapGrowth {
    /** Resource counts: the smaller stacks, as prefixes of the largest, then the largest. */
    sizes: number[];
    /** Growth runs (a process each). */
    runs: number;
    /** Runs of each check on each size in a growth run. */
    prefixRuns: number;
    rules: Record<
        string,
        {
            /** Per size: the check's time less the collector's pauses inside it, ms (each run's median). */
            ownMs: Spread[];
            /** Per size: the reference pass's, the same way. */
            referenceMs: Spread[];
            /** Per size: each run's median of its rounds' ratios, the rule's time over the reference's. */
            ratio: Spread[];
            /** Of the rule's median times. */
            growth: Growth;
            /** Of the reference's median times. */
            referenceGrowth: Growth;
            /** Of the median ratios: the rule's growth beyond the reference's (0 is as linear, 1 quadratic). */
            excess: Growth;
        }
    >;
}

export interface PolicyBenchResult {
    sizes: PolicySizeResult[];
    /** Per stack rule (its own check), AnalyzeStack as a whole, and Analyze of every resource. */
    growth: Record<string, Growth>;
    /**
     * Per stack rule, the growth of its own work: its check's time less the collector's pauses
     * inside it. Absent from records made before the pauses were measured.
     */
    ownGrowth?: Record<string, Growth>;
    /**
     * Passes over the AWS resources in each run of each pack; a run's time per AWS resource is its
     * median pass. Absent from records made with a single pass.
     */
    awsPasses?: number;
    /** ... and passes until they had taken this long, ms. Absent from records of a fixed count. */
    awsMinMs?: number;
    /**
     * Runs of each stack rule's check in each run (the server's call, then re-runs on the same
     * resources, warm); a run's time for the rule is their median. Absent from records of one run.
     */
    stackRuleRuns?: number;
    /** The stack rules in one heap. Absent from records made before it was measured. */
    inHeap?: InHeapGrowth;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const sp = (xs: number[]) => spread(xs.map(round2));

function sameViolations(runs: ChildResult[]): Record<string, number> {
    const first = JSON.stringify(runs[0].violations, Object.keys(runs[0].violations).sort());
    for (const r of runs) {
        if (JSON.stringify(r.violations, Object.keys(r.violations).sort()) !== first) {
            throw new Error(`${r.pack}: the runs found different violations`);
        }
    }
    return Object.fromEntries(Object.entries(runs[0].violations).sort(([a], [b]) => a.localeCompare(b)));
}

export function runPolicyBench(opts: PolicyBenchOptions): PolicyBenchResult {
    mkdirSync(opts.cacheDir, { recursive: true });
    const templatePath = path.join(opts.cacheDir, "template.json");
    opts.log(`policy: recording the stack template under mocks: ${templatePath}`);
    runTs<unknown>("bench/policy/template.ts", [templatePath]);
    const template = JSON.parse(readFileSync(templatePath, "utf8")) as StackTemplate;
    const sizes: PolicySizeResult[] = [];
    for (const target of opts.sizes) {
        const copies = copiesFor(template, target, opts.insecureEvery);
        const dir = path.join(opts.cacheDir, `stack-${copies}`);
        // Encoding 50,000 resources holds the whole stack in several forms: more than Node's default
        // heap. It is preparation, outside every measurement.
        runTs<unknown>(
            "bench/policy/encode.ts",
            [JSON.stringify({ templatePath, copies, insecureEvery: opts.insecureEvery, dir })],
            ["--max-old-space-size=8192"],
        );
        if (!existsSync(path.join(dir, "stack.bin"))) {
            throw new Error(`policy: ${dir} holds no stack`);
        }
        const runs: Record<PackName, ChildResult[]> = { "hardened-docker": [], awsguard: [] };
        for (let i = 0; i < opts.runs; i++) {
            // Alternate which pack goes first, so neither always runs on a cooler machine.
            const order: PackName[] = i % 2 === 0 ? ["hardened-docker", "awsguard"] : ["awsguard", "hardened-docker"];
            for (const pack of order) {
                const r = runTs<ChildResult>("bench/policy/child.ts", [JSON.stringify({ pack, dir })], ["--expose-gc"]);
                runs[pack].push(r);
                opts.log(
                    `policy: ${r.resources} resources, ${pack} run ${i + 1}/${opts.runs}: ` +
                        (r.analyzeAllMs === undefined ? "" : `Analyze all ${(r.analyzeAllMs / 1000).toFixed(1)} s, `) +
                        `Analyze AWS ${r.analyzeAwsMs.toFixed(0)} ms, AnalyzeStack ${(r.analyzeStackMs / 1000).toFixed(1)} s, peak ${r.peakRssMb} MiB`,
                );
            }
        }
        const ours = runs["hardened-docker"];
        const theirs = runs.awsguard;
        const first = ours[0];
        const ruleNames = Object.keys(first.stackRuleMs ?? {});
        sizes.push({
            target,
            copies,
            resources: first.resources,
            customResources: first.customResources,
            awsResources: first.awsResources,
            stackBytes: first.bytes.stack,
            ours: {
                policies: first.policies,
                analyzeAllUs: sp(ours.map((r) => (r.analyzeAllMs! * 1000) / r.customResources)),
                analyzeAwsUs: sp(ours.map((r) => (r.analyzeAwsMs * 1000) / r.awsResources)),
                analyzeStackMs: sp(ours.map((r) => r.analyzeStackMs)),
                decodeStackMs: sp(ours.map((r) => r.decodeStackMs)),
                stackRuleMs: Object.fromEntries(ruleNames.map((n) => [n, sp(ours.map((r) => r.stackRuleMs![n]))])),
                stackRuleOwnMs: Object.fromEntries(
                    ruleNames.map((n) => [n, sp(ours.map((r) => r.stackRuleOwnMs![n]))]),
                ),
                stackRulePauses: Object.fromEntries(
                    ruleNames.map((n) => {
                        const all = ours.map((r) => r.stackRulePauses![n]);
                        const sum = (k: keyof RulePauses) => all.reduce((a, p) => a + p[k], 0);
                        return [n, { runs: sum("runs"), paused: sum("paused"), ms: Math.round(sum("ms") * 10) / 10 }];
                    }),
                ),
                peakRssMb: sp(ours.map((r) => r.peakRssMb)),
                decodedStackRssMb: sp(ours.map((r) => r.decodedStackRssMb)),
                analyzePeakRssMb: sp(ours.map((r) => r.analyzePeakRssMb)),
                violations: sameViolations(ours),
            },
            awsguard: {
                policies: theirs[0].policies,
                analyzeAwsUs: sp(theirs.map((r) => (r.analyzeAwsMs * 1000) / r.awsResources)),
                analyzeStackMs: sp(theirs.map((r) => r.analyzeStackMs)),
                peakRssMb: sp(theirs.map((r) => r.peakRssMb)),
                violations: sameViolations(theirs),
            },
            awsRatio: sp(ours.map((r, i) => r.analyzeAwsMs / theirs[i].analyzeAwsMs)),
            awsPassCount: {
                ours: spread(ours.map((r) => r.analyzeAwsPassesMs.length)),
                awsguard: spread(theirs.map((r) => r.analyzeAwsPassesMs.length)),
            },
        });
    }
    const growth: Record<string, Growth> = {};
    const ownGrowth: Record<string, Growth> = {};
    let inHeap: InHeapGrowth | undefined;
    if (sizes.length >= 2) {
        const fit = (y: (s: PolicySizeResult) => number): Growth =>
            growthOf(sizes.map((s) => ({ x: s.resources, y: y(s) })));
        growth["AnalyzeStack (all policies)"] = fit((s) => s.ours.analyzeStackMs.median);
        for (const n of Object.keys(sizes[0].ours.stackRuleMs)) {
            growth[n] = fit((s) => s.ours.stackRuleMs[n].median);
            ownGrowth[n] = fit((s) => s.ours.stackRuleOwnMs![n].median);
        }
        growth["Analyze of every custom resource"] = fit((s) => s.ours.analyzeAllUs.median * s.customResources);
        inHeap = inHeapGrowth(opts, sizes);
    }
    return {
        sizes,
        growth,
        ownGrowth,
        awsPasses: AWS_PASSES,
        awsMinMs: AWS_MIN_MS,
        stackRuleRuns: STACK_RULE_RUNS,
        ...(inHeap === undefined ? {} : { inHeap }),
    };
}

/** Growth through every point, and between the two largest. */
function growthOf(points: { x: number; y: number }[]): Growth {
    return { fit: round2(growthExponent(points)), top: round2(growthExponent(points.slice(-2))) };
}

/** The growth runs on the largest stack, the smaller ones as its prefixes (opts.runs processes). */
function inHeapGrowth(opts: PolicyBenchOptions, sizes: PolicySizeResult[]): InHeapGrowth {
    const largest = sizes[sizes.length - 1];
    const dir = path.join(opts.cacheDir, `stack-${largest.copies}`);
    const prefixes = sizes.slice(0, -1).map((s) => s.resources);
    const runs: GrowthResult[] = [];
    for (let i = 0; i < opts.runs; i++) {
        const r = runTs<GrowthResult>(
            "bench/policy/child.ts",
            [JSON.stringify({ mode: "growth", dir, prefixes })],
            ["--expose-gc"],
        );
        runs.push(r);
        opts.log(`policy: the stack rules on ${r.sizes.join(", ")} resources in one heap, run ${i + 1}/${opts.runs}`);
    }
    const counts = runs[0].sizes;
    const rules: InHeapGrowth["rules"] = {};
    for (const rule of Object.keys(runs[0].rules)) {
        const at = (pick: (t: GrowthResult["rules"][string]) => number) => sp(runs.map((r) => pick(r.rules[rule])));
        const ownMs = counts.map((_, k) => at((t) => t.own[k]));
        const referenceMs = counts.map((_, k) => at((t) => t.referenceOwn[k]));
        const ratio = counts.map((_, k) => at((t) => t.ratio[k]));
        // Each prefix is the smaller stack: the rule finds there what it found in that stack's
        // own process, in every growth run.
        const want = sizes.map((s) => s.ours.violations[rule] ?? 0);
        for (const r of runs) {
            if (JSON.stringify(r.rules[rule].findings) !== JSON.stringify(want)) {
                throw new Error(
                    `policy: ${rule} found ${r.rules[rule].findings.join(", ")} in one heap, and ${want.join(", ")} in the stacks' own processes`,
                );
            }
        }
        const of = (ys: Spread[]) => growthOf(counts.map((x, k) => ({ x, y: ys[k].median })));
        rules[rule] = {
            ownMs,
            referenceMs,
            ratio,
            growth: of(ownMs),
            referenceGrowth: of(referenceMs),
            excess: of(ratio),
        };
    }
    return { sizes: counts, runs: runs.length, prefixRuns: PREFIX_RUNS, rules };
}
