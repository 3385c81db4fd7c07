/** What every benchmark reports with its numbers: the machine, the versions, and spreads over runs. */
import * as os from "node:os";
import * as path from "node:path";
import { readFileSync } from "node:fs";

/** Minimum, median and maximum of several runs of one measurement. */
export interface Spread {
    runs: number;
    min: number;
    median: number;
    max: number;
}

/** The spread of a non-empty list of samples (the median of an even count is the mean of the middle two). */
export function spread(samples: readonly number[]): Spread {
    if (samples.length === 0) {
        throw new Error("spread: no samples");
    }
    const s = [...samples].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    return { runs: s.length, min: s[0], median, max: s[s.length - 1] };
}

/** The machine a benchmark ran on. */
export interface Machine {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    platform: string;
}

export function machine(): Machine {
    const cpus = os.cpus();
    return {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
    };
}

const ROOT = path.resolve(__dirname, "../..");

/** The installed version of a package, read from its package.json under node_modules. */
export function installedVersion(pkg: string): string {
    const file = path.join(ROOT, "node_modules", pkg, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version.replace(/^v/, "");
}

/** This project's version and the versions of the packages the benchmarks exercise. */
export function versions(packages: readonly string[]): Record<string, string> {
    const own = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    return { "hardened-docker": own.version, ...Object.fromEntries(packages.map((p) => [p, installedVersion(p)])) };
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMb(): number {
    // resourceUsage().maxRSS is in KiB.
    return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** The slope of log(y) over log(x): 1 when y grows linearly with x, 2 when quadratically. */
export function growthExponent(points: readonly { x: number; y: number }[]): number {
    if (points.length < 2) {
        throw new Error("growthExponent: needs two points or more");
    }
    const xs = points.map((p) => Math.log(p.x));
    const ys = points.map((p) => Math.log(p.y));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < xs.length; i++) {
        num += (xs[i] - mx) * (ys[i] - my);
        den += (xs[i] - mx) ** 2;
    }
    if (den === 0) {
        throw new Error("growthExponent: every x is the same");
    }
    return num / den;
}

/** A span of the performance timeline, in ms (performance.now()'s origin). */
export interface Span {
    start: number;
    end: number;
}

/**
 * How much of `window` the `spans` cover, in ms: each span clipped to the window, overlaps among
 * the spans counted once. The collector's pauses inside a timed check, from the `gc` entries of a
 * PerformanceObserver.
 */
export function coveredMs(window: Span, spans: readonly Span[]): number {
    const clipped = spans
        .map((s) => ({ start: Math.max(s.start, window.start), end: Math.min(s.end, window.end) }))
        .filter((s) => s.end > s.start)
        .sort((a, b) => a.start - b.start);
    let total = 0;
    let reach = window.start;
    for (const s of clipped) {
        const from = Math.max(s.start, reach);
        if (s.end > from) {
            total += s.end - from;
            reach = s.end;
        }
    }
    return total;
}
