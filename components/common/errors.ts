/**
 * A bad argument. Thrown by the pure validators; the components turn it into a
 * `pulumi.ResourceError` that names the resource, so it fails at preview.
 */
export class ArgumentError extends Error {
    constructor(
        /** The argument's path, for example `args.ports[1].hostPort`. */
        readonly argument: string,
        /** What is wrong and what is allowed, as one sentence. */
        readonly problem: string,
    ) {
        super(`${argument} ${problem}`);
        this.name = "ArgumentError";
    }
}

/** A relaxation of a secure default: it must name why. */
export interface Waiver {
    /** Why this relaxation is needed; written into the resource's labels. Must not be empty. */
    reason: string;
}

/** Checks a waiver's reason and returns it trimmed; an empty reason is an error naming the argument. */
export function waiverReason(argument: string, waiver: Waiver | undefined): string | undefined {
    if (waiver === undefined) {
        return undefined;
    }
    if (typeof waiver !== "object" || waiver === null || typeof waiver.reason !== "string") {
        throw new ArgumentError(argument, 'must be an object { reason: "..." }');
    }
    const reason = waiver.reason.trim();
    if (reason.length < 10) {
        throw new ArgumentError(`${argument}.reason`, "must say why, in at least 10 characters");
    }
    return reason;
}

/** A whole number within [min, max]; anything else is an error naming the argument and the range. */
export function integer(argument: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new ArgumentError(argument, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
    }
    return value;
}

/**
 * Runs a validator written for a component of its own (`args.x`) on arguments nested under
 * `prefix` (`args.config`), so its errors name the argument as the caller wrote it.
 */
export function nestedArguments<T>(prefix: string, validate: () => T): T {
    try {
        return validate();
    } catch (e) {
        if (e instanceof ArgumentError && (e.argument === "args" || e.argument.startsWith("args."))) {
            throw new ArgumentError(`${prefix}${e.argument.slice("args".length)}`, e.problem);
        }
        throw e;
    }
}
