import { ArgumentError } from "../../common/errors";
import { USER_NAME, validateUserNames } from "../userNames";
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
    const users = validateUserNames(
        "args.accounts.loginUsers",
        a.loginUsers ?? ACCOUNTS_DEFAULTS.loginUsers,
        "which always keeps its login",
    );
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
