import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { isTrustedRepository, parseImageRef } from "../../../policy-pack/lib/rules/imageRef";
import { ENGINE_HOST_PATHS, SENSITIVE_HOST_PATHS } from "../../../policy-pack/lib/rules/linux";
import { forbiddenHostPath, normalisePath } from "../../../policy-pack/lib/rules/paths";
import { findWaiver } from "../../../policy-pack/lib/waivers";
import { durationSeconds, securityOpt } from "../../../policy-pack/lib/docker";

const D = `sha256:${"e".repeat(64)}`;

describe("image references", () => {
    const CASES: [string, ReturnType<typeof parseImageRef>][] = [
        ["nginx", { registry: "docker.io", path: "library/nginx", tag: undefined, digest: undefined }],
        ["nginx:1.27", { registry: "docker.io", path: "library/nginx", tag: "1.27", digest: undefined }],
        [
            `nginxinc/nginx-unprivileged@${D}`,
            { registry: "docker.io", path: "nginxinc/nginx-unprivileged", tag: undefined, digest: D },
        ],
        [`ghcr.io/acme/api:1.0@${D}`, { registry: "ghcr.io", path: "acme/api", tag: "1.0", digest: D }],
        [`localhost:5000/app@${D}`, { registry: "localhost:5000", path: "app", tag: undefined, digest: D }],
        [
            `index.docker.io/library/alpine@${D}`,
            { registry: "docker.io", path: "library/alpine", tag: undefined, digest: D },
        ],
        [
            `registry.internal:8443/team/svc`,
            { registry: "registry.internal:8443", path: "team/svc", tag: undefined, digest: undefined },
        ],
        ["", undefined],
        ["UPPER/case", undefined],
        ["ghcr.io/acme/api@sha256:abc", undefined],
        ["ghcr.io/acme/api:", undefined],
        ["ghcr.io//api", undefined],
        ["a b", undefined],
    ];
    for (const [ref, want] of CASES) {
        it(`parses ${JSON.stringify(ref)}`, () => assert.deepEqual(parseImageRef(ref), want));
    }

    it("trusts whole path components only", () => {
        const ref = parseImageRef(`ghcr.io/acme/api@${D}`)!;
        assert.equal(isTrustedRepository(ref, ["ghcr.io"]), true);
        assert.equal(isTrustedRepository(ref, ["ghcr.io/acme/"]), true);
        assert.equal(isTrustedRepository(ref, ["ghcr.io/acme/api"]), true);
        assert.equal(isTrustedRepository(ref, ["ghcr.io/ac"]), false);
        assert.equal(isTrustedRepository(ref, ["ghcr.io/acme/api-v2"]), false);
        assert.equal(isTrustedRepository(ref, ["docker.io"]), false);
        assert.equal(isTrustedRepository(ref, []), false);
    });

    it("property: a registry/path@digest built from valid parts parses back to the same parts", () => {
        const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[-_.][a-z0-9]{1,8})?$/);
        fc.assert(
            fc.property(
                fc.constantFrom("ghcr.io", "registry.example.com:5000", "quay.io"),
                fc.array(component, { minLength: 1, maxLength: 3 }),
                fc.stringMatching(/^[0-9a-f]{64}$/),
                (registry, parts, hex) => {
                    const ref = parseImageRef(`${registry}/${parts.join("/")}@sha256:${hex}`);
                    return (
                        ref !== undefined &&
                        ref.registry === registry &&
                        ref.path === parts.join("/") &&
                        ref.digest === `sha256:${hex}`
                    );
                },
            ),
        );
    });

    it("property: no prefix trusts a repository outside it", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z]{1,6}$/), (a, b) => {
                const ref = parseImageRef(`ghcr.io/${a}${b}/x@${D}`)!;
                return !isTrustedRepository(ref, [`ghcr.io/${a}`]) || b === "";
            }),
        );
    });
});

