import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import {
    type EngineArgs,
    ENGINE_MAIN,
    renderEngine,
    renderEngineSourcesTemplate,
    validateEngineArgs,
} from "../../../../components/host/engine";
import { prelude } from "../../../../components/host/shell";
import { CTX } from "../stepHarness";

/** Docker's release key as download.docker.com serves it (fingerprint 9DC8...CD88). */
const DOCKER_KEY = [
    "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    "",
    "mQINBFit2ioBEADhWpZ8/wvZ6hUTiXOwQHXMAlaFHcPH9hAtr4F1y2+OYdbtMuth",
    "lqqwp028AqyY+PRfVMtSYMbjuQuu5byyKR01BbqYhuS3jtqQmljZ/bJvXqnmiVXh",
    "38UuLa+z077PxyxQhu5BbqntTPQMfiyqEiU+BKbq2WmANUKQf+1AmZY/IruOXbnq",
    "L4C1+gJ8vfmXQt99npCaxEjaNRVYfOS8QcixNzHUYnb6emjlANyEVlZzeqo7XKl7",
    "UrwV5inawTSzWNvtjEjj4nJL8NsLwscpLPQUhTQ+7BbQXAwAmeHCUTQIvvWXqw0N",
    "cmhh4HgeQscQHYgOJjjDVfoY5MucvglbIgCqfzAHW9jxmRL4qbMZj+b1XoePEtht",
    "ku4bIQN1X5P07fNWzlgaRL5Z4POXDDZTlIQ/El58j9kp4bnWRCJW0lya+f8ocodo",
    "vZZ+Doi+fy4D5ZGrL4XEcIQP/Lv5uFyf+kQtl/94VFYVJOleAv8W92KdgDkhTcTD",
    "G7c0tIkVEKNUq48b3aQ64NOZQW7fVjfoKwEZdOqPE72Pa45jrZzvUFxSpdiNk2tZ",
    "XYukHjlxxEgBdC/J3cMMNRE1F4NCA3ApfV1Y7/hTeOnmDuDYwr9/obA8t016Yljj",
    "q5rdkywPf4JF8mXUW5eCN1vAFHxeg9ZWemhBtQmGxXnw9M+z6hWwc6ahmwARAQAB",
    "tCtEb2NrZXIgUmVsZWFzZSAoQ0UgZGViKSA8ZG9ja2VyQGRvY2tlci5jb20+iQI3",
    "BBMBCgAhBQJYrefAAhsvBQsJCAcDBRUKCQgLBRYCAwEAAh4BAheAAAoJEI2BgDwO",
    "v82IsskP/iQZo68flDQmNvn8X5XTd6RRaUH33kXYXquT6NkHJciS7E2gTJmqvMqd",
    "tI4mNYHCSEYxI5qrcYV5YqX9P6+Ko+vozo4nseUQLPH/ATQ4qL0Zok+1jkag3Lgk",
    "jonyUf9bwtWxFp05HC3GMHPhhcUSexCxQLQvnFWXD2sWLKivHp2fT8QbRGeZ+d3m",
    "6fqcd5Fu7pxsqm0EUDK5NL+nPIgYhN+auTrhgzhK1CShfGccM/wfRlei9Utz6p9P",
    "XRKIlWnXtT4qNGZNTN0tR+NLG/6Bqd8OYBaFAUcue/w1VW6JQ2VGYZHnZu9S8LMc",
    "FYBa5Ig9PxwGQOgq6RDKDbV+PqTQT5EFMeR1mrjckk4DQJjbxeMZbiNMG5kGECA8",
    "g383P3elhn03WGbEEa4MNc3Z4+7c236QI3xWJfNPdUbXRaAwhy/6rTSFbzwKB0Jm",
    "ebwzQfwjQY6f55MiI/RqDCyuPj3r3jyVRkK86pQKBAJwFHyqj9KaKXMZjfVnowLh",
    "9svIGfNbGHpucATqREvUHuQbNnqkCx8VVhtYkhDb9fEP2xBu5VvHbR+3nfVhMut5",
    "G34Ct5RS7Jt6LIfFdtcn8CaSas/l1HbiGeRgc70X/9aYx/V/CEJv0lIe8gP6uDoW",
    "FPIZ7d6vH+Vro6xuWEGiuMaiznap2KhZmpkgfupyFmplh0s6knymuQINBFit2ioB",
    "EADneL9S9m4vhU3blaRjVUUyJ7b/qTjcSylvCH5XUE6R2k+ckEZjfAMZPLpO+/tF",
    "M2JIJMD4SifKuS3xck9KtZGCufGmcwiLQRzeHF7vJUKrLD5RTkNi23ydvWZgPjtx",
    "Q+DTT1Zcn7BrQFY6FgnRoUVIxwtdw1bMY/89rsFgS5wwuMESd3Q2RYgb7EOFOpnu",
    "w6da7WakWf4IhnF5nsNYGDVaIHzpiqCl+uTbf1epCjrOlIzkZ3Z3Yk5CM/TiFzPk",
    "z2lLz89cpD8U+NtCsfagWWfjd2U3jDapgH+7nQnCEWpROtzaKHG6lA3pXdix5zG8",
    "eRc6/0IbUSWvfjKxLLPfNeCS2pCL3IeEI5nothEEYdQH6szpLog79xB9dVnJyKJb",
    "VfxXnseoYqVrRz2VVbUI5Blwm6B40E3eGVfUQWiux54DspyVMMk41Mx7QJ3iynIa",
    "1N4ZAqVMAEruyXTRTxc9XW0tYhDMA/1GYvz0EmFpm8LzTHA6sFVtPm/ZlNCX6P1X",
    "zJwrv7DSQKD6GGlBQUX+OeEJ8tTkkf8QTJSPUdh8P8YxDFS5EOGAvhhpMBYD42kQ",
    "pqXjEC+XcycTvGI7impgv9PDY1RCC1zkBjKPa120rNhv/hkVk/YhuGoajoHyy4h7",
    "ZQopdcMtpN2dgmhEegny9JCSwxfQmQ0zK0g7m6SHiKMwjwARAQABiQQ+BBgBCAAJ",
    "BQJYrdoqAhsCAikJEI2BgDwOv82IwV0gBBkBCAAGBQJYrdoqAAoJEH6gqcPyc/zY",
    "1WAP/2wJ+R0gE6qsce3rjaIz58PJmc8goKrir5hnElWhPgbq7cYIsW5qiFyLhkdp",
    "YcMmhD9mRiPpQn6Ya2w3e3B8zfIVKipbMBnke/ytZ9M7qHmDCcjoiSmwEXN3wKYI",
    "mD9VHONsl/CG1rU9Isw1jtB5g1YxuBA7M/m36XN6x2u+NtNMDB9P56yc4gfsZVES",
    "KA9v+yY2/l45L8d/WUkUi0YXomn6hyBGI7JrBLq0CX37GEYP6O9rrKipfz73XfO7",
    "JIGzOKZlljb/D9RX/g7nRbCn+3EtH7xnk+TK/50euEKw8SMUg147sJTcpQmv6UzZ",
    "cM4JgL0HbHVCojV4C/plELwMddALOFeYQzTif6sMRPf+3DSj8frbInjChC3yOLy0",
    "6br92KFom17EIj2CAcoeq7UPhi2oouYBwPxh5ytdehJkoo+sN7RIWua6P2WSmon5",
    "U888cSylXC0+ADFdgLX9K2zrDVYUG1vo8CX0vzxFBaHwN6Px26fhIT1/hYUHQR1z",
    "VfNDcyQmXqkOnZvvoMfz/Q0s9BhFJ/zU6AgQbIZE/hm1spsfgvtsD1frZfygXJ9f",
    "irP+MSAI80xHSf91qSRZOj4Pl3ZJNbq4yYxv0b1pkMqeGdjdCYhLU+LZ4wbQmpCk",
    "SVe2prlLureigXtmZfkqevRz7FrIZiu9ky8wnCAPwC7/zmS18rgP/17bOtL4/iIz",
    "QhxAAoAMWVrGyJivSkjhSGx1uCojsWfsTAm11P7jsruIL61ZzMUVE2aM3Pmj5G+W",
    "9AcZ58Em+1WsVnAXdUR//bMmhyr8wL/G1YO1V3JEJTRdxsSxdYa4deGBBY/Adpsw",
    "24jxhOJR+lsJpqIUeb999+R8euDhRHG9eFO7DRu6weatUJ6suupoDTRWtr/4yGqe",
    "dKxV3qQhNLSnaAzqW/1nA3iUB4k7kCaKZxhdhDbClf9P37qaRW467BLCVO/coL3y",
    "Vm50dwdrNtKpMBh3ZpbB1uJvgi9mXtyBOMJ3v8RZeDzFiG8HdCtg9RvIt/AIFoHR",
    "H3S+U79NT6i0KPzLImDfs8T7RlpyuMc4Ufs8ggyg9v3Ae6cN3eQyxcK3w0cbBwsh",
    "/nQNfsA6uu+9H7NhbehBMhYnpNZyrHzCmzyXkauwRAqoCbGCNykTRwsur9gS41TQ",
    "M8ssD1jFheOJf3hODnkKU+HKjvMROl1DK7zdmLdNzA1cvtZH/nCC9KPj1z8QC47S",
    "xx+dTZSx4ONAhwbS/LN3PoKtn8LPjY9NP9uDWI+TWYquS2U+KHDrBDlsgozDbs/O",
    "jCxcpDzNmXpWQHEtHU7649OXHP7UeNST1mCUCH5qdank0V1iejF6/CfTFU4MfcrG",
    "YT90qFF93M3v01BbxP+EIY2/9tiIPbrd",
    "=0YYh",
    "-----END PGP PUBLIC KEY BLOCK-----",
    "",
].join("\n");

