export * from "./args";
export {
    APPARMOR_PROFILE_NAME,
    NAME_RESOLUTION_FILES,
    appArmorProfilePath,
    renderAppArmorProfile,
    topLevelProfiles,
    validateAppArmor,
    type AppArmorPlan,
} from "./profile";
export { APPARMOR_MAIN, renderAppArmorLoadScript, renderAppArmorUnloadCommand } from "./script";
