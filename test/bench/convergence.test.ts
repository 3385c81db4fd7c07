import * as assert from "node:assert/strict";
import { packageTime } from "../../bench/convergence/run";
import { prelude } from "../../components/host/shell";

describe("bench/convergence: the time a step spends installing packages", () => {
    it("reads the lines the steps' own logger prints (stdout)", () => {
        // The prelude every step starts with: its logger prints "hardened-docker[<step>]: ..." on stdout.
        assert.match(prelude("audit"), /hd_log\(\) \{ printf 'hardened-docker\[%s\]: %s\\n' "\$HD_STEP" "\$\*"; \}/);
    });

    it("runs from each installing line to the step's next line of its own, apt's lines in between", () => {
        assert.deepEqual(
            packageTime({
                key: "command:remote:Command::docker-host-audit",
                action: "created",
                ms: 9000,
                sshSessions: 1,
                lines: [
                    { ms: 100, stream: "stdout", line: "hardened-docker[audit]: installing: auditd audispd-plugins" },
                    {
                        ms: 2500,
                        stream: "stderr",
                        line: "debconf: delaying package configuration, since apt-utils is not installed",
                    },
                    {
                        ms: 4100,
                        stream: "stdout",
                        line: "hardened-docker[audit]: changed: /etc/tmpfiles.d/hardened-docker-audit.conf",
                    },
                    { ms: 5000, stream: "stdout", line: "hardened-docker[audit]: installing: jq" },
                ],
            }),
            // 100 → 4100, then 5000 → the end of the resource (9000).
            { seconds: 8, packages: ["auditd", "audispd-plugins", "jq"] },
        );
    });

    it("is zero for a resource that installs nothing or shows no output", () => {
        const base = { key: "k", action: "created" as const, ms: 5000, sshSessions: 1 };
        assert.deepEqual(packageTime(base), { seconds: 0, packages: [] });
        assert.deepEqual(
            packageTime({ ...base, lines: [{ ms: 10, stream: "stdout", line: "hardened-docker[ssh]: changed: x" }] }),
            { seconds: 0, packages: [] },
        );
    });
});
