import type { HygieneFileMode } from "../../host/hygiene/defaults";
import type { Evidence } from "../evidence";

/** A check's verdict. `waived`: a component or the stack relaxed the control, with a reason. */
export type Status = "pass" | "fail" | "not-applicable" | "waived";

/** Who relaxed a control and why. */
export interface WaiverNote {
    /** The argument or label that made the waiver: `DockerDaemon "docker-daemon" args.config.waivers.noAuthorizationPlugin`. */
    by: string;
    reason: string;
}

/** What one check found: its verdict and the evidence it saw on the host. */
export interface Finding {
    status: Status;
    evidence: string[];
    waivers?: WaiverNote[];
}

/** What the stack says the host should be, beyond the benchmark itself. */
export interface AuditExpectations {
    /** Docker's data root (CIS 1.1.1, 1.1.5). */
    dataRoot: string;
    /** Who may be in the docker group (CIS 1.1.2). */
    dockerGroupMembers: string[];
    /** The kernel step's settings, key to value; empty without a HardenedHost (not checked then). */
    sysctl: Record<string, string>;
    /**
     * True when a HardenedHost hardened the machine: its firewall must be loaded (CIS 1.2.1), and its
     * audit step's watches on paths that do not exist yet (whose directory does) must be loaded too.
     */
    hardenedHost: boolean;
    /** True when HardenedHost's logging step forwards the host's logs to a central server (CIS 2.13). */
    remoteLogging: boolean;
    /**
     * The waivers of the stack's HardenedContainers, by container id: waiver name to reason. Only
     * these count: a label on a container (or in its image) waives nothing.
     */
    containerWaivers: Record<string, Record<string, string>>;
    /**
     * The seccomp profiles of the stack's HardenedContainers that declare one (the JSON Docker
     * takes), by container id: each must run under exactly that profile (CIS 5.22).
     */
    containerSeccomp: Record<string, string>;
    /**
     * The AppArmor profiles HardenedContainers install, by container id: the container runs under
     * that profile, in enforce mode, and the installed file has this digest (CIS 5.2).
     */
    containerAppArmor: Record<string, { name: string; sha256: string; path: string }>;
    /** Who may log in besides root (HardenedHost's accounts step); undefined without a HardenedHost. */
    loginUsers?: string[];
    /** The hygiene step's table of file modes; empty without a HardenedHost. */
    hostFileModes: readonly HygieneFileMode[];
    /** The hygiene step's login shell settings; undefined without a HardenedHost. */
    shell?: { umask: string; idleTimeoutSeconds: number };
}

/** One check of the audit: one control, read from the evidence. */
export interface CheckDef {
    /** Stable, unique: what the catalogue's `verifiedBy` names. */
    id: string;
    /** The CIS Docker Benchmark v1.6.0 id it verifies. */
    cis: string;
    /** What must hold, in a line. */
    title: string;
    run(ev: Evidence, exp: AuditExpectations): Finding;
}

export const pass = (...evidence: string[]): Finding => ({ status: "pass", evidence });
export const fail = (...evidence: string[]): Finding => ({ status: "fail", evidence });
export const notApplicable = (...evidence: string[]): Finding => ({ status: "not-applicable", evidence });
export const verdict = (ok: boolean, ...evidence: string[]): Finding => (ok ? pass : fail)(...evidence);
