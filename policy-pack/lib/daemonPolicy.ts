import {
    findDaemonJson,
    UNKNOWN,
    DAEMON_JSON,
    type CommandScripts,
    type DaemonJsonWrite,
    type ScriptField,
} from "./daemonJson";
import { forType, resourcePolicyByType } from "./branches";
import { known, TYPES, type Branch, type HardenedPolicy, type PolicyMeta } from "./policy";

/**
 * The properties of `@pulumi/command` 1.2.1's `remote.Command` and `local.Command` that the daemon
 * policies read, as the engine sends them. A test checks the names against the SDK's argument types.
 */
export interface CommandScriptProps {
    create?: string;
    update?: string;
    stdin?: string;
    /** local.Command only. */
    interpreter?: string[];
    /** Variables set in the scripts' environment. */
    environment?: Record<string, string>;
    /** local.Command only: the directory the scripts run in. */
    dir?: string;
}

/** Reads a field; UNKNOWN when it is unknown during preview, undefined when absent or not text. */
function field<T>(read: () => T, is: (v: unknown) => boolean): T | typeof UNKNOWN | undefined {
    let unknown = true;
    const value = known(() => {
        const v = read();
        unknown = false;
        return v;
    });
    if (unknown) {
        return UNKNOWN;
    }
    return is(value) ? value : undefined;
}

const isString = (v: unknown) => typeof v === "string";
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);

/** The command's environment, each value UNKNOWN when unknown; UNKNOWN when the map is. */
function environment(p: CommandScriptProps): CommandScripts["environment"] {
    const env = field(
        () => p.environment,
        (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    );
    if (env === UNKNOWN || env === undefined) {
        return env;
    }
    const keys = field(() => Object.keys(env), isStrings);
    if (keys === UNKNOWN || keys === undefined) {
        return UNKNOWN;
    }
    // A value that is not text is no variable the script sees as the pack would read it: unknown.
    return Object.fromEntries(keys.map((k) => [k, field(() => env[k], isString) ?? UNKNOWN]));
}

/** The daemon.json files a command resource writes (see findDaemonJson). */
export function commandWrites(p: CommandScriptProps): DaemonJsonWrite[] {
    return findDaemonJson({
        create: field(() => p.create, isString),
        update: field(() => p.update, isString),
        stdin: field(() => p.stdin, isString),
        // Copied, so that an unknown element is met here.
        interpreter: field(() => (p.interpreter === undefined ? undefined : [...p.interpreter]), isStrings),
        environment: environment(p),
        dir: field(() => p.dir, isString),
    });
}

/** "create", "create and update", "create, update and stdin". */
export function joinAnd(items: string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** How a violation names the daemon.json it is about: the fields of the command it comes from. */
export function subject(w: DaemonJsonWrite): string {
    const fields = joinAnd(w.fields as ScriptField[]);
    return w.removed ? `with ${DAEMON_JSON} removed by ${fields}, dockerd` : `the daemon.json in ${fields}`;
}

/** Whether a daemon.json sets a key (dockerd matches keys exactly: it refuses unknown ones). */
export function has(json: Record<string, unknown>, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(json, key);
}

/**
 * A value as a message may show it: scalars and short strings and lists as JSON, anything longer
 * by its kind only (no daemon.json content beyond the value the check is about).
 */
export function show(value: unknown): string {
    if (value === null || typeof value === "boolean" || typeof value === "number") {
        return JSON.stringify(value);
    }
    const text = JSON.stringify(value);
    if (text !== undefined && text.length <= 80) {
        return text;
    }
    return typeof value === "string" ? "a long string" : Array.isArray(value) ? "a long list" : "an object";
}

/** One check of a daemon.json: the violation's sentence(s), starting with `subject`, or undefined. */
export type DaemonCheck<C> = (
    json: Record<string, unknown>,
    subject: string,
    config: C,
) => string | string[] | undefined;

/** The name of a daemon rule's policy over local commands: the rule's name, then `-local-command`. */
export function localCommandPolicyName(rule: string): string {
    return `${rule}-local-command`;
}

/**
 * A daemon rule over the commands' scripts, as two policies: the rule's name over remote commands
 * (a host's steps, DockerDaemon's), and `<name>-local-command` over local ones (a script on the
 * machine that runs Pulumi, which may also write the file over ssh). One type each, so that the
 * policy server skips every other resource without deserializing it (resourcePolicy).
 */
export function commandPolicies<C = Record<string, unknown>>(
    meta: PolicyMeta,
    branches: Branch<CommandScriptProps, C>[],
): HardenedPolicy[] {
    return resourcePolicyByType<C>(meta, [
        forType<CommandScriptProps, C>(TYPES.remoteCommand, branches),
        forType<CommandScriptProps, C>(TYPES.localCommand, branches, localCommandPolicyName(meta.name)),
    ]);
}

/**
 * A rule over every daemon.json a command writes (remote or local, `commandPolicies`): each check
 * runs on each readable file. What the pack cannot read is docker-daemon-require-reviewable-config's.
 */
export function daemonJsonPolicy<C = Record<string, unknown>>(
    meta: PolicyMeta,
    checks: DaemonCheck<C>[],
): HardenedPolicy[] {
    return commandPolicies<C>(
        meta,
        checks.map(
            (check) => (p: CommandScriptProps, c: C) =>
                commandWrites(p).flatMap((w) => {
                    if (w.content.kind !== "parsed") {
                        return [];
                    }
                    const r = check(w.content.parsed, subject(w), c);
                    return r === undefined ? [] : Array.isArray(r) ? r : [r];
                }),
        ),
    );
}