function render(args: EngineArgs) {
    return renderEngine(validateEngineArgs(args, CTX), CTX);
}

/** Runs a checker on the script text; returns its exit status and output. */
function check(cmd: string, args: string[], input: string) {
    const r = spawnSync(cmd, args, { input, encoding: "utf8", timeout: 30000 });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Skips the test (or fails it under REQUIRE_TOOLS=1) when a tool is missing. */
function need(ctx: Mocha.Context, tool: string, pkg: string): void {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
        if (process.env.REQUIRE_TOOLS === "1") {
            throw new Error(`${tool} is not installed (apt-get install ${pkg})`);
        }
        ctx.skip();
    }
}

/** The script without its last line, then `body`: runs the script's functions in bash. */
function runFunctions(script: string, body: string) {
    const lib = script.slice(0, script.length - `${ENGINE_MAIN}\n`.length);
    assert.ok(script.endsWith(`\n${ENGINE_MAIN}\n`));
    return check("bash", ["-s"], `${lib}\n${body}\n`);
}

/** The rendered-values block of a script. */
function values(script: string): string {
    const start = script.indexOf("# Rendered values.\n");
    return script.slice(start, script.indexOf("\n\n", start) + 1);
}

/** The script's main function. */
function main(script: string): string {
    const start = script.indexOf(`${ENGINE_MAIN}() {\n`);
    return script.slice(start, script.indexOf("\n}\n", start) + 3);
}