describe("host paths", () => {
    const CASES: [string, ReturnType<typeof forbiddenHostPath>][] = [
        ["/", { cis: "5.6", path: "/" }],
        ["/etc", { cis: "5.6", path: "/etc" }],
        ["/etc/../etc/nginx/", { cis: "5.6", path: "/etc" }],
        ["/usr/share/app", { cis: "5.6", path: "/usr" }],
        ["/var/run/docker.sock", { cis: "5.32", path: "/var/run/docker.sock" }],
        ["/run", { cis: "5.32", path: "/run/docker.sock" }],
        ["/var", { cis: "5.32", path: "/var/run/docker.sock" }],
        ["/var/lib/docker/volumes/x", { cis: "5.32", path: "/var/lib/docker" }],
        ["/run/containerd/containerd.sock", { cis: "5.32", path: "/run/containerd" }],
        ["/srv/app-data", undefined],
        ["/home/app", undefined],
        ["/etcetera", undefined],
        ["/usrdata", undefined],
    ];
    for (const [path, want] of CASES) {
        it(`judges ${path}`, () => assert.deepEqual(forbiddenHostPath(path), want));
    }

    it("property: every path under a sensitive or engine directory is forbidden", () => {
        // "/" itself is forbidden, not everything beneath it (that is every path).
        fc.assert(
            fc.property(
                fc.constantFrom(...SENSITIVE_HOST_PATHS.filter((d) => d !== "/"), ...ENGINE_HOST_PATHS),
                fc.array(
                    fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== "." && s !== ".."),
                    { maxLength: 3 },
                ),
                (dir, rest) => forbiddenHostPath([dir, ...rest].join("/")) !== undefined,
            ),
        );
    });

    it("normalises paths", () => {
        assert.equal(normalisePath("//a/./b/../c/"), "/a/c");
        assert.equal(normalisePath("/../.."), "/");
    });
});

describe("policy waivers", () => {
    const now = new Date("2026-11-28T12:00:00Z");
    const urn = "urn:pulumi:prod::shop::docker:index/container:Container::legacy-agent";
    it("matches by name or URN glob, with a justification, until the end of the expiry day", () => {
        assert.deepEqual(
            findWaiver([{ resource: "legacy-*", justification: "vendor agent, SEC-7" }], "legacy-agent", urn, now),
            {
                status: "waived",
                waiver: { resource: "legacy-*", justification: "vendor agent, SEC-7" },
            },
        );
        assert.equal(
            findWaiver([{ resource: "urn:pulumi:prod::*", justification: "all of prod, SEC-8" }], "x", urn, now).status,
            "waived",
        );
        assert.equal(
            findWaiver(
                [{ resource: "legacy-agent", justification: "vendor agent, SEC-7", expires: "2026-11-28" }],
                "legacy-agent",
                urn,
                now,
            ).status,
            "waived",
        );
        assert.deepEqual(
            findWaiver(
                [{ resource: "legacy-agent", justification: "vendor agent, SEC-7", expires: "2026-11-27" }],
                "legacy-agent",
                urn,
                now,
            ),
            {
                status: "ignored",
                why: 'waiver "legacy-agent" expired on 2026-11-27',
            },
        );
        assert.deepEqual(findWaiver([{ resource: "legacy-agent", justification: "short" }], "legacy-agent", urn, now), {
            status: "ignored",
            why: 'waiver "legacy-agent" has no justification',
        });
        assert.deepEqual(
            findWaiver([{ resource: "other", justification: "vendor agent, SEC-7" }], "legacy-agent", urn, now),
            { status: "none" },
        );
        assert.deepEqual(findWaiver(undefined, "legacy-agent", urn, now), { status: "none" });
    });

    it("treats regex characters in patterns literally", () => {
        assert.equal(
            findWaiver([{ resource: "a.b", justification: "literal dot, SEC-1" }], "axb", "u", now).status,
            "none",
        );
        assert.equal(
            findWaiver([{ resource: "a.b", justification: "literal dot, SEC-1" }], "a.b", "u", now).status,
            "waived",
        );
    });
});

describe("docker property helpers", () => {
    it("reads security options in both spellings", () => {
        assert.deepEqual(
            securityOpt(["apparmor:unconfined", "apparmor=x", "no-new-privileges", "seccomp=/p.json"], "apparmor"),
            ["unconfined", "x"],
        );
        assert.deepEqual(securityOpt(["no-new-privileges"], "no-new-privileges"), [""]);
        assert.deepEqual(securityOpt(undefined, "label"), []);
    });

    it("parses Go durations", () => {
        assert.equal(durationSeconds("1m30s"), 90);
        assert.equal(durationSeconds("500ms"), 0.5);
        assert.equal(durationSeconds("2h"), 7200);
        assert.equal(durationSeconds("30"), undefined);
        assert.equal(durationSeconds(undefined), undefined);
    });
});
