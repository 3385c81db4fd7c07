import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.9: container root is an unprivileged user on the host. */
export const daemonRequireUsernsRemap = daemonJsonPolicy(
    {
        name: "docker-daemon-require-userns-remap",
        description: "The Docker daemon must remap container users to an unprivileged range of host ids.",
        cis: "2.9",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            'set "userns-remap" to "default" (the dockremap user) or to a dedicated user with ranges in /etc/subuid and /etc/subgid (DockerDaemon\'s default).',
    },
    [
        (j, s) => {
            const value = j["userns-remap"];
            if (!has(j, "userns-remap")) {
                return `${s} leaves "userns-remap" unset, so container root is host root; expected "default" or a dedicated user (CIS 2.9).`;
            }
            if (typeof value !== "string" || value.trim() === "") {
                return `${s} sets "userns-remap" to ${show(value)}, which turns remapping off; expected "default" or a dedicated user (CIS 2.9).`;
            }
            // dockerd turns remapping off, with a warning only, for root.
            if (/^(root|0)(:|$)/.test(value.trim())) {
                return `${s} sets "userns-remap" to ${show(value)}, which maps container root to host root; expected "default" or a dedicated user (CIS 2.9).`;
            }
            return undefined;
        },
    ],
);