const VARIANTS: [title: string, args: EngineArgs, values: string[], main: string[]][] = [
    [
        "the defaults",
        {},
        [
            "engine_version='latest'",
            "engine_pinned=(docker.io)",
            "engine_other=()",
            "engine_refused=(docker-ce docker-ce-cli)",
        ],
        ["engine_apparmor", "engine_packages", "engine_service", "engine_verify"],
    ],
    [
        "a pinned docker.io",
        { version: "20.10.24+dfsg1-1+b3" },
        [
            "engine_version='20.10.24+dfsg1-1+b3'",
            "engine_pinned=(docker.io)",
            "engine_other=()",
            "engine_refused=(docker-ce docker-ce-cli)",
        ],
        ["engine_apparmor", "engine_packages", "engine_service", "engine_verify"],
    ],
    [
        "Docker's repository",
        { source: "docker" },
        [
            "engine_version='latest'",
            "engine_pinned=(docker-ce docker-ce-cli)",
            "engine_other=(containerd.io)",
            "engine_refused=()",
            "engine_key_fpr=9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
            "engine_keyring=/etc/apt/keyrings/docker.asc",
            "engine_sources=/etc/apt/sources.list.d/docker.sources",
        ],
        ["engine_apparmor", "engine_docker_repo", "engine_packages", "engine_service", "engine_verify"],
    ],
    [
        "a pinned docker-ce",
        { source: "docker", version: "5:27.3.1-1~debian.12~bookworm" },
        [
            "engine_version='5:27.3.1-1~debian.12~bookworm'",
            "engine_pinned=(docker-ce docker-ce-cli)",
            "engine_other=(containerd.io)",
            "engine_refused=()",
            "engine_key_fpr=9DC858229FC7DD38854AE2D88D81803C0EBFCD88",
            "engine_keyring=/etc/apt/keyrings/docker.asc",
            "engine_sources=/etc/apt/sources.list.d/docker.sources",
        ],
        ["engine_apparmor", "engine_docker_repo", "engine_packages", "engine_service", "engine_verify"],
    ],
];

