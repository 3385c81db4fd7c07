import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.5: images come only over verified TLS. */
export const daemonDisallowInsecureRegistries = daemonJsonPolicy(
    {
        name: "docker-daemon-disallow-insecure-registries",
        description: "The Docker daemon must not pull from registries over plain HTTP or unverified TLS.",
        cis: "2.5",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            'remove "insecure-registries" from daemon.json (or leave it empty) and list only https:// mirrors in "registry-mirrors"; give a private registry a certificate its CA signs (/etc/docker/certs.d).',
    },
    [
        (j, s) => {
            const list = j["insecure-registries"];
            if (!has(j, "insecure-registries") || (Array.isArray(list) && list.length === 0)) {
                return undefined;
            }
            return `${s} sets "insecure-registries" to ${show(list)}; expected it absent or empty (CIS 2.5).`;
        },
        // A mirror with an http:// address is pulled from over plain HTTP: an insecure registry by
        // another name (DockerDaemon's config.extra accepts it).
        (j, s) => {
            const mirrors = j["registry-mirrors"];
            if (!Array.isArray(mirrors)) {
                return undefined;
            }
            return (
                mirrors
                    .filter((m): m is string => typeof m === "string" && /^http:\/\//i.test(m.trim()))
                    // Without any user:password@ the address may carry: everything up to the last @
                    // goes, even where a password holds a / or an @ of its own.
                    .map((m) => m.trim().replace(/^(http:\/\/).*@/is, "$1"))
                    .map(
                        (m) =>
                            `${s} lists ${show(m)} in "registry-mirrors", a mirror over plain HTTP; expected https:// mirrors only (CIS 2.5).`,
                    )
            );
        },
    ],
);
