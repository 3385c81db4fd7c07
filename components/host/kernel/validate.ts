import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { KernelArgs } from "./args";
import { KERNEL_DEFAULTS } from "./defaults";

/** One sysctl setting. */
export interface SysctlSetting {
    key: string;
    value: string;
}

/** The kernel step's arguments after validation: every setting, in file order. */
export interface KernelPlan {
    /** The hardening set, grouped by reason, in file order (forwarding first). */
    groups: { why: string; settings: SysctlSetting[] }[];
    /** `args.kernel.extra`, sorted by key. */
    extra: SysctlSetting[];
    /** When false, the script refuses to run on a host whose IPv6 default route came from an advertisement. */
    acceptRouterAdvertisements: boolean;
}

const KNOWN_ARGS = ["acceptRouterAdvertisements", "extra", "ipv6Forwarding", "ptraceScope", "rpFilter"];

/** A sysctl key in dotted form: `vm.max_map_count`, `net.ipv4.conf.eth0.rp_filter`. */
export const SYSCTL_KEY = /^[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)+$/;
/** A value sysctl.d reads back as written: no `#` or `;` (comments), no `=`, quotes or control characters. */
const SYSCTL_VALUE = /^[A-Za-z0-9_.:,+@%|/ -]+$/;
/** The keys that turn forwarding on or off, for IPv4 and IPv6, globally or per interface. */
const FORWARDING_KEY = /^net\.ipv[46]\.(?:ip_forward|conf\.[^.]+\.forwarding)$/;

function boolean(argument: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "boolean") {
        throw new ArgumentError(argument, `must be true or false, got ${JSON.stringify(value)}`);
    }
    return value;
}

function oneOf<T extends number>(
    argument: string,
    value: unknown,
    allowed: readonly T[],
    names: string,
    fallback: T,
): T {
    if (value === undefined) {
        return fallback;
    }
    if (!allowed.includes(value as T)) {
        throw new ArgumentError(argument, `must be ${names}, got ${JSON.stringify(value)}`);
    }
    return value as T;
}

/**
 * Validates the kernel step's arguments and fills in the defaults. IP forwarding cannot be turned
 * off through them: Docker needs it. Throws ArgumentError naming the argument and what is allowed.
 */
export function validateKernelArgs(args: KernelArgs | undefined, _ctx: HostContext): KernelPlan {
    const a: KernelArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.kernel", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (KNOWN_ARGS.includes(name)) {
            continue;
        }
        if (/forward/i.test(name)) {
            throw new ArgumentError(
                `args.kernel.${name}`,
                "cannot be set: Docker needs net.ipv4.ip_forward = 1, which the kernel step always sets (dev-sec/ansible-collection-hardening#213); IPv6 forwarding is args.kernel.ipv6Forwarding",
            );
        }
        throw new ArgumentError(
            `args.kernel.${name}`,
            `is not an argument of the kernel step; allowed: ${KNOWN_ARGS.join(", ")}`,
        );
    }

    const rpFilter = oneOf(
        "args.kernel.rpFilter",
        a.rpFilter,
        [1, 2],
        "1 (strict) or 2 (loose)",
        KERNEL_DEFAULTS.rpFilter,
    );
    const ptraceScope = oneOf(
        "args.kernel.ptraceScope",
        a.ptraceScope,
        [1, 2, 3],
        "1 (descendants only), 2 (root only) or 3 (nobody)",
        KERNEL_DEFAULTS.ptraceScope,
    );
    const acceptRa = boolean(
        "args.kernel.acceptRouterAdvertisements",
        a.acceptRouterAdvertisements,
        KERNEL_DEFAULTS.acceptRouterAdvertisements,
    );
    const ipv6Forwarding = boolean("args.kernel.ipv6Forwarding", a.ipv6Forwarding, KERNEL_DEFAULTS.ipv6Forwarding);

    // The values the arguments decide. A forwarding host ignores advertisements unless accept_ra is 2.
    const chosen: Record<string, string> = {
        "net.ipv4.conf.all.rp_filter": String(rpFilter),
        "net.ipv4.conf.default.rp_filter": String(rpFilter),
        "net.ipv6.conf.all.accept_ra": acceptRa ? (ipv6Forwarding ? "2" : "1") : "0",
        "net.ipv6.conf.default.accept_ra": acceptRa ? (ipv6Forwarding ? "2" : "1") : "0",
        "kernel.yama.ptrace_scope": String(ptraceScope),
    };
    const groups = KERNEL_DEFAULTS.sysctl
        .map((g) => ({
            why: g.why,
            settings: Object.entries(g.settings)
                .filter(([key]) => ipv6Forwarding || !key.startsWith("net.ipv6.conf.") || !key.endsWith(".forwarding"))
                .map(([key, value]) => ({ key, value: chosen[key] ?? value })),
        }))
        .filter((g) => g.settings.length > 0);
    const managed = new Set(groups.flatMap((g) => g.settings.map((s) => s.key)));

    const extraArg: unknown = a.extra ?? KERNEL_DEFAULTS.extra;
    if (typeof extraArg !== "object" || extraArg === null || Array.isArray(extraArg)) {
        throw new ArgumentError(
            "args.kernel.extra",
            'must be an object of sysctl key to value, such as { "vm.max_map_count": "262144" }',
        );
    }
    const extra: SysctlSetting[] = [];
    for (const [key, raw] of Object.entries(extraArg as Record<string, unknown>)) {
        const argument = `args.kernel.extra[${JSON.stringify(key)}]`;
        if (!SYSCTL_KEY.test(key) || key.length > 200) {
            throw new ArgumentError(argument, "must name a sysctl key in dotted form, such as vm.max_map_count");
        }
        if (FORWARDING_KEY.test(key)) {
            throw new ArgumentError(
                argument,
                key.startsWith("net.ipv4.")
                    ? "cannot be set: Docker needs IPv4 forwarding, and the kernel step always sets net.ipv4.ip_forward = 1 (dev-sec/ansible-collection-hardening#213)"
                    : "cannot be set here: IPv6 forwarding is args.kernel.ipv6Forwarding",
            );
        }
        if (managed.has(key)) {
            throw new ArgumentError(argument, "cannot be set: the kernel step sets this key; extra only adds keys");
        }
        const value = typeof raw === "string" ? raw.trim() : raw;
        if (typeof value !== "string" || !SYSCTL_VALUE.test(value)) {
            throw new ArgumentError(
                argument,
                `must be a value of letters, digits, spaces and . _ : , + @ % | / -, got ${JSON.stringify(raw)}`,
            );
        }
        extra.push({ key, value });
    }
    extra.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

    return { groups, extra, acceptRouterAdvertisements: acceptRa };
}
