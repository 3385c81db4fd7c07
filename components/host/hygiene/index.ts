export * from "./args";
export { HYGIENE_DEFAULTS, HYGIENE_FILE_MODES, type HygieneFileMode } from "./defaults";
export {
    HYGIENE_COREDUMP_PATH,
    HYGIENE_LIMITS_PATH,
    HYGIENE_LOGIN_DEFS_PATH,
    HYGIENE_MAIN,
    HYGIENE_PROFILE_PATH,
    renderHygiene,
    renderHygieneCoredump,
    renderHygieneLimits,
    renderHygieneProfile,
} from "./render";
export { validateHygieneArgs, type HygienePlan } from "./validate";
