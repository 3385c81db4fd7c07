import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { AuditArgs } from "./args";
import { AUDIT_DEFAULTS, type AuditCandidate } from "./defaults";

/** The audit step's arguments after validation. */
export interface AuditPlan {
    /** Every candidate path with its CIS id, in benchmark order; the moved data root follows /var/lib/docker. */
    candidates: AuditCandidate[];
    /** Directory names under each data root that are not audited, sorted. */
    dataRootExclusions: string[];
}

const KNOWN_ARGS = ["dataRootExclusions"];

/** One directory name: no slash, no `.` or `..`, nothing an audit rule cannot hold. */
const DIR_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** What HardenedHost accepts as the data root (absolute, `[A-Za-z0-9_.-]` components). */
const DATA_ROOT = /^(?:\/[A-Za-z0-9_.-]+)+$/;

/**
 * Validates the audit step's arguments and fills in the defaults; adds the data root from the host
 * context when it is not `/var/lib/docker` (CIS 1.1.5). Throws ArgumentError naming the argument.
 */
export function validateAuditArgs(args: AuditArgs | undefined, ctx: HostContext): AuditPlan {
    const a: AuditArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.audit", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `args.audit.${name}`,
                `is not an argument of the audit step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }

    const raw: unknown = a.dataRootExclusions ?? AUDIT_DEFAULTS.dataRootExclusions;
    if (!Array.isArray(raw)) {
        throw new ArgumentError(
            "args.audit.dataRootExclusions",
            'must be a list of directory names, such as ["overlay2", "volumes"]',
        );
    }
    const exclusions: string[] = [];
    raw.forEach((name: unknown, i) => {
        const argument = `args.audit.dataRootExclusions[${i}]`;
        if (typeof name !== "string" || !DIR_NAME.test(name) || name === "." || name === "..") {
            throw new ArgumentError(
                argument,
                `must be one directory name of [A-Za-z0-9_.-], got ${JSON.stringify(name)}`,
            );
        }
        if (name === "containers") {
            throw new ArgumentError(
                argument,
                "must not be containers: a container's configuration lives there, and changes to it are what CIS 1.1.5 audits",
            );
        }
        if (exclusions.includes(name)) {
            throw new ArgumentError(argument, `repeats ${JSON.stringify(name)}`);
        }
        exclusions.push(name);
    });
    exclusions.sort();

    if (
        typeof ctx.dataRoot !== "string" ||
        !DATA_ROOT.test(ctx.dataRoot) ||
        ctx.dataRoot.split("/").some((p) => p === "." || p === "..")
    ) {
        throw new Error(`host context dataRoot ${JSON.stringify(ctx.dataRoot)} is not a validated absolute path`);
    }
    const candidates: AuditCandidate[] = [];
    for (const c of AUDIT_DEFAULTS.candidates) {
        candidates.push({ id: c.id, path: c.path });
        if (c.path === "/var/lib/docker" && ctx.dataRoot !== c.path) {
            candidates.push({ id: c.id, path: ctx.dataRoot });
        }
    }
    return { candidates, dataRootExclusions: exclusions };
}
