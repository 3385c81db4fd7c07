import { ArgumentError } from "../common/errors";

/** A user name useradd and adduser both accept, at most 32 characters. */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * A step's list of user names (`args.<step>.<field>`): each a valid name, not root (`rootReason`
 * says why it needs no entry), none repeated. Returns them sorted. Throws ArgumentError naming the
 * list or the entry.
 */
export function validateUserNames(argument: string, raw: unknown, rootReason: string): string[] {
    if (!Array.isArray(raw)) {
        throw new ArgumentError(argument, 'must be a list of user names, such as ["deploy"]');
    }
    const users: string[] = [];
    raw.forEach((user: unknown, i) => {
        const at = `${argument}[${i}]`;
        if (typeof user !== "string" || !USER_NAME.test(user)) {
            throw new ArgumentError(
                at,
                `must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got ${JSON.stringify(user)}`,
            );
        }
        if (user === "root") {
            throw new ArgumentError(at, `is root, ${rootReason}; list only other users`);
        }
        if (users.includes(user)) {
            throw new ArgumentError(at, `repeats ${JSON.stringify(user)}`);
        }
        users.push(user);
    });
    return users.sort();
}
