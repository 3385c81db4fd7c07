import * as assert from "node:assert/strict";
import type { FirewallArgs } from "../../../../components/host/firewall";
import { validateFirewallArgs } from "../../../../components/host/firewall";
import { CTX } from "./fixtures";

function validArgs(): FirewallArgs {
    return { adminCidrs: ["203.0.113.0/24"] };
}

type Change = (a: FirewallArgs) => void;

const CIDR_HELP = "must be an IPv4 or IPv6 address or CIDR, such as 203.0.113.0/24 or 2001:db8::/32, got";

/** Every bad input, one change each, with the exact message that fails the preview. */
const BAD_INPUTS: [title: string, change: Change, message: string][] = [
    [
        "no admin CIDRs",
        (a) => delete (a as Partial<FirewallArgs>).adminCidrs,
        'args.firewall.adminCidrs is required: the addresses or CIDRs SSH is admitted from, for example ["203.0.113.0/24"] (CIS 1.2.1)',
    ],
    [
        "an empty admin list",
        (a) => (a.adminCidrs = []),
        'args.firewall.adminCidrs is required: the addresses or CIDRs SSH is admitted from, for example ["203.0.113.0/24"] (CIS 1.2.1)',
    ],
    [
        "SSH from every IPv4 address",
        (a) => (a.adminCidrs = ["203.0.113.0/24", "0.0.0.0/0"]),
        "args.firewall.adminCidrs[1] is 0.0.0.0/0, which admits SSH from anywhere; list the admin networks, or give args.firewall.allowSshFromAnywhere (CIS 1.2.1)",
    ],
    [
        "SSH from every IPv6 address",
        (a) => (a.adminCidrs = ["::/0"]),
        "args.firewall.adminCidrs[0] is ::/0, which admits SSH from anywhere; list the admin networks, or give args.firewall.allowSshFromAnywhere (CIS 1.2.1)",
    ],
    [
        "a host name",
        (a) => (a.adminCidrs = ["bastion.example.com"]),
        `args.firewall.adminCidrs[0] ${CIDR_HELP} "bastion.example.com"`,
    ],
    ["a short IPv4 form", (a) => (a.adminCidrs = ["10.1"]), `args.firewall.adminCidrs[0] ${CIDR_HELP} "10.1"`],
    [
        "an IPv4 prefix over 32",
        (a) => (a.adminCidrs = ["10.0.0.0/33"]),
        `args.firewall.adminCidrs[0] ${CIDR_HELP} "10.0.0.0/33"`,
    ],
    ["an empty prefix", (a) => (a.adminCidrs = ["10.0.0.0/"]), `args.firewall.adminCidrs[0] ${CIDR_HELP} "10.0.0.0/"`],
    [
        "an IPv6 prefix over 128",
        (a) => (a.adminCidrs = ["2001:db8::/129"]),
        `args.firewall.adminCidrs[0] ${CIDR_HELP} "2001:db8::/129"`,
    ],
    [
        "an IPv6 zone",
        (a) => (a.adminCidrs = ["fe80::1%eth0"]),
        `args.firewall.adminCidrs[0] ${CIDR_HELP} "fe80::1%eth0"`,
    ],
    ["a number", (a) => (a.adminCidrs = [42 as unknown as string]), `args.firewall.adminCidrs[0] ${CIDR_HELP} 42`],
    [
        "IPv4 host bits",
        (a) => (a.adminCidrs = ["203.0.113.7/24"]),
        "args.firewall.adminCidrs[0] has host bits set (203.0.113.7/24); write the network address, 203.0.113.0/24",
    ],
    [
        "IPv6 host bits",
        (a) => (a.adminCidrs = ["2001:db8::1/32"]),
        "args.firewall.adminCidrs[0] has host bits set (2001:db8::1/32); write the network address, 2001:db8::/32",
    ],
    [
        "an IPv4-mapped IPv6 address",
        (a) => (a.adminCidrs = ["::ffff:203.0.113.7"]),
        "args.firewall.adminCidrs[0] is an IPv4-mapped IPv6 address (::ffff:203.0.113.7), which IPv6 traffic never comes from; write it as IPv4",
    ],
    [
        "a waiver without a reason",
        (a) => (a.allowSshFromAnywhere = { reason: "yes" }),
        "args.firewall.allowSshFromAnywhere.reason must say why, in at least 10 characters",
    ],
    [
        "an unknown argument",
        (a) => ((a as unknown as Record<string, unknown>).adminCidr = ["203.0.113.0/24"]),
        "args.firewall.adminCidr is not an argument; allowed: adminCidrs, allowSshFromAnywhere, hostPorts, publishedPorts, rollbackSeconds, logRatePerMinute",
    ],
    [
        "a port list that is not one",
        (a) => (a.hostPorts = { port: 80 } as never),
        "args.firewall.hostPorts must be a list of { port, protocol, sources }",
    ],
    [
        "a port entry that is not an object",
        (a) => (a.publishedPorts = [443 as never]),
        "args.firewall.publishedPorts[0] must be an object { port, protocol, sources }",
    ],
    [
        "port 0",
        (a) => (a.hostPorts = [{ port: 0, sources: ["10.0.0.0/8"] }]),
        "args.firewall.hostPorts[0].port must be a whole number from 1 to 65535, got 0",
    ],
    [
        "a port above 65535",
        (a) => (a.publishedPorts = [{ port: 65536, sources: ["10.0.0.0/8"] }]),
        "args.firewall.publishedPorts[0].port must be a whole number from 1 to 65535, got 65536",
    ],
    [
        "an unknown protocol",
        (a) => (a.hostPorts = [{ port: 53, protocol: "sctp" as "tcp", sources: ["10.0.0.0/8"] }]),
        'args.firewall.hostPorts[0].protocol must be "tcp" or "udp", got "sctp"',
    ],
    [
        "a port without sources",
        (a) => (a.publishedPorts = [{ port: 443 } as never]),
        'args.firewall.publishedPorts[0].sources must list at least one address or CIDR, for example ["203.0.113.0/24"]',
    ],
    [
        "a port with an empty source list",
        (a) => (a.hostPorts = [{ port: 9100, sources: [] }]),
        'args.firewall.hostPorts[0].sources must list at least one address or CIDR, for example ["203.0.113.0/24"]',
    ],
    [
        "a bad source",
        (a) => (a.publishedPorts = [{ port: 443, sources: ["0.0.0.0/0", "everyone"] }]),
        `args.firewall.publishedPorts[0].sources[1] ${CIDR_HELP} "everyone"`,
    ],
    [
        "a source with host bits",
        (a) => (a.hostPorts = [{ port: 9100, sources: ["10.1.2.3/8"] }]),
        "args.firewall.hostPorts[0].sources[0] has host bits set (10.1.2.3/8); write the network address, 10.0.0.0/8",
    ],
    [
        "the SSH port as a host port",
        (a) => (a.hostPorts = [{ port: 22, sources: ["0.0.0.0/0"] }]),
        "args.firewall.hostPorts[0].port is the SSH port (22), which is admitted from args.firewall.adminCidrs only",
    ],
    [
        "the SSH port as a published port",
        (a) => (a.publishedPorts = [{ port: 22, protocol: "tcp", sources: ["0.0.0.0/0"] }]),
        "args.firewall.publishedPorts[0].port is the SSH port (22), which is admitted from args.firewall.adminCidrs only",
    ],
    [
        "a host port listed twice",
        (a) =>
            (a.hostPorts = [
                { port: 9100, sources: ["10.0.0.0/8"] },
                { port: 9100, protocol: "tcp", sources: ["192.0.2.0/24"] },
            ]),
        "args.firewall.hostPorts[1] repeats tcp/9100 from hostPorts[0]; list each port once",
    ],
    [
        "a port both on the host and published",
        (a) => {
            a.hostPorts = [{ port: 8080, sources: ["10.0.0.0/8"] }];
            a.publishedPorts = [{ port: 8080, sources: ["10.0.0.0/8"] }];
        },
        "args.firewall.publishedPorts[0] repeats tcp/8080 from hostPorts[0]; list each port once",
    ],
    [
        "a rollback too short to confirm",
        (a) => (a.rollbackSeconds = 10),
        "args.firewall.rollbackSeconds must be a whole number from 30 to 3600, got 10",
    ],
    [
        "a fractional log rate",
        (a) => (a.logRatePerMinute = 2.5),
        "args.firewall.logRatePerMinute must be a whole number from 1 to 600, got 2.5",
    ],
];

