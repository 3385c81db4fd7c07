/**
 * One run of the policy benchmark, in a process of its own (one pack per process, and a peak
 * memory of its own): argv[2] is a JSON request { pack, dir } naming a stack that policy/encode.ts
 * wrote. Serves the pack in this process (lib/servedPack.ts), configures it as the CLI does with no
 * --policy-pack-config (each policy at its default level, with its schema's defaults, plus the
 * trusted registries of the fleet for ours), then times, decoding each request from its bytes as
 * the gRPC server does:
 * - Analyze of every AWS resource (both packs), then of every custom resource (ours);
 * - AnalyzeStack of the whole stack (both), with the time each of our stack rules' own check takes
 *   inside it (the server's deserializing of every resource for each rule excluded; the median of
 *   the server's call and re-runs, see STACK_RULE_RUNS).
 * Prints one JSON line: the times in ms, the violations per policy, and the memory. Run with
 * --expose-gc: memory is read after a full collection.
 *
 * With { mode: "growth", dir, prefixes } instead, it times our stack rules on the smaller stacks
 * inside this one's heap (runGrowthChild).
 */
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import * as path from "node:path";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { configureRequest, diagnostics } from "../../test/harness/policyPack";
import { FLEET_REGISTRIES } from "../lib/registries";
import { coveredMs, peakRssMb, spread, type Span } from "../lib/stats";
import { servePack, type ServedPack } from "../lib/servedPack";
import type { EncodedStack } from "./encode";

export type PackName = "hardened-docker" | "awsguard";

export interface ChildRequest {
    pack: PackName;
    dir: string;
}

/**
 * Our stack rules on prefixes of the stack: `prefixes` are the resource counts of the smaller
 * stacks of the benchmark (ascending), each made of the same first copies in the same order.
 */
export interface GrowthRequest {
    mode: "growth";
    dir: string;
    prefixes: number[];
}

/** One growth run: per size (the prefixes, then the whole stack), in ms. */
export interface GrowthResult {
    /** Resource counts: the prefixes, then the whole stack. */
    sizes: number[];
    /**
     * Per stack rule, per size (growthTimes): the median over PREFIX_RUNS rounds of its check's
     * time less the collector's pauses inside it (own), the same of the reference pass paired with
     * each check (referenceOwn), the median check with its pauses (total), the median of the
     * rounds' ratios check ÷ reference (ratio), and the violations the check reported (findings).
     */
    rules: Record<
        string,
        { own: number[]; referenceOwn: number[]; total: number[]; ratio: number[]; findings: number[] }
    >;
}

export interface ChildResult extends EncodedStack {
    pack: PackName;
    policies: number;
    /** Analyze of every custom resource, in ms (ours only). */
    analyzeAllMs?: number;
    /** Analyze of every AWS resource, in ms: the median of the passes (AWS_PASSES, AWS_MIN_MS). */
    analyzeAwsMs: number;
    /** Each pass's Analyze of every AWS resource, in ms, in order. */
    analyzeAwsPassesMs: number[];
    /** Decoding the AnalyzeStack request from its bytes, in ms (part of analyzeStackMs). */
    decodeStackMs: number;
    /** AnalyzeStack of the whole stack, decoding included, the stack rules' re-runs excluded, in ms. */
    analyzeStackMs: number;
    /**
     * Each of our stack rules' own check (validateStack) inside that AnalyzeStack, per rule (ours
     * only): the median of STACK_RULE_RUNS runs.
     */
    stackRuleMs?: Record<string, number>;
    /**
     * The same without the collector's pauses that fell inside the check: the median over the runs
     * of each run's time less its pauses (ours only).
     */
    stackRuleOwnMs?: Record<string, number>;
    /** The collector's pauses inside each rule's runs, per rule (ours only). */
    stackRulePauses?: Record<string, RulePauses>;
    /** Violations per policy: Analyze of every custom resource (ours) or AWS resource (awsguard), and AnalyzeStack. */
    violations: Record<string, number>;
    /** Resident memory with the pack loaded, configured and warmed up, after a full collection, in MiB. */
    baseRssMb: number;
    /** Resident memory with the AnalyzeStack request decoded (its bytes dropped), after a full collection, in MiB. */
    decodedStackRssMb: number;
    /** Peak resident memory once Analyze of every resource is done, before the AnalyzeStack request is read, in MiB. */
    analyzePeakRssMb: number;
    peakRssMb: number;
}

