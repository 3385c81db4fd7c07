/**
 * docs/performance.md from docs/performance.json: every number in the document comes from a run of
 * `npm run bench`, with the machine, the versions and the command it ran with; whether a target is
 * met is computed here from those numbers.
 */
import type { ConvergenceResult } from "./convergence/types";
import type { Machine, Spread } from "./lib/stats";
import type { Growth, PolicyBenchResult } from "./policy/run";
import type { ProgramSizeResult } from "./program/run";

export interface PerformanceRecord<T> {
    command: string;
    ranAt: string;
    seconds: number;
    machine: Machine;
    versions: Record<string, string>;
    result: T;
}

export interface PerformanceResults {
    policy?: PerformanceRecord<PolicyBenchResult>;
    program?: PerformanceRecord<ProgramSizeResult[]>;
    convergence?: PerformanceRecord<ConvergenceResult>;
}

/** The limits the benchmarks are held to (issue 8). */
export const TARGETS = Object.freeze({
    /** Our pack per AWS resource over awsguard's, median of the runs, at every size: at most this. */
    awsRatio: 1,
    /** Growth exponent of every stack rule (1 is linear); above this it is not linear (records without inHeap). */
    linearExponent: 1.2,
    /**
     * A stack rule's growth beyond a linear reference pass on the same resources in the same heap
     * (0 grows as the reference does, 1 is quadratic); above this it is not linear.
     */
    linearExcess: 0.2,
    /** Peak memory of the pack's process at 50,000 resources, MiB. */
    peakRssMb50k: 1024,
    /** 100 hosts with 10 containers each, registered under mocks, seconds (every run). */
    programSeconds100: 30,
});

const n = (x: number, digits = 0) =>
    x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const s3 = (s: Spread, digits = 0) => `${n(s.min, digits)} / ${n(s.median, digits)} / ${n(s.max, digits)}`;
const verdict = (ok: boolean) => (ok ? "**met**" : "**missed**");

function header<T>(r: PerformanceRecord<T>): string {
    const m = r.machine;
    return [
        `Command: \`${r.command}\` (ran ${r.ranAt}, ${n(r.seconds)} s).`,
        `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GiB, ${m.platform}, Node ${m.node}.`,
        `Versions: ${Object.entries(r.versions)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}.`,
        "Spreads are minimum / median / maximum over the runs.",
    ].join("\n");
}

