export * from "./args";
export {
    COLLECTOR_FORMAT,
    decodeCollectorOutput,
    renderCollector,
    type CollectorPlan,
    type RawEvidence,
} from "./collect";
export {
    AUDIT_CHECKS,
    evaluateAudit,
    mandatoryFailureMessage,
    summarizeAudit,
    type AuditPolicy,
    type AuditReport,
    type CheckResult,
    type ControlWaiver,
} from "./evaluate";
export type { AuditExpectations, CheckDef, Status, WaiverNote } from "./checks/types";
export { CONTAINER_WAIVER_CONTROLS } from "./checks/containers";
export { ComplianceAudit } from "./complianceAudit";
export { auditedControls, parseSysctlFile, planAudit, type AuditPlan } from "./validate";
export type { Section } from "./collect";
export type { Finding } from "./checks/types";
export type { ContainerFacts, ContainerInspect, DockerInfo, Evidence, FileFacts, VolumeFacts } from "./evidence";
