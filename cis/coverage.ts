import { BENCHMARK, CATALOGUE, SECTION_TITLES, type Control, type Section } from "./catalogue";

/** Counts per section: how many controls, how many automated, and how many each point covers. */
export interface SectionTotals {
    section: Section;
    title: string;
    controls: number;
    automated: number;
    set: number;
    prevented: number;
    verified: number;
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
        "| section | controls | automated | set | prevented | verified |",
        "|---|---:|---:|---:|---:|---:|",
    ];
    const totals = sectionTotals(catalogue);
    for (const t of totals) {
        lines.push(
            `| ${t.section}. ${t.title} | ${t.controls} | ${t.automated} | ${t.set} | ${t.prevented} | ${t.verified} |`,
        );
    }
    const sum = (k: keyof SectionTotals) => totals.reduce((n, t) => n + (t[k] as number), 0);
    lines.push(
        `| all | ${sum("controls")} | ${sum("automated")} | ${sum("set")} | ${sum("prevented")} | ${sum("verified")} |`,
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

/** docs/cis-coverage.json: the same, for other tools. */
export function renderCoverageJson(catalogue: readonly Control[] = CATALOGUE): string {
    return `${JSON.stringify({ benchmark: BENCHMARK, totals: sectionTotals(catalogue), controls: catalogue }, null, 2)}\n`;
}
