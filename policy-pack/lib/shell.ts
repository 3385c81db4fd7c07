/**
 * Just enough of bash's grammar to follow what a command script does with a file: words with their
 * quoting and expansions, redirections, here-documents, pipelines, arrays and command
 * substitutions. Control flow is flattened to a list of simple commands in text order (an `if`'s
 * branches both count). Pure: text in, structure out; throws ShellSyntaxError where bash would
 * refuse the text, or where this reader cannot follow it.
 */

/** A piece of a word, in order. `quoted` pieces are not subject to globbing or brace expansion. */
export type Part =
    | { kind: "literal"; text: string; quoted: boolean }
    /**
     * `$name`, `${name}`, `${name[i]}`, or `${name:-word}` (whose `fallback` is the word's text);
     * also the positional parameters `$1`, `${10}`, `$0`, `$@` and `$*`, by their digits or sign.
     */
    | { kind: "variable"; name: string; index?: string; fallback?: string; quoted: boolean }
    /** Any other expansion: special parameters (`$#`, `$?`...), `${#x}`, `${x%y}`, arithmetic. */
    | { kind: "expansion"; refs: string[]; quoted: boolean }
    /** `$(...)`, `` `...` ``, `<(...)` or `>(...)`: a script of its own. */
    | { kind: "command"; script: string; quoted: boolean };

export interface Word {
    /** The word as written. */
    raw: string;
    parts: Part[];
    /** The elements of an array assignment `name=(...)`; the word itself is then `name=`. */
    array?: Word[];
}

export interface HereDoc {
    /** The body as written, each line ending with a newline (leading tabs gone for `<<-`). */
    body: string;
    /** The delimiter was quoted: the body is literal text. */
    quoted: boolean;
    delimiter: string;
}

export interface Redirect {
    /** `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<>`, `<<`, `<<-`, `<<<`, `>&`, `<&`. */
    op: string;
    /** The file descriptor written before the operator, if any. */
    fd?: number;
    /** The file, here-string or descriptor; absent for a here-document. */
    target?: Word;
    heredoc?: HereDoc;
}

export interface SimpleCommand {
    words: Word[];
    redirects: Redirect[];
    /** The command before it in a pipeline: its standard output is this one's standard input. */
    pipedFrom?: SimpleCommand;
    /**
     * Set when the redirections belong to a compound command: `done > f`, `fi > f`, `} > f`,
     * `) > f`; its words are then empty.
     */
    compound?: string;
    /** Position in the text, for ordering what the script does. */
    offset: number;
    /** `name() ...`: the command is a function's definition, its only word the function's name. */
    defines?: string;
}

export class ShellSyntaxError extends Error {}

const META = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const OPERATORS = [
    "&>>",
    "<<<",
    "<<-",
    ";;&",
    "&>",
    "<<",
    ">>",
    ">|",
    "<>",
    ">&",
    "<&",
    ";;",
    ";&",
    "&&",
    "||",
    "|&",
    "|",
    "&",
    ";",
    "(",
    ")",
    "<",
    ">",
];
const REDIRECTS = new Set(["&>>", "<<<", "<<-", "&>", "<<", ">>", ">|", "<>", ">&", "<&", "<", ">"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A positional parameter's name: `1`, `10`, `0`, `@`, `*`. */
export const POSITIONAL = /^([0-9]+|[@*])$/;
/** Words that open or close compound commands; at the start of a command they are not its name. */
const OPENERS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"]);
const CLOSERS = new Set(["fi", "done", "esac", "}"]);

type Token =
    | { t: "word"; word: Word; offset: number }
    | { t: "op"; op: string; offset: number }
    | { t: "redirect"; redirect: Redirect; offset: number }
    | { t: "newline"; offset: number };

/** Decodes the escapes of `$'...'` (ANSI-C quoting). */
function ansiC(text: string): string {
    return text.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|u[0-9A-Fa-f]{1,4}|.)/gs, (_m, e: string) => {
        const simple: Record<string, string> = {
            n: "\n",
            t: "\t",
            r: "\r",
            a: "\x07",
            b: "\b",
            e: "\x1b",
            E: "\x1b",
            f: "\f",
            v: "\v",
            "\\": "\\",
            "'": "'",
            '"': '"',
            "?": "?",
        };
        if (e in simple) {
            return simple[e];
        }
        if (e[0] === "x" || e[0] === "u") {
            return String.fromCodePoint(parseInt(e.slice(1), 16));
        }
        if (/^[0-7]+$/.test(e)) {
            return String.fromCharCode(parseInt(e, 8));
        }
        return `\\${e}`;
    });
}

