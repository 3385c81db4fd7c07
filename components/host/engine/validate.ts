import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { EngineArgs } from "./args";
import { ENGINE_DEFAULTS } from "./defaults";

/** The engine step's arguments after validation, with every default filled in. */
export interface EnginePlan {
    source: "distribution" | "docker";
    /** `latest`, or the exact Debian package version to install and hold. */
    version: string;
    /** Packages installed at `version` (and held) when it is exact. */
    pinnedPackages: string[];
    /** Packages installed at their newest version whatever `version` is. */
    otherPackages: string[];
    /** Packages of the other source that this one refuses to replace (a downgrade). */
    refusedPackages: string[];
}

const ARGS = ["source", "version"];
/** An exact Debian version: optional epoch, upstream starting with a digit; no wildcards. */
const DEBIAN_VERSION = /^(?:[0-9]{1,5}:)?[0-9][A-Za-z0-9.+~-]{0,126}$/;
const EXAMPLE_VERSION = { distribution: "20.10.24+dfsg1-1+b3", docker: "5:27.3.1-1~debian.12~bookworm" };

/**
 * Validates the engine step's arguments and fills in the defaults. Throws ArgumentError naming the
 * argument and what is allowed.
 */
export function validateEngineArgs(args: EngineArgs | undefined, _ctx: HostContext): EnginePlan {
    const a = args ?? {};
    if (typeof a !== "object" || a === null) {
        throw new ArgumentError("args.engine", "must be an object { source?, version? }");
    }
    for (const key of Object.keys(a)) {
        if (!ARGS.includes(key)) {
            throw new ArgumentError(`args.engine.${key}`, `is not an argument; allowed: ${ARGS.join(", ")}`);
        }
    }
    const source = a.source ?? ENGINE_DEFAULTS.source;
    if (source !== "distribution" && source !== "docker") {
        throw new ArgumentError(
            "args.engine.source",
            `must be "distribution" (the distribution's docker.io) or "docker" (Docker's apt repository), got ${JSON.stringify(source)}`,
        );
    }
    const version = a.version ?? ENGINE_DEFAULTS.version;
    if (
        typeof version !== "string" ||
        (version !== "latest" && (!DEBIAN_VERSION.test(version) || version.endsWith("-")))
    ) {
        throw new ArgumentError(
            "args.engine.version",
            `must be "latest" or an exact Debian package version such as ${EXAMPLE_VERSION[source]}, got ${JSON.stringify(version)}`,
        );
    }
    const packages = ENGINE_DEFAULTS.packages[source];
    return {
        source,
        version,
        pinnedPackages: [...packages.pinned],
        otherPackages: [...packages.other],
        refusedPackages: source === "distribution" ? [...ENGINE_DEFAULTS.packages.docker.pinned] : [],
    };
}