describe("renderEngine", () => {
    it("describes the step", () => {
        const step = render({});
        assert.equal(step.id, "engine");
        assert.equal(step.title, "Docker from the distribution at the newest version, with AppArmor");
        assert.equal(
            render({ source: "docker", version: "5:27.3.1-1~debian.12~bookworm" }).title,
            "Docker from Docker's apt repository at version 5:27.3.1-1~debian.12~bookworm, held, with AppArmor",
        );
        assert.deepEqual(step.cis, ["1.2.2", "5.2"]);
        assert.deepEqual(step.files, []);
        assert.equal(step.secret, false);
        assert.ok(step.script.startsWith(prelude("engine")));
        assert.ok(!step.script.includes("daemon.json"));
    });

    it("renders the exact sources template for Docker's repository", () => {
        assert.equal(
            renderEngineSourcesTemplate(),
            [
                "# hardened-docker engine: Docker's apt repository, signed by Docker's release key",
                "# 9DC858229FC7DD38854AE2D88D81803C0EBFCD88, checked before the key was installed.",
                "Types: deb",
                "URIs: https://download.docker.com/linux/@ID@",
                "Suites: @CODENAME@",
                "Components: stable",
                "Signed-By: /etc/apt/keyrings/docker.asc",
                "",
            ].join("\n"),
        );
    });

    for (const [title, args, vals, steps] of VARIANTS) {
        describe(title, () => {
            const script = render(args).script;

            it("renders the exact values and main function", () => {
                assert.equal(values(script), ["# Rendered values.", ...vals, ""].join("\n"));
                assert.equal(main(script), [`${ENGINE_MAIN}() {`, ...steps.map((s) => `    ${s}`), "}", ""].join("\n"));
            });

            it(args.source === "docker" ? "fetches Docker's key over HTTPS only" : "adds no repository", () => {
                if (args.source === "docker") {
                    assert.ok(
                        script.includes(
                            'curl --proto \'=https\' --tlsv1.2 -fsSL --retry 3 -o "$HD_TMP/docker.asc" "$url"',
                        ),
                    );
                    assert.ok(script.includes('url="https://download.docker.com/linux/$id/gpg"'));
                } else {
                    assert.ok(!script.includes("download.docker.com"));
                    assert.ok(!script.includes("curl"));
                }
            });

            it("passes bash -n and shellcheck", function () {
                assert.deepEqual(check("bash", ["-n"], script), { status: 0, output: "" });
                need(this, "shellcheck", "shellcheck");
                assert.deepEqual(check("shellcheck", ["--shell=bash", "--severity=style", "-"], script), {
                    status: 0,
                    output: "",
                });
            });
        });
    }
});

