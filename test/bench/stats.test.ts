import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { coveredMs, growthExponent, spread } from "../../bench/lib/stats";

describe("bench/lib/stats", () => {
    it("gives the minimum, median and maximum of the runs", () => {
        assert.deepEqual(spread([3, 1, 2]), { runs: 3, min: 1, median: 2, max: 3 });
        assert.deepEqual(spread([4, 1, 3, 2]), { runs: 4, min: 1, median: 2.5, max: 4 });
        assert.deepEqual(spread([7]), { runs: 1, min: 7, median: 7, max: 7 });
        assert.throws(() => spread([]), { message: "spread: no samples" });
    });

    it("keeps the median between the minimum and the maximum, whatever the order", () => {
        fc.assert(
            fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }), (xs) => {
                const s = spread(xs);
                return s.min <= s.median && s.median <= s.max && s.runs === xs.length;
            }),
        );
    });

    it("reads 1 for linear growth and 2 for quadratic", () => {
        const xs = [1000, 10000, 50000];
        assert.equal(growthExponent(xs.map((x) => ({ x, y: 3 * x }))).toFixed(6), "1.000000");
        assert.equal(growthExponent(xs.map((x) => ({ x, y: x * x }))).toFixed(6), "2.000000");
        assert.equal(growthExponent(xs.map((x) => ({ x, y: 5 }))).toFixed(6), "0.000000");
        assert.throws(() => growthExponent([{ x: 1, y: 1 }]), { message: "growthExponent: needs two points or more" });
        assert.throws(
            () =>
                growthExponent([
                    { x: 2, y: 1 },
                    { x: 2, y: 3 },
                ]),
            { message: "growthExponent: every x is the same" },
        );
    });

    it("counts the collector's pauses inside a window once, clipped to it", () => {
        const w = { start: 10, end: 20 };
        assert.equal(coveredMs(w, []), 0);
        // Outside, touching the edges, or empty: nothing.
        assert.equal(
            coveredMs(w, [
                { start: 0, end: 10 },
                { start: 20, end: 25 },
                { start: 15, end: 15 },
            ]),
            0,
        );
        // Clipped at both ends.
        assert.equal(
            coveredMs(w, [
                { start: 5, end: 12 },
                { start: 19, end: 30 },
            ]),
            3,
        );
        // Overlapping and nested spans, in any order, count once.
        assert.equal(
            coveredMs(w, [
                { start: 14, end: 18 },
                { start: 11, end: 13 },
                { start: 12, end: 15 },
                { start: 16, end: 17 },
            ]),
            7,
        );
        assert.equal(coveredMs(w, [{ start: 0, end: 100 }]), 10);
    });

    it("equals a count of the unit cells of the window that some span covers", () => {
        const span = fc
            .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 30 }))
            .map(([start, d]) => ({ start, end: start + d }));
        fc.assert(
            fc.property(span, fc.array(span), (w, spans) => {
                let cells = 0;
                for (let k = w.start; k < w.end; k++) {
                    if (spans.some((s) => s.start <= k && k + 1 <= s.end)) {
                        cells++;
                    }
                }
                return coveredMs(w, spans) === cells;
            }),
        );
    });
});
