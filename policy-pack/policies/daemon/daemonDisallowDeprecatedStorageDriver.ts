import { daemonJsonPolicy } from "../../lib/daemonPolicy";

/** Drivers the benchmark and Docker have given up: aufs (removed in 24.0), devicemapper (removed in 25.0). */
const DEPRECATED = ["aufs", "devicemapper"];

/** CIS 2.6: a maintained storage driver. */
export const daemonDisallowDeprecatedStorageDriver = daemonJsonPolicy(
    {
        name: "docker-daemon-disallow-deprecated-storage-driver",
        description: "The Docker daemon must not use the aufs or devicemapper storage driver.",
        cis: "2.6",
        severity: "low",
        enforcementLevel: "advisory",
        remediation:
            'set "storage-driver" to "overlay2" in daemon.json, or leave it unset so that dockerd picks overlay2.',
    },
    [
        // Unset passes: dockerd then picks overlay2 on every supported kernel.
        (j, s) => {
            const driver = j["storage-driver"];
            return typeof driver === "string" && DEPRECATED.includes(driver)
                ? `${s} sets "storage-driver" to "${driver}", which is deprecated; expected "overlay2" (CIS 2.6).`
                : undefined;
        },
    ],
);
