import { daemonJsonPolicy } from "../../lib/daemonPolicy";

/** `dm.basesize` (devicemapper), `overlay2.size` and `size` (btrfs, zfs): a container's writable layer size. */
const BASE_SIZE = /^\s*(dm\.basesize|overlay2\.size|size)\s*=/i;

/** CIS 2.11: the base device size of containers is left at the driver's default. */
export const daemonDisallowBaseDeviceSize = daemonJsonPolicy(
    {
        name: "docker-daemon-disallow-base-device-size",
        description: "The Docker daemon must not change the base device size of containers.",
        cis: "2.11",
        severity: "low",
        enforcementLevel: "advisory",
        remediation: 'remove the size option from "storage-opts" in daemon.json (DockerDaemon refuses storage-opts).',
    },
    [
        (j, s) => {
            const opts = j["storage-opts"];
            if (!Array.isArray(opts)) {
                return undefined;
            }
            return opts
                .map((o, i) => ({ o, i }))
                .filter(({ o }) => typeof o === "string" && BASE_SIZE.test(o))
                .map(
                    ({ o, i }) =>
                        `${s} sets "storage-opts"[${i}] to ${JSON.stringify((o as string).split("=")[0].trim() + "=…")}, which changes the base device size; expected the driver's default (CIS 2.11).`,
                );
        },
    ],
);
