import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { renderPidsLimitScript } from "../../../components/container/render";

/** Runs a checker on the script text; returns its exit status and output. */
function check(cmd: string, args: string[], input: string) {
    const r = spawnSync(cmd, args, { input, encoding: "utf8", timeout: 30000 });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function haveShellcheck(): boolean {
    return spawnSync("shellcheck", ["--version"]).status === 0;
}

describe("renderPidsLimitScript", () => {
    it("renders the exact script for SSH access", () => {
        assert.equal(
            renderPidsLimitScript(128, "ssh"),
            [
                "set -eu",
                'IFS= read -r cid || [ -n "$cid" ]',
                'case "$cid" in',
                '    "" | *[!0-9a-f]*) echo "hardened-docker: expected a container id on stdin, got \'$cid\'" >&2; exit 64 ;;',
                "esac",
                "# Use docker directly when this user may reach the socket, else passwordless sudo.",
                'if [ "$(id -u)" -eq 0 ] || [ -w /var/run/docker.sock ]; then set -- docker; else set -- sudo -n docker; fi',
                '"$@" update --pids-limit 128 "$cid" >/dev/null',
                'got=$("$@" inspect --format \'{{.HostConfig.PidsLimit}}\' "$cid")',
                'if [ "$got" != "128" ]; then',
                '    echo "hardened-docker: container $cid has PidsLimit $got, expected 128 (CIS 5.29)" >&2',
                "    exit 1",
                "fi",
                'echo "pids-limit=$got"',
                "",
            ].join("\n"),
        );
    });

    it("uses the local docker CLI as is for local access", () => {
        const script = renderPidsLimitScript(64, "local");
        assert.ok(script.includes("\nset -- docker\n"));
        assert.ok(!script.includes("sudo"));
    });

    for (const access of ["ssh", "local"] as const) {
        it(`passes sh -n and shellcheck (POSIX sh) for ${access} access`, function () {
            const script = renderPidsLimitScript(256, access);
            assert.deepEqual(check("sh", ["-n"], script), { status: 0, output: "" });
            if (!haveShellcheck()) {
                if (process.env.REQUIRE_TOOLS === "1") {
                    throw new Error("shellcheck is not installed (apt-get install shellcheck)");
                }
                this.skip();
            }
            assert.deepEqual(check("shellcheck", ["--shell=sh", "--severity=style", "-"], script), {
                status: 0,
                output: "",
            });
        });
    }
});
