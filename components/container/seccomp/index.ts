export * from "./types";
export { DOCKER_DEFAULT_SECCOMP, DOCKER_DEFAULT_SECCOMP_SOURCE } from "./dockerDefault";
export {
    allowedSyscalls,
    readSeccompProfile,
    SECCOMP_REQUIRED_SYSCALLS,
    tightenDefaultProfile,
    type SeccompTighteningArgs,
} from "./profile";
