import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { growthExponent, spread } from "../../bench/lib/stats";

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
});