/** Stand-ins for dpkg-query, apt-get and apt-mark over a fake package database. */
const APT_STUBS = [
    "declare -A STATUS=() VERSION=()",
    "dpkg-query() {",
    "    local pkg=$3",
    '    [ -n "${STATUS[$pkg]:-}" ] || return 1',
    '    case "$2" in',
    "        '-f=${Status}') printf '%s' \"${STATUS[$pkg]}\" ;;",
    "        '-f=${Version}') printf '%s' \"${VERSION[$pkg]}\" ;;",
    "    esac",
    "}",
    "apt-get() {",
    "    local arg",
    '    echo "call: apt-get $*" >&2',
    '    [ "$1" = install ] || return 0',
    '    for arg in "$@"; do',
    '        case "$arg" in',
    "            -* | install) ;;",
    '            *=*) STATUS[${arg%%=*}]="install ok installed"; VERSION[${arg%%=*}]=${arg#*=} ;;',
    '            *) STATUS[$arg]="install ok installed"; VERSION[$arg]="${VERSION[$arg]:-1.0}+new" ;;',
    "        esac",
    "    done",
    "}",
    "apt-mark() {",
    '    echo "call: apt-mark $*" >&2',
    '    case "$1" in',
    '        hold) STATUS[$2]="hold ok installed" ;;',
    '        unhold) STATUS[$2]="install ok installed" ;;',
    "    esac",
    "}",
].join("\n");

