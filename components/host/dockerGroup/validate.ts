import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { DockerGroupArgs } from "./args";
import { DOCKER_GROUP_DEFAULTS } from "./defaults";

/** The docker-group step's arguments after validation. */
export interface DockerGroupPlan {
    /** The members the group must have, sorted. */
    trustedUsers: string[];
}

const KNOWN_ARGS = ["trustedUsers"];

/** A user name useradd and adduser both accept, at most 32 characters. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

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
    const raw: unknown = a.trustedUsers ?? DOCKER_GROUP_DEFAULTS.trustedUsers;
    if (!Array.isArray(raw)) {
        throw new ArgumentError("args.dockerGroup.trustedUsers", 'must be a list of user names, such as ["deploy"]');
    }
    const users: string[] = [];
    raw.forEach((user: unknown, i) => {
        const argument = `args.dockerGroup.trustedUsers[${i}]`;
        if (typeof user !== "string" || !USER_NAME.test(user)) {
            throw new ArgumentError(
                argument,
                `must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got ${JSON.stringify(user)}`,
            );
        }
        if (user === "root") {
            throw new ArgumentError(
                argument,
                "is root, which controls Docker without the group; list only other users",
            );
        }
        if (users.includes(user)) {
            throw new ArgumentError(argument, `repeats ${JSON.stringify(user)}`);
        }
        users.push(user);
    });
    users.sort();
    return { trustedUsers: users };
}
