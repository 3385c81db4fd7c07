import * as assert from "node:assert/strict";
import { claimAppArmorProfiles } from "../../../../components/container/apparmor/claims";
import { ArgumentError } from "../../../../components/common/errors";

describe("claimAppArmorProfiles", () => {
    /** One run of a program. */
    const RUN = {};
    /** Claims the profile a container names (args.appArmor.name). */
    const claim = (scope: object, keys: unknown[], profile: string, claimant: { container: object; name: string }) =>
        claimAppArmorProfiles(scope, keys, [{ profile, argument: "args.appArmor.name" }], claimant);
    /** A container of that name: a claimant is known by identity, its name is for the message. */
    const c = (name: string) => ({ container: {}, name });
    const problem = (owner: string, same = false) =>
        `is "p", the AppArmor profile of ${same ? "another HardenedContainer named" : "HardenedContainer"} ${JSON.stringify(owner)} on the same host: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`;

    /** The refusal of a claim on the profile of `owner`. */
    const refusedFor =
        (owner: string, same = false) =>
        (e: unknown) =>
            e instanceof ArgumentError && e.problem === problem(owner, same);

    it("refuses a name another container claimed under any shared key, and records nothing then", () => {
        const host = {};
        const connection = {};
        claim(RUN, [host, connection], "p", c("a"));
        for (const keys of [[host], [connection], [{}, connection], [host, {}]]) {
            assert.throws(
                () => claim(RUN, keys, "p", c("b")),
                (e: unknown) =>
                    e instanceof ArgumentError && e.argument === "args.appArmor.name" && e.problem === problem("a"),
            );
        }
        // The refused claims recorded nothing: a fresh key of a refused call is still free.
        const fresh = {};
        assert.throws(() => claim(RUN, [fresh, host], "p", c("c")));
        claim(RUN, [fresh], "p", c("d"));
        assert.throws(() => claim(RUN, [fresh], "p", c("e")), refusedFor("d"));
    });

    it("refuses two containers of the same name (under different parents) on one host", () => {
        const host = {};
        claim(RUN, [host], "p", c("web"));
        assert.throws(() => claim(RUN, [host], "p", c("web")), refusedFor("web", true));
    });

    it("allows other names on the host, the same name elsewhere, and the same container again", () => {
        const host = {};
        const a = c("a");
        claim(RUN, [host], "p", a);
        claim(RUN, [host], "q", c("b"));
        claim(RUN, [{}], "p", c("c"));
        claim(RUN, [host], "p", a);
        // The claim is still a's: another container is refused, naming it.
        assert.throws(() => claim(RUN, [host], "p", c("d")), refusedFor("a"));
    });

    it("ignores keys that are not objects: a string endpoint, undefined", () => {
        claim(RUN, ["ssh://h", undefined, null], "p", c("a"));
        claim(RUN, ["ssh://h", undefined, null], "p", c("b"));
    });

    it("starts afresh in another run of the program, with the same host objects", () => {
        const host = {};
        claim(RUN, [host], "p", c("web"));
        // The next run's container is a new object of the same name, on the host object kept.
        const next = {};
        claim(next, [host], "p", c("web"));
        assert.throws(() => claim(next, [host], "p", c("api")), refusedFor("web"));
    });

    it("claims the other profiles a written profile declares, each named by its argument, all or none", () => {
        const host = {};
        const written = (profile: string, helper: string, name: string) =>
            claimAppArmorProfiles(
                RUN,
                [host],
                [
                    { profile, argument: "args.appArmor.name" },
                    { profile: helper, argument: "args.appArmor.profile" },
                ],
                c(name),
            );
        written("hd-api", "hd-helper", "api");
        // Another container whose text declares the same helper: refused, naming its text.
        assert.throws(
            () => written("hd-web", "hd-helper", "web"),
            (e: unknown) =>
                e instanceof ArgumentError &&
                e.argument === "args.appArmor.profile" &&
                e.problem ===
                    `declares the profile "hd-helper", which HardenedContainer "api" loads on the same host: a profile name is global on the host, so the two would overwrite each other's profile, and deleting either would unload the profile the other runs under; give each container a name of its own`,
        );
        // The refused call claimed nothing: hd-web is still free.
        claim(RUN, [host], "hd-web", c("web2"));
        // A container that names the helper as its own profile: refused, naming its name.
        assert.throws(
            () => claim(RUN, [host], "hd-helper", c("worker")),
            (e: unknown) =>
                e instanceof ArgumentError &&
                e.argument === "args.appArmor.name" &&
                e.problem.startsWith(
                    'is "hd-helper", the AppArmor profile of HardenedContainer "api" on the same host:',
                ),
        );
    });
});