/**
 * Passes over the AWS resources, in each pack; their median is the pack's time. A pass takes about
 * 170 ms at 10,000 resources, and 15 passes of one process spread from 139 to 199 ms (ours; 181 to
 * 285 ms awsguard's) with the collector a third of the time: with 5 the median of a run still moved
 * with where the collections fell (ratios of 0.91 to 1.08 at 10,000 in the 3.0.1 record).
 */
export const AWS_PASSES = 15;

/**
 * ... and passes until they have taken this long in all, ms: at 1,000 resources a pass is 20 to
 * 30 ms, and 15 of them (about 0.3 s) left a run's ratio anywhere from 0.85 to 1.27 in one
 * benchmark run, where the larger stacks' 15 passes take seconds. Capped at AWS_MAX_PASSES.
 */
export const AWS_MIN_MS = 3000;
export const AWS_MAX_PASSES = 1000;

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Resident memory after a full collection (the process runs with --expose-gc). */
function settledRssMb(): number {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) {
        throw new Error("run with node --expose-gc");
    }
    gc();
    return mb(process.memoryUsage().rss);
}

/**
 * Each stack rule's check runs this many times where the server calls it: the server's call (its
 * findings reported), then again on the same resources (findings dropped). A rule's time is the
 * median. At 50,000 resources the heap holds 1.5 GB of the server's decoding and deserializing,
 * and a major collection that lands inside one rule's check (a few hundred ms) would make that
 * size's time, and the rule's growth, the collector's. No collection is forced between the runs:
 * that would lower the peak memory this run reports. The collector's pauses that still land inside
 * a run are recorded (recordingPauses) and reported apart: stackRuleOwnMs, stackRulePauses.
 */
export const STACK_RULE_RUNS = 9;

/**
 * In a growth run, each stack rule's check runs this many times on each prefix and on the whole
 * stack, in turn, each run paired with a run of referencePass on the same resources.
 */
export const PREFIX_RUNS = 9;

/**
 * A pass over a stack that is linear by construction, timed beside each stack rule on the same
 * resources in the same heap: a Map of the resources by URN, and a look-up of each one's parent in
 * it (what every stack rule's index starts with). Its growth from one size to the next is what
 * the memory makes of linear work at those sizes; a rule's growth beyond it is the rule's own.
 * Returns the resources whose parent is in the stack.
 */
export function referencePass(resources: readonly { urn: string; parent?: { urn: string } }[]): number {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    let found = 0;
    for (const r of resources) {
        if (r.parent !== undefined && byUrn.has(r.parent.urn)) {
            found++;
        }
    }
    return found;
}

/** Throws unless each size ends a copy of the synthetic stack (names are prefixed `cNNNNN-` per copy). */
export function checkWholeCopies(resources: readonly { name: string }[], sizes: readonly number[]): void {
    const copy = (i: number) => /^c\d{5}-/.exec(resources[i]?.name ?? "")?.[0];
    for (const n of sizes) {
        if (n <= 0 || n > resources.length || copy(n - 1) === undefined) {
            throw new Error(`the stack of ${resources.length} resources has no prefix of ${n} copies' resources`);
        }
        if (n < resources.length && copy(n - 1) === copy(n)) {
            throw new Error(
                `the prefix of ${n} resources ends inside a copy: ${resources[n - 1].name}, ${resources[n].name}`,
            );
        }
    }
}

