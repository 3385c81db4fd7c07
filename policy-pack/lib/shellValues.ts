/**
 * The values a shell script's words may take, as far as the text says: literal text, variables
 * assigned literally (anywhere in the script: functions may be defined before what they use),
 * arrays, `for` loop items, `${name:-default}`, brace expansion, globs, and the directories `cd`
 * goes to. Pure, over ./shell's parse.
 */
import { POSITIONAL, type SimpleCommand, type Word } from "./shell";

/** What is known of a script's variables. */
export interface Scope {
    vars: Map<string, VarInfo>;
    /** Array assignments, each with its elements' literal values (undefined when not literal). */
    arrays: Map<string, (string | undefined)[][]>;
    /** Directories the script changes to. */
    cwds: string[];
    /**
     * A variable nothing assigns comes from the host's environment, and may hold any value: true
     * unless the command's environment is unknown (during preview).
     */
    envOpen?: boolean;
    /** The functions the script (or the script around it) defines. */
    functions?: Set<string>;
}

export interface VarInfo {
    /** Literal values of scalar assignments. */
    scalars: Set<string>;
    /** Every literal value the variable may hold: scalars, array elements, loop items, their words. */
    values: Set<string>;
    /** Some assignment's value is not literal (or the variable is read from input). */
    open: boolean;
    /** An array or a loop variable. */
    multi: boolean;
    /** It may hold any value at all: a positional parameter bound to a value from the environment. */
    any?: boolean;
}

export function plain(text: string): Word {
    return { raw: text, parts: [{ kind: "literal", text, quoted: false }] };
}

// ---------------------------------------------------------------------------------------------
// Words and paths

/** An absolute path without `.`, `..` and repeated slashes. */
export function normalize(path: string): string {
    const out: string[] = [];
    for (const seg of path.split("/")) {
        if (seg === "" || seg === ".") {
            continue;
        }
        if (seg === "..") {
            out.pop();
        } else {
            out.push(seg);
        }
    }
    return `/${out.join("/")}`;
}

/** Expands unquoted `{a,b}` in literal parts: `cp daemon.json{,.bak}` names two files. */
export function expandBraces(word: Word, limit = 16): Word[] {
    for (let i = 0; i < word.parts.length; i++) {
        const p = word.parts[i];
        if (p.kind !== "literal" || p.quoted) {
            continue;
        }
        const m = /\{([^{}]*,[^{}]*)\}/.exec(p.text);
        if (m === null) {
            continue;
        }
        const out: Word[] = [];
        for (const alt of m[1].split(",")) {
            const text = p.text.slice(0, m.index) + alt + p.text.slice(m.index + m[0].length);
            const parts = [...word.parts];
            parts[i] = { kind: "literal", text, quoted: false };
            out.push(...expandBraces({ raw: word.raw, parts }, limit));
            if (out.length >= limit) {
                break;
            }
        }
        return out.slice(0, limit);
    }
    return [word];
}

