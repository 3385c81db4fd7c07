import * as assert from "node:assert/strict";
import { claimAppArmorProfile } from "../../../../components/container/apparmor/claims";
import { ArgumentError } from "../../../../components/common/errors";

describe("claimAppArmorProfile", () => {
    const problem = (owner: string) =>
        `is "p", the AppArmor profile of HardenedContainer ${JSON.stringify(owner)} on the same host: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`;

    it("refuses a name another container claimed under any shared key, and records nothing then", () => {
        const host = {};
        const connection = {};
        claimAppArmorProfile([host, connection], "p", "a");
        for (const keys of [[host], [connection], [{}, connection], [host, {}]]) {
            assert.throws(
                () => claimAppArmorProfile(keys, "p", "b"),
                (e: unknown) =>
                    e instanceof ArgumentError && e.argument === "args.appArmor.name" && e.problem === problem("a"),
            );
        }
        // The refused claims recorded nothing: a fresh key of a refused call is still free.
        const fresh = {};
        assert.throws(() => claimAppArmorProfile([fresh, host], "p", "c"));
        claimAppArmorProfile([fresh], "p", "d");
        assert.throws(
            () => claimAppArmorProfile([fresh], "p", "e"),
            (e: unknown) => e instanceof ArgumentError && e.problem === problem("d"),
        );
    });

    it("allows other names on the host, the same name elsewhere, and the same container again", () => {
        const host = {};
        claimAppArmorProfile([host], "p", "a");
        claimAppArmorProfile([host], "q", "b");
        claimAppArmorProfile([{}], "p", "c");
        claimAppArmorProfile([host], "p", "a");
    });

    it("ignores keys that are not objects: a string endpoint, undefined", () => {
        claimAppArmorProfile(["ssh://h", undefined, null], "p", "a");
        claimAppArmorProfile(["ssh://h", undefined, null], "p", "b");
    });
});
