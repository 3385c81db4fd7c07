/**
 * What a shell script does to one file: writes it (and with what content, when the content is
 * literal text the script holds), removes it, or may write it through a path the pack cannot pin
 * down. Built on ./shell's parse; control flow is flattened, so a write in any branch counts.
 *
 * Followed: redirections, `tee`/`sponge`, copies, moves, links and installs (also into the file's
 * directory), `sed -i`/`perl -i`/`yq -i`, `dd of=`, `curl -o`, editors, interpreters whose
 * program names the file; through `sudo`, `env`, `exec`, `timeout` and the like; into `sh -c`,
 * `bash <<EOF`, `su -c`, `ssh host ...`, `eval`, `trap` and command substitutions; with simple
 * variables (assigned literally, anywhere in the text), arrays, `for` loops, positional parameters
 * (`sh -c TEXT NAME ARG...`, `set --`, the arguments of the script's functions), brace expansion,
 * globs, `cd`, `sudo -D` and `env -C`. A file written through a variable nothing assigns (from the
 * host's environment) may be the file. Content is read from here-documents, here-strings, `echo`, `printf` (%s, %b, %%),
 * pipelines, and the command's own standard input. Anything else that touches the file is reported
 * with the reason the pack cannot read it.
 */
import { parseShell, POSITIONAL, ShellSyntaxError, type HereDoc, type SimpleCommand, type Word } from "./shell";
import {
    anyPattern,
    assignmentOf,
    bindPositional,
    buildVars,
    evaluate,
    expandBraces,
    nameOf,
    normalize,
    plain,
    stripAssignments,
    textOf,
    type Scope,
    type VarInfo,
} from "./shellValues";

/** Programs that run shell scripts. */
export const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox"]);
const INTERPRETERS = new Set(
    "python python2 python3 perl ruby node nodejs php lua awk gawk mawk nawk pwsh tclsh".split(" "),
);
/** Commands that only read the files they are given (or take them as settings, not as output). */
const READERS = new Set(
    "cat head tail less more grep egrep fgrep zgrep rg diff cmp sha1sum sha224sum sha256sum sha384sum sha512sum md5sum b2sum cksum sum wc file stat ls test [ [[ jq readlink realpath dirname basename echo printf logger source . dockerd chmod chown chgrp chattr lsattr setfacl getfacl touch mkdir od xxd hexdump base64 cd pushd local export declare typeset readonly read for select case return exit true false : set shift unset hd_log hd_die".split(
        " ",
    ),
);
const COPIERS: Record<string, { verb: string; withArg: Set<string> }> = {
    cp: { verb: "copies {src} over it", withArg: new Set(["-t", "-S"]) },
    install: { verb: "installs {src} over it", withArg: new Set(["-m", "-o", "-g", "-t", "-S", "-Z"]) },
    mv: { verb: "moves {src} over it", withArg: new Set(["-t", "-S"]) },
    ln: { verb: "replaces it with a link to {src}", withArg: new Set(["-t", "-S"]) },
    rsync: { verb: "copies {src} over it", withArg: new Set(["-e", "-f"]) },
    scp: { verb: "copies {src} over it", withArg: new Set(["-P", "-i", "-o", "-F", "-c", "-l", "-S", "-J"]) },
};

/** What a command reading its standard input gets. `prop` marks the command's own `stdin` field. */
export type Source = { text: string; from: string; prop?: boolean } | { unreadable: string } | { unknown: true };

export type Found =
    | { offset: number; kind: "content"; source: Source }
    | { offset: number; kind: "removal" }
    | { offset: number; kind: "maybe"; raw: string };

type Mention = "exact" | "maybe" | undefined;

interface Ctx extends Scope {
    /** The file looked for: absolute and normalized; its directory and name. */
    path: string;
    dir: string;
    file: string;
    /** When set, the file is named by words written as one of these (`$HD_TMP/daemon.json`) instead. */
    shapes?: string[];
    /** Do not report writes through variables that may hold the path. */
    ignoreMaybe: boolean;
    /** Commands, as written (words and redirections joined by spaces), to pass over. */
    skipLines: string[];
    stdin: Source;
    /** Where text the script itself holds comes from (a field of the command). */
    from: string;
    depth: number;
    base: number;
    out: Found[];
}

/** A word as a message may quote it: one line, at most 60 characters. */
export function short(raw: string): string {
    const one = raw.replace(/\s+/g, " ");
    return one.length <= 60 ? one : `${one.slice(0, 57)}...`;
}

/** Whether a path string names the file, given the directories the script changes to. */
function pathMatch(value: string, ctx: Ctx): Mention {
    if (value.startsWith("/")) {
        return normalize(value) === ctx.path ? "exact" : undefined;
    }
    if (value === "" || value.startsWith("~") || value.includes("://")) {
        return undefined;
    }
    const hits = ctx.cwds.filter((d) => normalize(`${d}/${value}`) === ctx.path);
    if (hits.length === 0) {
        return undefined;
    }
    return hits.length === ctx.cwds.length ? "exact" : "maybe";
}

