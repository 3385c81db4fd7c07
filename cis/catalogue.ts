/**
 * The CIS Docker Benchmark v1.6.0, control by control: what each asks, and how this project
 * provisions it (setBy), prevents its breach at preview (preventedBy: policy names of the pack),
 * and verifies it on the live host (verifiedBy: the ComplianceAudit checks, taken from the audit
 * itself, so the two cannot disagree). The single source of the
 * coverage documentation (docs/cis-coverage.md).
 */

import { AUDIT_CHECKS } from "../components/compliance/evaluate";

export const BENCHMARK = Object.freeze({ name: "CIS Docker Benchmark", version: "1.6.0" });

export type Section = "1" | "2" | "3" | "4" | "5" | "6" | "7";

export const SECTION_TITLES: Readonly<Record<Section, string>> = Object.freeze({
    "1": "Host configuration",
    "2": "Docker daemon configuration",
    "3": "Docker daemon configuration files",
    "4": "Container images and build files",
    "5": "Container runtime",
    "6": "Docker security operations",
    "7": "Docker swarm configuration",
});

/** The project's components that set controls. */
export type ComponentName = "HardenedContainer" | "HardenedNetwork" | "HardenedHost" | "DockerDaemon";

export interface Setting {
    component: ComponentName;
    /** The argument or behaviour that sets the control. */
    how: string;
}

export interface Control {
    /** The benchmark's id, for example `5.4`. */
    id: string;
    title: string;
    section: Section;
    /** The benchmark's own "Automated" (true) or "Manual" (false). */
    automated: boolean;
    setBy: readonly Setting[];
    /** Names of the policies in policy-pack/ that reject a breach at preview. */
    preventedBy: readonly string[];
    /** Ids of the ComplianceAudit checks that verify it on the live host (from AUDIT_CHECKS). */
    verifiedBy: readonly string[];
    /** How the project handles it where the columns above do not say: a manual control, or why no policy can see it. */
    note?: string;
}

const C = (
    id: string,
    title: string,
    automated: boolean,
    rest: { setBy?: Setting[]; preventedBy?: string[]; note?: string } = {},
): Control =>
    Object.freeze({
        id,
        title,
        section: id.split(".")[0] as Section,
        automated,
        setBy: Object.freeze(rest.setBy ?? []),
        preventedBy: Object.freeze(rest.preventedBy ?? []),
        verifiedBy: Object.freeze(AUDIT_CHECKS.filter((c) => c.cis === id).map((c) => c.id)),
        ...(rest.note === undefined ? {} : { note: rest.note }),
    });

const container = (how: string): Setting => ({ component: "HardenedContainer", how });
const network = (how: string): Setting => ({ component: "HardenedNetwork", how });
const host = (how: string): Setting => ({ component: "HardenedHost", how });
const daemon = (how: string): Setting => ({ component: "DockerDaemon", how });
const FILE = (how: string): { setBy: Setting[] } => ({
    setBy: [daemon(`daemon-files step: ${how}, or stricter, kept through package upgrades`)],
});
const AUDIT = (path: string): { setBy: Setting[] } => ({
    setBy: [
        host(
            `audit step: -w ${path} -p wa at its real path, written when it or its directory exists (a file that appears later is seen) and loaded with augenrules`,
        ),
    ],
});

const SWARM =
    "Swarm mode is not used: the project deploys single hosts (CIS 5.1); section 7 applies only with swarm on.";

