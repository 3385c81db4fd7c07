import * as assert from "node:assert/strict";
import { runTs } from "../../bench/lib/child";
import type { ProgramResult } from "../../bench/program/child";

describe("the program-scale benchmark's run (bench/program)", function () {
    this.timeout(120000);

    it("registers every resource of the fleet, 29 per host and 3 per container, with no error", () => {
        const r = runTs<ProgramResult>("bench/program/child.ts", ["2", "3"]);
        assert.equal(r.hosts, 2);
        assert.equal(r.containersPerHost, 3);
        assert.equal(r.resources, 2 * (29 + 3 * 3));
        assert.deepEqual(r.errors, []);
        assert.ok(r.registerMs > 0 && r.peakRssMb > 0);
    });
});
