import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { Waiver } from "../common/errors";
import type { HardenedContainer } from "../container/hardenedContainer";
import type { DockerDaemon } from "../daemon/dockerDaemon";
import type { HardenedHost } from "../host/hardenedHost";

/** ComplianceAudit's arguments. */
export interface ComplianceAuditArgs {
    /** The SSH connection to the host (HardenedHost's `connection`). The audit reads as root through sudo. */
    connection: pulumi.Input<command.types.input.remote.ConnectionArgs>;
    /**
     * The HardenedHost. The audit runs after its steps and again when one changes; its data root,
     * docker group, kernel settings and firewall are what the audit expects, and its remote-logging
     * waiver shows as waived (CIS 2.13).
     * @default none: the host's firewall and kernel checks are then not applicable
     */
    host?: HardenedHost;
    /** The DockerDaemon. The audit runs after its steps and again when one changes; its waivers show as waived. */
    daemon?: DockerDaemon;
    /** The containers. The audit runs after them and again when one is replaced. Every running container is audited. */
    containers?: HardenedContainer[];
    /**
     * Docker's data root (CIS 1.1.1, 1.1.5).
     * @default the host's, else `/var/lib/docker`
     */
    dataRoot?: string;
    /**
     * Who may be in the docker group (CIS 1.1.2).
     * @default the host's trusted users and its deployment user; without a host, nobody
     */
    dockerGroupMembers?: string[];
    /**
     * The user whose login sshd's effective settings are read for (its `Match` blocks apply).
     * @default the host's deployment user, else `root`
     */
    sshUser?: string;
    /**
     * The CIS ids whose failure fails `pulumi up` (with the failing ids in the message), or `"all"`.
     * A failing control that is not mandatory is reported, and the deployment goes on.
     * @default "all"
     */
    mandatory?: "all" | string[];
    /**
     * Controls the stack relaxes, by CIS id, each with its reason: they show as waived, never as pass.
     * The components' own waivers (DockerDaemon's, HardenedHost's, a container's labels) need no entry.
     * @default none
     */
    waivers?: Record<string, Waiver>;
    /**
     * Any value; a new value runs the audit again without any other change, to catch drift (for
     * example `pulumi config set auditRun "$(date -u +%FT%TZ)"`, then `pulumi up`).
     * @default none: the audit runs when it is created and when a step, the daemon or a container changes
     */
    rerunTrigger?: pulumi.Input<string>;
}
