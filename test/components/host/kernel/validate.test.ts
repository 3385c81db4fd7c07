import * as assert from "node:assert/strict";
import { KERNEL_DEFAULTS, validateKernelArgs, type KernelArgs } from "../../../../components/host/kernel";
import { CTX } from "../stepHarness";

/** Every setting of a plan as `key = value`, in file order. */
function lines(args: KernelArgs | undefined): string[] {
    const plan = validateKernelArgs(args, CTX);
    return [...plan.groups.flatMap((g) => g.settings), ...plan.extra].map((s) => `${s.key} = ${s.value}`);
}

const DEFAULT_LINES = [
    "net.ipv4.ip_forward = 1",
    "net.ipv4.conf.all.accept_redirects = 0",
    "net.ipv4.conf.default.accept_redirects = 0",
    "net.ipv4.conf.all.secure_redirects = 0",
    "net.ipv4.conf.default.secure_redirects = 0",
    "net.ipv6.conf.all.accept_redirects = 0",
    "net.ipv6.conf.default.accept_redirects = 0",
    "net.ipv4.conf.all.send_redirects = 0",
    "net.ipv4.conf.default.send_redirects = 0",
    "net.ipv4.conf.all.accept_source_route = 0",
    "net.ipv4.conf.default.accept_source_route = 0",
    "net.ipv6.conf.all.accept_source_route = 0",
    "net.ipv6.conf.default.accept_source_route = 0",
    "net.ipv4.conf.all.log_martians = 1",
    "net.ipv4.conf.default.log_martians = 1",
    "net.ipv4.conf.all.rp_filter = 2",
    "net.ipv4.conf.default.rp_filter = 2",
    "net.ipv4.tcp_syncookies = 1",
    "net.ipv4.icmp_echo_ignore_broadcasts = 1",
    "net.ipv4.icmp_ignore_bogus_error_responses = 1",
    "net.ipv6.conf.all.accept_ra = 0",
    "net.ipv6.conf.default.accept_ra = 0",
    "kernel.kptr_restrict = 2",
    "kernel.dmesg_restrict = 1",
    "kernel.yama.ptrace_scope = 1",
    "kernel.unprivileged_bpf_disabled = 1",
    "net.core.bpf_jit_harden = 2",
    "kernel.randomize_va_space = 2",
    "fs.protected_hardlinks = 1",
    "fs.protected_symlinks = 1",
    "fs.protected_fifos = 1",
    "fs.protected_regular = 2",
    "fs.suid_dumpable = 0",
];

/** The default lines with some replaced (by key) and some inserted after a key. */
function defaultsWith(replace: Record<string, string>, insertAfter: Record<string, string[]> = {}): string[] {
    return DEFAULT_LINES.flatMap((line) => {
        const key = line.split(" = ")[0];
        const out = [key in replace ? `${key} = ${replace[key]}` : line];
        return [...out, ...(insertAfter[key] ?? [])];
    });
}