function policySection(r: PerformanceRecord<PolicyBenchResult>): string {
    const { sizes, growth } = r.result;
    const out: string[] = ["## 1. Policy evaluation", "", header(r), ""];
    out.push(
        "| stack | resources (custom / AWS) | ours: Analyze per custom resource (µs) | ours: per AWS resource (µs) | awsguard: per AWS resource (µs) | ours ÷ awsguard per AWS resource | ours: AnalyzeStack (ms) | ours: peak memory (MiB) | awsguard: peak memory (MiB) |",
        "|---|---|---|---|---|---|---|---|---|",
    );
    for (const s of sizes) {
        out.push(
            `| ${n(s.target)} | ${n(s.resources)} (${n(s.customResources)} / ${n(s.awsResources)}) | ${s3(s.ours.analyzeAllUs)} | ${s3(s.ours.analyzeAwsUs)} | ${s3(s.awsguard.analyzeAwsUs)} | ${s3(s.awsRatio, 2)} | ${s3(s.ours.analyzeStackMs)} | ${s3(s.ours.peakRssMb)} | ${s3(s.awsguard.peakRssMb)} |`,
        );
    }
    if (r.result.awsPasses !== undefined && r.result.awsMinMs !== undefined) {
        const counts = sizes
            .filter((s) => s.awsPassCount !== undefined)
            .map(
                (s) =>
                    `${n(s.awsPassCount!.ours.min)}–${n(s.awsPassCount!.ours.max)} (ours) and ${n(s.awsPassCount!.awsguard.min)}–${n(s.awsPassCount!.awsguard.max)} (awsguard) at ${n(s.resources)}`,
            );
        out.push(
            "",
            `Per AWS resource, in each run: the median of the passes of the pack over every AWS resource, at least ${r.result.awsPasses} and as many as take ${n(r.result.awsMinMs / 1000)} s in all, so that one collection more or less in a short pass does not make the run's time: ${counts.join(", ")}.`,
        );
    } else if (r.result.awsPasses !== undefined) {
        out.push(
            "",
            `Per AWS resource, in each run: the median of ${r.result.awsPasses} passes of the pack over every AWS resource, so that one collection more or less in a short pass does not make the run's time.`,
        );
    }
    const reruns =
        r.result.stackRuleRuns === undefined
            ? ""
            : `; in each run, the median of ${r.result.stackRuleRuns} runs of the check on the same resources: the server's call, then ${r.result.stackRuleRuns - 1} more, with the code warm, so that a major collection of the decoded stack that lands in one of them does not make the rule's time (the re-runs' own time is left out of AnalyzeStack's time, not the collection of their garbage, which may fall later in it, nor their memory)`;
    out.push(
        "",
        `Each stack rule's own check inside that AnalyzeStack (the server deserializes every resource again for each rule before it calls it: not counted here)${reruns}, ms:`,
        "",
    );
    const rules = Object.keys(sizes[0]?.ours.stackRuleMs ?? {});
    const ge = (x: Growth) => `${x.fit.toFixed(2)} / ${x.top.toFixed(2)}`;
    const growthOf = (from: Record<string, Growth> | undefined, k: string) =>
        from?.[k] === undefined ? "-" : ge(from[k]);
    const g = (k: string) => growthOf(growth, k);
    out.push(`| rule | ${sizes.map((s) => `${n(s.resources)} resources`).join(" | ")} | growth: fit / top |`);
    out.push(`|---|${sizes.map(() => "---|").join("")}---|`);
    for (const rule of rules) {
        out.push(`| ${rule} | ${sizes.map((s) => s3(s.ours.stackRuleMs[rule], 1)).join(" | ")} | ${g(rule)} |`);
    }
    out.push(
        `| decoding the AnalyzeStack request (the server's, once per call) | ${sizes.map((s) => s3(s.ours.decodeStackMs)).join(" | ")} | |`,
    );
    const own = r.result.ownGrowth;
    const go = (k: string) => growthOf(own, k);
    if (own !== undefined) {
        out.push(
            "",
            "The same checks without the collector's pauses that fell inside them (the `gc` entries of a PerformanceObserver, clipped to each run of the check): in each run, the median over the runs of the check of its time less its pauses, ms; after the semicolon, the runs of the check (over every run) with a pause inside, and those pauses in all. Scavenges start when the young generation fills, with the rule's own garbage as well as the server's, so leaving the pauses out leaves out part of the rule's cost too; incremental marking and the collector's threads are not pauses, and stay in:",
            "",
            `| rule | ${sizes.map((s) => `${n(s.resources)} resources`).join(" | ")} | growth: fit / top |`,
            `|---|${sizes.map(() => "---|").join("")}---|`,
        );
        for (const rule of rules) {
            out.push(
                `| ${rule} | ${sizes
                    .map((s) => {
                        const p = s.ours.stackRulePauses![rule];
                        return `${s3(s.ours.stackRuleOwnMs![rule], 1)}; ${p.paused} of ${p.runs}, ${n(p.ms, 1)} ms`;
                    })
                    .join(" | ")} | ${go(rule)} |`,
            );
        }
    }
    const inHeap = r.result.inHeap;
    if (inHeap !== undefined) {
        const last = inHeap.sizes[inHeap.sizes.length - 1];
        out.push(
            "",
            `The same rules in one heap: in each of ${inHeap.runs} processes of their own, the ${n(last)}-resource request is decoded and handled, and after the server's call each stack rule runs ${inHeap.prefixRuns} times on each smaller stack, which is a prefix of this one (its first copies: the resources the smaller stack's process checks, where the rule finds the same violations), and on the whole stack, in turn. Each run of the check is paired with a run of a reference pass on the same resources, linear by construction (a Map of them by URN, and a look-up of each one's parent in it), the reference first in every other round. Each cell: minimum / median / maximum over the processes of each process's median, of the check's time less the collector's pauses inside it, and of the reference's, ms. The excess is the growth of the ratio rule ÷ reference (each process's median of its rounds' ratios): 0 grows as the reference does, 1 is a quadratic rule. The reference reads less of each resource than a rule does, so the caches favour it or the rule by turns; the excess is near 0 for a linear rule, not exactly 0:`,
            "",
            `| rule | ${inHeap.sizes.map((x) => `${n(x)} resources`).join(" | ")} | growth: fit / top | reference: fit / top | excess: fit / top |`,
            `|---|${inHeap.sizes.map(() => "---|").join("")}---|---|---|`,
        );
        for (const [rule, t] of Object.entries(inHeap.rules)) {
            out.push(
                `| ${rule} | ${inHeap.sizes.map((_, k) => `${s3(t.ownMs[k], 2)}; reference ${s3(t.referenceMs[k], 2)}`).join(" | ")} | ${ge(t.growth)} | ${ge(t.referenceGrowth)} | ${ge(t.excess)} |`,
            );
        }
    }
    out.push(
        "",
        `Growth exponents, fit / top (the slope of log time over log resources through every size / between the two largest; 1 is linear, 2 quadratic): ${Object.keys(
            growth,
        )
            .map((k) => `${k} ${g(k)}`)
            .join("; ")}.`,
        "",
    );
    const big = sizes.find((s) => s.target === 50000);
    const ratioOk = sizes.length > 0 && sizes.every((s) => s.awsRatio.median <= TARGETS.awsRatio);
    // In one heap when it was measured: the rule beside a linear pass on the same resources (a
    // linear pass's own exponent across these sizes rises above 1.2 with the memory alone). Else
    // the rules' own work across the stacks' processes (the pauses inside a check are the young
    // generation's, whose garbage is the rule's and the server's); both printed, the text says
    // which is judged.
    const excess =
        inHeap === undefined
            ? undefined
            : Object.fromEntries(Object.entries(inHeap.rules).map(([rule, t]) => [rule, t.excess]));
    const [judged, limit] =
        excess !== undefined ? [excess, TARGETS.linearExcess] : [own ?? growth, TARGETS.linearExponent];
    const linearOk =
        rules.length > 0 &&
        rules.every((rule) => judged[rule] !== undefined && Math.max(judged[rule].fit, judged[rule].top) <= limit);
    out.push("Targets:", "");
    out.push(
        `- Per AWS resource no slower than awsguard's policies, while running more rules (${sizes[0]?.ours.policies} policies against ${sizes[0]?.awsguard.policies}): ${verdict(ratioOk)}; median ratio ${sizes.map((s) => `${s.awsRatio.median.toFixed(2)} at ${n(s.resources)}`).join(", ")}.`,
    );
    const acrossProcesses =
        own === undefined
            ? rules.map((rule) => `${rule} ${g(rule)}`).join(", ")
            : `${rules.map((rule) => `${rule} ${go(rule)}`).join(", ")}; with the pauses counted, ${rules.map((rule) => `${rule} ${g(rule)}`).join(", ")}`;
    if (inHeap !== undefined) {
        const refTop = Object.values(inHeap.rules).map((t) => t.referenceGrowth.top);
        out.push(
            `- Stack rules linear in the number of resources (each rule's excess growth over the linear reference pass in one heap, fit and top, at most ${TARGETS.linearExcess}): ${verdict(linearOk)}; ${rules.map((rule) => `${rule} ${growthOf(excess, rule)}`).join(", ")}. The reference pass itself, linear by construction, had a top exponent of ${n(Math.min(...refTop), 2)}–${n(Math.max(...refTop), 2)} beside the rules. Growth across the stacks' own processes, each rule's own work (its check less the collector's pauses): ${acrossProcesses}.`,
        );
    } else {
        out.push(
            own === undefined
                ? `- Stack rules linear in the number of resources (both growth exponents at most ${TARGETS.linearExponent}): ${verdict(linearOk)}; ${acrossProcesses}.`
                : `- Stack rules linear in the number of resources (both growth exponents of each rule's own work, its check's time less the collector's pauses inside it, at most ${TARGETS.linearExponent}): ${verdict(linearOk)}; ${rules.map((rule) => `${rule} ${go(rule)}`).join(", ")}. With the pauses counted: ${rules.map((rule) => `${rule} ${g(rule)}`).join(", ")}.`,
        );
    }
    if (big !== undefined) {
        out.push(
            `- 50,000 resources in under ${n(TARGETS.peakRssMb50k)} MiB: ${verdict(big.ours.peakRssMb.max < TARGETS.peakRssMb50k)}; peak ${s3(big.ours.peakRssMb)} MiB for ${n(big.resources)} resources over the whole run (Analyze of every resource, then AnalyzeStack). The AnalyzeStack request is ${n(big.stackBytes / 2 ** 20, 1)} MiB on the wire; with it decoded, before AnalyzeStack ran, the process held ${s3(big.ours.decodedStackRssMb)} MiB after a full collection, and before it arrived, Analyze of every resource had peaked at ${s3(big.ours.analyzePeakRssMb)} MiB. awsguard, given the same request (its stack policies skip a stack without their types, so it deserializes nothing), peaked at ${s3(big.awsguard.peakRssMb)} MiB.`,
        );
    }
    out.push("", "Violations found per run (identical in every run; the insecure example is in every fifth copy):", "");
    for (const s of sizes) {
        const total = (v: Record<string, number>) => Object.values(v).reduce((a, b) => a + b, 0);
        out.push(
            `- ${n(s.resources)} resources: ours ${n(total(s.ours.violations))} (${Object.keys(s.ours.violations).length} policies), awsguard ${n(total(s.awsguard.violations))} (${Object.entries(
                s.awsguard.violations,
            )
                .map(([k, v]) => `${k} ${v}`)
                .join(", ")}).`,
        );
    }
    return out.join("\n");
}

