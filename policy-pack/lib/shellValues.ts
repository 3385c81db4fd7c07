/**
 * The values a shell script's words may take, as far as the text says: literal text, variables
 * assigned literally (anywhere in the script: functions may be defined before what they use),
 * arrays, `for` loop items, `${name:-default}`, brace expansion, globs, and the directories `cd`
 * goes to. Pure, over ./shell's parse.
 */
import type { SimpleCommand, Word } from "./shell";

/** What is known of a script's variables. */
export interface Scope {
    vars: Map<string, VarInfo>;
    /** Array assignments, each with its elements' literal values (undefined when not literal). */
    arrays: Map<string, (string | undefined)[][]>;
    /** Directories the script changes to. */
    cwds: string[];
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

/** The variables, arrays and directories of a script, over those of the script around it. */
export function buildVars(commands: SimpleCommand[], parent: Scope | undefined): Scope {
    const inherited = () => {
        const m = new Map<string, VarInfo>();
        for (const [k, v] of parent?.vars ?? []) {
            m.set(k, { scalars: new Set(v.scalars), values: new Set(v.values), open: v.open, multi: v.multi });
        }
        return m;
    };
    let vars = inherited();
    const arrays = new Map<string, (string | undefined)[][]>();
    // Only evaluate() reads this context: the variables of the previous round.
    const ctx: Scope = { vars, arrays, cwds: [...(parent?.cwds ?? [])] };
    // Assignments may use variables assigned later in the text (in functions): each round
    // evaluates every assignment with the previous round's variables, until they settle.
    for (let round = 0; round < 4; round++) {
        const next = inherited();
        const get = (name: string) => {
            let info = next.get(name);
            if (info === undefined) {
                info = { scalars: new Set(), values: new Set(), open: false, multi: false };
                next.set(name, info);
            }
            return info;
        };
        arrays.clear();
        for (const cmd of commands) {
            const words = cmd.words;
            const first = words.length > 0 ? textOf(words[0], ctx) : undefined;
            const declaring =
                first !== undefined && ["local", "export", "declare", "typeset", "readonly"].includes(first);
            for (const w of words) {
                const a = assignmentOf(w);
                if (a === undefined) {
                    if (!declaring) {
                        break;
                    }
                    continue;
                }
                const info = get(a.name);
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
            if (first === "for" || first === "select") {
                const name = words.length > 1 ? textOf(words[1], ctx) : undefined;
                if (name !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
                    const info = get(name);
                    info.multi = true;
                    if (words.length < 3 || textOf(words[2], ctx) !== "in") {
                        info.open = true;
                    }
                    for (const w of words.slice(3)) {
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
                for (const w of words.slice(1)) {
                    const t = textOf(w, ctx);
                    if (t !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) {
                        get(t).open = true;
                    }
                }
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
    return { vars, arrays, cwds: [...new Set(ctx.cwds)] };
}
