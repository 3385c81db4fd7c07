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
 * here: the name must still be unique on the host (ContainerAppArmorArgs.name).
 */
import { ArgumentError } from "../../common/errors";

/** A container that claimed a profile: the component itself (its identity) and its name. */
export interface ProfileClaimant {
    readonly container: object;
    readonly name: string;
}

/** Profile name -> the container that claimed it, per host key. */
const CLAIMS = new WeakMap<object, Map<string, ProfileClaimant>>();

/**
 * Claims `profile` for `claimant` on the host that `keys` identify (non-objects are ignored).
 * Throws an ArgumentError naming `args.appArmor.name` when another container of this program (by
 * identity: two containers of one name under different parents are two containers) claimed the
 * same name on a host with one of the same keys; records the claim otherwise.
 */
export function claimAppArmorProfile(keys: readonly unknown[], profile: string, claimant: ProfileClaimant): void {
    const objects = keys.filter((k): k is object => (typeof k === "object" && k !== null) || typeof k === "function");
    for (const key of objects) {
        const owner = CLAIMS.get(key)?.get(profile);
        if (owner !== undefined && owner.container !== claimant.container) {
            const whose =
                owner.name === claimant.name
                    ? `another HardenedContainer named ${JSON.stringify(owner.name)}`
                    : `HardenedContainer ${JSON.stringify(owner.name)}`;
            throw new ArgumentError(
                "args.appArmor.name",
                `is ${JSON.stringify(profile)}, the AppArmor profile of ${whose} on the same host: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`,
            );
        }
    }
    for (const key of objects) {
        let names = CLAIMS.get(key);
        if (names === undefined) {
            names = new Map();
            CLAIMS.set(key, names);
        }
        names.set(profile, { container: claimant.container, name: claimant.name });
    }
}