class Lexer {
    private pos = 0;
    private readonly tokens: Token[] = [];
    private pending: Redirect[] = [];

    constructor(private readonly src: string) {}

    run(): Token[] {
        const s = this.src;
        while (this.pos < s.length) {
            const c = s[this.pos];
            if (c === " " || c === "\t" || c === "\r") {
                this.pos++;
            } else if (c === "\\" && s[this.pos + 1] === "\n") {
                this.pos += 2;
            } else if (c === "#") {
                while (this.pos < s.length && s[this.pos] !== "\n") {
                    this.pos++;
                }
            } else if (c === "\n") {
                this.tokens.push({ t: "newline", offset: this.pos });
                this.pos++;
                this.readHereDocs();
            } else if ((c === "<" || c === ">") && s[this.pos + 1] === "(") {
                const offset = this.pos;
                this.tokens.push({ t: "word", word: this.readWord(), offset });
            } else if (META.has(c)) {
                this.readOperator(undefined);
            } else {
                const offset = this.pos;
                const word = this.readWord();
                const next = s[this.pos];
                if (/^[0-9]+$/.test(word.raw) && (next === "<" || next === ">")) {
                    this.readOperator(Number(word.raw));
                } else {
                    this.tokens.push({ t: "word", word, offset });
                }
            }
        }
        if (this.pending.length > 0) {
            // bash reads a here-document that starts on the last line to the end of the text.
            this.readHereDocs();
        }
        return this.tokens;
    }

