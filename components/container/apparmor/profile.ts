import { createHash } from "node:crypto";
import { ArgumentError } from "../../common/errors";
import type { AppArmorRules, ContainerAppArmorArgs } from "./args";

/** A container's AppArmor profile after validation: what is installed and loaded on the host. */
export interface AppArmorPlan {
    /** The profile's name in the kernel (`apparmor=<name>`). */
    name: string;
    /** The profile's whole text, as installed. */
    text: string;
    /** sha256 of the text, hex: the container's label, so a changed profile recreates it. */
    sha256: string;
    /** Where the profile is installed on the host (loaded again at boot by apparmor.service). */
    path: string;
    /**
     * The other profiles a written text declares at its top level (by name, or by the path of a
     * profile without one), loaded, replaced and removed with it: names global on the host too.
     * Present only when there are some.
     */
    alsoDeclares?: string[];
}

/**
 * A profile name the kernel and a file name both take, and no shell or AppArmor syntax. No dot:
 * apparmor.service skips files named like package leftovers (`.orig`, `.dpkg-old`, ...) at boot.
 */
export const APPARMOR_PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Where HardenedContainer installs a profile, by name. */
export function appArmorProfilePath(name: string): string {
    return `/etc/apparmor.d/hardened-docker.${name}`;
}