describe("validateKernelArgs", () => {
    it("fills in the defaults: forwarding on, the hardening set, nothing extra", () => {
        assert.deepEqual(lines(undefined), DEFAULT_LINES);
        assert.deepEqual(lines({}), DEFAULT_LINES);
        assert.equal(validateKernelArgs(undefined, CTX).acceptRouterAdvertisements, false);
    });

    it("keeps the defaults frozen", () => {
        assert.ok(Object.isFrozen(KERNEL_DEFAULTS));
        assert.ok(Object.isFrozen(KERNEL_DEFAULTS.sysctl));
        assert.ok(KERNEL_DEFAULTS.sysctl.every((g) => Object.isFrozen(g) && Object.isFrozen(g.settings)));
    });

    const OPTIONS: [title: string, args: KernelArgs, expected: string[]][] = [
        [
            "strict reverse-path filtering",
            { rpFilter: 1 },
            defaultsWith({ "net.ipv4.conf.all.rp_filter": "1", "net.ipv4.conf.default.rp_filter": "1" }),
        ],
        [
            "router advertisements on",
            { acceptRouterAdvertisements: true },
            defaultsWith({ "net.ipv6.conf.all.accept_ra": "1", "net.ipv6.conf.default.accept_ra": "1" }),
        ],
        [
            "IPv6 forwarding",
            { ipv6Forwarding: true },
            defaultsWith(
                {},
                { "net.ipv4.ip_forward": ["net.ipv6.conf.all.forwarding = 1", "net.ipv6.conf.default.forwarding = 1"] },
            ),
        ],
        [
            "router advertisements on a forwarding host (accept_ra 2)",
            { acceptRouterAdvertisements: true, ipv6Forwarding: true },
            defaultsWith(
                { "net.ipv6.conf.all.accept_ra": "2", "net.ipv6.conf.default.accept_ra": "2" },
                { "net.ipv4.ip_forward": ["net.ipv6.conf.all.forwarding = 1", "net.ipv6.conf.default.forwarding = 1"] },
            ),
        ],
        ["ptrace for root only", { ptraceScope: 2 }, defaultsWith({ "kernel.yama.ptrace_scope": "2" })],
        ["no ptrace at all", { ptraceScope: 3 }, defaultsWith({ "kernel.yama.ptrace_scope": "3" })],
        [
            "extra keys, sorted, values trimmed",
            { extra: { "vm.max_map_count": " 262144 ", "net.ipv4.ip_local_port_range": "32768 60999" } },
            [...DEFAULT_LINES, "net.ipv4.ip_local_port_range = 32768 60999", "vm.max_map_count = 262144"],
        ],
    ];
    for (const [title, args, expected] of OPTIONS) {
        it(`applies ${title}`, () => {
            assert.deepEqual(lines(args), expected);
        });
    }

    it("turns router advertisements off unless asked, which arms the script's guard", () => {
        assert.equal(validateKernelArgs({ acceptRouterAdvertisements: true }, CTX).acceptRouterAdvertisements, true);
    });

    const BAD: [title: string, args: unknown, message: string][] = [
        [
            "not an object",
            "yes",
            "args.kernel must be an object with the fields acceptRouterAdvertisements, extra, ipv6Forwarding, ptraceScope, rpFilter",
        ],
        [
            "a field to turn forwarding off",
            { ipForward: false },
            "args.kernel.ipForward cannot be set: Docker needs net.ipv4.ip_forward = 1, which the kernel step always sets (dev-sec/ansible-collection-hardening#213); IPv6 forwarding is args.kernel.ipv6Forwarding",
        ],
        [
            "an unknown field",
            { syncookies: false },
            "args.kernel.syncookies is not an argument of the kernel step; allowed: acceptRouterAdvertisements, extra, ipv6Forwarding, ptraceScope, rpFilter",
        ],
        ["rp_filter off", { rpFilter: 0 }, "args.kernel.rpFilter must be 1 (strict) or 2 (loose), got 0"],
        ["rp_filter as text", { rpFilter: "2" }, 'args.kernel.rpFilter must be 1 (strict) or 2 (loose), got "2"'],
        [
            "ptrace unrestricted",
            { ptraceScope: 0 },
            "args.kernel.ptraceScope must be 1 (descendants only), 2 (root only) or 3 (nobody), got 0",
        ],
        [
            "router advertisements as text",
            { acceptRouterAdvertisements: "yes" },
            'args.kernel.acceptRouterAdvertisements must be true or false, got "yes"',
        ],
        [
            "IPv6 forwarding as a number",
            { ipv6Forwarding: 1 },
            "args.kernel.ipv6Forwarding must be true or false, got 1",
        ],
        [
            "extra as a list",
            { extra: ["vm.swappiness=10"] },
            'args.kernel.extra must be an object of sysctl key to value, such as { "vm.max_map_count": "262144" }',
        ],
        [
            "IPv4 forwarding off through extra",
            { extra: { "net.ipv4.ip_forward": "0" } },
            'args.kernel.extra["net.ipv4.ip_forward"] cannot be set: Docker needs IPv4 forwarding, and the kernel step always sets net.ipv4.ip_forward = 1 (dev-sec/ansible-collection-hardening#213)',
        ],
        [
            "IPv4 forwarding off on one interface",
            { extra: { "net.ipv4.conf.eth0.forwarding": "0" } },
            'args.kernel.extra["net.ipv4.conf.eth0.forwarding"] cannot be set: Docker needs IPv4 forwarding, and the kernel step always sets net.ipv4.ip_forward = 1 (dev-sec/ansible-collection-hardening#213)',
        ],
        [
            "IPv6 forwarding through extra",
            { extra: { "net.ipv6.conf.all.forwarding": "1" } },
            'args.kernel.extra["net.ipv6.conf.all.forwarding"] cannot be set here: IPv6 forwarding is args.kernel.ipv6Forwarding',
        ],
        [
            "a key the step sets",
            { extra: { "kernel.kptr_restrict": "0" } },
            'args.kernel.extra["kernel.kptr_restrict"] cannot be set: the kernel step sets this key; extra only adds keys',
        ],
        [
            "a key in slash form",
            { extra: { "vm/swappiness": "10" } },
            'args.kernel.extra["vm/swappiness"] must name a sysctl key in dotted form, such as vm.max_map_count',
        ],
        [
            "a key with a space",
            { extra: { "vm.swappiness x": "10" } },
            'args.kernel.extra["vm.swappiness x"] must name a sysctl key in dotted form, such as vm.max_map_count',
        ],
        [
            "a value with a newline",
            { extra: { "vm.swappiness": "10\nkernel.kptr_restrict = 0" } },
            'args.kernel.extra["vm.swappiness"] must be a value of letters, digits, spaces and . _ : , + @ % | / -, got "10\\nkernel.kptr_restrict = 0"',
        ],
        [
            "a value with a comment",
            { extra: { "vm.swappiness": "10 # low" } },
            'args.kernel.extra["vm.swappiness"] must be a value of letters, digits, spaces and . _ : , + @ % | / -, got "10 # low"',
        ],
        [
            "an empty value",
            { extra: { "vm.swappiness": "  " } },
            'args.kernel.extra["vm.swappiness"] must be a value of letters, digits, spaces and . _ : , + @ % | / -, got "  "',
        ],
        [
            "a number value",
            { extra: { "vm.swappiness": 10 } },
            'args.kernel.extra["vm.swappiness"] must be a value of letters, digits, spaces and . _ : , + @ % | / -, got 10',
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateKernelArgs(args as KernelArgs, CTX), { name: "ArgumentError", message });
        });
    }
});
