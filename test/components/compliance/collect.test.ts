import * as assert from "node:assert/strict";
import { COLLECTOR_FORMAT, decodeCollectorOutput, renderCollector } from "../../../components/compliance";
import { AUDIT_DEFAULTS } from "../../../components/host/audit";
import { assertCleanScript } from "../host/stepHarness";
import { encode, recorded } from "./fixtures";

const PLAN = {
    dataRoot: "/var/lib/docker",
    sshUser: "admin",
    sysctlKeys: ["net.ipv4.ip_forward", "kernel.yama.ptrace_scope"],
};

describe("ComplianceAudit: the collector", () => {
    it("is a clean bash script", function () {
        assertCleanScript(this, renderCollector(PLAN));
        assertCleanScript(this, renderCollector({ ...PLAN, sysctlKeys: [] }));
    });

    it("reads every CIS audit path, and a moved data root under 1.1.5", () => {
        const lines = (s: string) =>
            s.slice(s.indexOf("<<'HD_CANDIDATES'\n") + 18, s.indexOf("\nHD_CANDIDATES\n")).split("\n");
        assert.deepEqual(
            lines(renderCollector(PLAN)),
            AUDIT_DEFAULTS.candidates.map((c) => `${c.id} ${c.path}`),
        );
        assert.deepEqual(lines(renderCollector({ ...PLAN, dataRoot: "/srv/docker" })).slice(-1), ["1.1.5 /srv/docker"]);
        assert.match(renderCollector({ ...PLAN, dataRoot: "/srv/docker" }), /^DATA_ROOT='\/srv\/docker'$/m);
    });

    it("reads sshd's settings for the deployment user and only the kernel step's keys", () => {
        const s = renderCollector(PLAN);
        assert.match(s, /^sshd_settings\(\) \{ sshd -T -C user=admin,host=localhost,addr=127\.0\.0\.1; \}$/m);
        assert.match(s, /^ {4}for k in net\.ipv4\.ip_forward kernel\.yama\.ptrace_scope; do$/m);
        assert.match(
            s,
            /^sshd_settings_outside\(\) \{ sshd -T -C user=root,host=audit\.invalid,addr=192\.0\.2\.1; \}$/m,
        );
    });

    it("never reads a container's environment, labels, log options or health-check command, nor a volume's options", () => {
        const s = renderCollector(PLAN);
        for (const secret of [
            ".Config.Env",
            ".Config.Labels",
            "{{json .Config}}",
            "{{json .State}}",
            "{{json .HostConfig}}",
            "LogConfig",
            ".State.Health.Log",
            "{{json .Config.Healthcheck}}",
            '"o"',
        ]) {
            assert.equal(s.includes(secret), false, secret);
        }
        assert.equal(/docker inspect (?!--format)/.test(s), false);
        // The health check's kind only, and the HostConfig fields the checks read.
        assert.match(
            s,
            /"Healthcheck":\{\{with \.Config\.Healthcheck\}\}\{"Test":\{\{with \.Test\}\}\[\{\{json \(index \. 0\)\}\}\]/,
        );
        assert.match(s, /"HostConfig":\{"Privileged":\{\{json \.HostConfig\.Privileged\}\},"ReadonlyRootfs":/);
        assert.match(s, /\{\{index \.Options "type"\}\}\{\{"\\t"\}\}\{\{index \.Options "device"\}\}/);
    });

    it("gives every tool that could block a time limit, and reads standard error only when a tool failed", () => {
        const s = renderCollector(PLAN);
        assert.match(s, /^for hd_tool in docker auditctl nft sshd systemctl getent findmnt ss sysctl iptables; do$/m);
        assert.match(s, /^ {4}eval "\$hd_tool\(\) \{ timeout -k 5 60 \$hd_tool \\"\\\$@\\"; \}"$/m);
        assert.match(s, /^ {4}"\$2" >"\$HD_OUT\/out" 2>"\$HD_OUT\/err" <\/dev\/null \|\| rc=\$\?$/m);
        assert.match(s, /^HD_OUT=\$\(mktemp -d\) \|\| exit 1$/m);
    });

    it("refuses values it would have to quote", () => {
        assert.throws(
            () => renderCollector({ ...PLAN, dataRoot: "/var/lib/docker'; reboot" }),
            /^Error: data root "\/var\/lib\/docker'; reboot" is not a plain absolute path$/,
        );
        assert.throws(
            () => renderCollector({ ...PLAN, sshUser: "admin,addr=1" }),
            /^Error: ssh user "admin,addr=1" is not a plain user name$/,
        );
        assert.throws(
            () => renderCollector({ ...PLAN, sysctlKeys: ["a b"] }),
            /^Error: sysctl key "a b" is not a plain key$/,
        );
    });

    it("decodes its output back to the sections, byte for byte", () => {
        const raw = recorded("weakened");
        assert.deepEqual(decodeCollectorOutput(encode(raw)), raw);
        // remote.Command trims one trailing newline; a stray one is harmless too.
        assert.deepEqual(decodeCollectorOutput(`${encode(raw)}\n`), raw);
    });

    it("refuses output that is not its format, naming what it got", () => {
        assert.throws(
            () => decodeCollectorOutput("sudo: a password is required"),
            /^Error: the audit's collector printed no hd-audit-v1: document \(it printed "sudo: a password is required"\)$/,
        );
        const bad = encode({ "no spaces allowed/": { rc: 0, out: "" } });
        assert.throws(
            () => decodeCollectorOutput(bad),
            /^Error: the audit's collector printed a malformed section line "no spaces allowed\/ 0 "$/,
        );
        assert.equal(COLLECTOR_FORMAT, "hd-audit-v1:");
    });
});
