import * as assert from "node:assert/strict";
import { packageTime } from "../../bench/convergence/run";

describe("bench/convergence: the time a step spends installing packages", () => {
    it("runs from each installing line to the step's next line of its own, apt's lines in between", () => {
        assert.deepEqual(
            packageTime({
                key: "command:remote:Command::docker-host-audit",
                action: "created",
                ms: 9000,
                sshSessions: 1,
                stderrLines: [
                    { ms: 100, line: "hardened-docker[audit]: installing: auditd audispd-plugins" },
                    { ms: 2500, line: "debconf: delaying package configuration, since apt-utils is not installed" },
                    { ms: 4100, line: "hardened-docker[audit]: changed: /etc/tmpfiles.d/hardened-docker-audit.conf" },
                    { ms: 5000, line: "hardened-docker[audit]: installing: jq" },
                ],
            }),
            // 100 → 4100, then 5000 → the end of the resource (9000).
            { seconds: 8, packages: ["auditd", "audispd-plugins", "jq"] },
        );
    });

    it("is zero for a resource that installs nothing or shows no stderr", () => {
        const base = { key: "k", action: "created" as const, ms: 5000, sshSessions: 1 };
        assert.deepEqual(packageTime(base), { seconds: 0, packages: [] });
        assert.deepEqual(
            packageTime({ ...base, stderrLines: [{ ms: 10, line: "hardened-docker[ssh]: changed: x" }] }),
            { seconds: 0, packages: [] },
        );
    });
});