/** An absolute AppArmor glob with no whitespace, comma, quote, or rule syntax. */
const PATH_GLOB = /^\/(?:[A-Za-z0-9._*?+@~-][A-Za-z0-9._/*?+@~-]*)?$/;

/** Written profiles are at most this long: a profile is a page of rules, not a data file. */
const MAX_PROFILE_BYTES = 65536;

/** Files read to resolve a name: allowed to a service that opens network sockets. */
export const NAME_RESOLUTION_FILES: readonly string[] = Object.freeze([
    "/etc/host.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/resolv.conf",
    "/etc/services",
]);

const KNOWN_ARGS = ["name", "profile", "rules"];
const KNOWN_RULES = ["execute", "read", "write", "network"];

/**
 * Validates a container's AppArmor profile and renders it: a written profile as it is, a generated
 * one from `rules` with the container's capabilities. Throws ArgumentError naming the argument.
 */
export function validateAppArmor(args: ContainerAppArmorArgs, capabilities: string[], argument: string): AppArmorPlan {
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        throw new ArgumentError(argument, `must be an object with the fields ${KNOWN_ARGS.join(", ")}`);
    }
    for (const key of Object.keys(args)) {
        if (!KNOWN_ARGS.includes(key)) {
            throw new ArgumentError(
                `${argument}.${key}`,
                `is not an AppArmor option; allowed: ${KNOWN_ARGS.join(", ")}`,
            );
        }
    }
    const name: unknown = args.name;
    if (typeof name !== "string" || !APPARMOR_PROFILE_NAME.test(name)) {
        throw new ArgumentError(
            `${argument}.name`,
            `must be a profile name of [a-z0-9_-] starting with a letter or digit, at most 64 characters, got ${JSON.stringify(name)}`,
        );
    }
    if (name === "docker-default" || name === "unconfined") {
        throw new ArgumentError(
            `${argument}.name`,
            `is ${JSON.stringify(name)}, which is not the container's own profile: choose a name for it, such as "hd-api"`,
        );
    }
    if ((args.profile === undefined) === (args.rules === undefined)) {
        throw new ArgumentError(
            argument,
            "needs exactly one of profile (a profile you wrote) and rules (a profile generated from what the service does)",
        );
    }
    const { text, alsoDeclares } =
        args.profile !== undefined
            ? checkWrittenProfile(args.profile, name, `${argument}.profile`)
            : {
                  text: renderAppArmorProfile(name, validateRules(args.rules, `${argument}.rules`), capabilities),
                  alsoDeclares: [],
              };
    return {
        name,
        text,
        sha256: createHash("sha256").update(text).digest("hex"),
        path: appArmorProfilePath(name),
        ...(alsoDeclares.length === 0 ? {} : { alsoDeclares }),
    };
}

function checkWrittenProfile(text: unknown, name: string, argument: string): { text: string; alsoDeclares: string[] } {
    if (typeof text !== "string" || text.trim() === "") {
        throw new ArgumentError(argument, "must be the text of an AppArmor profile");
    }
    if (Buffer.byteLength(text) > MAX_PROFILE_BYTES || text.includes("\0")) {
        throw new ArgumentError(argument, `must be text of at most ${MAX_PROFILE_BYTES} bytes, without NUL bytes`);
    }
    const lines = text.split("\n").map((l) => l.replace(/#.*$/, "").trim());
    const top = topLevelProfiles(text);
    const variable = top.find((t) => (t.name ?? t.path ?? "").includes("@{"));
    if (variable !== undefined) {
        throw new ArgumentError(
            argument,
            `names a top-level profile through a variable (${JSON.stringify(variable.header)}): write its name out, so that it can be claimed on the host`,
        );
    }
    const declared = top.flatMap((t) => (t.name === undefined ? [] : [t.name]));
    if (!declared.includes(name)) {
        throw new ArgumentError(
            argument,
            `must declare "profile ${name}" (the name in args.appArmor.name); it declares ${declared.length === 0 ? "no named profile" : declared.map((d) => JSON.stringify(d)).join(", ")}`,
        );
    }
    if (declared.filter((d) => d === name).length > 1) {
        throw new ArgumentError(argument, `declares "profile ${name}" more than once`);
    }
    // A profile's mode is a flag in parentheses, after `flags=` or bare (`profile x (complain) {`);
    // rules' own parentheses (`signal (send)`, `mount options=(ro)`) never hold these words.
    for (const group of lines.join("\n").matchAll(/\(([^)]*)\)/g)) {
        const mode = group[1].split(/[\s,]+/).find((f) => ["complain", "unconfined", "kill", "prompt"].includes(f));
        if (mode === "complain" || mode === "unconfined") {
            throw new ArgumentError(
                argument,
                `sets the flag ${mode}, which lets everything through: the profile must enforce (CIS 5.2)`,
            );
        }
        if (mode !== undefined) {
            throw new ArgumentError(
                argument,
                `sets the flag ${mode}: HardenedContainer loads a profile in enforce mode and checks the kernel holds it so (CIS 5.2); remove the flag`,
            );
        }
    }
    const alsoDeclares = top.filter((t) => t.name !== name).map((t) => t.name ?? t.path!);
    const notOurs = alsoDeclares.find((p) => NOT_OURS.includes(p));
    if (notOurs !== undefined) {
        throw new ArgumentError(
            argument,
            `declares the profile ${JSON.stringify(notOurs)}, which is not the container's: every top-level profile of the text is loaded, replaced and removed with it`,
        );
    }
    return { text: text.endsWith("\n") ? text : `${text}\n`, alsoDeclares };
}

/** A profile declared at the top level of a text. */
export interface TopLevelProfile {
    /** The name of `profile NAME` (unquoted), or undefined for a profile declared by its path alone. */
    name?: string;
    /** For a profile without a name, the path it attaches to, which is its name in the kernel. */
    path?: string;
    /** The line that opens the profile's block, comments removed: for messages. */
    header: string;
}

/**
 * Whether the `{` at `i` opens an alternation (`/etc/{passwd,group}`, `/{,usr/}bin`) or a
 * variable (`@{HOME}`) rather than a block: a variable follows `@`; an alternation closes on the
 * same line, holds a comma and no blank.
 */
function isAlternation(text: string, i: number): boolean {
    if (text[i - 1] === "@") {
        return true;
    }
    let depth = 1;
    let comma = false;
    for (let j = i + 1; j < text.length; j++) {
        const c = text[j];
        if (c === "\\") {
            j++;
        } else if (c === "{") {
            depth++;
        } else if (c === "}") {
            depth--;
            if (depth === 0) {
                return comma;
            }
        } else if (c === ",") {
            comma = true;
        } else if (/\s/.test(c)) {
            return false;
        }
    }
    return false;
}

/** The profile whose block a top-level header opens. */
function declaration(header: string): TopLevelProfile {
    const line = header.trim().split("\n").pop()!.trim();
    const named = [...header.matchAll(/(?:^|\s)profile\s+(?:"((?:[^"\\]|\\.)*)"|((?:@\{[^}\s]*\}|[^\s"{(])+))/g)].pop();
    if (named !== undefined) {
        return { name: named[1] !== undefined ? named[1].replace(/\\(.)/g, "$1") : named[2], header: line };
    }
    const first = /^(?:"((?:[^"\\]|\\.)*)"|(\S+))/.exec(line);
    const path = first === null ? "" : first[1] !== undefined ? first[1].replace(/\\(.)/g, "$1") : first[2];
    return { path, header: line };
}

