import { AUDIT_CHECKS } from "../../components/compliance";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { AWS_CATALOGUE, CATALOGUE, control, SECTION_POLICIES, type Section } from "../../cis/catalogue";
import { renderCoverageJson, renderCoverageMarkdown, sectionTotals } from "../../cis/coverage";
import { planDaemon } from "../../components/daemon";
import { planHost } from "../../components/host";
import { CA_PEM, SERVER_CERT_PEM, SERVER_KEY_PEM } from "../components/daemon/config/fixtures";
import { renderDataVolume, validateDataVolumeArgs } from "../../components/host/dataVolume";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { COVERAGE_FILES } from "../../scripts/coverage";

const SHARED_CIS = path.resolve(__dirname, "../../../shared/CIS-DOCKER.md");

/** The controls of the benchmark summary in shared/ (tables of sections 1 to 5; 3.x pairs expanded). */
function sharedControls(text: string): Map<string, boolean> {
    const out = new Map<string, boolean>();
    for (const line of text.split("\n")) {
        const m = /^\| ([0-9.]+)(?:–([0-9.]+))? \|.*\| (Auto|Manual) \|$/.exec(line);
        if (m === null) {
            continue;
        }
        const auto = m[3] === "Auto";
        if (m[2] === undefined) {
            out.set(m[1], auto);
        } else {
            const [section, from] = m[1].split(".");
            const to = m[2].split(".")[1];
            for (let i = Number(from); i <= Number(to); i++) {
                out.set(`${section}.${i}`, auto);
            }
        }
    }
    return out;
}

describe("CIS catalogue", () => {
    it("holds every control of v1.6.0 once: 117 controls, 86 automated", () => {
        const ids = CATALOGUE.map((c) => c.id);
        assert.equal(new Set(ids).size, ids.length);
        assert.equal(ids.length, 117);
        assert.equal(CATALOGUE.filter((c) => c.automated).length, 86);
        assert.deepEqual(
            sectionTotals().map((t) => [t.section, t.controls]),
            [
                ["1", 20],
                ["2", 18],
                ["3", 24],
                ["4", 12],
                ["5", 32],
                ["6", 2],
                ["7", 9],
            ],
        );
    });

    it("agrees with the benchmark summary in shared/ on ids and Automated/Manual", function () {
        if (!fs.existsSync(SHARED_CIS)) {
            this.skip();
        }
        const shared = sharedControls(fs.readFileSync(SHARED_CIS, "utf8"));
        assert.equal(shared.size, 106);
        for (const [id, auto] of shared) {
            assert.equal(control(id).automated, auto, id);
        }
    });

    it("names only policies the pack has, and every policy's control lists it", () => {
        const names = new Set(ALL_POLICIES.map((p) => p.meta.name));
        const named = [
            ...CATALOGUE.flatMap((c) => c.preventedBy),
            ...Object.values(SECTION_POLICIES).flat(),
            ...AWS_CATALOGUE.flatMap((c) => c.preventedBy),
        ];
        for (const p of named) {
            assert.ok(names.has(p), `the catalogue names unknown policy ${p}`);
        }
        for (const p of ALL_POLICIES) {
            if (p.meta.benchmark === "aws") {
                const c = AWS_CATALOGUE.find((x) => x.id === p.meta.cis);
                assert.ok(c, `${p.meta.name} names AWS control ${p.meta.cis}, which is not in AWS_CATALOGUE`);
                assert.ok(c.preventedBy.includes(p.meta.name), `AWS ${c.id} does not list ${p.meta.name}`);
            } else if (!p.meta.cis.includes(".")) {
                assert.ok(
                    (SECTION_POLICIES[p.meta.cis as Section] ?? []).includes(p.meta.name),
                    `${p.meta.name} guards section ${p.meta.cis}, which does not list it`,
                );
            } else {
                const c = CATALOGUE.find((x) => x.id === p.meta.cis);
                assert.ok(c, `${p.meta.name} names control ${p.meta.cis}, which is not in the catalogue`);
                assert.ok(c.preventedBy.includes(p.meta.name), `${c.id} does not list ${p.meta.name}`);
            }
        }
        // Every policy is named once by the catalogue, under its own control (the IPv6 twin of AWS 5.2 aside).
        assert.deepEqual([...new Set(named)].sort(), ALL_POLICIES.map((p) => p.meta.name).sort());
    });

    it("gives every automated section 5 control a policy or a written reason", () => {
        const uncovered = CATALOGUE.filter((c) => c.section === "5" && c.automated && c.preventedBy.length === 0);
        assert.deepEqual(
            uncovered.map((c) => c.id),
            ["5.1", "5.7", "5.21", "5.23"],
        );
        for (const c of uncovered) {
            assert.ok((c.note ?? "").length > 40, `${c.id} needs a reason why no policy prevents it`);
        }
    });

    it("gives every manual control a note on how it is handled", () => {
        for (const c of CATALOGUE.filter((x) => !x.automated && x.setBy.length === 0 && x.preventedBy.length === 0)) {
            assert.ok((c.note ?? "").length > 0, c.id);
        }
    });
});

