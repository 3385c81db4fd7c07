import * as assert from "node:assert/strict";
import { claimAppArmorProfile } from "../../../../components/container/apparmor/claims";
import { ArgumentError } from "../../../../components/common/errors";

describe("claimAppArmorProfile", () => {
    /** A container of that name: a claimant is known by identity, its name is for the message. */
    const c = (name: string) => ({ container: {}, name });
    const problem = (owner: string, same = false) =>
        `is "p", the AppArmor profile of ${same ? "another HardenedContainer named" : "HardenedContainer"} ${JSON.stringify(owner)} on the same host: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`;

    it("refuses a name another container claimed under any shared key, and records nothing then", () => {
        const host = {};
        const connection = {};
        claimAppArmorProfile([host, connection], "p", c("a"));
        for (const keys of [[host], [connection], [{}, connection], [host, {}]]) {
            assert.throws(
                () => claimAppArmorProfile(keys, "p", c("b")),
                (e: unknown) =>
                    e instanceof ArgumentError && e.argument === "args.appArmor.name" && e.problem === problem("a"),
            );
        }
        // The refused claims recorded nothing: a fresh key of a refused call is still free.
        const fresh = {};
        assert.throws(() => claimAppArmorProfile([fresh, host], "p", c("c")));
        claimAppArmorProfile([fresh], "p", c("d"));
        assert.throws(
            () => claimAppArmorProfile([fresh], "p", c("e")),
            (e: unknown) => e instanceof ArgumentError && e.problem === problem("d"),
        );
    });

    it("refuses two containers of the same name (under different parents) on one host", () => {
        const host = {};
        claimAppArmorProfile([host], "p", c("web"));
        assert.throws(
            () => claimAppArmorProfile([host], "p", c("web")),
            (e: unknown) => e instanceof ArgumentError && e.problem === problem("web", true),
        );
    });

    it("allows other names on the host, the same name elsewhere, and the same container again", () => {
        const host = {};
        const a = c("a");
        claimAppArmorProfile([host], "p", a);
        claimAppArmorProfile([host], "q", c("b"));
        claimAppArmorProfile([{}], "p", c("c"));
        claimAppArmorProfile([host], "p", a);
        // The claim is still a's: another container is refused, naming it.
        assert.throws(
            () => claimAppArmorProfile([host], "p", c("d")),
            (e: unknown) => e instanceof ArgumentError && e.problem === problem("a"),
        );
    });

    it("ignores keys that are not objects: a string endpoint, undefined", () => {
        claimAppArmorProfile(["ssh://h", undefined, null], "p", c("a"));
        claimAppArmorProfile(["ssh://h", undefined, null], "p", c("b"));
    });
});