/**
 * The profiles a profile text declares at its top level, in order; child profiles and hats,
 * inside another profile's block, are not. Reads comments (`#` to the end of the line, `#include`
 * too), quoted strings, escapes, alternations and variables (isAlternation) and flag lists (whose
 * commas do not end a statement); apparmor_parser, on the host, judges the rest of the syntax.
 */
export function topLevelProfiles(text: string): TopLevelProfile[] {
    const out: TopLevelProfile[] = [];
    let blocks = 0;
    let parens = 0;
    let alternations = 0;
    let quoted = false;
    let header = "";
    const keep = (chars: string) => {
        if (blocks === 0) {
            header += chars;
        }
    };
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "\\") {
            keep(text.slice(i, i + 2));
            i++;
        } else if (quoted) {
            quoted = ch !== '"';
            keep(ch);
        } else if (ch === '"') {
            quoted = true;
            keep(ch);
        } else if (ch === "#") {
            const eol = text.indexOf("\n", i);
            i = eol === -1 ? text.length : eol - 1;
        } else if (ch === "{" && isAlternation(text, i)) {
            alternations++;
            keep(ch);
        } else if (ch === "{") {
            if (blocks === 0) {
                out.push(declaration(header));
            }
            blocks++;
            header = "";
            parens = 0;
        } else if (ch === "}" && alternations > 0) {
            alternations--;
            keep(ch);
        } else if (ch === "}") {
            blocks = Math.max(0, blocks - 1);
            header = "";
        } else if (blocks === 0 && ch === "," && parens <= 0 && alternations === 0) {
            // The end of a top-level statement (`abi <abi/3.0>,`); a flag list's commas are not.
            header = "";
        } else {
            if (ch === "(") {
                parens++;
            } else if (ch === ")") {
                parens--;
            }
            keep(ch);
        }
    }
    return out;
}

/** Profiles a written profile's text may not declare beside its own: Docker's, and no profile. */
const NOT_OURS = ["docker-default", "unconfined"];

/** A generated profile's rules after validation. */
export interface AppArmorRulesPlan {
    execute: string[];
    read: string[];
    write: string[];
    network: ("tcp" | "udp")[];
}

function validateRules(rules: AppArmorRules | undefined, argument: string): AppArmorRulesPlan {
    if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
        throw new ArgumentError(argument, `must be an object with the fields ${KNOWN_RULES.join(", ")}`);
    }
    for (const key of Object.keys(rules)) {
        if (!KNOWN_RULES.includes(key)) {
            throw new ArgumentError(`${argument}.${key}`, `is not a rule; allowed: ${KNOWN_RULES.join(", ")}`);
        }
    }
    const paths = (field: "execute" | "read" | "write", value: unknown): string[] => {
        const at = `${argument}.${field}`;
        if (!Array.isArray(value)) {
            throw new ArgumentError(at, 'must be a list of absolute paths, such as ["/app/**"]');
        }
        const out: string[] = [];
        value.forEach((p: unknown, i) => {
            if (typeof p !== "string" || !PATH_GLOB.test(p) || p.includes("//") || /(^|\/)\.\.?(\/|$)/.test(p)) {
                throw new ArgumentError(
                    `${at}[${i}]`,
                    `must be an absolute path or AppArmor glob of [A-Za-z0-9._/*?+@~-], without "//", "." or ".." parts, got ${JSON.stringify(p)}`,
                );
            }
            // A wildcard in the first part (`/*/**`, `/?**`) reaches every top directory: as good as `/**`.
            if (field === "write" && (p === "/" || /[*?]/.test(p.split("/")[1]))) {
                throw new ArgumentError(
                    `${at}[${i}]`,
                    `is ${JSON.stringify(p)}, which reaches the whole filesystem: name the directories the service writes, such as "/data/**"`,
                );
            }
            if (field === "execute" && p.endsWith("/")) {
                throw new ArgumentError(`${at}[${i}]`, `is a directory; name the programs, such as "/app/server"`);
            }
            if (out.includes(p)) {
                throw new ArgumentError(`${at}[${i}]`, `repeats ${JSON.stringify(p)}`);
            }
            out.push(p);
        });
        return out;
    };
    const execute = paths("execute", rules.execute);
    if (execute.length === 0) {
        throw new ArgumentError(
            `${argument}.execute`,
            'must list the programs the service runs, its entrypoint first, such as ["/app/server"]',
        );
    }
    const network: ("tcp" | "udp")[] = [];
    const rawNetwork: unknown = rules.network ?? [];
    if (!Array.isArray(rawNetwork)) {
        throw new ArgumentError(`${argument}.network`, 'must be a list of "tcp" and "udp"');
    }
    rawNetwork.forEach((n: unknown, i) => {
        if (n !== "tcp" && n !== "udp") {
            throw new ArgumentError(`${argument}.network[${i}]`, `must be "tcp" or "udp", got ${JSON.stringify(n)}`);
        }
        if (network.includes(n)) {
            throw new ArgumentError(`${argument}.network[${i}]`, `repeats ${JSON.stringify(n)}`);
        }
        network.push(n);
    });
    return {
        execute,
        read: paths("read", rules.read ?? []),
        write: paths("write", rules.write ?? []),
        network: network.sort(),
    };
}

