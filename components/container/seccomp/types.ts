/**
 * A seccomp profile as dockerd reads it: moby's `api/types` Seccomp, Syscall, Arg and Filter (the
 * JSON that `--security-opt seccomp=` and a container's `securityOpts` carry). dockerd ignores a
 * field it does not know, so a misspelt one would silently change the filter: the validator refuses
 * any field not listed here.
 */
export interface SeccompProfile {
    /** What a syscall no rule matches gets. */
    defaultAction: SeccompAction;
    /** The errno of a `SCMP_ACT_ERRNO` default action (EPERM when unset). */
    defaultErrnoRet?: number;
    /** Architectures the filter applies to (`SCMP_ARCH_X86_64`, ...); or `archMap`. */
    architectures?: string[];
    /** Each architecture with the sub-architectures it also runs. */
    archMap?: { architecture: string; subArchitectures: string[] | null }[];
    syscalls?: SeccompRule[] | null;
    /** A seccomp agent's socket, for `SCMP_ACT_NOTIFY` rules. */
    listenerPath?: string;
    listenerMetadata?: string;
    /** Flags for the seccomp(2) call (`SECCOMP_FILTER_FLAG_LOG`, ...). */
    flags?: string[];
}

/** One rule: the syscalls it names, what they get, and when it applies. */
export interface SeccompRule {
    names?: string[];
    /** A single syscall: the older form of `names` (one of the two, not both). */
    name?: string;
    action: SeccompAction;
    /** The errno of a `SCMP_ACT_ERRNO` action. */
    errnoRet?: number;
    /** Conditions on the syscall's arguments, all of which must hold. */
    args?: SeccompArg[] | null;
    comment?: string;
    /** The rule applies only with these capabilities, architectures or kernel. */
    includes?: SeccompFilter;
    /** The rule does not apply with these. */
    excludes?: SeccompFilter;
}

export interface SeccompArg {
    /** The argument's position, 0 to 5. */
    index: number;
    value: number;
    valueTwo?: number;
    op: SeccompOp;
}

export interface SeccompFilter {
    caps?: string[] | null;
    arches?: string[] | null;
    /** `major.minor`. */
    minKernel?: string;
}

/** The actions dockerd (libseccomp) knows. */
export const SECCOMP_ACTIONS = [
    "SCMP_ACT_KILL",
    "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO",
    "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW",
    "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",
] as const;
export type SeccompAction = (typeof SECCOMP_ACTIONS)[number];

/** The argument comparisons dockerd (libseccomp) knows. */
export const SECCOMP_OPS = [
    "SCMP_CMP_NE",
    "SCMP_CMP_LT",
    "SCMP_CMP_LE",
    "SCMP_CMP_EQ",
    "SCMP_CMP_GE",
    "SCMP_CMP_GT",
    "SCMP_CMP_MASKED_EQ",
] as const;
export type SeccompOp = (typeof SECCOMP_OPS)[number];

/** Default actions that let every syscall no rule names through: not a filter (CIS 5.22). */
export const PERMISSIVE_DEFAULT_ACTIONS: readonly SeccompAction[] = [
    "SCMP_ACT_ALLOW",
    "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",
];
