import { ArgumentError } from "../../common/errors";
import type { DaemonFilesArgs } from "./args";
import { DAEMON_FILES_DEFAULTS } from "./defaults";

/** The daemon-files step's arguments after validation, with every default filled in. */
export interface DaemonFilesPlan {
    tls: boolean;
}

const KNOWN_ARGS = ["tls"];

/**
 * Validates the daemon-files step's arguments and fills in the defaults. `argument` is where they
 * sit in the component's arguments, for the messages. Throws ArgumentError naming the argument and
 * what is allowed.
 */
export function validateDaemonFilesArgs(args: DaemonFilesArgs | undefined, argument = "args"): DaemonFilesPlan {
    const a: unknown = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError(argument, `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `${argument}.${name}`,
                `is not an argument of the daemon-files step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    const tls: unknown = (a as DaemonFilesArgs).tls ?? DAEMON_FILES_DEFAULTS.tls;
    if (typeof tls !== "boolean") {
        throw new ArgumentError(`${argument}.tls`, `must be true or false, got ${JSON.stringify(tls)}`);
    }
    return { tls };
}