/**
 * The generated profile: deterministic (rules in the order given, sockets sorted), in the shape of
 * Docker's docker-default template with its blanket `file,`, `network,` and `capability,` rules
 * replaced by the listed ones.
 */
export function renderAppArmorProfile(name: string, rules: AppArmorRulesPlan, capabilities: string[]): string {
    const section = (comment: string, lines: string[]) => (lines.length === 0 ? [] : ["", `  # ${comment}`, ...lines]);
    const sockets = rules.network.flatMap((n) => {
        const type = n === "tcp" ? "stream" : "dgram";
        return [`  network inet ${type},`, `  network inet6 ${type},`];
    });
    return [
        `# AppArmor profile ${name}, generated by hardened-docker from args.appArmor.rules.`,
        "# Everything not allowed below is denied. Edits on the host are overwritten.",
        "#include <tunables/global>",
        "",
        `profile ${name} flags=(attach_disconnected,mediate_deleted) {`,
        "  #include <abstractions/base>",
        ...section("Sockets (rules.network).", sockets),
        ...section(
            "Capabilities: exactly the container's own (args.capabilities).",
            capabilities.map((c) => `  capability ${c.replace(/^CAP_/, "").toLowerCase()},`),
        ),
        "",
        "  # Signals: from the engine (docker stop, kill) and among the container's own processes.",
        "  signal (receive) peer=unconfined,",
        `  signal (send,receive) peer=${name},`,
        `  ptrace (read,readby) peer=${name},`,
        ...section(
            "Programs the service runs (rules.execute).",
            rules.execute.map((p) => `  ${p} mrix,`),
        ),
        ...section(
            "Paths it reads (rules.read).",
            rules.read.map((p) => `  ${p} r,`),
        ),
        ...section(
            "Name resolution, for a service with sockets.",
            rules.network.length === 0 ? [] : NAME_RESOLUTION_FILES.map((p) => `  ${p} r,`),
        ),
        ...section(
            "Paths it writes (rules.write).",
            rules.write.map((p) => `  ${p} rwk,`),
        ),
        "",
        "  # What docker-default denies, denied here too whatever the rules above allow.",
        "  deny mount,",
        "  deny umount,",
        "  deny pivot_root,",
        "  deny @{PROC}/* w,",
        "  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,",
        "  deny @{PROC}/sys/[^k]** w,",
        "  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,",
        "  deny @{PROC}/sysrq-trigger rwklx,",
        "  deny @{PROC}/kcore rwklx,",
        "  deny /sys/[^f]*/** wklx,",
        "  deny /sys/f[^s]*/** wklx,",
        "  deny /sys/fs/[^c]*/** wklx,",
        "  deny /sys/fs/c[^g]*/** wklx,",
        "  deny /sys/fs/cg[^r]*/** wklx,",
        "  deny /sys/firmware/** rwklx,",
        "  deny /sys/devices/virtual/powercap/** rwklx,",
        "  deny /sys/kernel/security/** rwklx,",
        "}",
        "",
    ].join("\n");
}
