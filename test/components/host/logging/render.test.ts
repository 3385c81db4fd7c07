import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import {
    LOGGING_MAIN,
    type LoggingArgs,
    renderLogging,
    renderLoggingConfig,
    validateLoggingArgs,
} from "../../../../components/host/logging";
import { prelude } from "../../../../components/host/shell";
import { CTX } from "../stepHarness";
import { CA2_PEM, CA_PEM } from "./validate.test";

function render(args: LoggingArgs) {
    return renderLogging(validateLoggingArgs(args, CTX), CTX);
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
export function need(ctx: Mocha.Context, tool: string, pkg: string): void {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
        if (process.env.REQUIRE_TOOLS === "1") {
            throw new Error(`${tool} is not installed (apt-get install ${pkg})`);
        }
        ctx.skip();
    }
}

const TCP_CONFIG = [
    "# hardened-docker logging (CIS 2.13): every message rsyslog receives also goes to the central",
    "# log server over TCP, through a disk-assisted queue that keeps messages during an outage.",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "action(",
    '    type="omfwd"',
    '    name="hardened-docker-remote"',
    '    target="logs.example.com"',
    '    port="514"',
    '    protocol="tcp"',
    '    template="RSYSLOG_SyslogProtocol23Format"',
    '    queue.type="LinkedList"',
    '    queue.filename="hardened-docker-remote"',
    '    queue.spoolDirectory="/var/spool/rsyslog"',
    '    queue.maxDiskSpace="1024m"',
    '    queue.saveOnShutdown="on"',
    '    action.resumeRetryCount="-1"',
    '    action.resumeInterval="30"',
    ")",
    "",
].join("\n");

const TLS_CONFIG = [
    "# hardened-docker logging (CIS 2.13): every message rsyslog receives also goes to the central",
    "# log server over TCP with TLS, through a disk-assisted queue that keeps messages during an outage.",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "action(",
    '    type="omfwd"',
    '    name="hardened-docker-remote"',
    '    target="192.0.2.10"',
    '    port="10514"',
    '    protocol="tcp"',
    '    template="RSYSLOG_SyslogProtocol23Format"',
    '    TCP_Framing="octet-counted"',
    '    StreamDriver="gtls"',
    '    StreamDriverMode="1"',
    '    StreamDriverAuthMode="x509/name"',
    '    StreamDriverPermittedPeers="*.logs.example.com"',
    '    streamDriver.CAFile="/etc/ssl/hardened-docker/syslog-ca.pem"',
    '    queue.type="LinkedList"',
    '    queue.filename="hardened-docker-remote"',
    '    queue.spoolDirectory="/var/spool/rsyslog"',
    '    queue.maxDiskSpace="4096m"',
    '    queue.saveOnShutdown="on"',
    '    action.resumeRetryCount="-1"',
    '    action.resumeInterval="30"',
    ")",
    "",
].join("\n");

const TCP: LoggingArgs = { remote: { host: "logs.example.com" } };
const TLS: LoggingArgs = {
    remote: {
        host: "192.0.2.10",
        port: 10514,
        tls: { caCertificate: `${CA_PEM}${CA2_PEM}`, permittedPeer: "*.logs.example.com" },
    },
    queueMaxDiskSpaceMb: 4096,
};

/** The script's main function. */
function main(script: string): string {
    const start = script.indexOf(`${LOGGING_MAIN}() {\n`);
    return script.slice(start, script.indexOf("\n}\n", start) + 3);
}