/**
 * Whether a word names the target: exactly, or possibly (a variable that may hold it, a glob). A
 * word a command writes (`target`) also may name it through a variable from the host's environment.
 */
function mention(word: Word, ctx: Ctx, target = false): Mention {
    if (ctx.shapes !== undefined) {
        const shape = word.parts
            .map((p) =>
                p.kind === "literal" ? p.text : p.kind === "variable" && p.index === undefined ? `$${p.name}` : "\0",
            )
            .join("");
        return ctx.shapes.includes(shape) ? "exact" : undefined;
    }
    const e = evaluate(word, ctx);
    if (e.exact !== undefined) {
        const m = pathMatch(e.exact, ctx);
        if (m !== undefined) {
            return m;
        }
        if (e.glob !== undefined && (e.glob.test(ctx.path) || (ctx.cwds.includes(ctx.dir) && e.glob.test(ctx.file)))) {
            return "maybe";
        }
        return undefined;
    }
    if (e.values.some((v) => pathMatch(v, ctx) !== undefined)) {
        return "maybe";
    }
    return target && anyMatch(word, ctx) ? "maybe" : undefined;
}

/** Whether a word with a part that may hold anything may be the file's path. */
function anyMatch(word: Word, ctx: Ctx): boolean {
    const re = anyPattern(word, ctx);
    if (re === undefined) {
        return false;
    }
    if (re.test(ctx.path)) {
        return true;
    }
    return ctx.cwds.some((d) => ctx.path.startsWith(`${d}/`) && re.test(ctx.path.slice(d.length + 1)));
}

/** A mention in an option's value: `--config-file=/etc/docker/daemon.json`, `of=...`. */
function mentionInOption(word: Word, ctx: Ctx): Mention {
    if (ctx.shapes !== undefined) {
        return undefined;
    }
    const e = evaluate(word, ctx);
    for (const v of e.values) {
        const m = /^[A-Za-z-]*=(.+)$/s.exec(v);
        if (m !== null && pathMatch(m[1], ctx) !== undefined) {
            return e.exact !== undefined ? pathMatch(m[1], ctx) : "maybe";
        }
    }
    return undefined;
}

/** Whether a word names a directory the file is in (`rm -r /etc/docker`), exactly or possibly. */
function holds(word: Word, ctx: Ctx): Mention {
    const e = evaluate(word, ctx);
    const under = (v: string) => {
        const d = v.startsWith("/") ? normalize(v) : undefined;
        return d !== undefined && (d === "/" || ctx.path.startsWith(`${d}/`));
    };
    if (e.exact !== undefined) {
        return under(e.exact) ? "exact" : e.glob?.test(ctx.dir) === true ? "maybe" : undefined;
    }
    return e.values.some(under) ? "maybe" : undefined;
}

function isTargetDir(word: Word, ctx: Ctx): boolean {
    const e = evaluate(word, ctx);
    return e.exact !== undefined && e.exact.startsWith("/") && normalize(e.exact) === ctx.dir;
}

// ---------------------------------------------------------------------------------------------
// What commands read and write

/**
 * Drops what runs a command without being it: sudo, env, nohup, timeout, exec...; the directories
 * `sudo -D` and `env -C` run it in are added to `dirs`.
 */
function unwrap(input: Word[], ctx: Ctx, dirs: Word[] = []): Word[] {
    let words = stripAssignments(input);
    for (let guard = 0; guard < 8 && words.length > 0; guard++) {
        const name = nameOf(words[0], ctx);
        let i = 1;
        const opt = (k: number) => textOf(words[k], ctx) ?? "";
        if (name === "sudo" || name === "doas") {
            let shell = false;
            while (i < words.length && opt(i).startsWith("-")) {
                const o = opt(i);
                i++;
                if (o === "--") {
                    break;
                }
                if (/^-[ugpCDhrtTU]$/.test(o) || /^--(user|group|host|prompt|close-from|chdir|role|type)$/.test(o)) {
                    if ((o === "-D" || o === "--chdir") && i < words.length) {
                        dirs.push(words[i]);
                    }
                    i++;
                } else if (o.startsWith("--chdir=")) {
                    dirs.push(plain(o.slice(8)));
                } else if (/^-[A-Za-z]*[si]/.test(o) || o === "--shell" || o === "--login") {
                    shell = true;
                }
            }
            const rest = stripAssignments(words.slice(i));
            words = rest.length === 0 && shell ? [plain("sh")] : rest;
        } else if (name === "env") {
            while (i < words.length && (opt(i).startsWith("-") || assignmentOf(words[i]) !== undefined)) {
                if (opt(i) === "-C" && i + 1 < words.length) {
                    dirs.push(words[i + 1]);
                } else if (opt(i).startsWith("--chdir=")) {
                    dirs.push(plain(opt(i).slice(8)));
                }
                i += opt(i) === "-u" || opt(i) === "-C" || opt(i) === "--chdir" ? 2 : 1;
            }
            words = words.slice(i);
        } else if (name === "nohup" || name === "setsid" || name === "chronic" || name === "builtin") {
            words = words.slice(1);
        } else if (name === "exec" || name === "command" || name === "time") {
            if (name === "command" && /^-[vV]$/.test(opt(1))) {
                return [];
            }
            while (i < words.length && opt(i).startsWith("-")) {
                i += opt(i) === "-a" ? 2 : 1;
            }
            words = words.slice(i);
        } else if (name === "nice" || name === "ionice" || name === "stdbuf") {
            while (i < words.length && opt(i).startsWith("-")) {
                i += /^-[nct]$/.test(opt(i)) || /^-[ioe]$/.test(opt(i)) ? 2 : 1;
            }
            words = words.slice(i);
        } else if (name === "timeout") {
            while (i < words.length && opt(i).startsWith("-")) {
                i += /^-[sk]$/.test(opt(i)) ? 2 : 1;
            }
            words = words.slice(i + 1);
        } else {
            return words;
        }
    }
    return words;
}

