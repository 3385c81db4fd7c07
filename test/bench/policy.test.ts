/**
 * The policy benchmark's own pipeline on a small stack: the template recorded under mocks, the
 * requests encoded as the engine sends them, and each pack run in its own process through the
 * handlers its gRPC server registers. The fleet copies must be compliant (so the renaming kept every
 * relation the stack rules read), and the pack served in-process must report exactly what the real
 * pack process reports over gRPC.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FLEET_REGISTRIES } from "../../bench/lib/registries";
import { runTs } from "../../bench/lib/child";
import { syntheticStack, type StackTemplate } from "../../bench/lib/syntheticStack";
import {
    AWS_MAX_PASSES,
    AWS_MIN_MS,
    AWS_PASSES,
    checkWholeCopies,
    growthTimes,
    recordingPauses,
    referencePass,
    runTimes,
    STACK_RULE_RUNS,
    type ChildResult,
    type GrowthResult,
} from "../../bench/policy/child";
import { spread } from "../../bench/lib/stats";
import { coveredMs } from "../../bench/lib/stats";
import type { EncodedStack } from "../../bench/policy/encode";
import { policyPack } from "../harness/policyPack";

describe("the policy benchmark's pipeline (bench/policy)", function () {
    this.timeout(180000);
    let dir: string;
    let template: StackTemplate;
    let encoded: EncodedStack;

    before(() => {
        dir = mkdtempSync(path.join(os.tmpdir(), "hd-bench-"));
        const templatePath = path.join(dir, "template.json");
        assert.deepEqual(runTs("bench/policy/template.ts", [templatePath]), { fleet: 59, insecure: 18 });
        template = JSON.parse(readFileSync(templatePath, "utf8")) as StackTemplate;
        encoded = runTs<EncodedStack>("bench/policy/encode.ts", [
            JSON.stringify({ templatePath, copies: 3, insecureEvery: 2, dir: path.join(dir, "stack") }),
        ]);
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    /** The passes over the AWS resources stopped at the first that made both counts, or the cap. */
    const passesDone = (passes: number[]) => {
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        assert.ok(passes.length >= AWS_PASSES && passes.length <= AWS_MAX_PASSES, String(passes.length));
        assert.ok(sum(passes) >= AWS_MIN_MS || passes.length === AWS_MAX_PASSES);
        const before = passes.slice(0, -1);
        assert.ok(before.length < AWS_PASSES || sum(before) < AWS_MIN_MS);
    };

    it("encodes three copies of the fleet host and two of the insecure example", () => {
        assert.deepEqual(
            { ...encoded, bytes: undefined },
            {
                copies: 3,
                resources: 3 * 59 + 2 * 18,
                customResources: 3 * template.fleet.inputs.length + 2 * template.insecure.inputs.length,
                awsResources: 3 * 5 + 2 * 8,
                firstCopy: template.fleet.inputs.length + template.insecure.inputs.length,
                bytes: undefined,
            },
        );
    });

    it("finds with our pack, in its own process, exactly what the pack's gRPC server finds: the insecure copies' violations", async () => {
        const ours = runTs<ChildResult>(
            "bench/policy/child.ts",
            [JSON.stringify({ pack: "hardened-docker", dir: path.join(dir, "stack") })],
            ["--expose-gc"],
        );
        assert.equal(ours.policies, 76);
        passesDone(ours.analyzeAwsPassesMs);
        assert.equal(ours.analyzeAwsMs, spread(ours.analyzeAwsPassesMs).median);
        assert.deepEqual(Object.keys(ours.stackRuleMs!), [
            "docker-host-require-data-volume",
            "docker-container-require-hardened-host",
            "docker-image-require-trusted-registry",
            "docker-image-require-digest-pin",
            "docker-container-require-pids-limit",
        ]);
        // Each rule's time without the collector's pauses inside its check (runTimes, tested
        // below), and the pauses of its runs.
        assert.deepEqual(Object.keys(ours.stackRuleOwnMs!), Object.keys(ours.stackRuleMs!));
        assert.deepEqual(Object.keys(ours.stackRulePauses!), Object.keys(ours.stackRuleMs!));
        for (const [rule, total] of Object.entries(ours.stackRuleMs!)) {
            assert.ok(total > 0, rule);
            assert.ok(ours.stackRuleOwnMs![rule] > 0 && ours.stackRuleOwnMs![rule] <= total, rule);
            assert.equal(ours.stackRulePauses![rule].runs, STACK_RULE_RUNS, rule);
            assert.ok(ours.stackRulePauses![rule].paused <= STACK_RULE_RUNS, rule);
        }
        // The same stack through the real pack process (test/harness/policyPack.ts), same config.
        const pack = await policyPack();
        await pack.configure({ "docker-image-require-trusted-registry": { allowedRegistries: FLEET_REGISTRIES } });
        const stack = syntheticStack(template, 3, 2);
        const byPolicy: Record<string, number> = {};
        const names = new Set<string>();
        for (const r of stack.inputs) {
            for (const d of await pack.analyze(r)) {
                byPolicy[d.policyName] = (byPolicy[d.policyName] ?? 0) + 1;
                names.add(r.name.replace(/^c0000[0-9]-/, ""));
            }
        }
        for (const d of await pack.analyzeStack(stack.outputs)) {
            byPolicy[d.policyName] = (byPolicy[d.policyName] ?? 0) + 1;
            names.add(d.urn.slice(d.urn.lastIndexOf("::") + 2).replace(/^c0000[0-9]-/, ""));
        }
        assert.deepEqual(ours.violations, byPolicy);
        // Only the insecure example's resources: no fleet resource (h000-...) breaks a rule.
        assert.deepEqual(
            [...names].filter((n) => n.startsWith("h000-")),
            [],
        );
        // Each copy of the insecure example trips exactly what it trips as a stack of its own: the
        // copies do not relate to each other or to the fleet (each has its own addresses and ids).
        const alone: Record<string, number> = {};
        for (const r of template.insecure.inputs) {
            for (const d of await pack.analyze(r)) {
                alone[d.policyName] = (alone[d.policyName] ?? 0) + 2;
            }
        }
        for (const d of await pack.analyzeStack(template.insecure.outputs)) {
            alone[d.policyName] = (alone[d.policyName] ?? 0) + 2;
        }
        assert.deepEqual(byPolicy, alone);
        assert.equal(Object.keys(byPolicy).length, 76);
    });

    it("finds with awsguard the same AWS resources' violations in every run", () => {
        const theirs = runTs<ChildResult>(
            "bench/policy/child.ts",
            [JSON.stringify({ pack: "awsguard", dir: path.join(dir, "stack") })],
            ["--expose-gc"],
        );
        assert.equal(theirs.policies, 26);
        assert.equal(theirs.stackRuleMs, undefined);
        assert.equal(theirs.stackRuleOwnMs, undefined);
        assert.equal(theirs.stackRulePauses, undefined);
        // The AWS resources are analyzed in passes (passesDone); the pack's time is their median, and
        // the violations below are the first pass's alone.
        passesDone(theirs.analyzeAwsPassesMs);
        assert.equal(theirs.analyzeAwsMs, spread(theirs.analyzeAwsPassesMs).median);
        assert.deepEqual(theirs.violations, {
            // 3 fleet instances and 2 insecure ones: none has detailed monitoring or inline EBS volumes.
            "ec2-instance-detailed-monitoring-enabled": 5,
            "ec2-volume-inuse": 5,
            // The insecure instance's public address and its unencrypted volume, per copy.
            "ec2-instance-no-public-ip": 2,
            "encrypted-volumes": 2,
        });
    });

    it("times each stack rule on the smaller stacks inside the largest one's heap, beside the reference pass", async () => {
        // Copy 0 has the insecure example (insecureEvery 2): 77 resources, then 59 and 77.
        const growth = runTs<GrowthResult>(
            "bench/policy/child.ts",
            [JSON.stringify({ mode: "growth", dir: path.join(dir, "stack"), prefixes: [136, 77] })],
            ["--expose-gc"],
        );
        assert.deepEqual(growth.sizes, [77, 136, 213]);
        assert.deepEqual(Object.keys(growth.rules), [
            "docker-host-require-data-volume",
            "docker-container-require-hardened-host",
            "docker-image-require-trusted-registry",
            "docker-image-require-digest-pin",
            "docker-container-require-pids-limit",
        ]);
        // Each check got its prefix: the first copy and the first two hold one insecure example,
        // the whole stack two, and each stack rule finds there what it finds in that example alone.
        const pack = await policyPack();
        await pack.configure({ "docker-image-require-trusted-registry": { allowedRegistries: FLEET_REGISTRIES } });
        const alone: Record<string, number> = {};
        for (const d of await pack.analyzeStack(template.insecure.outputs)) {
            alone[d.policyName] = (alone[d.policyName] ?? 0) + 1;
        }
        for (const [rule, t] of Object.entries(growth.rules)) {
            assert.ok(alone[rule] > 0, rule);
            assert.deepEqual(t.findings, [alone[rule], alone[rule], 2 * alone[rule]], rule);
            for (const key of ["own", "referenceOwn", "total", "ratio"] as const) {
                assert.equal(t[key].length, 3, `${rule} ${key}`);
                t[key].forEach((ms, k) => assert.ok(ms > 0, `${rule} ${key} ${k}`));
            }
        }
        // The whole stack is not a prefix of itself.
        assert.throws(
            () =>
                runTs("bench/policy/child.ts", [
                    JSON.stringify({ mode: "growth", dir: path.join(dir, "stack"), prefixes: [77, 213] }),
                ]),
            /prefixes must be resource counts below 213: 77, 213/,
        );
    });

    it("takes as prefixes only whole copies of the synthetic stack", () => {
        const rs = ["c00000-a", "c00000-b", "c00001-a", "c00001-b", "c00002-a"].map((name) => ({ name }));
        checkWholeCopies(rs, [2, 4, 5]);
        assert.throws(
            () => checkWholeCopies(rs, [2, 3]),
            /^Error: the prefix of 3 resources ends inside a copy: c00001-a, c00001-b$/,
        );
        assert.throws(
            () => checkWholeCopies(rs, [6]),
            /^Error: the stack of 5 resources has no prefix of 6 copies' resources$/,
        );
        assert.throws(
            () => checkWholeCopies([{ name: "web" }, { name: "c00001-a" }], [1]),
            /^Error: the stack of 2 resources has no prefix of 1 copies' resources$/,
        );
    });

    it("pairs each run of a check with its reference pass, the collector's pauses left out of both", () => {
        const check = [
            { start: 0, end: 10 },
            { start: 20, end: 24 },
            { start: 40, end: 46 },
        ];
        const reference = [
            { start: 10, end: 15 },
            { start: 30, end: 32 },
            { start: 50, end: 52 },
        ];
        // A pause inside the first check (4 ms) and one straddling the second reference's start.
        const pauses = [
            { start: 2, end: 6 },
            { start: 29, end: 31 },
        ];
        // Checks 6, 4, 6 ms; references 5, 1, 2 ms; ratios 1.2, 4, 3.
        assert.deepEqual(growthTimes({ check, reference }, pauses), { own: 6, referenceOwn: 2, total: 6, ratio: 3 });
        assert.throws(
            () => growthTimes({ check, reference: reference.slice(1) }, []),
            /^Error: a growth run needs paired runs with a reference pass that takes time: 2, 2$/,
        );
        assert.throws(
            () => growthTimes({ check, reference: [...reference.slice(1), { start: 60, end: 60 }] }, []),
            /takes time: 2, 2, 0$/,
        );
    });

    it("counts, in the reference pass, the resources whose parent is in the stack", () => {
        const stack = [
            { urn: "u:stack" },
            { urn: "u:host", parent: { urn: "u:stack" } },
            { urn: "u:step", parent: { urn: "u:host" } },
            { urn: "u:orphan", parent: { urn: "u:gone" } },
        ];
        assert.equal(referencePass(stack), 2);
        assert.equal(referencePass(stack.slice(2)), 0);
        assert.equal(referencePass([]), 0);
    });

    it("times a rule's runs with and without the collector's pauses inside them", () => {
        const runs = [
            { start: 0, end: 10 },
            { start: 20, end: 26 },
            { start: 30, end: 38 },
        ];
        // A pause straddling the first run's end, one inside the third, one between runs.
        const pauses = [
            { start: 8, end: 12 },
            { start: 31, end: 34 },
            { start: 27, end: 29 },
        ];
        // Totals 10, 6, 8; own 8, 6, 5; pauses 2, 0, 3.
        assert.deepEqual(runTimes(runs, pauses), { total: 8, own: 6, pauses: { runs: 3, paused: 2, ms: 5 } });
        assert.deepEqual(runTimes(runs, []), { total: 8, own: 8, pauses: { runs: 3, paused: 0, ms: 0 } });
        assert.deepEqual(runTimes([], pauses), { total: 0, own: 0, pauses: { runs: 0, paused: 0, ms: 0 } });
    });

    it("records the collector's pauses in performance.now()'s timeline", async () => {
        let window = { start: 0, end: 0 };
        const pauses = await recordingPauses(async () => {
            window = { start: performance.now(), end: 0 };
            // Short-lived garbage, far more than the young generation holds: scavenges.
            let keep: number[][] = [];
            for (let i = 0; i < 2_000_000; i++) {
                keep.push([i, i]);
                if (keep.length > 1000) {
                    keep = [];
                }
            }
            window.end = performance.now();
        });
        assert.ok(pauses.length > 0, "no pause recorded");
        assert.ok(coveredMs(window, pauses) > 0, "no pause inside the window that caused them");
        for (const p of pauses) {
            assert.ok(p.end >= p.start);
        }
    });
});