/** The literal values a word may take: `exact` when it has exactly one. */
export function evaluate(word: Word, scope: Scope): { exact?: string; values: string[]; glob?: RegExp } {
    if (word.array !== undefined) {
        return { values: [] };
    }
    let alternatives: string[] = [""];
    let unique = true;
    let pattern = "";
    let globbing = false;
    for (const p of word.parts) {
        let options: string[];
        if (p.kind === "literal") {
            options = [p.text];
            if (!p.quoted && /[*?[]/.test(p.text)) {
                globbing = true;
                pattern += p.text
                    .split("")
                    .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c === "[" ? "[" : c === "]" ? "]" : esc(c)))
                    .join("");
            } else {
                pattern += esc(p.text);
            }
        } else if (p.kind === "variable") {
            const info = scope.vars.get(p.name);
            const fallback = p.fallback !== undefined && !/[$`]/.test(p.fallback) ? [p.fallback] : [];
            const only =
                info !== undefined && !info.open && !info.multi && info.scalars.size === 1 && p.index === undefined
                    ? [...info.scalars][0]
                    : undefined;
            if (only !== undefined && (fallback.length === 0 || only !== "")) {
                options = [only];
            } else {
                options = [...new Set([...(info === undefined ? [] : info.values), ...fallback])];
                unique = false;
            }
            pattern += "\0";
        } else {
            return { values: [] };
        }
        if (options.length === 0) {
            return { values: [] };
        }
        const next: string[] = [];
        for (const a of alternatives) {
            for (const o of options) {
                if (next.length < 256) {
                    next.push(a + o);
                }
            }
        }
        alternatives = next;
    }
    const glob = globbing && !pattern.includes("\0") ? safeRegExp(`^${pattern}$`) : undefined;
    return unique && alternatives.length === 1
        ? { exact: alternatives[0], values: alternatives, glob }
        : { values: alternatives, glob };
}

function esc(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Compiled patterns by source: a step script evaluates the same words many times. */
const compiled = new Map<string, RegExp | undefined>();

function safeRegExp(source: string): RegExp | undefined {
    if (compiled.has(source)) {
        return compiled.get(source);
    }
    let re: RegExp | undefined;
    try {
        re = new RegExp(source);
    } catch {
        re = undefined;
    }
    if (compiled.size >= 4096) {
        compiled.clear();
    }
    compiled.set(source, re);
    return re;
}

/** The one literal value of a word, or undefined. */
export function textOf(word: Word, scope: Scope): string | undefined {
    return evaluate(word, scope).exact;
}

/** A command word's program name, without its directory. */
export function nameOf(word: Word | undefined, scope: Scope): string | undefined {
    if (word === undefined) {
        return undefined;
    }
    const t = textOf(word, scope);
    return t === undefined ? undefined : t.slice(t.lastIndexOf("/") + 1);
}

// ---------------------------------------------------------------------------------------------
// Variables

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/;

export function assignmentOf(word: Word): { name: string; value: Word; append: boolean } | undefined {
    const first = word.parts[0];
    if (first === undefined || first.kind !== "literal" || first.quoted) {
        return undefined;
    }
    const m = ASSIGNMENT.exec(first.text);
    if (m === null) {
        return undefined;
    }
    const rest = first.text.slice(m[0].length);
    const parts = rest === "" ? word.parts.slice(1) : [{ ...first, text: rest }, ...word.parts.slice(1)];
    return {
        name: m[1],
        value: { raw: word.raw, parts, array: word.array },
        append: m[3] === "+" || m[2] !== undefined,
    };
}

export function stripAssignments(words: Word[]): Word[] {
    let i = 0;
    while (i < words.length && assignmentOf(words[i]) !== undefined) {
        i++;
    }
    return words.slice(i);
}

/** Every word of a literal text, for values that are split into words later (`for f in $FILES`). */
function fields(text: string): string[] {
    return text.split(/[ \t\n]+/).filter((s) => s !== "");
}

const DECLARERS = new Set(["local", "export", "declare", "typeset", "readonly"]);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function newInfo(): VarInfo {
    return { scalars: new Set(), values: new Set(), open: false, multi: false };
}

function copyInfo(v: VarInfo): VarInfo {
    const c: VarInfo = { scalars: new Set(v.scalars), values: new Set(v.values), open: v.open, multi: v.multi };
    if (v.any === true) {
        c.any = true;
    }
    return c;
}

/** Whether a variable may hold any value: a positional parameter bound to one, or one nothing assigns. */
function anything(name: string, info: VarInfo | undefined, scope: Scope): boolean {
    if (info !== undefined) {
        return info.any === true;
    }
    return scope.envOpen === true && !POSITIONAL.test(name);
}

/**
 * A pattern for a word with a part that may hold any value (a variable from the host's
 * environment): undefined when no part may, or when a part is not followed (a command, a computed
 * value). Other variables stand for the values they may take.
 */
export function anyPattern(word: Word, scope: Scope): RegExp | undefined {
    if (
        word.array !== undefined ||
        !word.parts.some((p) => p.kind === "variable" && anything(p.name, scope.vars.get(p.name), scope))
    ) {
        return undefined;
    }
    let any = false;
    let source = "";
    for (const p of word.parts) {
        if (p.kind === "literal") {
            source += esc(p.text);
        } else if (p.kind === "variable") {
            const info = scope.vars.get(p.name);
            if (anything(p.name, info, scope)) {
                any = true;
                source += "[\\s\\S]*";
            } else if (info !== undefined && info.values.size > 0 && info.values.size <= 64) {
                source += `(?:${[...info.values].map(esc).join("|")})`;
            } else {
                return undefined;
            }
        } else {
            return undefined;
        }
    }
    return any ? safeRegExp(`^${source}$`) : undefined;
}

/** Beyond this many values, a positional parameter may hold anything. */
const MAX_BOUND = 256;

/**
 * Adds a word's values to a positional parameter's. Values with white space are left out: no part
 * of a path the pack looks for has any, and messages passed to functions would multiply.
 */
function bindValue(info: VarInfo, word: Word, scope: Scope): void {
    if (word.parts.some((p) => p.kind === "literal" && /\s/.test(p.text))) {
        // A message: never a path, and not worth its alternatives.
        info.open = true;
        return;
    }
    const e = evaluate(word, scope);
    if (e.exact !== undefined) {
        info.scalars.add(e.exact);
    } else {
        info.open = true;
        if (anyPattern(word, scope) !== undefined) {
            info.any = true;
        }
    }
    for (const v of e.values) {
        if (!/\s/.test(v)) {
            info.values.add(v);
        }
    }
    if (info.values.size > MAX_BOUND) {
        info.any = true;
        info.open = true;
    }
}

/** Positional parameters (`$0`, `$1`..., `$@`, `$*`) bound to words: `sh -c TEXT NAME ARG...`. */
export function bindPositional(words: Word[], scope: Scope, from = 0): Map<string, VarInfo> {
    const out = new Map<string, VarInfo>();
    const all = newInfo();
    all.multi = true;
    words.forEach((w, k) => {
        const info = newInfo();
        bindValue(info, w, scope);
        out.set(String(k + from), info);
        if (k + from > 0) {
            bindValue(all, w, scope);
        }
    });
    out.set("@", all);
    out.set("*", copyInfo(all));
    return out;
}

/**
 * The variables, arrays and directories of a script, over those of the script around it.
 * `positional` binds the script's positional parameters (`sh -c TEXT NAME ARG...`) instead of the
 * parent's (a command substitution or `eval` shares them). Within the script, `$1`... also take the arguments of the calls to its
 * functions and of `set --`.
 */
export function buildVars(
    commands: SimpleCommand[],
    parent: Scope | undefined,
    positional?: Map<string, VarInfo>,
): Scope {
    // Each round starts from the parent's variables, shared until a round changes one (`get`).
    const base = new Map<string, VarInfo>();
    for (const [k, v] of parent?.vars ?? []) {
        if (positional === undefined || !POSITIONAL.test(k)) {
            base.set(k, v);
        }
    }
    for (const [k, v] of positional ?? []) {
        base.set(k, v);
    }
    const inherited = () => new Map(base);
    let vars = inherited();
    const arrays = new Map<string, (string | undefined)[][]>();
    // Only evaluate() reads this context: the variables of the previous round.
    const ctx: Scope = { vars, arrays, cwds: [...(parent?.cwds ?? [])], envOpen: parent?.envOpen };
    const functions = new Set<string>(positional === undefined ? (parent?.functions ?? []) : []);
    for (const cmd of commands) {
        if (cmd.defines !== undefined) {
            functions.add(cmd.defines);
        } else if (cmd.words.length > 1 && literalText(cmd.words[0]) === "function") {
            const f = literalText(cmd.words[1]);
            if (f !== undefined) {
                functions.add(f.replace(/\(\)$/, ""));
            }
        }
    }
    // eval, `.` and `source` run text the pack does not see: any variable may change.
    let everyOpen = false;
    // Assignments may use variables assigned later in the text (in functions): each round
    // evaluates every assignment with the previous round's variables, until they settle.
    for (let round = 0; round < 4; round++) {
        const next = inherited();
        const own = new Set<string>();
        const get = (name: string) => {
            let info = next.get(name);
            if (!own.has(name)) {
                info = info === undefined ? newInfo() : copyInfo(info);
                next.set(name, info);
                own.add(name);
            }
            return info!;
        };
        /** A variable the command sets to a value the script does not hold. */
        const open = (w: Word | undefined, multi = false) => {
            const t = w === undefined ? undefined : textOf(w, ctx);
            if (t !== undefined && VAR_NAME.test(t)) {
                const info = get(t);
                info.open = true;
                info.multi ||= multi;
            }
        };
        arrays.clear();
        for (const cmd of commands) {
            const words = cmd.words;
            let bare = stripAssignments(words);
            let first = bare.length > 0 ? textOf(bare[0], ctx) : undefined;
            if ((first === "builtin" || first === "command") && bare.length > 1) {
                bare = bare.slice(1);
                first = textOf(bare[0], ctx);
            }
            const declaring = first !== undefined && DECLARERS.has(first);
            const assigned = declaring ? [...words.slice(0, words.length - bare.length), ...bare.slice(1)] : words;
            const nameref = declaring && bare.some((w) => /^-[A-Za-z]*n/.test(textOf(w, ctx) ?? ""));
            for (const w of assigned) {
                const a = assignmentOf(w);
                if (a === undefined) {
                    if (!declaring) {
                        break;
                    }
                    // `local x`, `declare x`: x starts empty; `declare -n x`: x names another.
                    if (first !== "export" && first !== "readonly") {
                        open(w);
                    }
                    continue;
                }
                const info = get(a.name);
                if (nameref) {
                    info.open = true;
                    open(a.value);
                    continue;
                }
                if (a.value.array !== undefined) {
                    info.multi = true;
                    const elems = a.value.array.map((e) => evaluate(e, ctx));
                    arrays.set(a.name, [...(arrays.get(a.name) ?? []), elems.map((e) => e.exact)]);
                    for (const e of elems) {
                        if (e.values.length === 0) {
                            info.open = true;
                        }
                        for (const v of e.values) {
                            info.values.add(v);
                            fields(v).forEach((f) => info.values.add(f));
                        }
                    }
                    continue;
                }
                const e = evaluate(a.value, ctx);
                if (a.append || e.exact === undefined) {
                    info.open = true;
                } else {
                    info.scalars.add(e.exact);
                }
                for (const v of e.values) {
                    info.values.add(v);
                    fields(v).forEach((f) => info.values.add(f));
                }
            }
            if (first === undefined) {
                continue;
            }
            if (first === "for" || first === "select") {
                const name = bare.length > 1 ? textOf(bare[1], ctx) : undefined;
                if (name !== undefined && VAR_NAME.test(name)) {
                    const info = get(name);
                    info.multi = true;
                    if (bare.length < 3 || textOf(bare[2], ctx) !== "in") {
                        info.open = true;
                    }
                    for (const w of bare.slice(3)) {
                        const e = evaluate(w, ctx);
                        if (e.values.length === 0) {
                            info.open = true;
                        }
                        for (const v of e.values) {
                            info.values.add(v);
                            fields(v).forEach((f) => info.values.add(f));
                        }
                    }
                }
            } else if (first === "read" || first === "mapfile" || first === "readarray") {
                const multi = first !== "read";
                const before = next.size;
                bare.slice(1).forEach((w) => open(w, multi));
                if (next.size === before) {
                    open(plain(first === "read" ? "REPLY" : "MAPFILE"), multi);
                }
            } else if (first === "printf") {
                bare.forEach((w, k) => {
                    if (k > 0 && textOf(w, ctx) === "-v") {
                        open(bare[k + 1]);
                    }
                });
            } else if (first === "getopts") {
                open(bare[2]);
                open(plain("OPTARG"));
            } else if (first === "unset") {
                if (!bare.some((w) => textOf(w, ctx) === "-f")) {
                    bare.slice(1).forEach((w) => open(w));
                }
            } else if (first === "eval" || first === "." || first === "source") {
                everyOpen = true;
            } else if (functions.has(first) || (first === "set" && bare.length > 1)) {
                let args = bare.slice(1);
                if (first === "set") {
                    // `set -- a b` and `set a b` set them; `set -euo pipefail` does not.
                    const dd = args.findIndex((w) => textOf(w, ctx) === "--");
                    if (dd >= 0) {
                        args = args.slice(dd + 1);
                    } else if (/^[-+]/.test(textOf(args[0], ctx) ?? "-")) {
                        continue;
                    }
                }
                args.forEach((w, k) => {
                    bindValue(get(String(k + 1)), w, ctx);
                    const all = get("@");
                    all.multi = true;
                    bindValue(all, w, ctx);
                    const star = get("*");
                    star.multi = true;
                    bindValue(star, w, ctx);
                });
            }
        }
        if (everyOpen) {
            for (const name of [...next.keys()]) {
                get(name).open = true;
            }
        }
        vars = next;
        ctx.vars = next;
    }
    for (const cmd of commands) {
        const words = stripAssignments(cmd.words);
        const name = nameOf(words[0], ctx);
        if ((name === "cd" || name === "pushd") && words.length > 1) {
            const dir = textOf(words[words.length - 1], ctx);
            if (dir !== undefined && dir.startsWith("/")) {
                ctx.cwds.push(normalize(dir));
            }
        }
    }
    return { vars, arrays, cwds: [...new Set(ctx.cwds)], envOpen: parent?.envOpen, functions };
}

function literalText(word: Word): string | undefined {
    return word.parts.every((p) => p.kind === "literal")
        ? word.parts.map((p) => (p.kind === "literal" ? p.text : "")).join("")
        : undefined;
}
