import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { MinimalArgs } from "./args";
import { MINIMAL_DEFAULTS } from "./defaults";

/** The minimal step's arguments after validation. */
export interface MinimalPlan {
    /** Packages to purge when installed, sorted. */
    removePackages: string[];
    /** Units to disable and stop when they exist, sorted. */
    disableServices: string[];
}

const KNOWN_ARGS = ["disableServices", "removePackages"];

/** A Debian package name (Debian Policy 5.6.1). */
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
/** A systemd unit name of the kinds that start something, optionally a template instance. */
const UNIT = /^([A-Za-z0-9][A-Za-z0-9:_.-]*?)(@[A-Za-z0-9:_.-]*)?\.(service|socket|path|timer)$/;

/** The guard pattern that matches `name`, if any. */
export function guardFor(name: string): string | undefined {
    return MINIMAL_DEFAULTS.guarded.find((g) => (g.endsWith("*") ? name.startsWith(g.slice(0, -1)) : name === g));
}

function names(
    field: "removePackages" | "disableServices",
    raw: unknown,
    check: (name: string) => string | undefined,
    shape: string,
    example: string,
    verb: string,
): string[] {
    const argument = `args.minimal.${field}`;
    if (!Array.isArray(raw)) {
        throw new ArgumentError(argument, `must be a list of names, such as ${example}`);
    }
    const out: string[] = [];
    raw.forEach((name: unknown, i) => {
        const item = `${argument}[${i}]`;
        const base = typeof name === "string" ? check(name) : undefined;
        if (typeof name !== "string" || base === undefined) {
            throw new ArgumentError(item, `must be ${shape}, got ${JSON.stringify(name)}`);
        }
        const guard = guardFor(base);
        if (guard !== undefined) {
            throw new ArgumentError(
                item,
                `is ${JSON.stringify(name)}, which the host needs (guarded by ${JSON.stringify(guard)}); it can never be ${verb}`,
            );
        }
        if (out.includes(name)) {
            throw new ArgumentError(item, `repeats ${JSON.stringify(name)}`);
        }
        out.push(name);
    });
    return out.sort();
}

/**
 * Validates the minimal step's arguments and fills in the defaults; refuses any name the host
 * needs. Throws ArgumentError naming the argument and what is allowed.
 */
export function validateMinimalArgs(args: MinimalArgs | undefined, _ctx: HostContext): MinimalPlan {
    const a: MinimalArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.minimal", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `args.minimal.${name}`,
                `is not an argument of the minimal step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    return {
        removePackages: names(
            "removePackages",
            a.removePackages ?? MINIMAL_DEFAULTS.removePackages,
            (n) => (PACKAGE.test(n) ? n : undefined),
            "a Debian package name of [a-z0-9+.-]",
            '["telnet"]',
            "removed",
        ),
        disableServices: names(
            "disableServices",
            a.disableServices ?? MINIMAL_DEFAULTS.disableServices,
            (n) => UNIT.exec(n)?.[1],
            "a systemd unit name ending in .service, .socket, .path or .timer",
            '["cups.service"]',
            "disabled",
        ),
    };
}
