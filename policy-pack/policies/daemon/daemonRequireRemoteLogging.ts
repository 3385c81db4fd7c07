import { daemonJsonPolicy, show } from "../../lib/daemonPolicy";

interface Config {
    allowedLogDrivers: string[];
}

/** Drivers that keep container logs on the host alone. */
const LOCAL = ["json-file", "local", "none"];

/** CIS 2.13: container logs go to a central, remote system. */
export const daemonRequireRemoteLogging = daemonJsonPolicy<Config>(
    {
        name: "docker-daemon-require-remote-logging",
        description: "The Docker daemon must send container logs to a central, remote log system.",
        cis: "2.13",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            'set "log-driver" to "syslog" with "log-opts": { "syslog-address": "tcp+tls://<server>:<port>" }, or to "journald" with the host forwarding its journal (DockerDaemon\'s logDriver and syslogAddress).',
        config: {
            allowedLogDrivers: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: ["syslog", "journald", "fluentd", "gelf", "splunk", "awslogs", "gcplogs"],
                description:
                    "Log drivers that send container logs off the host (syslog also needs a tcp:// or tcp+tls:// syslog-address).",
            },
        },
    },
    [
        (j, s, c) => {
            const driver = j["log-driver"];
            const expected = `expected one of ${c.allowedLogDrivers.map((d) => JSON.stringify(d)).join(", ")} (CIS 2.13).`;
            if (driver === undefined) {
                return `${s} leaves "log-driver" unset (json-file), which keeps logs on the host; ${expected}`;
            }
            if (typeof driver !== "string" || !c.allowedLogDrivers.includes(driver)) {
                const local =
                    typeof driver === "string" && LOCAL.includes(driver) ? ", which keeps logs on the host" : "";
                return `${s} sets "log-driver" to ${show(driver)}${local}; ${expected}`;
            }
            return undefined;
        },
        (j, s, c) => {
            if (j["log-driver"] !== "syslog" || !c.allowedLogDrivers.includes("syslog")) {
                return undefined;
            }
            const opts = j["log-opts"];
            const address =
                typeof opts === "object" && opts !== null && !Array.isArray(opts)
                    ? (opts as Record<string, unknown>)["syslog-address"]
                    : undefined;
            // Only the scheme is shown: the address is the organisation's, not the message's.
            if (typeof address !== "string" || address.trim() === "") {
                return `${s} sets "log-driver" to "syslog" but leaves "syslog-address" in "log-opts" unset, so logs go to the host's own syslog; expected a tcp:// or tcp+tls:// address (CIS 2.13).`;
            }
            const scheme = /^([a-z+]+):\/\//i.exec(address.trim())?.[1].toLowerCase();
            if (scheme === "udp") {
                return `${s} sets "syslog-address" in "log-opts" to a udp:// address, which loses messages silently; expected tcp:// or tcp+tls:// (CIS 2.13).`;
            }
            if (scheme !== "tcp" && scheme !== "tcp+tls") {
                return `${s} sets "syslog-address" in "log-opts" to ${scheme === undefined ? "an address without a scheme" : `a ${scheme}:// address`}, not a remote server; expected tcp:// or tcp+tls:// (CIS 2.13).`;
            }
            return undefined;
        },
    ],
);
