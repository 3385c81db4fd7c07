import { ArgumentError, integer } from "../../common/errors";
import type { HostContext } from "../step";
import type { HygieneArgs } from "./args";
import { HYGIENE_DEFAULTS, HYGIENE_FILE_MODES, type HygieneFileMode } from "./defaults";

/** The hygiene step's arguments after validation. */
export interface HygienePlan {
    /** Four octal digits: `0027`. */
    umask: string;
    /** TMOUT of interactive shells, in seconds. */
    idleTimeoutSeconds: number;
    /** The modes and owners to keep (HYGIENE_FILE_MODES), in table order. */
    files: readonly HygieneFileMode[];
}

const KNOWN_ARGS = ["idleTimeoutSeconds", "umask"];

const UMASK_EXAMPLES = 'such as "022", "027" or "077"';

function umask(value: unknown): string {
    const argument = "args.hygiene.umask";
    if (typeof value !== "string" || !/^[0-7]{3,4}$/.test(value)) {
        throw new ArgumentError(
            argument,
            `must be three or four octal digits, ${UMASK_EXAMPLES}, got ${JSON.stringify(value)}`,
        );
    }
    const normalized = value.padStart(4, "0");
    if (!normalized.startsWith("00")) {
        throw new ArgumentError(
            argument,
            `must leave the owner's permissions alone (owner digit 0), ${UMASK_EXAMPLES}, got ${JSON.stringify(value)}`,
        );
    }
    if ((parseInt(normalized, 8) & 0o022) !== 0o022) {
        throw new ArgumentError(
            argument,
            `must mask group and other write (022), ${UMASK_EXAMPLES}, got ${JSON.stringify(value)}`,
        );
    }
    return normalized;
}

/**
 * Validates the hygiene step's arguments and fills in the defaults. Throws ArgumentError naming
 * the argument and what is allowed.
 */
export function validateHygieneArgs(args: HygieneArgs | undefined, _ctx: HostContext): HygienePlan {
    const a: HygieneArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.hygiene", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `args.hygiene.${name}`,
                `is not an argument of the hygiene step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    return {
        umask: umask(a.umask ?? HYGIENE_DEFAULTS.umask),
        idleTimeoutSeconds: integer(
            "args.hygiene.idleTimeoutSeconds",
            a.idleTimeoutSeconds ?? HYGIENE_DEFAULTS.idleTimeoutSeconds,
            60,
            86400,
        ),
        files: HYGIENE_FILE_MODES,
    };
}
