import { compareCisIds } from "../../policy-pack/lib/rules/cisIds";
import { CIS_BENCHMARK_VERSION } from "../common/tokens";
import { CONTAINER_CHECKS } from "./checks/containers";
import { DAEMON_CHECKS } from "./checks/daemon";
import { FILE_CHECKS } from "./checks/files";
import { HOST_CHECKS } from "./checks/host";
import { HYGIENE_CHECKS } from "./checks/hygiene";
import type { AuditExpectations, CheckDef, Finding, Status, WaiverNote } from "./checks/types";
import type { RawEvidence } from "./collect";
import { Evidence } from "./evidence";

/** Every check of the audit, in benchmark order. */
export const AUDIT_CHECKS: readonly CheckDef[] = Object.freeze(
    [...HOST_CHECKS, ...HYGIENE_CHECKS, ...DAEMON_CHECKS, ...FILE_CHECKS, ...CONTAINER_CHECKS].sort((a, b) =>
        compareCisIds(a.cis, b.cis),
    ),
);

/** A relaxation the stack made: the control it waives and why (from a component or the audit's own args). */
export interface ControlWaiver {
    cis: string;
    by: string;
    reason: string;
}

/** What the stack asks of the audit, beyond the host's evidence. */
export interface AuditPolicy {
    expectations: AuditExpectations;
    waivers: ControlWaiver[];
    /** CIS ids whose failure fails the deployment, or every check. */
    mandatory: "all" | string[];
}

export interface CheckResult {
    /** The check's id (what the catalogue's verifiedBy names). */
    id: string;
    cis: string;
    title: string;
    status: Status;
    /** True when a failure of this control fails the deployment. */
    mandatory: boolean;
    /** What the check saw on the host. */
    evidence: string[];
    /** The waivers that apply, with who made them and why. */
    waivers?: WaiverNote[];
}

export interface AuditReport {
    benchmark: string;
    host: { hostname: string; os: string; kernel: string; dockerVersion: string };
    auditedAt: string;
    totals: { checks: number; pass: number; fail: number; notApplicable: number; waived: number };
    /** CIS ids of the failing checks, and of those among them that are mandatory. */
    failed: string[];
    mandatoryFailed: string[];
    checks: CheckResult[];
}

/**
 * Runs every check on the collector's evidence. A waiver of the stack turns a control's verdict
 * into `waived` (never `pass`), keeping what was seen; a check that cannot read what it needs fails
 * and says why.
 */
export function evaluateAudit(raw: RawEvidence, policy: AuditPolicy): AuditReport {
    const ev = new Evidence(raw);
    const checks: CheckResult[] = AUDIT_CHECKS.map((check) => {
        let finding: Finding;
        try {
            finding = check.run(ev, policy.expectations);
        } catch (e) {
            finding = { status: "fail", evidence: [`could not read the host: ${(e as Error).message}`] };
        }
        const stackWaivers = policy.waivers
            .filter((w) => w.cis === check.cis)
            .map((w): WaiverNote => ({ by: w.by, reason: w.reason }));
        const waivers = [...stackWaivers, ...(finding.waivers ?? [])];
        const status: Status = stackWaivers.length > 0 ? "waived" : finding.status;
        return {
            id: check.id,
            cis: check.cis,
            title: check.title,
            status,
            mandatory: policy.mandatory === "all" || policy.mandatory.includes(check.cis),
            evidence: finding.evidence,
            ...(waivers.length > 0 ? { waivers } : {}),
        };
    });
    const count = (s: Status) => checks.filter((c) => c.status === s).length;
    const failed = [...new Set(checks.filter((c) => c.status === "fail").map((c) => c.cis))];
    let meta = { auditedAt: "", hostname: "", kernel: "", os: "" };
    try {
        meta = ev.meta();
    } catch {
        // The checks already say what could not be read.
    }
    let dockerVersion = "";
    try {
        dockerVersion = ev.info().ServerVersion ?? "";
    } catch {
        // As above.
    }
    return {
        benchmark: `CIS Docker Benchmark ${CIS_BENCHMARK_VERSION}`,
        host: { hostname: meta.hostname, os: meta.os, kernel: meta.kernel, dockerVersion },
        auditedAt: meta.auditedAt,
        totals: {
            checks: checks.length,
            pass: count("pass"),
            fail: count("fail"),
            notApplicable: count("not-applicable"),
            waived: count("waived"),
        },
        failed,
        mandatoryFailed: [...new Set(checks.filter((c) => c.status === "fail" && c.mandatory).map((c) => c.cis))],
        checks,
    };
}

/** A few lines for people: the totals, then each failing and waived control. */
export function summarizeAudit(report: AuditReport): string {
    const t = report.totals;
    const lines = [
        `${report.benchmark} audit of ${report.host.hostname || "the host"} at ${report.auditedAt || "(unknown time)"} ` +
            `(Docker ${report.host.dockerVersion || "unknown"}): ${t.checks} checks, ${t.pass} pass, ${t.fail} fail, ` +
            `${t.notApplicable} not applicable, ${t.waived} waived`,
    ];
    for (const c of report.checks.filter((x) => x.status === "fail")) {
        lines.push(`FAIL ${c.cis} ${c.title}${c.mandatory ? " (mandatory)" : ""}: ${c.evidence.join("; ")}`);
    }
    for (const c of report.checks.filter((x) => x.status === "waived")) {
        lines.push(`WAIVED ${c.cis} ${c.title}: ${(c.waivers ?? []).map((w) => `${w.reason} (${w.by})`).join("; ")}`);
    }
    return lines.join("\n");
}

/** The error a failed mandatory control raises: its ids first, then what was seen. */
export function mandatoryFailureMessage(report: AuditReport): string | undefined {
    if (report.mandatoryFailed.length === 0) {
        return undefined;
    }
    const detail = report.checks
        .filter((c) => c.status === "fail" && c.mandatory)
        .map((c) => `${c.cis} ${c.title}: ${c.evidence.join("; ")}`);
    return [
        `mandatory CIS controls fail on the host: ${report.mandatoryFailed.join(", ")}`,
        ...detail,
        "Fix the host (or waive the control with its reason), then audit again: give rerunTrigger a new value.",
    ].join("\n");
}