/** Our stack rules' checks inside AnalyzeStack, by name: STACK_RULE_RUNS windows of performance.now() each. */
const ruleRuns: Record<string, Span[]> = {};
/** In a growth run, the prefixes' resource counts (else undefined). */
let growthPrefixes: number[] | undefined;
/** In a growth run, per rule, per size: the check's windows and the reference pass's. */
const growthRuns: Record<string, GrowthRuns> = {};

/** One rule's growth run: per size, the windows of its checks and of the reference passes, and its findings. */
interface GrowthRuns {
    check: Span[][];
    reference: Span[][];
    findings: number[];
}
/** The re-runs' time inside AnalyzeStack: not part of the server's call. */
let rerunMs = 0;

function timedStackRules(policies: readonly HardenedPolicyLike[]): HardenedPolicyLike["policy"][] {
    return policies.map(({ policy }) => {
        if (!("validateStack" in policy)) {
            return policy;
        }
        const check = policy.validateStack;
        return {
            ...policy,
            validateStack: async (args: never, report: never) => {
                const samples: Span[] = [];
                ruleRuns[policy.name] = samples;
                let start = performance.now();
                let result: Awaited<ReturnType<typeof check>>;
                try {
                    result = await check(args, report);
                } finally {
                    // A check that throws is timed too, and not run again.
                    samples.push({ start, end: performance.now() });
                }
                const rerunStart = performance.now();
                if (growthPrefixes !== undefined) {
                    await prefixRuns(policy.name, args as { resources: { urn: string; name: string }[] }, check);
                } else {
                    for (let i = 1; i < STACK_RULE_RUNS; i++) {
                        start = performance.now();
                        await check(args, (() => undefined) as never);
                        samples.push({ start, end: performance.now() });
                    }
                }
                rerunMs += performance.now() - rerunStart;
                return result;
            },
        };
    });
}

/**
 * A growth run's checks of one rule: PREFIX_RUNS rounds over the sizes, each check paired with a
 * run of the reference pass on the same resources, the reference first in even rounds and the
 * check first in odd ones (whichever runs second finds the resources in the caches). The findings
 * are counted per size in the first round.
 */
async function prefixRuns(
    name: string,
    args: { resources: { urn: string; name: string; parent?: { urn: string } }[] },
    check: (args: never, report: never) => unknown,
): Promise<void> {
    const all = args.resources;
    const sizes = [...growthPrefixes!, all.length];
    checkWholeCopies(all, sizes);
    const runs: GrowthRuns = {
        check: sizes.map((): Span[] => []),
        reference: sizes.map((): Span[] => []),
        findings: sizes.map(() => 0),
    };
    growthRuns[name] = runs;
    for (let i = 0; i < PREFIX_RUNS; i++) {
        for (const [k, n] of sizes.entries()) {
            const resources = all.slice(0, n);
            const reference = () => {
                const start = performance.now();
                referencePass(resources);
                runs.reference[k].push({ start, end: performance.now() });
            };
            const report = i === 0 ? () => void runs.findings[k]++ : () => undefined;
            if (i % 2 === 0) {
                reference();
            }
            const start = performance.now();
            await check({ ...args, resources } as never, report as never);
            runs.check[k].push({ start, end: performance.now() });
            if (i % 2 === 1) {
                reference();
            }
        }
    }
}

/** A run's time less the collector's pauses inside it, ms. */
function ownMs(run: Span, pauses: readonly Span[]): number {
    return run.end - run.start - coveredMs(run, pauses);
}

/**
 * One rule's growth run, per size: the median over the rounds of the check's time less its pauses,
 * of the reference's, of the check with its pauses, and of the round's ratio check ÷ reference
 * (each less its pauses).
 */