export const CATALOGUE: readonly Control[] = Object.freeze([
    C("1.1.1", "Ensure a separate partition for containers has been created", true, {
        setBy: [
            host(
                "data-volume step: the data root is its own filesystem on the target's data device (an encrypted EBS volume on AWS), mounted by UUID; never reformatted; existing data migrated and kept",
            ),
        ],
        preventedBy: ["docker-host-require-data-volume"],
    }),
    C("1.1.2", "Ensure only trusted users are allowed to control Docker daemon", true, {
        setBy: [
            host(
                "docker-group step: members are exactly dockerGroup.trustedUsers plus the deployment user; others removed",
            ),
        ],
    }),
    C(
        "1.1.3",
        "Ensure auditing is configured for the Docker daemon (/usr/bin/dockerd)",
        true,
        AUDIT("/usr/bin/dockerd (docker-ce), /usr/sbin/dockerd (docker.io)"),
    ),
    C(
        "1.1.4",
        "Ensure auditing is configured for Docker files and directories - /run/containerd",
        true,
        AUDIT("/run/containerd"),
    ),
    C(
        "1.1.5",
        "Ensure auditing is configured for Docker files and directories - /var/lib/docker",
        true,
        AUDIT("/var/lib/docker (or the data root)"),
    ),
    C(
        "1.1.6",
        "Ensure auditing is configured for Docker files and directories - /etc/docker",
        true,
        AUDIT("/etc/docker"),
    ),
    C(
        "1.1.7",
        "Ensure auditing is configured for Docker files and directories - docker.service",
        true,
        AUDIT("docker.service"),
    ),
    C(
        "1.1.8",
        "Ensure auditing is configured for Docker files and directories - containerd.sock",
        true,
        AUDIT("containerd.sock"),
    ),
    C(
        "1.1.9",
        "Ensure auditing is configured for Docker files and directories - docker.socket",
        true,
        AUDIT("docker.socket"),
    ),
    C(
        "1.1.10",
        "Ensure auditing is configured for Docker files and directories - /etc/default/docker",
        true,
        AUDIT("/etc/default/docker"),
    ),
    C(
        "1.1.11",
        "Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json",
        true,
        AUDIT("/etc/docker/daemon.json"),
    ),
    C(
        "1.1.12",
        "Ensure auditing is configured for Docker files and directories - /etc/containerd/config.toml",
        true,
        AUDIT("/etc/containerd/config.toml"),
    ),
    C("1.1.13", "Ensure auditing is configured for Docker files and directories - /etc/sysconfig/docker", true, {
        ...AUDIT("/etc/sysconfig/docker"),
        note: "RHEL family only: the rule is written where the file exists, so on Debian and Ubuntu there is none.",
    }),
    C(
        "1.1.14",
        "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd",
        true,
        AUDIT("/usr/bin/containerd"),
    ),
    C(
        "1.1.15",
        "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim",
        true,
        AUDIT("/usr/bin/containerd-shim"),
    ),
    C(
        "1.1.16",
        "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v1",
        true,
        AUDIT("/usr/bin/containerd-shim-runc-v1"),
    ),
    C(
        "1.1.17",
        "Ensure auditing is configured for Docker files and directories - /usr/bin/containerd-shim-runc-v2",
        true,
        AUDIT("/usr/bin/containerd-shim-runc-v2"),
    ),
    C(
        "1.1.18",
        "Ensure auditing is configured for Docker files and directories - /usr/bin/runc",
        true,
        AUDIT("/usr/bin/runc (and Debian's /usr/sbin/runc)"),
    ),
    C("1.2.1", "Ensure the container host has been hardened", false, {
        setBy: [
            host(
                "ssh step: key-only login, no root, allowed users only, idle shells closed, modern algorithms, weak host keys and DH moduli removed",
            ),
            host(
                "firewall steps: nftables table of its own, SSH from adminCidrs, published ports from their sources, rollback unless confirmed",
            ),
            host("kernel step: sysctl hardening with IP forwarding kept on"),
            host("minimal step: legacy network services purged or disabled"),
            host(
                "accounts step: system accounts get nologin and a locked password; other login accounts outside accounts.loginUsers reported, or removed (home kept) with removeUnlisted",
            ),
            host(
                "hygiene step: account, SSH, cron, boot and audit files at the table's modes and owners (docs/host-hygiene.md); core dumps off; login shells with umask 027 and a read-only TMOUT",
            ),
        ],
        preventedBy: ["docker-container-require-hardened-host"],
    }),
    C("1.2.2", "Ensure that the version of Docker is up to date", false, {
        setBy: [
            host(
                "engine step: the distribution's or Docker's repository, latest (upgraded on every run) or a pinned version",
            ),
        ],
    }),

    C("2.1", "Run the Docker daemon as a non-root user, if possible", false, {
        note: "Rootless mode breaks AppArmor, user-namespace remapping and published-port firewalling as the project uses them; user-namespace remapping (2.9) is used instead.",
    }),
    C("2.2", "Ensure network traffic is restricted between containers on the default bridge", true, {
        setBy: [
            daemon("daemon.json icc: false on the default bridge; true needs waivers.interContainerCommunication"),
            network('com.docker.network.bridge.enable_icc = "false" on every user-defined network unless waived'),
        ],
        preventedBy: [
            "docker-network-disable-icc",
            "docker-daemon-disable-icc",
            "docker-daemon-disable-icc-local-command",
        ],
    }),
    C("2.3", "Ensure the logging level is set to 'info'", true, {
        setBy: [daemon("daemon.json log-level: info (warn and error allowed; debug refused)")],
        preventedBy: ["docker-daemon-restrict-log-level", "docker-daemon-restrict-log-level-local-command"],
    }),
    C("2.4", "Ensure Docker is allowed to make changes to iptables", true, {
        setBy: [daemon("daemon.json iptables: true, always")],
        preventedBy: ["docker-daemon-require-iptables", "docker-daemon-require-iptables-local-command"],
    }),
    C("2.5", "Ensure insecure registries are not used", true, {
        setBy: [daemon("daemon.json insecure-registries: none; any entry is refused")],
        preventedBy: [
            "docker-daemon-disallow-insecure-registries",
            "docker-daemon-disallow-insecure-registries-local-command",
        ],
    }),
    C("2.6", "Ensure aufs storage driver is not used", true, {
        setBy: [daemon("daemon.json storage-driver: overlay2; aufs and devicemapper refused")],
        preventedBy: [
            "docker-daemon-disallow-deprecated-storage-driver",
            "docker-daemon-disallow-deprecated-storage-driver-local-command",
        ],
    }),
    C("2.7", "Ensure TLS authentication for Docker daemon is configured", true, {
        setBy: [
            daemon(
                "the Unix socket only; a TCP socket only with tlsverify, CA, certificate and key (a Pulumi secret) under /etc/docker/tls",
            ),
        ],
        preventedBy: [
            "docker-daemon-require-tls-verify",
            "docker-daemon-require-tls-verify-local-command",
            "docker-provider-require-tls",
        ],
    }),
    C("2.8", "Ensure the default ulimit is configured appropriately", false, {
        setBy: [daemon("daemon.json default-ulimits: nofile 65536, nproc 16384")],
    }),
    C("2.9", "Enable user namespace support", true, {
        setBy: [
            daemon(
                "daemon.json userns-remap: default, with dockremap's subordinate id ranges; off needs waivers.noUsernsRemap",
            ),
        ],
        preventedBy: ["docker-daemon-require-userns-remap", "docker-daemon-require-userns-remap-local-command"],
    }),
    C("2.10", "Ensure the default cgroup usage has been confirmed", true, {
        setBy: [daemon("no cgroup-parent; the key is refused")],
        preventedBy: ["docker-daemon-disallow-cgroup-parent", "docker-daemon-disallow-cgroup-parent-local-command"],
    }),
    C("2.11", "Ensure base device size is not changed until needed", true, {
        setBy: [daemon("no storage-opts base size; the key is refused")],
        preventedBy: [
            "docker-daemon-disallow-base-device-size",
            "docker-daemon-disallow-base-device-size-local-command",
        ],
    }),
    C("2.12", "Ensure that authorization for Docker client commands is enabled", true, {
        setBy: [
            daemon(
                "authorization-plugins as given; none needs waivers.noAuthorizationPlugin, recorded with its reason",
            ),
        ],
    }),
    C("2.13", "Ensure centralized and remote logging is configured", true, {
        setBy: [
            daemon(
                "daemon.json log-driver: syslog to the central server (or journald, which the host forwards); json-file refused",
            ),
            host("logging step: rsyslog forwards the host's logs over TCP (optionally TLS) with a disk queue"),
        ],
        preventedBy: ["docker-daemon-require-remote-logging", "docker-daemon-require-remote-logging-local-command"],
    }),
    C("2.14", "Ensure containers are restricted from acquiring new privileges", true, {
        setBy: [
            daemon("daemon.json no-new-privileges: true"),
            container('securityOpts "no-new-privileges:true" on every container'),
        ],
        preventedBy: [
            "docker-daemon-require-no-new-privileges",
            "docker-daemon-require-no-new-privileges-local-command",
        ],
    }),
    C("2.15", "Ensure live restore is enabled", true, {
        setBy: [daemon("daemon.json live-restore: true; off needs waivers.noLiveRestore; refused with swarm")],
        preventedBy: ["docker-daemon-require-live-restore", "docker-daemon-require-live-restore-local-command"],
    }),
    C("2.16", "Ensure Userland Proxy is Disabled", true, {
        setBy: [daemon("daemon.json userland-proxy: false")],
        preventedBy: ["docker-daemon-disable-userland-proxy", "docker-daemon-disable-userland-proxy-local-command"],
    }),
    C("2.17", "Ensure that a daemon-wide custom seccomp profile is applied if appropriate", false, {
        setBy: [
            daemon(
                "seccomp-profile: a supplied daemon-wide profile at /etc/docker/seccomp.json, else Docker's default",
            ),
        ],
    }),
    C("2.18", "Ensure that experimental features are not implemented in production", true, {
        setBy: [daemon("daemon.json experimental: false; true refused")],
        preventedBy: ["docker-daemon-disable-experimental", "docker-daemon-disable-experimental-local-command"],
    }),

    C(
        "3.1",
        "Ensure that the docker.service file ownership is set to root:root",
        true,
        FILE("docker.service root:root"),
    ),
    C("3.2", "Ensure that docker.service file permissions are appropriately set", true, FILE("docker.service 0644")),
    C("3.3", "Ensure that docker.socket file ownership is set to root:root", true, FILE("docker.socket root:root")),
    C(
        "3.4",
        "Ensure that docker.socket file permissions are set to 644 or more restrictive",
        true,
        FILE("docker.socket 0644"),
    ),
    C(
        "3.5",
        "Ensure that the /etc/docker directory ownership is set to root:root",
        true,
        FILE("/etc/docker root:root"),
    ),
    C(
        "3.6",
        "Ensure that /etc/docker directory permissions are set to 755 or more restrictively",
        true,
        FILE("/etc/docker 0755"),
    ),
    C(
        "3.7",
        "Ensure that registry certificate file ownership is set to root:root",
        true,
        FILE("registry certificates under /etc/docker/certs.d root:root"),
    ),
    C(
        "3.8",
        "Ensure that registry certificate file permissions are set to 444 or more restrictively",
        true,
        FILE("registry certificates 0444"),
    ),
    C(
        "3.9",
        "Ensure that TLS CA certificate file ownership is set to root:root",
        true,
        FILE("TLS CA certificate root:root"),
    ),
    C(
        "3.10",
        "Ensure that TLS CA certificate file permissions are set to 444 or more restrictively",
        true,
        FILE("TLS CA certificate 0444"),
    ),
    C(
        "3.11",
        "Ensure that Docker server certificate file ownership is set to root:root",
        true,
        FILE("server certificate root:root"),
    ),
    C(
        "3.12",
        "Ensure that the Docker server certificate file permissions are set to 444 or more restrictively",
        true,
        FILE("server certificate 0444"),
    ),
    C(
        "3.13",
        "Ensure that the Docker server certificate key file ownership is set to root:root",
        true,
        FILE("server key root:root"),
    ),
    C("3.14", "Ensure that the Docker server certificate key file permissions are set to 400", true, {
        setBy: [daemon("daemon-files step: server key exactly 0400, kept through package upgrades")],
    }),
    C(
        "3.15",
        "Ensure that the Docker socket file ownership is set to root:docker",
        true,
        FILE("/var/run/docker.sock root:docker (docker.socket drop-in)"),
    ),
    C(
        "3.16",
        "Ensure that the Docker socket file permissions are set to 660 or more restrictively",
        true,
        FILE("/var/run/docker.sock 0660"),
    ),
    C("3.17", "Ensure that the daemon.json file ownership is set to root:root", true, FILE("daemon.json root:root")),
    C(
        "3.18",
        "Ensure that daemon.json file permissions are set to 644 or more restrictive",
        true,
        FILE("daemon.json 0644"),
    ),
    C(
        "3.19",
        "Ensure that the /etc/default/docker file ownership is set to root:root",
        true,
        FILE("/etc/default/docker root:root"),
    ),
    C(
        "3.20",
        "Ensure that the /etc/default/docker file permissions are set to 644 or more restrictively",
        true,
        FILE("/etc/default/docker 0644"),
    ),
    C(
        "3.21",
        "Ensure that the /etc/sysconfig/docker file ownership is set to root:root",
        true,
        FILE("/etc/sysconfig/docker root:root where it exists"),
    ),
    C(
        "3.22",
        "Ensure that the /etc/sysconfig/docker file permissions are set to 644 or more restrictively",
        true,
        FILE("/etc/sysconfig/docker 0644 where it exists"),
    ),
    C(
        "3.23",
        "Ensure that the Containerd socket file ownership is set to root:root",
        true,
        FILE("containerd.sock root:root"),
    ),
    C(
        "3.24",
        "Ensure that the Containerd socket file permissions are set to 660 or more restrictively",
        true,
        FILE("containerd.sock 0660"),
    ),

    C("4.1", "Ensure that a user for the container has been created", true, {
        setBy: [container("user is required; root needs waivers.rootUser")],
        preventedBy: ["docker-container-require-non-root-user"],
    }),
    C("4.2", "Ensure that containers use only trusted base images", false, {
        setBy: [container("image must lie under trustedRegistries")],
        preventedBy: ["docker-image-require-trusted-registry"],
        note: "What a base image contains is reviewed by people; the project enforces where images may come from.",
    }),
    C("4.3", "Ensure that unnecessary packages are not installed in the container", false, {
        note: "Image content is the image builder's; a read-only root, dropped capabilities and no-new-privileges limit what a stray package can do.",
    }),
    C("4.4", "Ensure images are scanned and rebuilt to include security patches", false, {
        note: "Scanning belongs in the image pipeline; digest pins (5.28) make a rebuilt image a reviewed change.",
    }),
    C("4.5", "Ensure Content trust for Docker is Enabled", true, {
        note: "Content trust (DOCKER_CONTENT_TRUST) is a client setting with no resource to check; digest pins from trusted registries (4.2, 5.28) give the same guarantee of what runs.",
    }),
    C("4.6", "Ensure that HEALTHCHECK instructions have been added to container images", true, {
        setBy: [container("healthCheck is required; none needs waivers.noHealthCheck")],
        preventedBy: ["docker-container-require-healthcheck"],
    }),
    C("4.7", "Ensure update instructions are not used alone in Dockerfiles", false, {
        note: "A Dockerfile review item; the project builds no images.",
    }),
    C("4.8", "Ensure setuid and setgid permissions are removed", false, {
        setBy: [container("no-new-privileges makes setuid and setgid bits inert at runtime")],
        note: "Removing the bits is an image build step; no-new-privileges (5.26) neutralises them.",
    }),
    C("4.9", "Ensure that COPY is used instead of ADD in Dockerfiles", false, {
        note: "A Dockerfile review item; the project builds no images.",
    }),
    C("4.10", "Ensure secrets are not stored in Dockerfiles", false, {
        note: "A Dockerfile review item; the components take secrets as Pulumi secrets in env.",
    }),
    C("4.11", "Ensure only verified packages are installed", false, {
        note: "An image build item; the project builds no images.",
    }),
    C("4.12", "Ensure all signed artifacts are validated", false, {
        note: "Signature checks belong to the image pipeline; digest pins (5.28) tie what runs to what was validated.",
    }),

    C("5.1", "Ensure swarm mode is not Enabled, if not needed", true, {
        note: "Daemon state, not a resource: the project never enables swarm; the on-host audit (audit issue) checks docker info.",
    }),
    C("5.2", "Ensure that, if applicable, an AppArmor Profile is enabled", true, {
        setBy: [
            container('securityOpts "apparmor=docker-default" unless appArmorProfile names another'),
            container(
                "appArmor: the container's own profile, written or generated from rules, installed in /etc/apparmor.d, loaded with apparmor_parser -r and checked in enforce mode; a changed profile recreates the container",
            ),
            host("engine step: AppArmor installed and enabled so docker-default loads"),
        ],
        preventedBy: ["docker-container-require-apparmor-profile"],
    }),
    C("5.3", "Ensure that, if applicable, SELinux security options are set", true, {
        preventedBy: ["docker-container-disallow-selinux-label-disable"],
        note: "Debian hosts use AppArmor, so no SELinux label is set; the policy rejects switching labelling off where SELinux is in use.",
    }),
    C("5.4", "Ensure that Linux kernel capabilities are restricted within containers", true, {
        setBy: [container('capabilities.drops = ["ALL"]; adds only the validated capabilities listed')],
        preventedBy: ["docker-container-restrict-capabilities"],
    }),
    C("5.5", "Ensure that privileged containers are not used", true, {
        setBy: [container("privileged = false, with no way to change it")],
        preventedBy: ["docker-container-disallow-privileged"],
    }),
    C("5.6", "Ensure sensitive host system directories are not mounted on containers", true, {
        setBy: [container("only named volumes and tmpfs; no host bind mounts")],
        preventedBy: ["docker-container-disallow-sensitive-host-mounts"],
    }),
    C("5.7", "Ensure sshd is not run within containers", true, {
        note: "Whether an image runs sshd is in the image, which no resource property shows; the on-host audit checks running processes (audit issue).",
    }),
    C("5.8", "Ensure privileged ports are not mapped within containers", true, {
        setBy: [container("hostPort 1024 and above unless waivers.privilegedPorts names it")],
        preventedBy: ["docker-container-disallow-privileged-ports"],
    }),
    C("5.9", "Ensure that only needed ports are open on the container", false, {
        setBy: [container("only the ports listed are published; publishAllPorts is never set")],
        note: "Which ports are needed is the service owner's call; the component publishes nothing unasked.",
    }),
    C("5.10", "Ensure that the host's network namespace is not shared", true, {
        setBy: [container('networkMode is the user-defined network; "host" is refused')],
        preventedBy: ["docker-container-disallow-host-network"],
    }),
    C("5.11", "Ensure that the memory usage for containers is limited", true, {
        setBy: [container("memory = memorySwap = memoryMb (default 256)")],
        preventedBy: ["docker-container-require-memory-limit"],
    }),
    C("5.12", "Ensure that CPU priority is set appropriately on containers", true, {
        setBy: [container("cpuShares (default 512)")],
        preventedBy: ["docker-container-require-cpu-limit"],
    }),
    C("5.13", "Ensure that the container's root filesystem is mounted as read only", true, {
        setBy: [container("readOnly = true; writablePaths become noexec tmpfs mounts")],
        preventedBy: ["docker-container-require-read-only-root"],
    }),
    C("5.14", "Ensure that incoming container traffic is bound to a specific host interface", true, {
        setBy: [
            container("ports[].ip defaults to 127.0.0.1; 0.0.0.0 and :: need waivers.allInterfaces"),
            network("com.docker.network.bridge.host_binding_ipv4 = 127.0.0.1"),
        ],
        preventedBy: ["docker-container-require-host-address-binding"],
    }),
    C("5.15", "Ensure that the 'on-failure' container restart policy is set to '5'", true, {
        setBy: [container('restart = "on-failure", maxRetryCount = maxRestarts (1 to 5, default 5)')],
        preventedBy: ["docker-container-restrict-restart-policy"],
    }),
    C("5.16", "Ensure that the host's process namespace is not shared", true, {
        setBy: [container("pidMode is never set")],
        preventedBy: ["docker-container-disallow-host-pid"],
    }),
    C("5.17", "Ensure that the host's IPC namespace is not shared", true, {
        setBy: [container('ipcMode = "private"')],
        preventedBy: ["docker-container-disallow-host-ipc"],
    }),
    C("5.18", "Ensure that host devices are not directly exposed to containers", false, {
        setBy: [container("devices are never set")],
        preventedBy: ["docker-container-disallow-host-devices"],
    }),
    C("5.19", "Ensure that the default ulimit is overwritten at runtime if needed", false, {
        note: "Containers keep the daemon's default ulimits (2.8, daemon issue); the component sets none.",
    }),
    C("5.20", "Ensure mount propagation mode is not set to shared", true, {
        setBy: [container("no bind mounts, so no propagation mode")],
        preventedBy: ["docker-container-disallow-shared-mount-propagation"],
    }),
    C("5.21", "Ensure that the host's UTS namespace is not shared", true, {
        setBy: [container("the container always gets its own UTS namespace")],
        note: "@pulumi/docker 5.2.0's Container has no UTS mode input, so no container made through it can share the host's UTS namespace: there is nothing for a policy to reject. The on-host audit checks UTSMode (audit issue).",
    }),
    C("5.22", "Ensure the default seccomp profile is not Disabled", true, {
        setBy: [
            container(
                "Docker's default profile; seccompProfile (the default with denySyscalls refused) or seccompProfileJson (checked field by field); unconfined and allow-by-default are refused",
            ),
        ],
        preventedBy: ["docker-container-disallow-unconfined-seccomp"],
    }),
    C("5.23", "Ensure that docker exec commands are not used with the privileged option", true, {
        note: "Not verified: docker exec is an interactive command, not a resource a preview can see, and it leaves no state on the host for the audit to read (the audit rules watch Docker's files for writes, not the client's executions); an authorization plugin (2.12) can refuse it.",
    }),
    C("5.24", "Ensure that docker exec commands are not used with the user=root option", false, {
        note: "docker exec is an interactive command, not a resource a preview can see.",
    }),
    C("5.25", "Ensure that cgroup usage is confirmed", true, {
        setBy: [container("cgroupParent is never set")],
        preventedBy: ["docker-container-disallow-custom-cgroup-parent"],
    }),
    C("5.26", "Ensure that the container is restricted from acquiring additional privileges", true, {
        setBy: [container('securityOpts "no-new-privileges:true"')],
        preventedBy: ["docker-container-require-no-new-privileges"],
    }),
    C("5.27", "Ensure that container health is checked at runtime", true, {
        setBy: [container("healthcheck with interval and timeout; pulumi up waits until healthy")],
        preventedBy: ["docker-container-require-runtime-health-check"],
    }),
    C("5.28", "Ensure that Docker commands always make use of the latest version of their image", false, {
        setBy: [container("image pinned by digest unless waivers.imageTag")],
        preventedBy: ["docker-image-require-digest-pin"],
        note: "A digest pin makes the image an explicit, reviewed input: updating it is a change to the stack.",
    }),
    C("5.29", "Ensure that the PIDs cgroup limit is used", true, {
        setBy: [
            container("pidsLimit (default 128), applied by docker update from a command that depends on the container"),
        ],
        preventedBy: ["docker-container-require-pids-limit"],
    }),
    C("5.30", "Ensure that Docker's default bridge 'docker0' is not used", false, {
        setBy: [container("network is required and never the default bridge"), network("user-defined bridge network")],
        preventedBy: ["docker-container-disallow-default-bridge"],
    }),
    C("5.31", "Ensure that the host's user namespaces are not shared", true, {
        setBy: [container("usernsMode is never set")],
        preventedBy: ["docker-container-disallow-host-userns"],
    }),
    C("5.32", "Ensure that the Docker socket is not mounted inside any containers", true, {
        setBy: [container("no host bind mounts; volume names that are paths are refused")],
        preventedBy: ["docker-container-disallow-docker-socket-mount"],
    }),

    C("6.1", "Ensure that image sprawl is avoided", false, {
        note: "Images are pulled by digest per stack; pruning unused images is an operations task.",
    }),
    C("6.2", "Ensure that container sprawl is avoided", false, {
        note: "Every container is a resource of a stack, so pulumi destroy and refresh keep the set exact.",
    }),

    C("7.1", "Ensure that the minimum number of manager nodes have been created in a swarm", false, { note: SWARM }),
    C("7.2", "Ensure that swarm services are bound to a specific host interface", false, { note: SWARM }),
    C("7.3", "Ensure that all Docker swarm overlay networks are encrypted", false, { note: SWARM }),
    C(
        "7.4",
        "Ensure that Docker's secret management commands are used for managing secrets in a swarm cluster",
        false,
        { note: SWARM },
    ),
    C("7.5", "Ensure that swarm manager is run in auto-lock mode", false, { note: SWARM }),
    C("7.6", "Ensure that the swarm manager auto-lock key is rotated periodically", false, { note: SWARM }),
    C("7.7", "Ensure that node certificates are rotated as appropriate", false, { note: SWARM }),
    C("7.8", "Ensure that CA certificates are rotated as appropriate", false, { note: SWARM }),
    C("7.9", "Ensure management plane traffic is separated from data plane traffic", false, { note: SWARM }),
]);