    private readOperator(fd: number | undefined): void {
        const offset = this.pos;
        const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
        if (op === undefined) {
            throw new ShellSyntaxError(`unexpected ${JSON.stringify(this.src[this.pos])}`);
        }
        this.pos += op.length;
        if (!REDIRECTS.has(op)) {
            this.tokens.push({ t: "op", op, offset });
            return;
        }
        while (this.src[this.pos] === " " || this.src[this.pos] === "\t") {
            this.pos++;
        }
        const at = this.src[this.pos];
        const substitution = (at === "<" || at === ">") && this.src[this.pos + 1] === "(";
        if (this.pos >= this.src.length || (META.has(at) && !substitution)) {
            throw new ShellSyntaxError(`${op} without a target`);
        }
        const target = this.readWord();
        const redirect: Redirect = fd === undefined ? { op } : { op, fd };
        if (op === "<<" || op === "<<-") {
            const quoted = target.parts.some((p) => p.quoted) || target.raw.includes("\\");
            const delimiter = target.parts.map((p) => (p.kind === "literal" ? p.text : "")).join("");
            if (target.parts.some((p) => p.kind !== "literal")) {
                // bash takes `$x` in a delimiter literally; treat it as the text written.
                redirect.heredoc = { body: "", quoted, delimiter: target.raw.replace(/["'\\]/g, "") };
            } else {
                redirect.heredoc = { body: "", quoted, delimiter };
            }
            this.pending.push(redirect);
        } else {
            redirect.target = target;
        }
        this.tokens.push({ t: "redirect", redirect, offset });
    }

    private readHereDocs(): void {
        const s = this.src;
        for (const r of this.pending) {
            const h = r.heredoc!;
            const strip = r.op === "<<-";
            const lines: string[] = [];
            while (this.pos < s.length) {
                let end = s.indexOf("\n", this.pos);
                if (end < 0) {
                    end = s.length;
                }
                let line = s.slice(this.pos, end);
                this.pos = Math.min(end + 1, s.length);
                if (strip) {
                    line = line.replace(/^\t+/, "");
                }
                if (line === h.delimiter) {
                    break;
                }
                lines.push(line);
            }
            h.body = lines.map((l) => `${l}\n`).join("");
        }
        this.pending = [];
    }

    /** Reads one word; at `name=(` reads the array's elements too. */
    private readWord(): Word {
        const s = this.src;
        const start = this.pos;
        const parts: Part[] = [];
        const lit = (text: string, quoted: boolean) => {
            const last = parts[parts.length - 1];
            if (last !== undefined && last.kind === "literal" && last.quoted === quoted) {
                last.text += text;
            } else {
                parts.push({ kind: "literal", text, quoted });
            }
        };
        while (this.pos < s.length) {
            const c = s[this.pos];
            if ((c === "<" || c === ">") && s[this.pos + 1] === "(" && this.pos === start) {
                this.pos++;
                parts.push({ kind: "command", script: this.readBalanced("(", ")"), quoted: false });
                continue;
            }
            if (c === "(" && parts.length > 0 && this.pos > start) {
                const sofar = s.slice(start, this.pos);
                if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(sofar)) {
                    this.pos++;
                    return { raw: sofar, parts, array: this.readArray() };
                }
            }
            if (META.has(c)) {
                break;
            }
            if (c === "'") {
                const end = s.indexOf("'", this.pos + 1);
                if (end < 0) {
                    throw new ShellSyntaxError("unterminated single quote");
                }
                lit(s.slice(this.pos + 1, end), true);
                this.pos = end + 1;
            } else if (c === '"') {
                this.pos++;
                this.readDoubleQuoted(parts, lit);
            } else if (c === "\\") {
                if (s[this.pos + 1] === "\n") {
                    this.pos += 2;
                } else if (this.pos + 1 < s.length) {
                    lit(s[this.pos + 1], true);
                    this.pos += 2;
                } else {
                    lit("\\", false);
                    this.pos++;
                }
            } else if (c === "$" && s[this.pos + 1] === "'") {
                const m = /^\$'((?:[^'\\]|\\.)*)'/s.exec(s.slice(this.pos));
                if (m === null) {
                    throw new ShellSyntaxError("unterminated $'...'");
                }
                lit(ansiC(m[1]), true);
                this.pos += m[0].length;
            } else if (c === "$" && s[this.pos + 1] === '"') {
                this.pos += 2;
                this.readDoubleQuoted(parts, lit);
            } else if (c === "$") {
                this.readDollar(parts, lit, false);
            } else if (c === "`") {
                parts.push({ kind: "command", script: this.readBackticks(), quoted: false });
            } else {
                lit(c, false);
                this.pos++;
            }
        }
        return { raw: s.slice(start, this.pos), parts };
    }

    private readArray(): Word[] {
        const s = this.src;
        const out: Word[] = [];
        for (;;) {
            while (this.pos < s.length && /[ \t\r\n]/.test(s[this.pos])) {
                this.pos++;
            }
            if (this.pos >= s.length) {
                throw new ShellSyntaxError("unterminated array");
            }
            if (s[this.pos] === ")") {
                this.pos++;
                return out;
            }
            if (s[this.pos] === "#") {
                while (this.pos < s.length && s[this.pos] !== "\n") {
                    this.pos++;
                }
                continue;
            }
            if (META.has(s[this.pos])) {
                throw new ShellSyntaxError(`unexpected ${JSON.stringify(s[this.pos])} in an array`);
            }
            out.push(this.readWord());
        }
    }

    private readDoubleQuoted(parts: Part[], lit: (text: string, quoted: boolean) => void): void {
        const s = this.src;
        while (this.pos < s.length) {
            const c = s[this.pos];
            if (c === '"') {
                this.pos++;
                return;
            }
            if (c === "\\") {
                const n = s[this.pos + 1];
                if (n === "\n") {
                    this.pos += 2;
                } else if (n === "$" || n === "`" || n === '"' || n === "\\") {
                    lit(n, true);
                    this.pos += 2;
                } else {
                    lit("\\", true);
                    this.pos++;
                }
            } else if (c === "$") {
                this.readDollar(parts, lit, true);
            } else if (c === "`") {
                parts.push({ kind: "command", script: this.readBackticks(), quoted: true });
            } else {
                lit(c, true);
                this.pos++;
            }
        }
        throw new ShellSyntaxError("unterminated double quote");
    }

    private readDollar(parts: Part[], lit: (text: string, quoted: boolean) => void, quoted: boolean): void {
        const s = this.src;
        const n = s[this.pos + 1];
        if (n === "(" && s[this.pos + 2] === "(") {
            this.pos += 1;
            const inner = this.readBalanced("(", ")");
            parts.push({ kind: "expansion", refs: inner.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [], quoted });
        } else if (n === "(") {
            this.pos += 1;
            parts.push({ kind: "command", script: this.readBalanced("(", ")"), quoted });
        } else if (n === "{") {
            this.pos += 1;
            const inner = this.readBalanced("{", "}");
            let m: RegExpExecArray | null;
            if (NAME.test(inner) || POSITIONAL.test(inner)) {
                parts.push({ kind: "variable", name: inner, quoted });
            } else if ((m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(inner)) !== null) {
                parts.push({ kind: "variable", name: m[1], index: m[2], quoted });
            } else if ((m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*]):?[-=](.*)$/s.exec(inner)) !== null) {
                parts.push({ kind: "variable", name: m[1], fallback: m[2], quoted });
            } else {
                parts.push({ kind: "expansion", refs: inner.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [], quoted });
            }
        } else if (n !== undefined && /[A-Za-z_]/.test(n)) {
            const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos + 1))!;
            parts.push({ kind: "variable", name: m[0], quoted });
            this.pos += 1 + m[0].length;
        } else if (n !== undefined && /[0-9@*]/.test(n)) {
            parts.push({ kind: "variable", name: n, quoted });
            this.pos += 2;
        } else if (n !== undefined && /[#?$!-]/.test(n)) {
            parts.push({ kind: "expansion", refs: [], quoted });
            this.pos += 2;
        } else {
            lit("$", quoted);
            this.pos++;
        }
    }

    /** From an opening bracket at `pos`, the text up to its match (quotes and nesting respected). */
    private readBalanced(open: string, close: string): string {
        const s = this.src;
        const start = this.pos + 1;
        let depth = 0;
        while (this.pos < s.length) {
            const c = s[this.pos];
            if (c === "\\") {
                this.pos += 2;
                continue;
            }
            if (c === "'" && open === "(") {
                const end = s.indexOf("'", this.pos + 1);
                if (end < 0) {
                    throw new ShellSyntaxError("unterminated single quote");
                }
                this.pos = end + 1;
                continue;
            }
            if (c === '"') {
                this.pos++;
                while (this.pos < s.length && s[this.pos] !== '"') {
                    this.pos += s[this.pos] === "\\" ? 2 : 1;
                }
                if (this.pos >= s.length) {
                    throw new ShellSyntaxError("unterminated double quote");
                }
                this.pos++;
                continue;
            }
            if (c === open) {
                depth++;
            } else if (c === close) {
                depth--;
                if (depth === 0) {
                    this.pos++;
                    return s.slice(start, this.pos - 1);
                }
            }
            this.pos++;
        }
        throw new ShellSyntaxError(`unterminated ${open}`);
    }

    private readBackticks(): string {
        const s = this.src;
        let out = "";
        this.pos++;
        while (this.pos < s.length) {
            const c = s[this.pos];
            if (c === "`") {
                this.pos++;
                return out;
            }
            if (c === "\\" && "`$\\".includes(s[this.pos + 1] ?? "")) {
                out += s[this.pos + 1];
                this.pos += 2;
            } else {
                out += c;
                this.pos++;
            }
        }
        throw new ShellSyntaxError("unterminated backquote");
    }
}