function programSection(r: PerformanceRecord<ProgramSizeResult[]>): string {
    const out: string[] = ["## 2. Program scale", "", header(r), ""];
    out.push(
        "| hosts × containers | resources | registering every resource (s) | loading the modules (s) | peak memory (MiB) |",
        "|---|---|---|---|---|",
    );
    for (const s of r.result) {
        out.push(
            `| ${s.hosts} × ${s.containersPerHost} | ${n(s.resources)} | ${s3(s.registerSeconds, 1)} | ${s3(s.loadSeconds, 1)} | ${s3(s.peakRssMb)} |`,
        );
    }
    const hundred = r.result.find((s) => s.hosts === 100);
    if (hundred !== undefined) {
        out.push(
            "",
            `Target: 100 hosts with 10 containers each registered under mocks in under ${TARGETS.programSeconds100} s: ${verdict(hundred.registerSeconds.max < TARGETS.programSeconds100)}; ${s3(hundred.registerSeconds, 1)} s.`,
        );
    }
    return out.join("\n");
}

function convergenceSection(r: PerformanceRecord<ConvergenceResult>): string {
    const c = r.result;
    const out: string[] = ["## 3. Host convergence on the sandbox", "", header(r), ""];
    out.push(
        `Sandbox: ${c.sandbox.cpus} vCPU, ${n(c.sandbox.memoryMb)} MiB, QEMU ${c.sandbox.accel}, image ${c.sandbox.image}; ${c.runs} fresh sandboxes, each with one first apply, then ${c.repeats} applies with no change and ${c.repeats} applies that only audit.`,
        "",
        "| apply | time (s) | SSH sessions | commands run |",
        "|---|---|---|---|",
        `| first (fresh sandbox) | ${s3(c.firstApply.seconds, 1)} | ${c.firstApply.sshSessions.join(", ")} | ${c.firstApply.commands.join(", ")} |`,
        `| second, nothing changed | ${s3(c.secondApply.seconds, 1)} | ${c.secondApply.sshSessions.join(", ")} | ${c.secondApply.changed.join(", ")} |`,
        `| the audit alone (a new rerunTrigger) | ${s3(c.auditOnly.seconds, 1)} | ${c.auditOnly.sshSessions.join(", ")} | ${c.auditOnly.ran.map((x) => x.length).join(", ")} |`,
        "",
        `Package installation in the first apply: ${s3(c.firstApply.packageSeconds, 1)} s, a share of ${s3(
            {
                ...c.firstApply.packageShare,
                min: c.firstApply.packageShare.min * 100,
                median: c.firstApply.packageShare.median * 100,
                max: c.firstApply.packageShare.max * 100,
            },
            0,
        )} % of the apply (${Object.entries(c.firstApply.packages)
            .map(([step, p]) => `${step}: ${p.join(", ")}`)
            .join("; ")}).`,
        "",
        `The audit's collector alone: ${s3(c.auditOnly.collectorSeconds, 1)} s.`,
        "",
        "Each resource of the first apply, s:",
        "",
        "| resource | time (s) |",
        "|---|---|",
        ...Object.entries(c.firstApply.steps).map(([k, v]) => `| ${k} | ${s3(v, 1)} |`),
        "",
    );
    const noSsh = c.secondApply.sshSessions.every((x) => x === 0) && c.secondApply.changed.every((x) => x === 0);
    out.push(
        `Target: a second apply with no change opens no SSH session for an unchanged step: ${verdict(noSsh)}. With nothing changed the audit does not run either (its trigger is the steps' hashes, the containers and rerunTrigger); a new rerunTrigger runs it alone: one SSH session, the collector.`,
    );
    return out.join("\n");
}

