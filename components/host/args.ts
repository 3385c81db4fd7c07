import type { Waiver } from "../common/errors";
import type { AccountsArgs } from "./accounts";
import type { AuditArgs } from "./audit";
import type { DataVolumeArgs } from "./dataVolume";
import type { DockerGroupArgs } from "./dockerGroup";
import type { EngineArgs } from "./engine";
import type { FirewallArgs } from "./firewall";
import type { HygieneArgs } from "./hygiene";
import type { KernelArgs } from "./kernel";
import type { LoggingArgs } from "./logging";
import type { MinimalArgs } from "./minimal";
import type { SshArgs } from "./ssh";
import type { HostTarget } from "./targets";

export interface HardenedHostArgs {
    /** Where the host comes from: created on AWS, or an existing machine over SSH. */
    target: HostTarget;
    /**
     * The port sshd listens on.
     * @default 22
     */
    sshPort?: number;
    /**
     * Docker's data root, on its own filesystem (CIS 1.1.1).
     * @default "/var/lib/docker"
     */
    dataRoot?: string;
    /** Docker's data volume: filesystem, size floor, mount options. The device comes from the target. */
    dataVolume?: Omit<DataVolumeArgs, "device">;
    /** SSH hardening (CIS 1.2.1). */
    ssh?: SshArgs;
    /**
     * The nftables firewall, and on AWS the security group: `adminCidrs` (required) may reach SSH;
     * host ports and published container ports are admitted from their listed sources only. The
     * Docker API ports (2375, 2376, 2377) are never opened.
     */
    firewall: FirewallArgs;
    /** Kernel settings in /etc/sysctl.d (CIS 1.2.1). */
    kernel?: KernelArgs;
    /** auditd rules for Docker's files and binaries (CIS 1.1.3 to 1.1.18). */
    audit?: AuditArgs;
    /** The Docker engine's source and version, and AppArmor (CIS 1.2.2, 5.2). */
    engine?: EngineArgs;
    /** Who may control Docker (CIS 1.1.2); the SSH user the deployment connects as is always one. */
    dockerGroup?: DockerGroupArgs;
    /** Forwarding of system logs to a central syslog server. Required unless `waivers.noRemoteLogging`. */
    logging?: LoggingArgs;
    /** Packages to remove and services to turn off (CIS 1.2.1). */
    minimal?: MinimalArgs;
    /**
     * Who keeps a login: system accounts get no shell and a locked password, other login accounts
     * are reported or removed (CIS 1.2.1). Root and the deployment user are never touched.
     */
    accounts?: AccountsArgs;
    /**
     * The modes of the host's account, SSH, cron, boot and audit files, core dumps off, and the
     * umask and idle timeout of login shells (CIS 1.2.1).
     */
    hygiene?: HygieneArgs;
    /** Named relaxations, each with its reason. */
    waivers?: {
        /** Keep logs on the host only. */
        noRemoteLogging?: Waiver;
    };
}