describe("the engine script's functions", () => {
    describe("engine_key_ok (real gpg)", () => {
        let dir = "";
        before(function () {
            need(this, "gpg", "gpg");
            dir = mkdtempSync("/tmp/hd-engine-");
            writeFileSync(`${dir}/docker.asc`, DOCKER_KEY);
            const r = spawnSync(
                "bash",
                [
                    "-c",
                    `set -e; export GNUPGHOME=${dir}/gnupg; install -d -m 0700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Impostor <release@docker.example>' ed25519 sign never
gpg --batch --armor --export >${dir}/other.asc
cat ${dir}/docker.asc ${dir}/other.asc >${dir}/both.asc
printf 'not a key\\n' >${dir}/junk.asc`,
                ],
                { encoding: "utf8" },
            );
            assert.equal(r.status, 0, r.stderr);
        });
        after(() => {
            if (dir !== "") {
                rmSync(dir, { recursive: true, force: true });
            }
        });

        for (const [file, ok] of [
            ["docker.asc", true],
            ["other.asc", false],
            ["both.asc", false],
            ["junk.asc", false],
            ["missing.asc", false],
        ] as const) {
            it(`${ok ? "trusts" : "refuses"} ${file}`, () => {
                const r = runFunctions(
                    render({ source: "docker" }).script,
                    `if engine_key_ok ${dir}/${file}; then echo trusted; else echo refused; fi`,
                );
                assert.deepEqual(r, { status: 0, output: `${ok ? "trusted" : "refused"}\n` });
            });
        }
    });

    it("writes a sources file that apt parses (real apt)", function () {
        need(this, "apt-get", "apt");
        const dir = mkdtempSync("/tmp/hd-engine-apt-");
        try {
            const sources = renderEngineSourcesTemplate().replace("@ID@", "debian").replace("@CODENAME@", "bookworm");
            const r = spawnSync(
                "bash",
                [
                    "-c",
                    `set -e; d=${dir}; mkdir -p $d/parts $d/lists/partial $d/cache/archives/partial; : >$d/sources.list
cat >$d/parts/docker.sources
apt-get -o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=$d/parts -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache update --print-uris`,
                ],
                { input: sources, encoding: "utf8" },
            );
            assert.equal(r.status, 0, r.stderr);
            assert.match(r.stdout, /^'https:\/\/download\.docker\.com\/linux\/debian\/dists\/bookworm\/InRelease' /);
            assert.match(r.stdout, /\/dists\/bookworm\/stable\/binary-[a-z0-9]+\/Packages/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("engine_packages (apt stubbed, real dpkg --compare-versions)", () => {
        /**
         * Runs engine_packages against a fake package database: STATUS and VERSION per package;
         * apt-get and apt-mark are logged and update the database as apt would.
         */
        /**
         * Runs engine_packages against a fake package database (STATUS and VERSION per package):
         * apt-get and apt-mark print their calls and update the database as apt would.
         */
        function packages(args: EngineArgs, installed: Record<string, [status: string, version: string]>) {
            const db = Object.entries(installed).map(([p, [st, v]]) => `STATUS[${p}]='${st}'; VERSION[${p}]='${v}'`);
            const body = [APT_STUBS, ...db, "rc=0", "(engine_packages) 2>&1 || rc=$?", 'echo "exit: $rc"'].join("\n");
            return runFunctions(render(args).script, body)
                .output.split("\n")
                .filter((l) => l !== "");
        }
        const log = (line: string) => `hardened-docker[engine]: ${line}`;
        const INSTALL =
            "apt-get install -y -qq --no-install-recommends --allow-change-held-packages -o Dpkg::Options::=--force-confold";
        const UPGRADE =
            "apt-get install -y -qq --only-upgrade --no-install-recommends -o Dpkg::Options::=--force-confold";

        it("installs docker.io at the newest version", () => {
            assert.deepEqual(packages({}, {}), [
                "call: apt-get update -qq",
                `call: ${INSTALL} docker.io`,
                log("changed: docker.io=1.0+new "),
                "exit: 0",
            ]);
        });

        it("upgrades an installed docker.io and releases an old hold", () => {
            assert.deepEqual(packages({}, { "docker.io": ["hold ok installed", "20.10.5+dfsg1-1"] }), [
                "call: apt-get update -qq",
                "call: apt-mark unhold docker.io",
                log("changed: released the hold on docker.io"),
                `call: ${UPGRADE} docker.io`,
                log("changed: docker.io=20.10.5+dfsg1-1+new "),
                "exit: 0",
            ]);
        });

        it("installs and holds a pinned version", () => {
            assert.deepEqual(
                packages(
                    { version: "20.10.24+dfsg1-1+b3" },
                    { "docker.io": ["install ok installed", "20.10.5+dfsg1-1"] },
                ),
                [
                    "call: apt-get update -qq",
                    `call: ${INSTALL} docker.io=20.10.24+dfsg1-1+b3`,
                    "call: apt-mark hold docker.io",
                    log("changed: holding docker.io at 20.10.24+dfsg1-1+b3"),
                    log("changed: docker.io=20.10.24+dfsg1-1+b3 "),
                    "exit: 0",
                ],
            );
        });

        it("changes nothing when the pinned version is installed and held", () => {
            assert.deepEqual(
                packages(
                    { version: "20.10.24+dfsg1-1+b3" },
                    { "docker.io": ["hold ok installed", "20.10.24+dfsg1-1+b3"] },
                ),
                ["call: apt-get update -qq", "exit: 0"],
            );
        });

        it("refuses to downgrade to a pinned version", () => {
            assert.deepEqual(
                packages({ version: "20.10.5+dfsg1-1" }, { "docker.io": ["hold ok installed", "20.10.24+dfsg1-1+b3"] }),
                [
                    "call: apt-get update -qq",
                    log(
                        "error: docker.io 20.10.24+dfsg1-1+b3 is installed, newer than the pinned 20.10.5+dfsg1-1: not downgrading Docker",
                    ),
                    "exit: 1",
                ],
            );
        });

        it("refuses to replace Docker's docker-ce with the distribution's older docker.io", () => {
            assert.deepEqual(packages({}, { "docker-ce": ["install ok installed", "5:27.3.1-1~debian.12~bookworm"] }), [
                log(
                    "error: docker-ce from Docker's repository is installed: the distribution's docker.io would be a downgrade; remove docker-ce yourself, or keep source \"docker\"",
                ),
                "exit: 1",
            ]);
        });

        it("pins docker-ce and its CLI, and installs containerd.io unpinned", () => {
            const v = "5:27.3.1-1~debian.12~bookworm";
            assert.deepEqual(
                packages(
                    { source: "docker", version: v },
                    { "docker.io": ["install ok installed", "20.10.24+dfsg1-1+b3"] },
                ),
                [
                    "call: apt-get update -qq",
                    `call: ${INSTALL} docker-ce=${v} docker-ce-cli=${v} containerd.io`,
                    "call: apt-mark hold docker-ce",
                    log(`changed: holding docker-ce at ${v}`),
                    "call: apt-mark hold docker-ce-cli",
                    log(`changed: holding docker-ce-cli at ${v}`),
                    log(`changed: docker-ce=${v} docker-ce-cli=${v} containerd.io=1.0+new `),
                    "exit: 0",
                ],
            );
        });
    });
});