/** The text of a word when it has no expansions, else undefined. */
export function literalOf(word: Word): string | undefined {
    if (word.array !== undefined || word.parts.some((p) => p.kind !== "literal")) {
        return undefined;
    }
    return word.parts.map((p) => (p.kind === "literal" ? p.text : "")).join("");
}

/** Parses a script into its simple commands, in text order; command substitutions are not entered. */
export function parseShell(src: string): SimpleCommand[] {
    const tokens = new Lexer(src).run();
    const out: SimpleCommand[] = [];
    let cur: SimpleCommand = { words: [], redirects: [], offset: 0 };
    let started = false;
    let afterParen = false;
    const finish = (pipe: boolean) => {
        const had = cur.words.length > 0 || cur.redirects.length > 0;
        if (had) {
            if (cur.words.length === 0 && cur.compound === undefined && afterParen) {
                cur.compound = ")";
            }
            out.push(cur);
        }
        const next: SimpleCommand = { words: [], redirects: [], offset: 0 };
        if (pipe && had) {
            next.pipedFrom = cur;
        }
        cur = next;
        started = false;
    };
    for (let k = 0; k < tokens.length; k++) {
        const tok = tokens[k];
        if (
            tok.t === "op" &&
            tok.op === "(" &&
            cur.words.length === 1 &&
            cur.redirects.length === 0 &&
            tokens[k + 1]?.t === "op" &&
            (tokens[k + 1] as { op: string }).op === ")"
        ) {
            const fname = literalOf(cur.words[0]);
            if (fname !== undefined && /^[A-Za-z_][A-Za-z0-9_:.-]*$/.test(fname)) {
                // `name() {`: the definition, then its body's commands.
                cur.defines = fname;
                finish(false);
                k++;
                continue;
            }
        }
        if (!started) {
            cur.offset = tok.offset;
        }
        if (tok.t === "word") {
            const lit = literalOf(tok.word);
            if (cur.words.length === 0 && cur.compound === undefined && lit !== undefined && OPENERS.has(lit)) {
                continue;
            }
            if (cur.words.length === 0 && lit !== undefined && CLOSERS.has(lit)) {
                cur.compound = lit;
                started = true;
                continue;
            }
            cur.words.push(tok.word);
            started = true;
            afterParen = false;
        } else if (tok.t === "redirect") {
            cur.redirects.push(tok.redirect);
            started = true;
        } else if (tok.t === "op") {
            finish(tok.op === "|" || tok.op === "|&");
            afterParen = tok.op === ")";
        } else {
            finish(false);
            afterParen = false;
        }
    }
    finish(false);
    return out;
}
