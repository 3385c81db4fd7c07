import * as assert from "node:assert/strict";
import type { PolicyResource } from "@pulumi/policy";
import * as fc from "fast-check";
import { TYPES } from "../../../policy-pack/lib/policy";
import { StackIndex } from "../../../policy-pack/lib/stack";

const COMPONENT = "acme:index:Service";

/** Resources named by index: parents[i] is the index of i's parent (undefined for none), hosts the HardenedHosts. */
function stack(parents: (number | undefined)[], hosts: ReadonlySet<number>): PolicyResource[] {
    const urn = (i: number) => `urn:pulumi:dev::p::${hosts.has(i) ? TYPES.hardenedHost : COMPONENT}::r${i}`;
    return parents.map(
        (p, i) =>
            ({
                urn: urn(i),
                name: `r${i}`,
                type: hosts.has(i) ? TYPES.hardenedHost : COMPONENT,
                ...(p === undefined ? {} : { parent: { urn: urn(p) } }),
            }) as unknown as PolicyResource,
    );
}

describe("StackIndex.hardenedHostOf", () => {
    it("finds the nearest HardenedHost up the parent chain, itself included", () => {
        // r0 host; r1 in r0; r2 in r1; r3 host in r2; r4 in r3; r5 alone.
        const rs = stack([undefined, 0, 1, 2, 3, undefined], new Set([0, 3]));
        const index = new StackIndex(rs);
        assert.deepEqual(
            rs.map((r) => index.hardenedHostOf(r)?.name),
            ["r0", "r0", "r0", "r3", "r3", undefined],
        );
    });

    it("stops at a parent that is not in the stack", () => {
        const rs = stack([undefined, 0], new Set([0]));
        const index = new StackIndex([rs[1]]);
        assert.equal(index.hardenedHostOf(rs[1]), undefined);
    });

    it("follows a chain longer than its unguarded walk", () => {
        // r0 is the host; r1..r99 each in the one before.
        const rs = stack(
            Array.from({ length: 100 }, (_, i) => (i === 0 ? undefined : i - 1)),
            new Set([0]),
        );
        const index = new StackIndex(rs);
        assert.equal(index.hardenedHostOf(rs[99])?.name, "r0");
        assert.equal(index.hardenedHostOf(rs[1])?.name, "r0");
    });

    it("ends on a cycle, short or long, with no HardenedHost in it", () => {
        // r0 <-> r1; r2 -> r3 -> ... -> r81 -> r2; r82 in the long cycle.
        const parents: (number | undefined)[] = [1, 0];
        for (let i = 2; i < 82; i++) {
            parents.push(i === 81 ? 2 : i + 1);
        }
        parents.push(40);
        const rs = stack(parents, new Set());
        const index = new StackIndex(rs);
        assert.deepEqual(
            [0, 1, 2, 81, 82].map((i) => index.hardenedHostOf(rs[i])),
            [undefined, undefined, undefined, undefined, undefined],
        );
    });

    it("answers as the parent chain does, on any parent links (cycles included)", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 1, max: 80 }).chain((n) =>
                    fc.tuple(
                        fc.array(fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }), {
                            minLength: n,
                            maxLength: n,
                        }),
                        fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
                    ),
                ),
                ([parents, hosts]) => {
                    const rs = stack(parents, new Set(hosts));
                    const index = new StackIndex(rs);
                    for (const r of rs) {
                        assert.equal(
                            index.hardenedHostOf(r),
                            index.chain(r).find((x) => x.type === TYPES.hardenedHost),
                        );
                    }
                },
            ),
        );
    });
});
