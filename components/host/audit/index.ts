export * from "./args";
export { AUDIT_DEFAULTS, type AuditCandidate } from "./defaults";
export {
    AUDIT_CIS,
    AUDIT_DROPIN_PATH,
    AUDIT_REFRESH_PATH,
    AUDIT_MAIN,
    AUDIT_RULES_PATH,
    AUDIT_TMPFILES_PATH,
    renderAudit,
    renderAuditCandidates,
    renderAuditDropIn,
    renderAuditTmpfiles,
} from "./render";
export { validateAuditArgs, type AuditPlan } from "./validate";
