/**
 * Which container of the program owns each AppArmor profile name on a host. A profile name is
 * global on the host: two containers that name the same profile overwrite each other's profile
 * (the last one loaded wins, and the other container runs under a profile that is not its own),
 * and deleting either one unloads the profile the other still runs under. So a name may be claimed
 * once per host.
 *
 * A host is known by identity: the `args.host` object the containers share, and the connection
 * object (`args.host.connection`, an Output or a plain object) when they share that. Containers
 * given separate but equal connection objects, or deployed by different programs, are not seen
 * here: the name must still be unique on the host (ContainerAppArmorArgs.name). The other
 * profiles a written profile's text declares at its top level are claimed with it: they are
 * loaded, replaced and removed with it.
 */
import { ArgumentError } from "../../common/errors";

/** A container that claimed a profile: the component itself (its identity) and its name. */
export interface ProfileClaimant {
    readonly container: object;
    readonly name: string;
}

/** Per run of a program (its scope), per host key: profile name -> the container that claimed it. */
const CLAIMS = new WeakMap<object, WeakMap<object, Map<string, ProfileClaimant>>>();

/** A profile name to claim, and the argument that gave it (for the message). */
export interface ProfileClaim {
    profile: string;
    /** `args.appArmor.name`, or `args.appArmor.profile` for another profile its text declares. */
    argument: string;
}

/**
 * Claims each profile of `claims` for `claimant` on the host that `keys` identify (non-objects are
 * ignored), in `scope`: one run of the program (its stack resource), so that a process that runs
 * a program again (an Automation API inline program, with host objects kept between runs) starts
 * afresh. Throws an ArgumentError naming the claim's argument when another container of this run
 * (by identity: two containers of one name under different parents are two containers) claimed
 * the same profile on a host with one of the same keys, and records nothing then; records every
 * claim otherwise.
 */
export function claimAppArmorProfiles(
    scope: object,
    keys: readonly unknown[],
    claims: readonly ProfileClaim[],
    claimant: ProfileClaimant,
): void {
    let byKey = CLAIMS.get(scope);
    if (byKey === undefined) {
        byKey = new WeakMap();
        CLAIMS.set(scope, byKey);
    }
    const objects = keys.filter((k): k is object => (typeof k === "object" && k !== null) || typeof k === "function");
    for (const { profile, argument } of claims) {
        for (const key of objects) {
            const owner = byKey.get(key)?.get(profile);
            if (owner !== undefined && owner.container !== claimant.container) {
                const whose =
                    owner.name === claimant.name
                        ? `another HardenedContainer named ${JSON.stringify(owner.name)}`
                        : `HardenedContainer ${JSON.stringify(owner.name)}`;
                const what = argument.endsWith(".name")
                    ? `is ${JSON.stringify(profile)}, the AppArmor profile of ${whose} on the same host`
                    : `declares the profile ${JSON.stringify(profile)}, which ${whose} loads on the same host`;
                throw new ArgumentError(
                    argument,
                    `${what}: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`,
                );
            }
        }
    }
    for (const key of objects) {
        let names = byKey.get(key);
        if (names === undefined) {
            names = new Map();
            byKey.set(key, names);
        }
        for (const { profile } of claims) {
            names.set(profile, claimant);
        }
    }
}