describe("renderLogging", () => {
    it("renders the exact configuration for plain TCP", () => {
        const step = render(TCP);
        assert.equal(renderLoggingConfig(validateLoggingArgs(TCP, CTX)), TCP_CONFIG);
        assert.deepEqual(step.files, [
            { path: "/etc/rsyslog.d/60-hardened-docker.conf", mode: "0644", owner: "root:root", content: TCP_CONFIG },
        ]);
        assert.equal(step.id, "logging");
        assert.equal(step.title, "Logs go to logs.example.com:514 over TCP");
        assert.deepEqual(step.cis, ["2.13"]);
        assert.equal(step.secret, false);
        assert.ok(step.script.startsWith(prelude("logging")));
        assert.ok(step.script.endsWith(`\n\n${LOGGING_MAIN}\n`));
    });

    it("renders the exact configuration and CA file for TLS", () => {
        const step = render(TLS);
        assert.deepEqual(step.files, [
            {
                path: "/etc/ssl/hardened-docker/syslog-ca.pem",
                mode: "0644",
                owner: "root:root",
                content: `${CA_PEM}${CA2_PEM}`,
            },
            { path: "/etc/rsyslog.d/60-hardened-docker.conf", mode: "0644", owner: "root:root", content: TLS_CONFIG },
        ]);
        assert.equal(step.title, "Logs go to 192.0.2.10:10514 over TCP with TLS");
        // A CA certificate is public: the step's stdin need not be a secret.
        assert.equal(step.secret, false);
    });

    it("installs rsyslog alone for TCP, and drops a CA file left from TLS", () => {
        const script = render(TCP).script;
        assert.ok(script.includes("\nlogging_packages=(rsyslog)\n"));
        const m = main(script);
        assert.ok(!m.includes("syslog-ca.pem"));
        assert.deepEqual(m.split("\n").slice(-13), [
            "    logging_validate",
            '    if [ ! -d "$logging_spool" ]; then',
            '        install -d -m 0700 "$logging_spool"',
            "    fi",
            '    if hd_install_file "$HD_TMP/rsyslog.conf" /etc/rsyslog.d/60-hardened-docker.conf 0644 root:root; then changed=1; fi',
            "    # No TLS: a CA certificate from an earlier TLS configuration is no longer used.",
            '    if [ -e "$logging_ca" ]; then',
            '        rm -f "$logging_ca"',
            '        hd_log "changed: removed $logging_ca"',
            "    fi",
            '    logging_service "$changed"',
            "}",
            "",
        ]);
    });

    it("installs rsyslog-gnutls for TLS, and the CA before the configuration that names it", () => {
        const script = render(TLS).script;
        assert.ok(script.includes("\nlogging_packages=(rsyslog rsyslog-gnutls)\n"));
        const m = main(script).split("\n");
        const ca = m.indexOf(
            '    if hd_install_file "$HD_TMP/syslog-ca.pem" /etc/ssl/hardened-docker/syslog-ca.pem 0644 root:root; then changed=1; fi',
        );
        const conf = m.indexOf(
            '    if hd_install_file "$HD_TMP/rsyslog.conf" /etc/rsyslog.d/60-hardened-docker.conf 0644 root:root; then changed=1; fi',
        );
        const validate = m.indexOf("    logging_validate");
        assert.ok(validate > 0 && validate < ca && ca < conf, `${validate} < ${ca} < ${conf}`);
        assert.ok(!m.includes('        rm -f "$logging_ca"'));
    });

    for (const [title, args] of [
        ["TCP", TCP],
        ["TLS", TLS],
    ] as const) {
        it(`passes bash -n and shellcheck for ${title}`, function () {
            const script = render(args).script;
            assert.deepEqual(check("bash", ["-n"], script), { status: 0, output: "" });
            need(this, "shellcheck", "shellcheck");
            assert.deepEqual(check("shellcheck", ["--shell=bash", "--severity=style", "-"], script), {
                status: 0,
                output: "",
            });
        });
    }
});

describe("the rendered rsyslog configuration under rsyslogd -N1 (real rsyslog)", () => {
    let dir = "";
    before(function () {
        need(this, "rsyslogd", "rsyslog rsyslog-gnutls");
        dir = mkdtempSync("/tmp/hd-logging-");
    });
    after(() => {
        if (dir !== "") {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    /** rsyslogd -N1 on a main file that loads the local inputs and includes `config` alone. */
    function validate(name: string, config: string, ca?: string) {
        writeFileSync(`${dir}/${name}.conf`, config.replace("/etc/ssl/hardened-docker/syslog-ca.pem", `${dir}/ca.pem`));
        if (ca !== undefined) {
            writeFileSync(`${dir}/ca.pem`, ca);
        }
        writeFileSync(
            `${dir}/main-${name}.conf`,
            ['module(load="imuxsock")', `$IncludeConfig ${dir}/${name}.conf`, ""].join("\n"),
        );
        return spawnSync("rsyslogd", ["-N1", "-f", `${dir}/main-${name}.conf`], { encoding: "utf8" });
    }

    for (const [title, args] of [
        ["TCP", TCP],
        ["TLS", TLS],
    ] as const) {
        it(`accepts the ${title} configuration`, () => {
            const plan = validateLoggingArgs(args, CTX);
            const r = validate(title, renderLoggingConfig(plan), plan.tls?.caPem);
            assert.equal(r.status, 0, r.stderr);
            assert.ok(!/error/i.test(r.stderr), r.stderr);
        });
    }

    it("rejects a configuration with a mistake (the check is real)", () => {
        const r = validate("typo", TLS_CONFIG.replace("StreamDriverMode", "StreamDriverMod"), CA_PEM);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /parameter 'StreamDriverMod' not known/);
    });
});