describe("validateFirewallArgs", () => {
    it("accepts the minimal valid arguments and fills in every default", () => {
        assert.deepEqual(validateFirewallArgs(validArgs(), CTX), {
            sshPort: 22,
            adminCidrs: { v4: ["203.0.113.0/24"], v6: [] },
            hostPorts: [],
            publishedPorts: [],
            rollbackSeconds: 120,
            logRatePerMinute: 10,
            waivers: {},
        });
    });

    it("refuses missing arguments: there is no default admin network", () => {
        assert.throws(() => validateFirewallArgs(undefined, CTX), {
            name: "ArgumentError",
            message:
                'args.firewall.adminCidrs is required: the addresses or CIDRs SSH is admitted from, for example ["203.0.113.0/24"] (CIS 1.2.1)',
        });
        assert.throws(() => validateFirewallArgs("10.0.0.0/8" as never, CTX), {
            name: "ArgumentError",
            message: "args.firewall must be an object { adminCidrs: [...] }",
        });
    });

    it("refuses a context without a valid SSH port", () => {
        assert.throws(() => validateFirewallArgs(validArgs(), { ...CTX, sshPort: 0 }), {
            name: "ArgumentError",
            message: "ctx.sshPort must be a whole number from 1 to 65535, got 0",
        });
    });

    it(`rejects ${BAD_INPUTS.length} bad inputs, each with its exact message`, () => {
        assert.equal(BAD_INPUTS.length, 31);
        // The two "no admin list" cases share a message: both break the same rule.
        assert.equal(new Set(BAD_INPUTS.map(([, , m]) => m)).size, 30);
    });

    for (const [title, change, message] of BAD_INPUTS) {
        it(`rejects ${title}`, () => {
            const args = validArgs();
            change(args);
            assert.throws(() => validateFirewallArgs(args, CTX), { name: "ArgumentError", message });
        });
    }

    it("splits sources by family, sorts them, drops covered CIDRs, and writes a host as /32 or /128", () => {
        const plan = validateFirewallArgs(
            {
                adminCidrs: [
                    " 203.0.113.0/24 ",
                    "2001:DB8:0:0::/48",
                    "10.1.0.0/16",
                    "198.51.100.7/32",
                    "10.0.0.0/8",
                    "2001:db8::5",
                    "198.51.100.7",
                    "2001:db8:1::/64",
                    "2001:db8:2::9",
                ],
            },
            CTX,
        );
        assert.deepEqual(plan.adminCidrs, {
            v4: ["10.0.0.0/8", "198.51.100.7/32", "203.0.113.0/24"],
            v6: ["2001:db8::/48", "2001:db8:1::/64", "2001:db8:2::9/128"],
        });
    });

    it("sorts ports by protocol and port, defaults the protocol to tcp, and keeps sources per port", () => {
        const plan = validateFirewallArgs(
            {
                adminCidrs: ["192.0.2.0/24"],
                hostPorts: [{ port: 9100, sources: ["10.0.0.0/8"] }],
                publishedPorts: [
                    { port: 51820, protocol: "udp", sources: ["::/0", "0.0.0.0/0"] },
                    { port: 8443, sources: ["2001:db8::/32"] },
                    { port: 443, protocol: "tcp", sources: ["0.0.0.0/0", "10.0.0.0/8"] },
                ],
                rollbackSeconds: 300,
                logRatePerMinute: 60,
            },
            { ...CTX, sshPort: 2222 },
        );
        assert.deepEqual(plan, {
            sshPort: 2222,
            adminCidrs: { v4: ["192.0.2.0/24"], v6: [] },
            hostPorts: [{ port: 9100, protocol: "tcp", sources: { v4: ["10.0.0.0/8"], v6: [] } }],
            publishedPorts: [
                { port: 443, protocol: "tcp", sources: { v4: ["0.0.0.0/0"], v6: [] } },
                { port: 8443, protocol: "tcp", sources: { v4: [], v6: ["2001:db8::/32"] } },
                { port: 51820, protocol: "udp", sources: { v4: ["0.0.0.0/0"], v6: ["::/0"] } },
            ],
            rollbackSeconds: 300,
            logRatePerMinute: 60,
            waivers: {},
        });
    });

    it("allows port 22 on the host when SSH listens elsewhere, and UDP 22 always", () => {
        const plan = validateFirewallArgs(
            { adminCidrs: ["192.0.2.0/24"], hostPorts: [{ port: 22, protocol: "udp", sources: ["10.0.0.0/8"] }] },
            CTX,
        );
        assert.deepEqual(plan.hostPorts, [{ port: 22, protocol: "udp", sources: { v4: ["10.0.0.0/8"], v6: [] } }]);
    });

    it("admits SSH from anywhere only with the named waiver, and records its reason", () => {
        const plan = validateFirewallArgs(
            {
                adminCidrs: ["0.0.0.0/0", "::/0", "10.0.0.0/8"],
                allowSshFromAnywhere: { reason: "  break-glass host behind MFA bastion, SEC-7 " },
            },
            CTX,
        );
        assert.deepEqual(plan.adminCidrs, { v4: ["0.0.0.0/0"], v6: ["::/0"] });
        assert.deepEqual(plan.waivers, { allowSshFromAnywhere: "break-glass host behind MFA bastion, SEC-7" });
    });
});
