import { ArgumentError } from "../../common/errors";
import { validateUserNames } from "../userNames";
import type { HostContext } from "../step";
import type { DockerGroupArgs } from "./args";
import { DOCKER_GROUP_DEFAULTS } from "./defaults";

/** The docker-group step's arguments after validation. */
export interface DockerGroupPlan {
    /** The members the group must have, sorted. */
    trustedUsers: string[];
}

const KNOWN_ARGS = ["trustedUsers"];

/**
 * Validates the docker-group step's arguments and fills in the defaults. Throws ArgumentError
 * naming the argument and what is allowed.
 */
export function validateDockerGroupArgs(args: DockerGroupArgs | undefined, _ctx: HostContext): DockerGroupPlan {
    const a: DockerGroupArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.dockerGroup", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `args.dockerGroup.${name}`,
                `is not an argument of the docker-group step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    const users = validateUserNames(
        "args.dockerGroup.trustedUsers",
        a.trustedUsers ?? DOCKER_GROUP_DEFAULTS.trustedUsers,
        "which controls Docker without the group",
    );
    return { trustedUsers: users };
}
