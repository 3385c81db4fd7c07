import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { DaemonConfigArgs } from "./config";

export interface DockerDaemonArgs {
    /** The SSH connection to the host, a secret (HardenedHost's `connection`). */
    connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
    /** The engine's endpoint for the Docker provider this component exports (HardenedHost's `dockerEndpoint`). */
    dockerEndpoint: pulumi.Input<string>;
    /**
     * Docker's data root on the host (HardenedHost's `dataRoot`).
     * @default "/var/lib/docker"
     */
    dataRoot?: string;
    /** daemon.json per CIS section 2: every key has a secure default; see DaemonConfigArgs. */
    config?: DaemonConfigArgs;
}