/** The words after the options (`--` ends them); options in `withArg` take the next word. */
function operandsOf(
    words: Word[],
    ctx: Ctx,
    withArg: Set<string>,
): { options: string[]; operands: Word[]; args: Map<string, Word> } {
    const options: string[] = [];
    const operands: Word[] = [];
    const args = new Map<string, Word>();
    let done = false;
    for (let i = 1; i < words.length; i++) {
        const t = textOf(words[i], ctx);
        if (!done && t === "--") {
            done = true;
        } else if (!done && t !== undefined && t.startsWith("-") && t !== "-") {
            options.push(t);
            if (withArg.has(t) && i + 1 < words.length) {
                args.set(t, words[i + 1]);
                i++;
            }
        } else {
            operands.push(words[i]);
        }
    }
    return { options, operands, args };
}

function hereDocText(h: HereDoc, from: string): Source {
    if (h.quoted) {
        return { text: h.body, from };
    }
    let out = "";
    const b = h.body;
    for (let i = 0; i < b.length; i++) {
        const c = b[i];
        if (c === "\\" && i + 1 < b.length && "$`\\\n".includes(b[i + 1])) {
            if (b[i + 1] !== "\n") {
                out += b[i + 1];
            }
            i++;
        } else if ((c === "$" && /[A-Za-z_{(0-9@*#?$!-]/.test(b[i + 1] ?? "")) || c === "`") {
            return {
                unreadable: `its here-document (<<${h.delimiter}) is unquoted and expands "${c === "`" ? "`" : "$"}" in its text`,
            };
        } else {
            out += c;
        }
    }
    return { text: out, from };
}

/** What a command reads on its standard input. */
function stdinOf(cmd: SimpleCommand, ctx: Ctx): Source {
    for (const r of [...cmd.redirects].reverse()) {
        if (r.fd !== undefined && r.fd !== 0) {
            continue;
        }
        if (r.heredoc !== undefined) {
            return hereDocText(r.heredoc, ctx.from);
        }
        if (r.op === "<<<") {
            const t = textOf(r.target!, ctx);
            return t === undefined
                ? { unreadable: "its here-string expands a variable or a command" }
                : { text: `${t}\n`, from: ctx.from };
        }
        if (r.op === "<") {
            return { unreadable: `it is copied from ${short(r.target!.raw)}` };
        }
    }
    if (cmd.pipedFrom !== undefined) {
        return stdoutOf(cmd.pipedFrom, ctx);
    }
    return ctx.stdin;
}

function echoText(words: Word[], ctx: Ctx): Source {
    let i = 1;
    let newline = true;
    while (i < words.length && /^-[neE]+$/.test(textOf(words[i], ctx) ?? "")) {
        newline = newline && !textOf(words[i], ctx)!.includes("n");
        i++;
    }
    const texts = words.slice(i).map((w) => textOf(w, ctx));
    if (texts.some((t) => t === undefined)) {
        return { unreadable: "echo's text expands a variable or a command" };
    }
    const text = texts.join(" ");
    if (text.includes("\\")) {
        return { unreadable: "echo's text has a backslash, which bash's echo and sh's echo read differently" };
    }
    return { text: newline ? `${text}\n` : text, from: ctx.from };
}

const PRINTF_ESCAPES: Record<string, string> = {
    n: "\n",
    t: "\t",
    r: "\r",
    "\\": "\\",
    '"': '"',
    "'": "'",
    a: "\x07",
    b: "\b",
    f: "\f",
    v: "\v",
    e: "\x1b",
};

function unescape(text: string): string {
    return text.replace(/\\(0[0-7]{0,3}|x[0-9A-Fa-f]{1,2}|.)/gs, (m, e: string) => {
        if (e in PRINTF_ESCAPES) {
            return PRINTF_ESCAPES[e];
        }
        if (e[0] === "0") {
            return String.fromCharCode(parseInt(e, 8));
        }
        if (e[0] === "x") {
            return String.fromCharCode(parseInt(e.slice(1), 16));
        }
        return m;
    });
}

/** printf with %s, %b and %%: what scripts use to write a file; other conversions are not followed. */
function printfText(words: Word[], ctx: Ctx): Source {
    let i = 1;
    if (textOf(words[i] ?? plain(""), ctx) === "--") {
        i++;
    }
    const texts = words.slice(i).map((w) => textOf(w, ctx));
    if (texts.length === 0) {
        return { unreadable: "printf has no format" };
    }
    if (texts.some((t) => t === undefined)) {
        return { unreadable: "printf's text expands a variable or a command" };
    }
    const [format, ...args] = texts as string[];
    if (format.startsWith("-")) {
        return { unreadable: `printf ${format} is not followed` };
    }
    let out = "";
    let next = 0;
    for (let round = 0; round < 1000; round++) {
        let used = false;
        for (let k = 0; k < format.length; k++) {
            const c = format[k];
            if (c === "\\") {
                const m = /^\\(0[0-7]{0,3}|x[0-9A-Fa-f]{1,2}|.)/s.exec(format.slice(k))!;
                out += unescape(m[0]);
                k += m[0].length - 1;
            } else if (c === "%") {
                const conv = format[k + 1];
                if (conv === "%") {
                    out += "%";
                } else if (conv === "s" || conv === "b") {
                    const a = args[next] ?? "";
                    next++;
                    used = true;
                    out += conv === "b" ? unescape(a) : a;
                } else {
                    return { unreadable: `printf's conversion %${conv ?? ""} is not followed` };
                }
                k++;
            } else {
                out += c;
            }
        }
        if (!used || next >= args.length) {
            break;
        }
    }
    return { text: out, from: ctx.from };
}

/** What a command writes on its standard output, as far as the pack can tell. */
function stdoutOf(cmd: SimpleCommand, ctx: Ctx): Source {
    if (cmd.compound !== undefined) {
        return { unreadable: "a compound command (a loop, an if, a group or a subshell) produces its content" };
    }
    const words = unwrap(cmd.words, ctx);
    if (words.length === 0) {
        return { text: "", from: ctx.from };
    }
    const name = nameOf(words[0], ctx);
    if (name === undefined) {
        return { unreadable: "a command the pack cannot resolve produces its content" };
    }
    switch (name) {
        case "cat":
        case "tee":
        case "sponge": {
            const { operands } = operandsOf(words, ctx, new Set());
            if (name === "cat" && operands.some((w) => textOf(w, ctx) !== "-")) {
                return { unreadable: `cat copies ${short(operands[0].raw)} into it` };
            }
            return stdinOf(cmd, ctx);
        }
        case "echo":
            return echoText(words, ctx);
        case "printf":
            return printfText(words, ctx);
        case ":":
        case "true":
            return { text: "", from: ctx.from };
        default:
            return { unreadable: `${name} produces its content` };
    }
}

function push(
    ctx: Ctx,
    offset: number,
    f: { kind: "content"; source: Source } | { kind: "removal" } | { kind: "maybe"; raw: string },
): void {
    if (f.kind === "maybe" && ctx.ignoreMaybe) {
        // The caller knows the script loops over lists that hold the path (a hardened-docker step).
        return;
    }
    ctx.out.push({ ...f, offset: ctx.base + offset } as Found);
}

function unreadable(ctx: Ctx, offset: number, reason: string): void {
    push(ctx, offset, { kind: "content", source: { unreadable: reason } });
}

/**
 * A script of its own (`sh -c`, `$(...)`, `ssh host ...`), read with the variables around it;
 * `positional` binds its `$0`, `$1`... when it runs in a shell of its own (none: it shares them).
 */
function nested(script: string, ctx: Ctx, stdin: Source, offset: number, positional?: Map<string, VarInfo>): void {
    if (ctx.depth >= 8) {
        if (script.includes(ctx.file)) {
            unreadable(ctx, offset, "it is written by scripts nested too deep to follow");
        }
        return;
    }
    analyze(script, { ...ctx, stdin, depth: ctx.depth + 1, base: ctx.base + offset }, positional);
}

function analyze(script: string, parent: Ctx, positional?: Map<string, VarInfo>): void {
    let commands: SimpleCommand[];
    try {
        commands = parseShell(script);
    } catch (e) {
        if (!(e instanceof ShellSyntaxError)) {
            throw e;
        }
        if (parent.shapes === undefined && script.includes(parent.file)) {
            unreadable(parent, 0, `the pack cannot parse the script that names it (${e.message})`);
        }
        return;
    }
    const ctx: Ctx = { ...parent, ...buildVars(commands, parent, positional), out: parent.out };
    for (const cmd of commands) {
        visit(cmd, ctx);
    }
}

function isOutput(r: SimpleCommand["redirects"][number], ctx: Ctx): boolean {
    if ([">", ">>", ">|", "&>", "&>>", "<>"].includes(r.op)) {
        return true;
    }
    return r.op === ">&" && !/^([0-9]+|-)$/.test(textOf(r.target!, ctx) ?? "");
}

function visit(cmd: SimpleCommand, ctx: Ctx): void {
    const at = cmd.offset;
    if (ctx.skipLines.length > 0) {
        const line = [...cmd.words.map((w) => w.raw), ...cmd.redirects.map((r) => `${r.op}${r.target?.raw ?? ""}`)];
        if (ctx.skipLines.includes(line.join(" "))) {
            return;
        }
    }
    // Command substitutions run first, with their own redirections.
    const all = [
        ...cmd.words,
        ...cmd.words.flatMap((w) => w.array ?? []),
        ...cmd.redirects.flatMap((r) => (r.target ? [r.target] : [])),
    ];
    for (const w of all) {
        for (const p of w.parts) {
            if (p.kind === "command") {
                nested(p.script, ctx, { unreadable: "it reads standard input inside a command substitution" }, at);
            }
        }
    }

    const bare = stripAssignments(cmd.words);
    const execOnly = bare.length === 1 && textOf(bare[0], ctx) === "exec";
    const dirs: Word[] = [];
    const words = unwrap(cmd.words, ctx, dirs).flatMap((w) => expandBraces(w));
    const name = nameOf(words[0], ctx);

    for (const r of cmd.redirects) {
        if (r.target === undefined || !isOutput(r, ctx)) {
            continue;
        }
        const m = mention(r.target, ctx, true);
        if (m === undefined) {
            continue;
        }
        if (m === "maybe") {
            push(ctx, at, { kind: "maybe", raw: r.target.raw });
        } else if (execOnly) {
            unreadable(ctx, at, "exec sends the rest of the script's output into it");
        } else if (r.op === ">>" || r.op === "&>>") {
            unreadable(ctx, at, `${name ?? "a command"} appends to it (>>)`);
        } else if (r.op === "<>") {
            unreadable(ctx, at, `${name ?? "a command"} opens it for reading and writing (<>)`);
        } else if (r.fd !== undefined && r.fd !== 1) {
            unreadable(ctx, at, `${name ?? "a command"} writes its file descriptor ${r.fd} into it`);
        } else {
            push(ctx, at, { kind: "content", source: stdoutOf(cmd, ctx) });
        }
    }

    if (words.length === 0) {
        return;
    }
    if (dirs.length > 0) {
        // `sudo -D DIR cmd`: the command's relative paths are in DIR (its redirections are not).
        const d = textOf(dirs[dirs.length - 1], ctx);
        ctx = { ...ctx, cwds: d?.startsWith("/") === true ? [normalize(d)] : [] };
    }
    if (name === undefined) {
        if (ctx.shapes === undefined && words.slice(1).some((w) => mention(w, ctx) === "exact")) {
            unreadable(ctx, at, "a command the pack cannot resolve is given it");
        } else if (
            ctx.shapes === undefined &&
            words[0].parts.some((p) => p.kind === "variable" && POSITIONAL.test(p.name)) &&
            mention(words[0], ctx) !== undefined
        ) {
            // `"$@"` runs a function's arguments: a command the pack cannot follow, given the file.
            push(ctx, at, { kind: "maybe", raw: words[0].raw });
        }
        return;
    }
    if (ctx.functions?.has(name) === true && nameOf(stripAssignments(cmd.words)[0], ctx) === name) {
        // The script's own function: its commands are read where it is defined, with $1... bound.
        return;
    }
    operands(cmd, words, name, ctx);
}

/** Reads a command's operands: what it writes, removes, or runs. */
function operands(cmd: SimpleCommand, words: Word[], name: string, ctx: Ctx): void {
    const at = cmd.offset;
    const raw = words.slice(1);
    const named = (w: Word) => mention(w, ctx) ?? mentionInOption(w, ctx);

    if (name === "tee" || name === "sponge") {
        const { options, operands } = operandsOf(words, ctx, new Set());
        const append = options.some((o) => o === "--append" || /^-[a-z]*a/.test(o));
        for (const w of operands) {
            const m = mention(w, ctx, true);
            if (m === "maybe") {
                push(ctx, at, { kind: "maybe", raw: w.raw });
            } else if (m === "exact") {
                if (append) {
                    unreadable(ctx, at, `${name} -a appends to it`);
                } else {
                    push(ctx, at, { kind: "content", source: stdinOf(cmd, ctx) });
                }
            }
        }
        return;
    }
    if (name in COPIERS || (name === "docker" && textOf(words[1] ?? plain(""), ctx) === "cp")) {
        copier(cmd, name === "docker" ? words.slice(1) : words, name === "docker" ? "cp" : name, ctx);
        return;
    }
    if (name === "rm" || name === "unlink") {
        const { options, operands: files } = operandsOf(words, ctx, new Set());
        const recursive = options.some((o) => /^-[A-Za-z]*[rR]/.test(o) || o === "--recursive");
        for (const w of files) {
            const m = mention(w, ctx) ?? (recursive ? holds(w, ctx) : undefined);
            if (m !== undefined && ctx.shapes === undefined) {
                push(ctx, at, m === "exact" ? { kind: "removal" } : { kind: "maybe", raw: w.raw });
            }
        }
        return;
    }
    if (SHELLS.has(name) || name === "su" || name === "runuser") {
        shell(cmd, words, name, ctx);
        return;
    }
    if (name === "eval") {
        const texts = raw.map((w) => textOf(w, ctx));
        if (texts.every((t) => t !== undefined)) {
            nested(texts.join(" "), ctx, stdinOf(cmd, ctx), at);
        } else if (ctx.shapes === undefined && raw.some((w) => w.raw.includes(ctx.file))) {
            unreadable(ctx, at, "eval runs text the pack cannot resolve");
        }
        return;
    }
    if (name === "ssh") {
        ssh(cmd, words, ctx);
        return;
    }
    if (name === "trap") {
        if (words.length > 2) {
            runText(words[1], cmd, name, ctx);
        }
        return;
    }
    if (ctx.shapes !== undefined) {
        // A staged copy is read by the script's own functions (validate, compare); only edits count.
        if (name === "sed" || name === "perl") {
            inPlace(cmd, words, name, ctx);
        }
        return;
    }
    if (INTERPRETERS.has(name) || /^python[0-9.]*$/.test(name)) {
        if (
            /^python/.test(name) &&
            textOf(words[1] ?? plain(""), ctx) === "-m" &&
            textOf(words[2] ?? plain(""), ctx) === "json.tool"
        ) {
            const files = operandsOf(words.slice(2), ctx, new Set()).operands;
            if (files.length > 1 && mention(files[1], ctx) !== undefined) {
                unreadable(ctx, at, "python -m json.tool rewrites it from another file");
            }
            return;
        }
        if (name === "perl" && inPlace(cmd, words, name, ctx)) {
            return;
        }
        // The program is in its words (-c, -e) or on its standard input (python3 - <<'EOF').
        const program = stdinOf(cmd, ctx);
        const inProgram = "text" in program && !program.prop && program.text.includes(ctx.path);
        if (inProgram || raw.some((w) => (textOf(w, ctx) ?? w.raw).includes(ctx.path) || named(w) === "exact")) {
            unreadable(ctx, at, `${name} runs a program that names it`);
        } else if (raw.some((w) => named(w) === "maybe")) {
            push(ctx, at, { kind: "maybe", raw: raw.find((w) => named(w) === "maybe")!.raw });
        }
        return;
    }
    if (name === "sed" || name === "yq") {
        inPlace(cmd, words, name, ctx);
        return;
    }
    if (name === "dd") {
        for (const w of raw) {
            const t = textOf(w, ctx);
            if (t?.startsWith("of=") && pathMatch(t.slice(3), ctx) !== undefined) {
                unreadable(ctx, at, "dd writes it");
            }
        }
        return;
    }
    if (name === "curl" || name === "wget") {
        const flags = name === "curl" ? ["-o", "--output"] : ["-O", "--output-document"];
        for (let i = 1; i < words.length; i++) {
            const t = textOf(words[i], ctx) ?? "";
            const value = flags.includes(t) ? words[i + 1] : undefined;
            if (
                (value !== undefined && mention(value, ctx) !== undefined) ||
                mentionInOption(words[i], ctx) !== undefined
            ) {
                unreadable(ctx, at, `${name} downloads it`);
            }
        }
        return;
    }
    if (name === "find") {
        const acts = raw.map((w) => textOf(w, ctx) ?? "");
        if (
            acts.some((a) => /^-(delete|exec|execdir|ok|okdir|fprint|fprintf|fprint0|fls)$/.test(a)) &&
            raw.some((w) => w.raw.includes(ctx.file) || isTargetDir(w, ctx))
        ) {
            unreadable(ctx, at, "find runs an action that may change it");
        }
        return;
    }
    if (["truncate", "shred", "vi", "vim", "nano", "emacs", "ed", "ex"].includes(name)) {
        if (raw.some((w) => named(w) !== undefined)) {
            unreadable(ctx, at, `${name} ${name === "truncate" || name === "shred" ? "overwrites" : "edits"} it`);
        }
        return;
    }
    if (READERS.has(name) || name === "docker" || name === "systemctl") {
        return;
    }
    const m = raw.map(named).find((x) => x !== undefined);
    if (m === "exact") {
        unreadable(ctx, at, `${name} is given it, and the pack cannot tell whether ${name} changes it`);
    } else if (m === "maybe") {
        push(ctx, at, { kind: "maybe", raw: raw.find((w) => named(w) !== undefined)!.raw });
    }
}

/** sed -i, perl -i, yq -i: an edit in place. Returns true when the command edits in place. */
function inPlace(cmd: SimpleCommand, words: Word[], name: string, ctx: Ctx): boolean {
    const opts = words.slice(1).map((w) => textOf(w, ctx) ?? "");
    const editing = opts.some(
        (o) => o === "--in-place" || o === "--inplace" || o.startsWith("--in-place=") || /^-[A-Za-z]*i/.test(o),
    );
    if (!editing) {
        return false;
    }
    if (words.slice(1).some((w) => mention(w, ctx) !== undefined)) {
        if (
            mention(
                words.slice(1).find((w) => mention(w, ctx) !== undefined)!,
                ctx,
            ) === "maybe"
        ) {
            push(ctx, cmd.offset, { kind: "maybe", raw: words.find((w) => mention(w, ctx) !== undefined)!.raw });
        } else {
            unreadable(ctx, cmd.offset, `${name} edits it in place`);
        }
    }
    return true;
}

function copier(cmd: SimpleCommand, words: Word[], name: string, ctx: Ctx): void {
    const spec = COPIERS[name];
    const at = cmd.offset;
    const { options, operands, args } = operandsOf(words, ctx, spec.withArg);
    if (name === "install" && options.some((o) => o === "-d" || o === "--directory")) {
        return;
    }
    const targetDirOpt = options.find((o) => o.startsWith("--target-directory="));
    const targetDir = args.get("-t") ?? (targetDirOpt === undefined ? undefined : plain(targetDirOpt.slice(19)));
    const dest = targetDir === undefined ? operands[operands.length - 1] : undefined;
    const sources = targetDir === undefined ? operands.slice(0, -1) : operands;
    const what = (src: Word | undefined) => {
        const text = src === undefined ? undefined : textOf(src, ctx);
        return spec.verb.replace("{src}", text === undefined ? "another file" : short(text));
    };
    if (dest !== undefined && sources.length > 0) {
        const m = mention(dest, ctx, true);
        if (m === "maybe") {
            push(ctx, at, { kind: "maybe", raw: dest.raw });
        } else if (m === "exact") {
            const only = sources.length === 1 ? textOf(sources[0], ctx) : undefined;
            if ((name === "cp" || name === "install") && (only === "/dev/stdin" || only === "-")) {
                push(ctx, at, { kind: "content", source: stdinOf(cmd, ctx) });
            } else {
                unreadable(ctx, at, `${name} ${what(sources[0])}`);
            }
        }
    }
    const dir = targetDir ?? dest;
    if (dir !== undefined && ctx.shapes === undefined && isTargetDir(dir, ctx)) {
        for (const src of sources) {
            const base = nameOf(src, ctx);
            if (base === ctx.file) {
                unreadable(ctx, at, `${name} ${what(src)}`);
            } else if (base === undefined) {
                push(ctx, at, { kind: "maybe", raw: `${dir.raw}/${src.raw}` });
            }
        }
    }
    if (dest !== undefined && ctx.shapes === undefined) {
        treeCopy(cmd, name, options, sources, dest, ctx);
    }
    if (name === "mv" && ctx.shapes === undefined) {
        for (const src of sources) {
            const m = mention(src, ctx);
            if (m !== undefined) {
                push(ctx, at, m === "exact" ? { kind: "removal" } : { kind: "maybe", raw: src.raw });
            }
        }
    }
}

/**
 * A directory moved or copied whole where the file's directory is: `cp -r DIR/. /etc/docker/`,
 * `mv DIR /etc/docker`, `cp -a DIR/docker /etc/`. What it holds is not known: maybe the file.
 */
function treeCopy(cmd: SimpleCommand, name: string, options: string[], sources: Word[], dest: Word, ctx: Ctx): void {
    const recursive =
        name === "mv" || options.some((o) => /^-[A-Za-z]*[rRa]/.test(o) || o === "--recursive" || o === "--archive");
    const d = textOf(dest, ctx);
    if (!recursive || d === undefined || !d.startsWith("/")) {
        return;
    }
    const to = normalize(d);
    const under = (dir: string) => dir === "/" || ctx.path.startsWith(`${dir}/`);
    for (const src of sources) {
        const s = textOf(src, ctx)?.replace(/\/+$/, "");
        const base = s?.slice(s.lastIndexOf("/") + 1);
        const whole = base === undefined || base === "." || base === "" || /[*?[]/.test(base);
        if (
            (whole && under(to)) ||
            (!whole && base !== ctx.file && under(normalize(`${to}/${base}`))) ||
            (name === "mv" && to === ctx.dir && !d.endsWith("/") && base !== ctx.file)
        ) {
            push(ctx, cmd.offset, { kind: "maybe", raw: dest.raw });
            return;
        }
    }
}

function shell(cmd: SimpleCommand, words: Word[], name: string, ctx: Ctx): void {
    const at = cmd.offset;
    let i = 1;
    let script: Word | undefined;
    if (name === "su" || name === "runuser") {
        for (let k = 1; k < words.length; k++) {
            const t = textOf(words[k], ctx) ?? "";
            if (t === "-c" || t === "--command") {
                script = words[k + 1];
            } else if (t.startsWith("--command=")) {
                script = plain(t.slice(10));
            }
        }
        if (script !== undefined) {
            runText(script, cmd, name, ctx, new Map());
        }
        return;
    }
    if (name === "busybox") {
        if (!SHELLS.has(textOf(words[1] ?? plain(""), ctx) ?? "")) {
            return;
        }
        i = 2;
    }
    let c = false;
    let s = false;
    while (i < words.length) {
        const t = textOf(words[i], ctx) ?? "";
        if (t === "--" || t === "-") {
            i++;
            break;
        }
        if (!/^[-+]/.test(t)) {
            break;
        }
        if (t === "-o" || t === "+o" || t === "-O" || t === "+O") {
            i += 2;
            continue;
        }
        if (/^-[A-Za-z]*c[A-Za-z]*$/.test(t)) {
            c = true;
        }
        if (/^-[A-Za-z]*s[A-Za-z]*$/.test(t)) {
            s = true;
        }
        i++;
    }
    if (c) {
        if (i < words.length) {
            // `sh -c TEXT NAME ARG...`: $0 is NAME, $1 the first ARG.
            runText(words[i], cmd, name, ctx, bindPositional(words.slice(i + 1), ctx));
        }
        return;
    }
    if (i < words.length && !s) {
        // A shell running a file: nothing the pack can see.
        return;
    }
    // `bash -s ARG...` reads its script from standard input, with $1 the first ARG.
    fromStdin(cmd, ctx, at, bindPositional(words.slice(i), ctx, 1));
}

/** `sh -c TEXT`, `su -c TEXT`, `trap TEXT`: a script in a word. */
function runText(script: Word, cmd: SimpleCommand, name: string, ctx: Ctx, positional?: Map<string, VarInfo>): void {
    const text = textOf(script, ctx);
    if (text !== undefined) {
        nested(text, ctx, stdinOf(cmd, ctx), cmd.offset, positional);
    } else if (ctx.shapes === undefined && script.raw.includes(ctx.file)) {
        unreadable(ctx, cmd.offset, `${name} runs text the pack cannot resolve`);
    }
}

/** A shell or ssh that reads its script from standard input: a here-document, a pipe. */
function fromStdin(cmd: SimpleCommand, ctx: Ctx, at: number, positional = new Map<string, VarInfo>()): void {
    const src = stdinOf(cmd, ctx);
    if ("text" in src && !src.prop) {
        nested(src.text, ctx, { unreadable: "it reads its content from the rest of its own script" }, at, positional);
    }
}

function ssh(cmd: SimpleCommand, words: Word[], ctx: Ctx): void {
    const { operands } = operandsOf(
        words,
        ctx,
        new Set([
            "-b",
            "-c",
            "-D",
            "-E",
            "-e",
            "-F",
            "-I",
            "-i",
            "-J",
            "-L",
            "-l",
            "-m",
            "-O",
            "-o",
            "-p",
            "-Q",
            "-R",
            "-S",
            "-W",
            "-w",
        ]),
    );
    const remote = operands.slice(1);
    if (remote.length === 0) {
        fromStdin(cmd, ctx, cmd.offset);
        return;
    }
    const texts = remote.map((w) => textOf(w, ctx));
    if (texts.every((t) => t !== undefined)) {
        nested(texts.join(" "), ctx, stdinOf(cmd, ctx), cmd.offset, new Map());
    } else if (ctx.shapes === undefined && remote.some((w) => w.raw.includes(ctx.file))) {
        unreadable(ctx, cmd.offset, "ssh runs a remote command the pack cannot resolve");
    }
}

/** What to look for, and what the script reads on its standard input. */
export interface WriteQuery {
    /** The file, absolute. */
    path: string;
    /** Look for words written as one of these (`$HD_TMP/daemon.json`), a staged copy, instead of the path. */
    shapes?: string[];
    /** Do not report writes through variables that may hold the path. */
    ignoreMaybe?: boolean;
    /** Commands, as written (words and redirections joined by spaces), to pass over. */
    skipLines?: string[];
    stdin: Source;
    /** Where text the script itself holds comes from. */
    from: string;
    /**
     * The variables the command sets in the script's environment (a value undefined when unknown);
     * undefined when the environment is unknown: then a variable nothing assigns is not "any value".
     */
    env?: Record<string, string | undefined>;
    /** The directory the script starts in, absolute, when known. */
    cwd?: string;
}

/** The environment's variables as the script's own, and whether others may hold anything. */
function envVars(env: WriteQuery["env"]): Map<string, VarInfo> {
    const vars = new Map<string, VarInfo>();
    for (const [k, v] of Object.entries(env ?? {})) {
        vars.set(k, {
            scalars: new Set(v === undefined ? [] : [v]),
            values: new Set(v === undefined ? [] : [v]),
            open: v === undefined,
            multi: false,
        });
    }
    return vars;
}

/** Everything the script does to the file, in text order. */
export function findWrites(script: string, q: WriteQuery): Found[] {
    const path = normalize(q.path);
    const out: Found[] = [];
    analyze(script, {
        path,
        dir: normalize(`${path}/..`),
        file: path.slice(path.lastIndexOf("/") + 1),
        shapes: q.shapes,
        ignoreMaybe: q.ignoreMaybe ?? false,
        skipLines: q.skipLines ?? [],
        vars: envVars(q.env),
        arrays: new Map(),
        cwds: q.cwd !== undefined && q.cwd.startsWith("/") ? [normalize(q.cwd)] : [],
        envOpen: q.env !== undefined,
        stdin: q.stdin,
        from: q.from,
        depth: 0,
        base: 0,
        out,
    });
    return out.sort((a, b) => a.offset - b.offset);
}

/** The arrays a script assigns (`name=(...)`), each assignment's literal elements; undefined if it does not parse. */
export function arraysOf(script: string): Map<string, (string | undefined)[][]> | undefined {
    try {
        return buildVars(parseShell(script), undefined).arrays;
    } catch (e) {
        if (e instanceof ShellSyntaxError) {
            return undefined;
        }
        throw e;
    }
}
