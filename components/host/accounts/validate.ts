import { ArgumentError } from "../../common/errors";
import type { HostContext } from "../step";
import type { AccountsArgs } from "./args";
import { ACCOUNTS_DEFAULTS } from "./defaults";

/** The accounts step's arguments after validation. */
export interface AccountsPlan {
    /** The accounts that keep their login besides root, sorted; always includes the deployment user. */
    loginUsers: string[];
    /** Remove the unlisted regular accounts that have a login shell, rather than report them. */
    removeUnlisted: boolean;
}

const KNOWN_ARGS = ["loginUsers", "removeUnlisted"];

/** A user name useradd and adduser both accept, at most 32 characters. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * Validates the accounts step's arguments, fills in the defaults and adds the deployment user.
 * Throws ArgumentError naming the argument and what is allowed.
 */
export function validateAccountsArgs(args: AccountsArgs | undefined, ctx: HostContext): AccountsPlan {
    const a: AccountsArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.accounts", `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const name of Object.keys(a)) {
        if (!KNOWN_ARGS.includes(name)) {
            throw new ArgumentError(
                `args.accounts.${name}`,
                `is not an argument of the accounts step; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    const raw: unknown = a.loginUsers ?? ACCOUNTS_DEFAULTS.loginUsers;
    if (!Array.isArray(raw)) {
        throw new ArgumentError("args.accounts.loginUsers", 'must be a list of user names, such as ["deploy"]');
    }
    const users: string[] = [];
    raw.forEach((user: unknown, i) => {
        const argument = `args.accounts.loginUsers[${i}]`;
        if (typeof user !== "string" || !USER_NAME.test(user)) {
            throw new ArgumentError(
                argument,
                `must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got ${JSON.stringify(user)}`,
            );
        }
        if (user === "root") {
            throw new ArgumentError(argument, "is root, which always keeps its login; list only other users");
        }
        if (users.includes(user)) {
            throw new ArgumentError(argument, `repeats ${JSON.stringify(user)}`);
        }
        users.push(user);
    });
    // The name goes into the script unquoted: hold it to the rule validateTarget applies.
    if (!USER_NAME.test(ctx.connectionUser)) {
        throw new ArgumentError("args.target.user", `must be a user name, got ${JSON.stringify(ctx.connectionUser)}`);
    }
    // Listing the deployment user is allowed (it is harmless); root needs no entry.
    if (ctx.connectionUser !== "root" && !users.includes(ctx.connectionUser)) {
        users.push(ctx.connectionUser);
    }
    users.sort();
    const removeUnlisted: unknown = a.removeUnlisted ?? ACCOUNTS_DEFAULTS.removeUnlisted;
    if (typeof removeUnlisted !== "boolean") {
        throw new ArgumentError(
            "args.accounts.removeUnlisted",
            `must be true or false, got ${JSON.stringify(removeUnlisted)}`,
        );
    }
    return { loginUsers: users, removeUnlisted };
}