export function renderPerformance(results: PerformanceResults): string {
    const parts = [
        "# Performance",
        "",
        "What the policy pack costs on large stacks, what the program costs on large fleets, and how long a host takes to converge. Generated by `npm run bench` (bench/) from docs/performance.json: do not edit by hand. `npm run bench -- policy`, `-- program` or `-- convergence` runs one benchmark; `--runs N` sets the runs.",
        "",
        "- **Policy evaluation** (bench/policy): synthetic stacks of whole copies of what the fleet program (bench/fleet.ts) registers for one AWS host: the instance, its encrypted data volume and attachment, security group and key pair, the 13 host steps, the daemon's 2 steps, a network, a volume, 10 hardened containers with their PID-limit commands, two Docker providers and the audit; every fifth copy adds the insecure example (examples/insecure), which trips every policy (its 8 AWS resources among them: an instance, a spot request and a launch template, a volume, a security group, the default group, a group rule and an ingress rule). Each copy's names and URNs are its own. The requests are encoded as the engine sends them and decoded in the pack's process as its gRPC server does, then handed to the handlers `new PolicyPack(...)` registers (the gRPC transport left out); each pack runs in a fresh process, configured as the CLI does without a policy config (default levels and schema defaults; ours with the fleet's trusted registries). awsguard gets the same AWS resources (Analyze) and the same AnalyzeStack request.",
        "- **Program scale** (bench/program): the fleet program with 1, 10 and 100 hosts of 10 containers, under mocks that only answer, loaded as `pulumi up` loads a TypeScript program (ts-node with source maps), each run in a fresh process; the time runs from the first resource to the last one registered and the last host's audit report computed.",
        "- **Host convergence** (bench/convergence): the example program applied to the sandbox VM over SSH by the end-to-end harness (test/e2e), on fresh sandboxes.",
        "",
    ];
    if (results.policy !== undefined) {
        parts.push(policySection(results.policy), "");
    }
    if (results.program !== undefined) {
        parts.push(programSection(results.program), "");
    }
    if (results.convergence !== undefined) {
        parts.push(convergenceSection(results.convergence), "");
    }
    return `${parts.join("\n").trimEnd()}\n`;
}