export function growthTimes(
    runs: { check: readonly Span[]; reference: readonly Span[] },
    pauses: readonly Span[],
): { own: number; referenceOwn: number; total: number; ratio: number } {
    const check = runs.check.map((r) => ownMs(r, pauses));
    const reference = runs.reference.map((r) => ownMs(r, pauses));
    if (check.length === 0 || check.length !== reference.length || reference.some((ms) => ms <= 0)) {
        throw new Error(
            `a growth run needs paired runs with a reference pass that takes time: ${reference.join(", ")}`,
        );
    }
    return {
        own: spread(check).median,
        referenceOwn: spread(reference).median,
        total: spread(runs.check.map((r) => r.end - r.start)).median,
        ratio: spread(check.map((ms, i) => ms / reference[i])).median,
    };
}

type HardenedPolicyLike = (typeof import("../../policy-pack/policies"))["ALL_POLICIES"][number];

/** The pack, served in this process. */
function startPack(name: PackName): ServedPack {
    return servePack(() => {
        if (name === "awsguard") {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { AwsGuard } = require("@pulumi/awsguard") as { AwsGuard: new () => unknown };
            new AwsGuard();
        } else {
            // What policy-pack/index.ts does (it has no exports to import).
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { PolicyPack } = require("@pulumi/policy") as typeof import("@pulumi/policy");
            // Loaded here, not at the top: awsguard's process must not hold our policies.
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const policies = require("../../policy-pack/policies") as typeof import("../../policy-pack/policies");
            new PolicyPack("hardened-docker", {
                enforcementLevel: "advisory",
                policies: timedStackRules(policies.ALL_POLICIES),
            });
        }
    });
}

/** Each policy at its default level with its schema's defaults. */
async function configure(pack: PackName, served: ServedPack): Promise<string[]> {
    const info = await served.info();
    const levels = new Map<string, analyzerproto.EnforcementLevel>();
    const config: Record<string, Record<string, unknown>> = {};
    for (const p of info.getPoliciesList()) {
        levels.set(p.getName(), p.getEnforcementlevel());
        const schema = (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<
            string,
            { default?: unknown } | null
        >;
        const settings: Record<string, unknown> = Object.fromEntries(
            Object.entries(schema)
                .filter(([, s]) => s?.default !== undefined)
                .map(([k, s]) => [k, s!.default]),
        );
        if (pack === "hardened-docker" && p.getName() === "docker-image-require-trusted-registry") {
            // The org's registries: without them every image is untrusted (the rule's default).
            settings.allowedRegistries = FLEET_REGISTRIES;
        }
        config[p.getName()] = settings;
    }
    await served.configure(configureRequest(levels, config));
    return [...levels.keys()];
}

function count(into: Record<string, number> | undefined, res: analyzerproto.AnalyzeResponse): void {
    if (into === undefined) {
        return;
    }
    for (const d of diagnostics(res)) {
        into[d.policyName] = (into[d.policyName] ?? 0) + 1;
    }
}

/** The Analyze requests of a file, one at a time (as the engine sends one per resource). */
function* requests(file: string, limit = Infinity): Generator<Uint8Array> {
    const fd = openSync(file, "r");
    try {
        const len = Buffer.alloc(4);
        for (let n = 0; n < limit && readSync(fd, len, 0, 4, null) === 4; n++) {
            const body = Buffer.alloc(len.readUInt32BE());
            readSync(fd, body, 0, body.length, null);
            yield body;
        }
    } finally {
        closeSync(fd);
    }
}

/** Analyze of each request of a file: decoding and analysis timed, reading the file not. */
async function analyzeFile(served: ServedPack, file: string, violations?: Record<string, number>, limit?: number) {
    let ms = 0;
    for (const bytes of requests(file, limit)) {
        const t = performance.now();
        const res = await served.analyze(analyzerproto.AnalyzeRequest.deserializeBinary(bytes));
        ms += performance.now() - t;
        count(violations, res);
    }
    return ms;
}

/**
 * Runs `body` with the collector's pauses recorded (the `gc` entries of a PerformanceObserver, in
 * performance.now()'s timeline), and returns them once the observer has received them all.
 */
export async function recordingPauses(body: () => Promise<void>): Promise<Span[]> {
    const pauses: Span[] = [];
    const record = (entries: readonly PerformanceEntry[]) => {
        for (const e of entries) {
            pauses.push({ start: e.startTime, end: e.startTime + e.duration });
        }
    };
    const observer = new PerformanceObserver((list) => record(list.getEntries()));
    observer.observe({ entryTypes: ["gc"] });
    try {
        await body();
        // The entries reach the observer after the pause, on a later turn of the event loop.
        await new Promise((resolve) => setTimeout(resolve, 100));
        record(observer.takeRecords());
    } finally {
        observer.disconnect();
    }
    return pauses;
}

/** The collector's pauses inside the runs of one check. */
export interface RulePauses {
    /** Runs of the check. */
    runs: number;
    /** Runs with a pause inside. */
    paused: number;
    /** The pauses inside the runs, in all, ms. */
    ms: number;
}

/**
 * One rule's time from the spans of its runs: the median run (total), the median over the runs of
 * each run less the collector's pauses inside it (own), and those pauses, in ms.
 */
export function runTimes(
    runs: readonly Span[],
    pauses: readonly Span[],
): { total: number; own: number; pauses: RulePauses } {
    if (runs.length === 0) {
        return { total: 0, own: 0, pauses: { runs: 0, paused: 0, ms: 0 } };
    }
    const paused = runs.map((r) => coveredMs(r, pauses));
    return {
        total: spread(runs.map((r) => r.end - r.start)).median,
        own: spread(runs.map((r, i) => r.end - r.start - paused[i])).median,
        pauses: {
            runs: runs.length,
            paused: paused.filter((ms) => ms > 0).length,
            ms: paused.reduce((a, b) => a + b, 0),
        },
    };
}

/** Our stack rules: the policies the pack serves with validateStack. */
function stackRules(names: string[]): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ALL_POLICIES } = require("../../policy-pack/policies") as typeof import("../../policy-pack/policies");
    return names.filter((n) => ALL_POLICIES.some((x) => x.meta.name === n && "validateStack" in x.policy));
}

