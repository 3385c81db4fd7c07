/**
 * Linux capabilities (capabilities(7), kernel 6.x), without the `CAP_` prefix, in the kernel's order.
 */
export const LINUX_CAPABILITIES: readonly string[] = Object.freeze([
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
]);

/**
 * Capabilities that let a process in a container reach the host or other containers: adding any of
 * them needs a named waiver. (SYS_ADMIN and SYS_MODULE give the host away outright; the others read
 * or change kernel, network or security state shared with the host.)
 */
export const DANGEROUS_CAPABILITIES: readonly string[] = Object.freeze([
    "AUDIT_CONTROL",
    "BPF",
    "DAC_READ_SEARCH",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "NET_ADMIN",
    "PERFMON",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_TIME",
]);

/** Host directories that CIS 5.6 forbids mounting into a container (nor anything beneath them). */
export const SENSITIVE_HOST_PATHS: readonly string[] = Object.freeze([
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
]);

/**
 * Host paths of the container engine's sockets and state (CIS 5.32 and the data root): mounting
 * any of them, or a directory that holds one, hands the container the engine.
 */
export const ENGINE_HOST_PATHS: readonly string[] = Object.freeze([
    "/run/docker.sock",
    "/var/run/docker.sock",
    "/run/containerd",
    "/var/run/containerd",
    "/run/docker",
    "/var/run/docker",
    "/var/lib/docker",
    "/var/lib/containerd",
]);

/**
 * Normalises a capability name: upper case, without the `CAP_` prefix. Returns undefined for a
 * name that is not a Linux capability.
 */
export function normaliseCapability(name: string): string | undefined {
    const upper = name.trim().toUpperCase();
    const bare = upper.startsWith("CAP_") ? upper.slice(4) : upper;
    return LINUX_CAPABILITIES.includes(bare) ? bare : undefined;
}
