import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import {
    andList,
    cidrRange,
    coverEveryAddress,
    everyAddressFamily,
    isTrue,
    jointlyEveryAddress,
    openedPorts,
    parseCidr,
    portList,
    type CidrRange,
} from "../../../policy-pack/lib/aws";
import { eachKnown, isRecord, knownItems } from "../../../policy-pack/lib/branches";

describe("AWS rule helpers", () => {
    const FAMILIES: [unknown, ReturnType<typeof everyAddressFamily>][] = [
        ["0.0.0.0/0", "ipv4"],
        [" 0.0.0.0/0 ", "ipv4"],
        ["1.2.3.4/0", "ipv4"],
        ["::/0", "ipv6"],
        ["0:0:0:0:0:0:0:0/0", "ipv6"],
        ["0.0.0.0/1", undefined],
        ["10.0.0.0/8", undefined],
        ["::/1", undefined],
        ["0.0.0.0", undefined],
        ["not a cidr", undefined],
        ["", undefined],
        [undefined, undefined],
        [0, undefined],
    ];
    for (const [cidr, want] of FAMILIES) {
        it(`everyAddressFamily(${JSON.stringify(cidr)}) is ${want}`, () =>
            assert.equal(everyAddressFamily(cidr), want));
    }

    const LISTED = [2377, 22, 2376, 2375, 22];
    const PORTS: [string | undefined, number | undefined, number | undefined, ReturnType<typeof openedPorts>][] = [
        ["-1", 0, 0, { every: true, ports: [22, 2375, 2376, 2377] }],
        ["all", undefined, undefined, { every: true, ports: [22, 2375, 2376, 2377] }],
        ["tcp", 22, 22, { every: false, ports: [22] }],
        ["TCP", 2000, 2376, { every: false, ports: [2375, 2376] }],
        ["6", 0, 65535, { every: false, ports: [22, 2375, 2376, 2377] }],
        ["tcp", 23, 2374, { every: false, ports: [] }],
        ["tcp", undefined, undefined, { every: false, ports: [] }],
        ["udp", 0, 65535, { every: false, ports: [] }],
        ["17", 22, 22, { every: false, ports: [] }],
        ["icmp", -1, -1, { every: false, ports: [] }],
        [undefined, 22, 22, { every: false, ports: [] }],
    ];
    for (const [protocol, from, to, want] of PORTS) {
        it(`openedPorts(${protocol}, ${from}, ${to})`, () =>
            assert.deepEqual(openedPorts(protocol, from, to, LISTED), want));
    }

    const RANGES: [unknown, CidrRange | undefined][] = [
        ["0.0.0.0/0", { family: "ipv4", first: 0n, last: 0xffffffffn }],
        ["10.0.0.0/8", { family: "ipv4", first: 0x0a000000n, last: 0x0affffffn }],
        // Host bits are ignored, as the range is the network's.
        [" 10.1.2.3/8 ", { family: "ipv4", first: 0x0a000000n, last: 0x0affffffn }],
        ["128.0.0.0/1", { family: "ipv4", first: 0x80000000n, last: 0xffffffffn }],
        ["192.0.2.7/32", { family: "ipv4", first: 0xc0000207n, last: 0xc0000207n }],
        ["::/0", { family: "ipv6", first: 0n, last: (1n << 128n) - 1n }],
        ["8000::/1", { family: "ipv6", first: 1n << 127n, last: (1n << 128n) - 1n }],
        ["2001:db8::/32", { family: "ipv6", first: 0x20010db8n << 96n, last: ((0x20010db8n + 1n) << 96n) - 1n }],
        ["10.0.0.0/33", undefined],
        ["10.0.0.0", undefined],
        ["not a cidr", undefined],
        [null, undefined],
        [5, undefined],
    ];
    for (const [cidr, want] of RANGES) {
        it(`cidrRange(${JSON.stringify(cidr)})`, () => assert.deepEqual(cidrRange(cidr), want));
    }

    /** What ipaddr.parseCIDR makes of the trimmed text: family and prefix, or undefined. */
    function reference(text: string): { family: string; prefix: number } | undefined {
        try {
            const [address, prefix] = ipaddr.parseCIDR(text.trim());
            return { family: address.kind(), prefix };
        } catch {
            return undefined;
        }
    }
    const of = (text: string) => {
        const p = parseCidr(text);
        return p === undefined ? undefined : { family: p.family, prefix: p.prefix };
    };

    it("parseCidr reads every text as ipaddr.parseCIDR does (it skips the IPv6 attempt on a text without a colon)", () => {
        const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("0x1f", "010", "", "a"));
        const group = fc.oneof(
            fc.integer({ min: 0, max: 0x1ffff }).map((n) => n.toString(16)),
            fc.constantFrom("", "g"),
        );
        const v4 = fc.array(octet, { minLength: 1, maxLength: 5 }).map((xs) => xs.join("."));
        const v6 = fc.array(group, { minLength: 1, maxLength: 9 }).map((xs) => xs.join(":"));
        const mapped = v4.map((a) => `::ffff:${a}`);
        const prefix = fc.oneof(fc.integer({ min: -1, max: 130 }).map(String), fc.constantFrom("", "x", "01"));
        const cidr = fc
            .tuple(fc.oneof(v4, v6, mapped, fc.string()), fc.option(prefix), fc.constantFrom("", " ", "\t"))
            .map(([a, p, pad]) => `${pad}${a}${p === null ? "" : `/${p}`}${pad}`);
        fc.assert(
            fc.property(cidr, (text) => assert.deepEqual(of(text), reference(text))),
            { numRuns: 5000 },
        );
        for (const text of ["0.0.0.0/0", "::/0", "::ffff:10.0.0.0/104", "10.0.0.0/33", "1:2/3", "1.2.3.4:5/6"]) {
            assert.deepEqual(of(text), reference(text), text);
        }
    });

    it("parseCidr answers a repeated text from its cache with the same result", () => {
        assert.deepEqual(parseCidr("192.0.2.0/24"), {
            family: "ipv4",
            prefix: 24,
            first: 0xc0000200n,
            last: 0xc00002ffn,
        });
        assert.deepEqual(parseCidr("192.0.2.0/24"), {
            family: "ipv4",
            prefix: 24,
            first: 0xc0000200n,
            last: 0xc00002ffn,
        });
        assert.equal(parseCidr("192.0.2.0/33"), undefined);
        assert.equal(parseCidr("192.0.2.0/33"), undefined);
        // More distinct texts than the cache holds: each still parsed right.
        for (let i = 0; i < 5000; i++) {
            const text = `10.${(i >> 8) & 255}.${i & 255}.0/24`;
            assert.equal(
                parseCidr(text)?.first,
                (10n << 24n) | (BigInt((i >> 8) & 255) << 16n) | (BigInt(i & 255) << 8n),
            );
        }
    });

    const ranges = (...cidrs: string[]) => cidrs.map((c) => cidrRange(c) as CidrRange);
    it("coverEveryAddress: ranges that together span the family, with gaps or overlaps", () => {
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.0/1", "128.0.0.0/1")), true);
        assert.equal(coverEveryAddress("ipv4", ranges("128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/2")), true);
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.0/1", "10.0.0.0/8", "0.0.0.0/0")), true);
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.0/1", "128.0.0.0/2")), false);
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.0/1", "192.0.0.0/2")), false);
        assert.equal(coverEveryAddress("ipv4", ranges("1.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1")), true);
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.1/32", "128.0.0.0/1")), false);
        assert.equal(coverEveryAddress("ipv4", []), false);
        // Another family's ranges add nothing.
        assert.equal(coverEveryAddress("ipv4", ranges("0.0.0.0/1", "::/0")), false);
        assert.equal(coverEveryAddress("ipv6", ranges("::/1", "8000::/1")), true);
        assert.equal(coverEveryAddress("ipv6", ranges("::/1", "8000::/2", "c000::/2")), true);
        assert.equal(coverEveryAddress("ipv6", ranges("::/1", "8000::/2", "c000::/3")), false);
    });

    it("jointlyEveryAddress names, per family, the CIDRs that cover it only together", () => {
        assert.deepEqual(jointlyEveryAddress(["0.0.0.0/1", "128.0.0.0/1"]), [{ family: "ipv4", indices: [0, 1] }]);
        // Inside another listed CIDR, or a repeat: not named; an unknown or invalid one adds nothing.
        assert.deepEqual(
            jointlyEveryAddress(["10.0.0.0/8", undefined, "128.0.0.0/1", "0.0.0.0/1", "bad", "128.0.0.0/1"]),
            [{ family: "ipv4", indices: [2, 3] }],
        );
        assert.deepEqual(jointlyEveryAddress(["::/1", "0.0.0.0/1", "8000::/1", "128.0.0.0/1"]), [
            { family: "ipv4", indices: [1, 3] },
            { family: "ipv6", indices: [0, 2] },
        ]);
        // A /0 alone is every address: left to everyAddressFamily.
        assert.deepEqual(jointlyEveryAddress(["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1"]), []);
        assert.deepEqual(jointlyEveryAddress(["0.0.0.0/1", "128.0.0.0/2"]), []);
        assert.deepEqual(jointlyEveryAddress([undefined, "128.0.0.0/1"]), []);
        assert.deepEqual(jointlyEveryAddress([]), []);
    });

    it("andList joins one, two and more items", () => {
        assert.equal(andList([]), "");
        assert.equal(andList(["a"]), "a");
        assert.equal(andList(["a", "b"]), "a and b");
        assert.equal(andList(["a", "b", "c"]), "a, b and c");
    });

    it("portList names one, two and more ports", () => {
        assert.equal(portList([22]), "port 22");
        assert.equal(portList([22, 2375]), "ports 22 and 2375");
        assert.equal(portList([22, 2375, 2376]), "ports 22, 2375 and 2376");
    });

    it("isTrue reads the launch template's strings as the provider does, and a boolean", () => {
        const values = ["true", "1", true, "false", "0", "", false, undefined, null];
        assert.deepEqual(
            values.map((v) => isTrue(v)),
            [true, true, true, false, false, false, false, false, false],
        );
    });
});

describe("list helpers of the branches", () => {
    it("knownItems reads a list, and nothing from a missing one or a value that is not a list", () => {
        assert.deepEqual(knownItems([1, null, "a"]), [1, null, "a"]);
        assert.deepEqual(knownItems(undefined), []);
        assert.deepEqual(knownItems(null), []);
        assert.deepEqual(knownItems("abc"), []);
        assert.deepEqual(knownItems({ 0: "a", length: 1 }), []);
    });

    it("isRecord is true for an object only", () => {
        assert.deepEqual(
            [{}, { a: 1 }, null, undefined, [], "x", 0, true].map((v) => isRecord(v)),
            [true, true, false, false, false, false, false, false],
        );
    });

    it("eachKnown skips elements that are not objects, and checks the others", () => {
        const list = [null, { v: "a" }, "x", 3, [], undefined, { v: "b" }] as unknown as { v: string }[];
        assert.deepEqual(
            eachKnown(list, (item, i) => `${i}:${item.v}`),
            ["1:a", "6:b"],
        );
        assert.deepEqual(
            eachKnown(null, () => "x"),
            [],
        );
    });
});