export async function runChild(req: ChildRequest): Promise<ChildResult> {
    const encoded = JSON.parse(readFileSync(path.join(req.dir, "stack.json"), "utf8")) as EncodedStack;
    const served = startPack(req.pack);
    const names = await configure(req.pack, served);
    const ours = req.pack === "hardened-docker";
    // Warm up (JIT) on the first copy, outside the measurement.
    await analyzeFile(served, path.join(req.dir, "analyze-all.bin"), undefined, encoded.firstCopy);
    const baseRssMb = settledRssMb();

    const violations: Record<string, number> = {};
    // The AWS resources first, in both packs: the same state of the process for the comparison.
    // One pass over them takes a few hundred ms at 10,000 resources, so one collection more or
    // less moves it by a quarter: the median of several passes is the pack's time (violations are
    // counted in the first).
    const analyzeAwsPassesMs: number[] = [];
    for (
        let pass = 0, total = 0;
        pass < AWS_MAX_PASSES && (pass < AWS_PASSES || total < AWS_MIN_MS);
        pass++, total += analyzeAwsPassesMs[analyzeAwsPassesMs.length - 1]
    ) {
        analyzeAwsPassesMs.push(
            await analyzeFile(served, path.join(req.dir, "analyze-aws.bin"), ours || pass > 0 ? undefined : violations),
        );
    }
    const analyzeAwsMs = spread(analyzeAwsPassesMs).median;
    const analyzeAllMs = ours
        ? await analyzeFile(served, path.join(req.dir, "analyze-all.bin"), violations)
        : undefined;

    const analyzePeakRssMb = peakRssMb();
    let bytes: Buffer | undefined = readFileSync(path.join(req.dir, "stack.bin"));
    let t = performance.now();
    const stackReq = analyzerproto.AnalyzeStackRequest.deserializeBinary(bytes);
    const decodeStackMs = performance.now() - t;
    // gRPC frees the bytes once the message is decoded.
    bytes = undefined;
    const decodedStackRssMb = settledRssMb();
    for (const k of Object.keys(ruleRuns)) {
        delete ruleRuns[k];
    }
    rerunMs = 0;
    let analyzeStackMs = 0;
    const pauses = await recordingPauses(async () => {
        t = performance.now();
        const res = await served.analyzeStack(stackReq);
        analyzeStackMs = decodeStackMs + performance.now() - t - rerunMs;
        count(violations, res);
    });
    const rules = ours
        ? Object.fromEntries(stackRules(names).map((n) => [n, runTimes(ruleRuns[n] ?? [], pauses)]))
        : undefined;
    const byRule = <T>(pick: (t: ReturnType<typeof runTimes>) => T) =>
        Object.fromEntries(Object.entries(rules ?? {}).map(([n, t]) => [n, pick(t)]));
    return {
        ...encoded,
        pack: req.pack,
        policies: names.length,
        ...(analyzeAllMs === undefined ? {} : { analyzeAllMs }),
        analyzeAwsMs,
        analyzeAwsPassesMs,
        decodeStackMs,
        analyzeStackMs,
        ...(rules === undefined
            ? {}
            : {
                  stackRuleMs: byRule((t) => t.total),
                  stackRuleOwnMs: byRule((t) => t.own),
                  stackRulePauses: byRule((t) => t.pauses),
              }),
        violations,
        baseRssMb,
        decodedStackRssMb,
        analyzePeakRssMb,
        peakRssMb: peakRssMb(),
    };
}

