import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { Waiver } from "../common/errors";
import type { ContainerAppArmorArgs } from "./apparmor/args";
import type { SeccompTighteningArgs } from "./seccomp/profile";

/** A path inside the container that must stay writable under the read-only root (CIS 5.13). */
export interface WritablePath {
    /** Absolute path inside the container, for example `/tmp`. */
    path: string;
    /**
     * Size of the in-memory filesystem, in MiB.
     * @default 64
     */
    sizeMb?: number;
}

/** A named Docker volume mounted into the container. Host bind mounts are not offered (CIS 5.6, 5.32). */
export interface VolumeMount {
    /** The name of a Docker volume (created by `docker.Volume` or elsewhere). */
    volumeName: pulumi.Input<string>;
    /** Absolute path inside the container. */
    containerPath: string;
    /**
     * Mount it read-only.
     * @default false
     */
    readOnly?: boolean;
}

/** A container port published on the Docker host (CIS 5.8, 5.14). */
export interface PublishedPort {
    /** Port inside the container, 1 to 65535. */
    containerPort: number;
    /** Port on the host, 1024 to 65535 unless `waivers.privilegedPorts` names it (CIS 5.8). */
    hostPort: number;
    /**
     * Host address to bind (CIS 5.14). `0.0.0.0` and `::` need `waivers.allInterfaces`.
     * @default "127.0.0.1"
     */
    hostAddress?: pulumi.Input<string>;
    /**
     * `tcp` or `udp`.
     * @default "tcp"
     */
    protocol?: "tcp" | "udp";
}

/** The container's health check (CIS 4.6, 5.27). */
export interface HealthCheck {
    /** The command, in exec form (no shell): for example `["/app/healthcheck", "--quick"]`. */
    command: string[];
    /**
     * Seconds between checks.
     * @default 30
     */
    intervalSeconds?: number;
    /**
     * Seconds before one check counts as failed.
     * @default 5
     */
    timeoutSeconds?: number;
    /**
     * Consecutive failures before the container is unhealthy.
     * @default 3
     */
    retries?: number;
    /**
     * Seconds of start-up during which failures do not count.
     * @default 10
     */
    startPeriodSeconds?: number;
}

/**
 * How the component reaches the Docker engine to apply what `@pulumi/docker` 5.2.0 cannot set on a
 * container (the PIDs limit, CIS 5.29). Give exactly one of `connection` and `dockerHost`.
 */
export interface DockerHostAccess {
    /**
     * SSH connection to the Docker host (the HardenedHost's `connection` output). `docker` runs there,
     * through `sudo -n` when the user cannot write to `/var/run/docker.sock`.
     */
    connection?: pulumi.Input<command.types.input.remote.ConnectionArgs>;
    /**
     * Run the local `docker` CLI against this engine endpoint (`unix:///var/run/docker.sock`,
     * `ssh://user@host`), for an engine this machine can reach directly.
     */
    dockerHost?: pulumi.Input<string>;
}

/** Relaxations of the secure defaults. Each one names why; the reasons go into the container's labels. */
export interface ContainerWaivers {
    /** Run as root (uid 0) (CIS 4.1). */
    rootUser?: Waiver;
    /** Run without a health check (CIS 4.6, 5.27). */
    noHealthCheck?: Waiver;
    /** Reference the image by tag, not by digest (CIS 5.28). */
    imageTag?: Waiver;
    /** Publish on every host address (`0.0.0.0` or `::`) (CIS 5.14). */
    allInterfaces?: Waiver;
    /** Publish the listed host ports below 1024 (CIS 5.8). */
    privilegedPorts?: Waiver & { ports: number[] };
    /** Add capabilities that reach the host, such as NET_ADMIN or SYS_PTRACE (CIS 5.4). */
    dangerousCapabilities?: Waiver;
}

