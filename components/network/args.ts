import type { Waiver } from "../common/errors";

export interface HardenedNetworkArgs {
    /**
     * No route out of the network: containers on it reach nothing beyond it (Docker's `--internal`).
     * @default false
     */
    internal?: boolean;
    /**
     * The subnet in CIDR form, for example `172.30.0.0/24`.
     * @default one that Docker picks from its address pools
     */
    subnet?: string;
    /**
     * IPv4 host address that ports published without one bind to on this network (CIS 5.14).
     * @default "127.0.0.1"
     */
    defaultBindAddress?: string;
    /**
     * The network's name on the engine.
     * @default the Pulumi resource name with a random suffix
     */
    networkName?: string;
    /**
     * Extra labels. Keys under `io.hardened-docker.` are reserved.
     * @default {}
     */
    labels?: Record<string, string>;
    /** Named relaxations of the defaults, each with its reason. */
    waivers?: {
        /** Let containers on this network reach each other (inter-container communication, CIS 2.2). */
        interContainerCommunication?: Waiver;
    };
}
