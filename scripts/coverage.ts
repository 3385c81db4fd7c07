// Writes docs/cis-coverage.md and docs/cis-coverage.json from the catalogue (`npm run coverage`).
import * as fs from "node:fs";
import * as path from "node:path";
import { renderCoverageJson, renderCoverageMarkdown } from "../cis/coverage";

export const COVERAGE_FILES = {
    markdown: path.resolve(__dirname, "../docs/cis-coverage.md"),
    json: path.resolve(__dirname, "../docs/cis-coverage.json"),
};

if (require.main === module) {
    fs.mkdirSync(path.dirname(COVERAGE_FILES.markdown), { recursive: true });
    fs.writeFileSync(COVERAGE_FILES.markdown, renderCoverageMarkdown());
    fs.writeFileSync(COVERAGE_FILES.json, renderCoverageJson());
    console.log(
        `wrote ${path.relative(process.cwd(), COVERAGE_FILES.markdown)} and ${path.relative(process.cwd(), COVERAGE_FILES.json)}`,
    );
}
