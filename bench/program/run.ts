/**
 * The program-scale benchmark: the fleet (bench/fleet.ts) of 1, 10 and 100 hosts with 10 containers
 * each, registered under mocks, each run in a fresh process loaded as `pulumi up` loads a
 * TypeScript program (ts-node, with source maps).
 */
import { runTs } from "../lib/child";
import { spread, type Spread } from "../lib/stats";
import type { ProgramResult } from "./child";

export interface ProgramBenchOptions {
    hosts: number[];
    containersPerHost: number;
    runs: number;
    log: (line: string) => void;
}

export interface ProgramSizeResult {
    hosts: number;
    containersPerHost: number;
    resources: number;
    registerSeconds: Spread;
    loadSeconds: Spread;
    peakRssMb: Spread;
}

export function runProgramBench(opts: ProgramBenchOptions): ProgramSizeResult[] {
    const out: ProgramSizeResult[] = [];
    for (const hosts of opts.hosts) {
        const runs: ProgramResult[] = [];
        for (let i = 0; i < opts.runs; i++) {
            const r = runTs<ProgramResult>("bench/program/child.ts", [String(hosts), String(opts.containersPerHost)]);
            if (r.errors.length > 0) {
                throw new Error(`program: ${hosts} hosts: the program failed: ${r.errors.join("; ")}`);
            }
            opts.log(
                `program: ${hosts} hosts, run ${i + 1}/${opts.runs}: ${r.resources} resources in ${(r.registerMs / 1000).toFixed(1)} s, peak ${r.peakRssMb} MiB`,
            );
            runs.push(r);
        }
        const counts = new Set(runs.map((r) => r.resources));
        if (counts.size !== 1) {
            throw new Error(`program: ${hosts} hosts registered ${[...counts].join(" or ")} resources`);
        }
        const round = (x: number) => Math.round(x * 100) / 100;
        out.push({
            hosts,
            containersPerHost: opts.containersPerHost,
            resources: runs[0].resources,
            registerSeconds: spread(runs.map((r) => round(r.registerMs / 1000))),
            loadSeconds: spread(runs.map((r) => round(r.loadMs / 1000))),
            peakRssMb: spread(runs.map((r) => r.peakRssMb)),
        });
    }
    return out;
}
