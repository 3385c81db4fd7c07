// Runs the whole logging script, as root, in a private mount namespace (unshare) whose /etc is a
// copy and where systemd is hidden: it validates with the real rsyslogd -N1 against this machine's
// rsyslog configuration and installs into the copy. Needs root, rsyslog and rsyslog-gnutls.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type LoggingArgs, renderLogging, validateLoggingArgs } from "../../../../components/host/logging";
import { CTX } from "../stepHarness";
import { CA_PEM } from "./validate.test";

const log = (line: string) => `hardened-docker[logging]: ${line}`;
const WARNING = log("warning: no systemd: restart rsyslog yourself to forward to the log server");
const CONF = "/etc/rsyslog.d/60-hardened-docker.conf";
const CA = "/etc/ssl/hardened-docker/syslog-ca.pem";

function installed(pkg: string): boolean {
    return spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout === "install ok installed";
}

function script(args: LoggingArgs): string {
    return renderLogging(validateLoggingArgs(args, CTX), CTX).script;
}

describe("the logging script in a private /etc (real rsyslogd)", function () {
    this.timeout(120000);
    let dir = "";

    before(function () {
        const why =
            process.getuid?.() !== 0
                ? "root"
                : !installed("rsyslog") || !installed("rsyslog-gnutls")
                  ? "rsyslog and rsyslog-gnutls (apt-get install rsyslog rsyslog-gnutls)"
                  : spawnSync("unshare", ["--mount", "true"]).status !== 0
                    ? "unshare --mount (a privileged environment)"
                    : undefined;
        if (why !== undefined) {
            if (process.env.REQUIRE_TOOLS === "1") {
                throw new Error(`the logging script tests need ${why}`);
            }
            this.skip();
        }
    });

    beforeEach(() => {
        dir = mkdtempSync("/tmp/hd-logging-");
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Runs, in one namespace, each item in turn: a script (its exit status and output are returned,
     * in order) or `{ shell }`, a command run as it is. `after` runs last, to collect results.
     */
    function runs(items: (string | { shell: string })[], after = ""): [number, string][] {
        const lines = [
            "set -euo pipefail",
            `W=${dir}`,
            'cp -a /etc "$W/etc"',
            'mount --bind "$W/etc" /etc',
            "if [ -d /run/systemd ]; then mount -t tmpfs tmpfs /run/systemd; fi",
        ];
        let n = 0;
        for (const item of items) {
            if (typeof item === "string") {
                writeFileSync(`${dir}/step-${n}.sh`, item);
                lines.push(`rc=0; bash -s <"$W/step-${n}.sh" >"$W/out-${n}" 2>&1 || rc=$?; echo "$rc" >"$W/rc-${n}"`);
                n++;
            } else {
                lines.push(item.shell);
            }
        }
        lines.push(after);
        const r = spawnSync("unshare", ["--mount", "bash", "-c", lines.join("\n")], { encoding: "utf8" });
        assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
        return [...Array(n).keys()].map((i) => [
            Number(readFileSync(`${dir}/rc-${i}`, "utf8")),
            readFileSync(`${dir}/out-${i}`, "utf8"),
        ]);
    }

    const BROKEN = { shell: `printf 'action(type="omfwd" target="x" bogus="1")\\n' >/etc/rsyslog.d/50-broken.conf` };

    const tls: LoggingArgs = { remote: { host: "logs.example.com", tls: { caCertificate: CA_PEM } } };
    const tcp: LoggingArgs = { remote: { host: "logs.example.com" } };

    it("installs the CA and the configuration, changes nothing the second time, and moves to plain TCP", () => {
        const after = [`ls ${CA} >"$W/ca-left.txt" 2>/dev/null || true`, `cp ${CONF} "$W/conf-tcp.txt"`].join("\n");
        assert.deepEqual(runs([script(tls), script(tls), script(tcp)], after), [
            [0, [log(`changed: ${CA}`), log(`changed: ${CONF}`), WARNING, ""].join("\n")],
            [0, ""],
            [0, [log(`changed: ${CONF}`), log(`changed: removed ${CA}`), WARNING, ""].join("\n")],
        ]);
        assert.equal(
            readFileSync(`${dir}/conf-tcp.txt`, "utf8"),
            renderLogging(validateLoggingArgs(tcp, CTX), CTX).files[0].content,
        );
        assert.equal(readFileSync(`${dir}/ca-left.txt`, "utf8"), "");
    });

    it("installs the exact files with mode 0644 root:root", () => {
        const after = [
            `stat -c '%a %U:%G' ${CA} ${CONF} >"$W/modes.txt"`,
            `cp ${CA} "$W/ca.txt"`,
            `cp ${CONF} "$W/conf.txt"`,
        ].join("\n");
        assert.equal(runs([script(tls)], after)[0][0], 0);
        const files = renderLogging(validateLoggingArgs(tls, CTX), CTX).files;
        assert.equal(readFileSync(`${dir}/modes.txt`, "utf8"), "644 root:root\n644 root:root\n");
        assert.equal(readFileSync(`${dir}/ca.txt`, "utf8"), files[0].content);
        assert.equal(readFileSync(`${dir}/conf.txt`, "utf8"), files[1].content);
    });

    it("installs nothing when rsyslogd -N1 rejects the whole configuration", () => {
        const [[rc, out]] = runs([BROKEN, script(tls)], `ls ${CONF} ${CA} >"$W/left.txt" 2>/dev/null || true`);
        assert.equal(rc, 1);
        assert.match(
            out,
            /^hardened-docker\[logging\]: error: rsyslogd -N1 rejects the configuration with \/etc\/rsyslog\.d\/60-hardened-docker\.conf; nothing was installed: .*parameter 'bogus' not known/,
        );
        assert.equal(readFileSync(`${dir}/left.txt`, "utf8"), "");
    });

    it("keeps the previous configuration when the new one is rejected", () => {
        const results = runs(
            [script(tcp), BROKEN, script(tls)],
            `cp ${CONF} "$W/conf.txt"; ls ${CA} >"$W/ca-left.txt" 2>/dev/null || true`,
        );
        assert.deepEqual(
            results.map(([rc]) => rc),
            [0, 1],
        );
        assert.equal(
            readFileSync(`${dir}/conf.txt`, "utf8"),
            renderLogging(validateLoggingArgs(tcp, CTX), CTX).files[0].content,
        );
        assert.equal(readFileSync(`${dir}/ca-left.txt`, "utf8"), "");
    });

    it("refuses a main configuration that does not read /etc/rsyslog.d", () => {
        assert.deepEqual(runs([{ shell: "sed -i '/rsyslog\\.d/d' /etc/rsyslog.conf" }, script(tcp)]), [
            [
                1,
                `${log("error: /etc/rsyslog.conf does not include /etc/rsyslog.d/*.conf: the forwarding rule would never be read")}\n`,
            ],
        ]);
    });
});
