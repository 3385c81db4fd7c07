import { daemonJsonPolicy, show } from "../../lib/daemonPolicy";

/** Levels at or above info: dockerd parses the level case-insensitively (logrus.ParseLevel). */
const LEVELS = ["info", "warn", "warning", "error"];

/** CIS 2.3: the daemon logs at info level, not debug. */
export const daemonRestrictLogLevel = daemonJsonPolicy(
    {
        name: "docker-daemon-restrict-log-level",
        description: "The Docker daemon must log at info level, not debug.",
        cis: "2.3",
        severity: "low",
        enforcementLevel: "advisory",
        remediation: 'set "log-level" to "info" (or leave it unset) and remove "debug": true from daemon.json.',
    },
    [
        (j, s) => {
            const level = j["log-level"];
            if (level === undefined || (typeof level === "string" && LEVELS.includes(level.toLowerCase()))) {
                return undefined;
            }
            return `${s} sets "log-level" to ${show(level)}; expected "info" (or the quieter "warn" or "error") (CIS 2.3).`;
        },
        // dockerd's debug mode sets the debug level whatever "log-level" says.
        (j, s) =>
            j.debug === true
                ? `${s} sets "debug" to true, which logs at debug level; expected false or unset (CIS 2.3).`
                : undefined,
    ],
);
