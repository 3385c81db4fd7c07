export * from "./args";
export { SSH_DEFAULTS } from "./defaults";
export {
    renderSsh,
    renderSshDropIn,
    renderSshIdleDropIn,
    renderSshExpected,
    renderModuliFilter,
    sshKeywords,
    SSH_PATHS,
    SSH_INCLUDE_LINE,
} from "./render";
export {
    validateSshArgs,
    validateSshContext,
    SSH_ALLOWED_ALGORITHMS,
    CONNECTION_USER_ARGUMENT,
    CONNECTION_PORT_ARGUMENT,
    type SshPlan,
} from "./validate";
