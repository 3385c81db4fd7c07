import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.10: containers stay under Docker's own cgroup, where their limits are accounted. */
export const daemonDisallowCgroupParent = daemonJsonPolicy(
    {
        name: "docker-daemon-disallow-cgroup-parent",
        description: "The Docker daemon must keep the default cgroup parent of containers.",
        cis: "2.10",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: 'remove "cgroup-parent" from daemon.json (DockerDaemon refuses the key).',
    },
    [
        (j, s) =>
            has(j, "cgroup-parent")
                ? `${s} sets "cgroup-parent" to ${show(j["cgroup-parent"])}; expected it unset, so containers stay under Docker's default cgroup (CIS 2.10).`
                : undefined,
    ],
);