describe("catalogue and HardenedHost agree", () => {
    it("every control a host step sets names HardenedHost, and every such control has a step", () => {
        const plan = planHost({
            target: { kind: "ssh", address: "192.0.2.10", user: "admin", privateKey: "k", dataDevice: "/dev/vdb" },
            firewall: { adminCidrs: ["203.0.113.0/24"] },
            logging: { remote: { host: "logs.example.net", protocol: "tcp" } },
        });
        const dataVolume = renderDataVolume(
            validateDataVolumeArgs({ device: { path: "/dev/vdb" } }, plan.ctx),
            plan.ctx,
        );
        const fromSteps = new Set([...plan.steps, dataVolume].flatMap((s) => s.cis));
        const fromCatalogue = new Set(
            CATALOGUE.filter((c) => c.setBy.some((x) => x.component === "HardenedHost")).map((c) => c.id),
        );
        assert.deepEqual([...fromSteps].sort(), [...fromCatalogue].sort());
        assert.equal(fromSteps.size, 22);
    });
});

describe("catalogue and DockerDaemon agree", () => {
    it("every control a daemon step can set names DockerDaemon, and every such control has a step", () => {
        const base = { connection: { host: "192.0.2.10" }, dockerEndpoint: "ssh://admin@192.0.2.10:22" };
        // Everything on: a TCP socket with TLS (2.7, 3.9-3.14) and an authorization plugin (2.12).
        const full = planDaemon({
            ...base,
            config: {
                syslogAddress: "tcp://logs.example.net:514",
                authorizationPlugins: ["opa-docker-authz"],
                tls: {
                    listenAddress: "10.0.0.5:2376",
                    caCertificate: CA_PEM,
                    serverCertificate: SERVER_CERT_PEM,
                    serverKey: SERVER_KEY_PEM,
                },
            },
        });
        const fromSteps = new Set(full.steps.flatMap((s) => s.cis));
        const fromCatalogue = new Set(
            CATALOGUE.filter((c) => c.setBy.some((x) => x.component === "DockerDaemon")).map((c) => c.id),
        );
        assert.deepEqual([...fromSteps].sort(), [...fromCatalogue].sort());
        assert.equal(fromSteps.size, 41);
    });
});

describe("CIS catalogue and the compliance audit", () => {
    it("verifies every automated control of sections 1, 2, 3 and 5 on the live host, but 5.23, which says why", () => {
        const unverified = CATALOGUE.filter(
            (c) => c.automated && ["1", "2", "3", "5"].includes(c.section) && c.verifiedBy.length === 0,
        );
        assert.deepEqual(
            unverified.map((c) => c.id),
            ["5.23"],
        );
        assert.match(unverified[0].note ?? "", /^Not verified: /);
    });

    it("lists each audit check under its own control, exactly once", () => {
        const listed = CATALOGUE.flatMap((c) => c.verifiedBy.map((id) => `${c.id} ${id}`));
        assert.deepEqual(
            listed,
            AUDIT_CHECKS.map((c) => `${c.cis} ${c.id}`),
        );
        assert.deepEqual(CATALOGUE.find((c) => c.id === "1.2.1")?.verifiedBy, [
            "sshd-effective-settings",
            "firewall-loaded",
            "kernel-settings",
            "host-accounts",
            "host-file-modes",
            "host-core-dumps",
            "host-shell-settings",
        ]);
    });
});

describe("docs/cis-coverage", () => {
    it("is current with the catalogue (run `npm run coverage` when this fails)", () => {
        assert.equal(fs.readFileSync(COVERAGE_FILES.markdown, "utf8"), renderCoverageMarkdown());
        assert.equal(fs.readFileSync(COVERAGE_FILES.json, "utf8"), renderCoverageJson());
    });

    it("shows sections 4 and 5 with what sets, prevents and verifies each control", () => {
        const md = renderCoverageMarkdown();
        assert.ok(
            md.includes(
                "| 5.5 | Ensure that privileged containers are not used | Automated | HardenedContainer: privileged = false, with no way to change it | `docker-container-disallow-privileged` | `container-not-privileged` |  |",
            ),
        );
        assert.ok(md.includes("| 4. Container images and build files | 12 | 3 | 4 | 3 | 1 | 3 |"));
        assert.ok(md.includes("| 5. Container runtime | 32 | 26 | 26 | 25 | 26 | 25 |"));
    });

    it("shows what the pack prevents per section, every policy with its CIS id, and the AWS controls", () => {
        const md = renderCoverageMarkdown();
        assert.ok(md.includes("| 1. Host configuration | 20 | 18 | 20 | 2 | 19 | 2 |"));
        assert.ok(md.includes("| 2. Docker daemon configuration | 18 | 15 | 17 | 14 | 15 | 32 |"));
        assert.ok(md.includes("| all | 117 | 86 | 91 | 44 | 85 | 62 |"));
        assert.ok(md.includes("### 2. Docker daemon configuration: 32 policies, 14 of 18 controls prevented"));
        for (const p of ALL_POLICIES) {
            assert.ok(
                md.includes(`| \`${p.meta.name}\` | ${p.meta.cis} | ${p.meta.severity} | ${p.meta.enforcementLevel} |`),
                p.meta.name,
            );
        }
        assert.ok(
            md.includes(
                "| 5.6 | Ensure that EC2 Metadata Service only allows IMDSv2 | `aws-instance-require-imdsv2`, `aws-launch-template-require-imdsv2`, `aws-spot-instance-request-require-imdsv2` | With IMDSv1 or a hop limit above 1, any container can read the instance role's credentials. |",
            ),
        );
    });
});