/** The control with this id; throws for an id the benchmark does not have. */
export function control(id: string): Control {
    const c = CATALOGUE.find((x) => x.id === id);
    if (c === undefined) {
        throw new Error(`CIS Docker Benchmark ${BENCHMARK.version} has no control ${id}`);
    }
    return c;
}

/**
 * Policies that guard a whole section rather than one control: they stop what would hide the
 * section's settings from the control-level policies.
 */
export const SECTION_POLICIES: Readonly<Partial<Record<Section, readonly string[]>>> = Object.freeze({
    "2": Object.freeze([
        "docker-daemon-require-reviewable-config",
        "docker-daemon-require-reviewable-config-local-command",
    ]),
});

/** The other benchmark the pack enforces: the cloud side of a Docker host on AWS. */
export const AWS_BENCHMARK = Object.freeze({ name: "CIS Amazon Web Services Foundations Benchmark", version: "3.0.0" });

/** A control of the AWS benchmark that the pack's AWS policies enforce. */
export interface AwsControl {
    id: string;
    title: string;
    preventedBy: readonly string[];
    /** Why it matters for a Docker host. */
    why: string;
}

export const AWS_CATALOGUE: readonly AwsControl[] = Object.freeze([
    {
        id: "2.2.1",
        title: "Ensure EBS volume encryption is enabled in all regions",
        preventedBy: [
            "aws-instance-require-encrypted-volumes",
            "aws-launch-template-require-encrypted-volumes",
            "aws-spot-instance-request-require-encrypted-volumes",
            "aws-ebs-require-encryption",
        ],
        why: "The root and data volumes hold images, container layers, volumes and daemon keys.",
    },
    {
        id: "5.2",
        title: "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports",
        preventedBy: [
            "aws-instance-disallow-public-ip",
            "aws-launch-template-disallow-public-ip",
            "aws-spot-instance-request-disallow-public-ip",
            "aws-security-group-disallow-public-admin-ports",
            "aws-default-security-group-disallow-public-admin-ports",
            "aws-security-group-ingress-rule-disallow-public-admin-ports",
            "aws-security-group-rule-disallow-public-admin-ports",
        ],
        why: "SSH and the Docker API (2375, 2376, 2377) are the host's root; a public address puts them one rule away from the internet.",
    },
    {
        id: "5.3",
        title: "Ensure no security groups allow ingress from ::/0 to remote server administration ports",
        preventedBy: [
            "aws-security-group-disallow-public-admin-ports",
            "aws-default-security-group-disallow-public-admin-ports",
            "aws-security-group-ingress-rule-disallow-public-admin-ports",
            "aws-security-group-rule-disallow-public-admin-ports",
        ],
        why: "The same, over IPv6 (the security group policy reports IPv6 sources under 5.3).",
    },
    {
        id: "5.6",
        title: "Ensure that EC2 Metadata Service only allows IMDSv2",
        preventedBy: [
            "aws-instance-require-imdsv2",
            "aws-launch-template-require-imdsv2",
            "aws-spot-instance-request-require-imdsv2",
        ],
        why: "With IMDSv1 or a hop limit above 1, any container can read the instance role's credentials.",
    },
]);
