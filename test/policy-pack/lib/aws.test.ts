import * as assert from "node:assert/strict";
import { everyAddressFamily, isTrue, openedPorts, portList } from "../../../policy-pack/lib/aws";

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
