import * as assert from "node:assert/strict";
import { literalOf, parseShell, ShellSyntaxError } from "../../../policy-pack/lib/shell";

/** Each command as its words' literal values (`?` where a word expands) and its redirections. */
function shape(src: string): string[] {
    return parseShell(src).map((c) => {
        const words = c.words.map((w) => (w.array ? `${w.raw}(${w.array.length})` : (literalOf(w) ?? "?")));
        const redirects = c.redirects.map((r) =>
            r.heredoc
                ? `${r.op}${r.heredoc.quoted ? "'" : ""}[${r.heredoc.body}]`
                : `${r.fd ?? ""}${r.op}${r.target?.raw}`,
        );
        return [c.compound ?? "", ...words, ...redirects, c.pipedFrom ? "<-pipe" : ""]
            .filter((x) => x !== "")
            .join(" ");
    });
}

describe("parseShell", () => {
    const CASES: [string, string, string[]][] = [
        ["quotes and escapes", `echo 'a b' "c\\"d" e\\ f $'g\\nh'`, ['echo a b c"d e f g\nh']],
        ["expansions", 'echo "$x" ${y:-z} $(date) `id`', ["echo ? ? ? ?"]],
        ["operators and keywords", "if true; then a && b || c; fi; ! d", ["true", "a", "b", "c", "d"]],
        ["a pipeline", "a | b |& c", ["a", "b <-pipe", "c <-pipe"]],
        ["redirections", "cmd 2>&1 >/dev/null &>>log <in", ["cmd 2>&1 >/dev/null &>>log <in"]],
        ["a quoted here-document", "cat <<'EOF' >f\n$x\nEOF\nnext", ["cat <<'[$x\n] >f", "next"]],
        ["<<- strips tabs", "cat <<-EOF\n\ta\n\tEOF\n", ["cat <<-[a\n]"]],
        ["two here-documents on a line", "a <<A; b <<B\n1\nA\n2\nB\n", ["a <<[1\n]", "b <<[2\n]"]],
        ["an array", "arr=(a 'b c'\n  d) x", ["arr=(3) x"]],
        ["comments", "a # b > c\n#d\ne", ["a", "e"]],
        ["a loop's redirection", "for i in 1; do echo; done > f", ["for i in 1", "echo", "done >f"]],
        ["a subshell's redirection", "(a; b) > f", ["a", "b", ") >f"]],
        ["process substitution", "diff <(a) <(b)", ["diff ? ?"]],
        ["a line continuation", "echo a \\\n  b", ["echo a b"]],
    ];
    for (const [title, src, want] of CASES) {
        it(title, () => assert.deepEqual(shape(src), want));
    }

    it("reads positional parameters as variables, other special parameters as expansions", () => {
        const [cmd] = parseShell('echo "$1" ${2} $@ "${10:-x}" $0 $# $? $$');
        assert.deepEqual(
            cmd.words.slice(1).map((w) => w.parts.map((p) => (p.kind === "variable" ? `$${p.name}` : p.kind))),
            [["$1"], ["$2"], ["$@"], ["$10"], ["$0"], ["expansion"], ["expansion"], ["expansion"]],
        );
    });

    it("marks a function's definition", () => {
        const cmds = parseShell('put() {\n  cat > "$1"\n}\nput x\n(a)');
        assert.deepEqual(
            cmds.map((c) => [c.defines ?? "", c.words.map((w) => w.raw).join(" ")]),
            [
                ["put", "put"],
                ["", "cat"],
                ["", "put x"],
                ["", "a"],
            ],
        );
    });

    it("refuses what bash refuses, or what it cannot follow", () => {
        for (const src of ["echo 'open", 'echo "open', "echo $(open", "echo `open", "cat >", "a=(b"]) {
            assert.throws(() => parseShell(src), ShellSyntaxError, src);
        }
    });
});
