import type { HardenedPolicy } from "../policy-pack/lib/policy";
import { ALL_POLICIES } from "../policy-pack/policies";
import {
    AWS_BENCHMARK,
    AWS_CATALOGUE,
    BENCHMARK,
    CATALOGUE,
    SECTION_POLICIES,
    SECTION_TITLES,
    type Control,
    type Section,
} from "./catalogue";

/** Counts per section: how many controls, how many automated, and how many each point covers. */
export interface SectionTotals {
    section: Section;
    title: string;
    controls: number;
    automated: number;
    set: number;
    prevented: number;
    verified: number;
    /** Policies of the pack that enforce a control of the section, or the whole section. */
    policies: number;
}

export function sectionTotals(catalogue: readonly Control[] = CATALOGUE): SectionTotals[] {
    return (Object.keys(SECTION_TITLES) as Section[]).map((section) => {
        const cs = catalogue.filter((c) => c.section === section);
        return {
            section,
            title: SECTION_TITLES[section],
            controls: cs.length,
            automated: cs.filter((c) => c.automated).length,
            set: cs.filter((c) => c.setBy.length > 0).length,
            prevented: cs.filter((c) => c.preventedBy.length > 0).length,
            verified: cs.filter((c) => c.verifiedBy.length > 0).length,
            policies: new Set([...cs.flatMap((c) => c.preventedBy), ...(SECTION_POLICIES[section] ?? [])]).size,
        };
    });
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** docs/cis-coverage.md: deterministic, generated from the catalogue; never edit it by hand. */
export function renderCoverageMarkdown(catalogue: readonly Control[] = CATALOGUE): string {
    const lines: string[] = [
        `# ${BENCHMARK.name} v${BENCHMARK.version}: coverage`,
        "",
        "Generated from `cis/catalogue.ts` by `npm run coverage`; a test fails when this file is stale.",
        "For each control: what sets it (a component), what prevents its breach at `pulumi preview` (a policy of",
        "`policy-pack/`), and what verifies it on the live host (an audit check). Automated = the benchmark's",
        '"Automated"; the others are its "Manual" controls.',
        "",
        "## Totals",
        "",
        "| section | controls | automated | set | prevented | verified | policies |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ];
    const totals = sectionTotals(catalogue);
    for (const t of totals) {
        lines.push(
            `| ${t.section}. ${t.title} | ${t.controls} | ${t.automated} | ${t.set} | ${t.prevented} | ${t.verified} | ${t.policies} |`,
        );
    }
    const sum = (k: keyof SectionTotals) => totals.reduce((n, t) => n + (t[k] as number), 0);
    lines.push(
        `| all | ${sum("controls")} | ${sum("automated")} | ${sum("set")} | ${sum("prevented")} | ${sum("verified")} | ${sum("policies")} |`,
        "",
        ...policyPackSection(totals),
    );
    for (const t of totals) {
        lines.push(
            "",
            `## ${t.section}. ${t.title}`,
            "",
            "| id | control | kind | set by | prevented by | verified by | notes |",
        );
        lines.push("|---|---|---|---|---|---|---|");
        for (const c of catalogue.filter((x) => x.section === t.section)) {
            const setBy = c.setBy.map((s) => `${s.component}: ${s.how}`).join("; ");
            const prevented = c.preventedBy.map((p) => `\`${p}\``).join(", ");
            const verified = c.verifiedBy.map((v) => `\`${v}\``).join(", ");
            lines.push(
                `| ${c.id} | ${cell(c.title)} | ${c.automated ? "Automated" : "Manual"} | ${cell(setBy) || "—"} | ${prevented || "—"} | ${verified || "—"} | ${cell(c.note ?? "")} |`,
            );
        }
    }
    lines.push("");
    return lines.join("\n");
}

function settings(p: HardenedPolicy): string {
    const entries = Object.entries(p.meta.config ?? {});
    return entries.length === 0
        ? "—"
        : entries.map(([k, v]) => `\`${k}\` (\`${JSON.stringify(v.default)}\`)`).join(", ");
}

function policyRow(p: HardenedPolicy): string {
    const kind = "validateStack" in p.policy ? "stack" : "resource";
    return `| \`${p.meta.name}\` | ${p.meta.cis} | ${p.meta.severity} | ${p.meta.enforcementLevel} | ${kind} | ${cell(settings(p))} | ${cell(p.meta.description)} |`;
}

const POLICY_HEADER = [
    "| policy | CIS | severity | default | reads | settings (default) | rule |",
    "|---|---|---|---|---|---|---|",
];

/**
 * The pack, per section: every policy with its CIS id, severity, default enforcement level and
 * settings, then the AWS benchmark's controls and their policies.
 */
function policyPackSection(totals: SectionTotals[], policies: readonly HardenedPolicy[] = ALL_POLICIES): string[] {
    const docker = policies.filter((p) => (p.meta.benchmark ?? "docker") === "docker");
    const aws = policies.filter((p) => p.meta.benchmark === "aws");
    const lines = [
        "## The policy pack, per section",
        "",
        `\`policy-pack/\` holds ${policies.length} policies: ${docker.length} for this benchmark and ${aws.length} for the ${AWS_BENCHMARK.name} v${AWS_BENCHMARK.version}.`,
        "Each rejects at `pulumi preview` what breaks its control; `reads` says whether it reads one resource or the whole stack.",
        "Every policy also takes `waivers`.",
    ];
    for (const t of totals) {
        const here = docker.filter((p) => p.meta.cis.split(".")[0] === t.section);
        if (here.length === 0) {
            continue;
        }
        lines.push(
            "",
            `### ${t.section}. ${t.title}: ${here.length} policies, ${t.prevented} of ${t.controls} controls prevented`,
            "",
            ...POLICY_HEADER,
        );
        lines.push(...here.map(policyRow));
    }
    lines.push(
        "",
        `### ${AWS_BENCHMARK.name} v${AWS_BENCHMARK.version}: ${aws.length} policies`,
        "",
        ...POLICY_HEADER,
        ...aws.map(policyRow),
        "",
        "| AWS id | control | prevented by | why it matters for a Docker host |",
        "|---|---|---|---|",
        ...AWS_CATALOGUE.map(
            (c) =>
                `| ${c.id} | ${cell(c.title)} | ${c.preventedBy.map((n) => `\`${n}\``).join(", ")} | ${cell(c.why)} |`,
        ),
    );
    return lines;
}

/** docs/cis-coverage.json: the same, for other tools. */
export function renderCoverageJson(catalogue: readonly Control[] = CATALOGUE): string {
    const policies = ALL_POLICIES.map((p) => ({
        name: p.meta.name,
        benchmark: p.meta.benchmark === "aws" ? AWS_BENCHMARK : BENCHMARK,
        cis: p.meta.cis,
        severity: p.meta.severity,
        enforcementLevel: p.meta.enforcementLevel,
        reads: "validateStack" in p.policy ? "stack" : "resource",
        description: p.meta.description,
        settings: Object.fromEntries(Object.entries(p.meta.config ?? {}).map(([k, v]) => [k, v.default])),
    }));
    return `${JSON.stringify(
        {
            benchmark: BENCHMARK,
            totals: sectionTotals(catalogue),
            controls: catalogue,
            sectionPolicies: SECTION_POLICIES,
            policies,
            aws: { benchmark: AWS_BENCHMARK, controls: AWS_CATALOGUE },
        },
        null,
        2,
    )}\n`;
}
