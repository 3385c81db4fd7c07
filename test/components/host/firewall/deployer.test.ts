import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { renderFirewall, validateFirewallArgs } from "../../../../components/host/firewall";
import { CTX } from "./fixtures";

/**
 * The anti-lockout check of the firewall step, run as bash: the address functions are cut out of
 * the rendered script and called on their own, so every address form is checked without root.
 */
function admitted(adminCidrs: string[], clients: string[]): number[] {
    const waiver = { reason: "tested against every address" };
    const script = renderFirewall(validateFirewallArgs({ adminCidrs, allowSshFromAnywhere: waiver }, CTX), CTX).script;
    const arrays = script.slice(script.indexOf("HD_FW_ADMIN_V4="), script.indexOf("HD_FW_ROLLBACK_SECONDS="));
    const functions = script.slice(script.indexOf("# hd_ip4_int ADDRESS"), script.indexOf("# hd_ssh_connection"));
    const calls = clients.map((c) => `rc=0; hd_fw_admitted ${JSON.stringify(c)} || rc=$?; echo "$rc"`);
    const r = spawnSync("bash", ["-c", ["set -euo pipefail", arrays, functions, ...calls].join("\n")], {
        encoding: "utf8",
    });
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    return r.stdout.trim().split("\n").map(Number);
}

/** [client address, 0 admitted / 1 refused / 2 unreadable]. */
const CASES: [string, number][] = [
    ["203.0.113.1", 0],
    ["203.0.113.255", 0],
    ["203.0.112.255", 1],
    ["203.0.114.0", 1],
    ["198.51.100.7", 0],
    ["198.51.100.8", 1],
    ["10.200.3.4", 0],
    ["127.0.0.1", 0],
    ["8.8.8.8", 1],
    ["::ffff:203.0.113.9", 0],
    ["::ffff:cb00:7109", 0],
    ["::ffff:8.8.8.8", 1],
    ["::1", 0],
    ["2001:db8:a::5", 0],
    ["2001:DB8:A:FFFF:FFFF:FFFF:FFFF:FFFF", 0],
    ["2001:db8:b::5", 1],
    ["2001:0db8:000a:0000:0000:0000:0000:0001", 0],
    ["2001:db8:9::1", 1],
    ["fd12:3456:789a:1::1", 0],
    ["fd12:3456:789b::1", 0],
    ["fd12:3456:789c::1", 1],
    ["fe80::1%eth0", 1],
    ["::", 1],
    ["256.1.1.1", 2],
    ["1.2.3", 2],
    ["2001:db8::1::2", 2],
    ["2001:db8:a:1:2:3:4:5:6", 2],
    ["2001:db8:a:1:2:3:4", 2],
    ["2001:db8:gggg::1", 2],
    ["bastion", 2],
];

describe("the firewall step's deployer check (bash)", () => {
    it(`decides ${CASES.length} client addresses against IPv4 and IPv6 adminCidrs`, () => {
        const got = admitted(
            ["203.0.113.0/24", "198.51.100.7", "10.0.0.0/8", "2001:db8:a::/48", "fd12:3456:789a::/47"],
            CASES.map(([client]) => client),
        );
        assert.deepEqual(
            CASES.map(([client], i) => [client, got[i]]),
            CASES,
        );
    });

    it("admits everyone when adminCidrs is open to the family, and no IPv6 when it lists none", () => {
        assert.deepEqual(admitted(["0.0.0.0/0"], ["8.8.8.8", "2001:db8::1"]), [0, 1]);
    });
});