export interface HardenedContainerArgs {
    /**
     * The image, pinned by digest: `registry/repository@sha256:<64 hex>` (CIS 5.28), from a registry
     * in `trustedRegistries` (CIS 4.2). A tag needs `waivers.imageTag`.
     */
    image: pulumi.Input<string>;
    /**
     * Registries, or registry path prefixes, that images may come from: `ghcr.io/acme`, `docker.io`.
     * Matched on whole path components. Required: there is no default trust.
     */
    trustedRegistries: string[];
    /**
     * The user to run as: a name, `uid`, or `uid:gid` (CIS 4.1). Root needs `waivers.rootUser`.
     */
    user: string;
    /**
     * The user-defined network to attach to, by name (a HardenedNetwork's `name`). Containers never
     * use the default bridge (CIS 5.30).
     */
    network: pulumi.Input<string>;
    /** How to reach the engine for the PIDs limit (CIS 5.29). */
    host: DockerHostAccess;
    /**
     * Capabilities to add after dropping ALL (CIS 5.4), with or without `CAP_`.
     * @default []
     */
    capabilities?: string[];
    /**
     * Paths that stay writable under the read-only root, as in-memory filesystems mounted
     * `rw,noexec,nosuid,nodev` (CIS 5.13).
     * @default []
     */
    writablePaths?: WritablePath[];
    /**
     * Named volumes to mount.
     * @default []
     */
    volumes?: VolumeMount[];
    /**
     * Ports to publish on the host.
     * @default []
     */
    ports?: PublishedPort[];
    /** The health check (CIS 4.6, 5.27). Required unless `waivers.noHealthCheck` is given. */
    healthCheck?: HealthCheck;
    /**
     * Memory limit in MiB, swap included (CIS 5.11).
     * @default 256
     */
    memoryMb?: number;
    /**
     * Relative CPU weight, 2 to 262144 (CIS 5.12).
     * @default 512
     */
    cpuShares?: number;
    /**
     * Maximum number of processes in the container (CIS 5.29).
     * @default 128
     */
    pidsLimit?: number;
    /**
     * Restarts after a failure before Docker gives up, 1 to 5 (CIS 5.15).
     * @default 5
     */
    maxRestarts?: number;
    /**
     * AppArmor profile, already loaded on the host, by name (CIS 5.2). Never `unconfined`. Give this
     * or `appArmor`, not both.
     * @default "docker-default"
     */
    appArmorProfile?: string;
    /**
     * The container's own AppArmor profile, written or generated from rules, installed and loaded on
     * the host by this component, in enforce mode (CIS 5.2). Needs `host.connection` (loading a
     * profile takes root on the host). A changed profile is loaded again and the container recreated.
     * Give this or `appArmorProfile`, not both.
     * @default undefined (the profile named by `appArmorProfile`)
     */
    appArmor?: ContainerAppArmorArgs;
    /**
     * A seccomp profile, as the JSON text Docker takes (CIS 5.22). Every field is checked as dockerd
     * reads it (an unknown one, which dockerd would ignore, is refused); `unconfined` and a default
     * action that lets unnamed syscalls through (`SCMP_ACT_ALLOW`, `_LOG`, `_NOTIFY`) are refused.
     * Give this or `seccompProfile`, not both.
     * @default undefined (Docker's default profile)
     */
    seccompProfileJson?: string;
    /**
     * A seccomp profile tighter than Docker's default: the default (`DOCKER_DEFAULT_SECCOMP`, Docker
     * 20.10's) with `denySyscalls` refused (EPERM). Each must be one the default allows, and never
     * `execve`, `exit`, `exit_group` or `rt_sigreturn`. Give this or `seccompProfileJson`, not both.
     * CIS 5.22.
     * @default undefined (Docker's default profile)
     */
    seccompProfile?: SeccompTighteningArgs;
    /**
     * Environment variables. Values may be secrets.
     * @default {}
     */
    env?: Record<string, pulumi.Input<string>>;
    /**
     * The command, replacing the image's CMD.
     * @default the image's CMD
     */
    command?: string[];
    /**
     * Extra labels. Keys under `io.hardened-docker.` are reserved.
     * @default {}
     */
    labels?: Record<string, string>;
    /**
     * The container's name on the host.
     * @default the Pulumi resource name with a random suffix
     */
    containerName?: string;
    /** Named relaxations of the defaults, each with its reason. */
    waivers?: ContainerWaivers;
}