/**
 * Our stack rules on the smaller stacks inside this one's heap: the pack configured as in
 * runChild, the AnalyzeStack request decoded and handled, and each stack rule, after the server's
 * call, run on each prefix and on the whole stack (PREFIX_RUNS rounds), each run paired with a run
 * of the reference pass on the same resources. Nothing else runs first (no Analyze passes): every
 * size is checked in the same heap, at the same moment of the process.
 */
export async function runGrowthChild(req: GrowthRequest): Promise<GrowthResult> {
    const encoded = JSON.parse(readFileSync(path.join(req.dir, "stack.json"), "utf8")) as EncodedStack;
    const prefixes = [...req.prefixes].sort((a, b) => a - b);
    if (prefixes.length === 0 || prefixes.some((n) => !Number.isInteger(n) || n >= encoded.resources)) {
        throw new Error(`prefixes must be resource counts below ${encoded.resources}: ${req.prefixes.join(", ")}`);
    }
    const served = startPack("hardened-docker");
    const names = await configure("hardened-docker", served);
    const stackReq = analyzerproto.AnalyzeStackRequest.deserializeBinary(readFileSync(path.join(req.dir, "stack.bin")));
    growthPrefixes = prefixes;
    let pauses: Span[];
    try {
        pauses = await recordingPauses(async () => {
            await served.analyzeStack(stackReq);
        });
    } finally {
        growthPrefixes = undefined;
    }
    const sizes = [...prefixes, encoded.resources];
    const rules: GrowthResult["rules"] = {};
    for (const rule of stackRules(names)) {
        const runs = growthRuns[rule];
        if (runs === undefined) {
            throw new Error(`${rule} was not called`);
        }
        const times = sizes.map((_, k) => growthTimes({ check: runs.check[k], reference: runs.reference[k] }, pauses));
        rules[rule] = {
            own: times.map((t) => t.own),
            referenceOwn: times.map((t) => t.referenceOwn),
            total: times.map((t) => t.total),
            ratio: times.map((t) => t.ratio),
            findings: runs.findings,
        };
    }
    return { sizes, rules };
}

if (require.main === module) {
    const req = JSON.parse(process.argv[2]) as ChildRequest | GrowthRequest;
    ("mode" in req ? runGrowthChild(req) : runChild(req))
        .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
        .catch((e: unknown) => {
            process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
            process.exit(1);
        });
}
