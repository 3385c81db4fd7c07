import { ArgumentError } from "./errors";
import { CIS_BENCHMARK_VERSION, LABELS } from "./tokens";

const RESERVED = "io.hardened-docker.";

/** Checks the caller's labels: strings, and none under the prefix the components reserve. */
export function validateLabels(labels: Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels ?? {})) {
        if (key.startsWith(RESERVED)) {
            throw new ArgumentError(`args.labels["${key}"]`, `uses the reserved prefix ${RESERVED}`);
        }
        if (typeof value !== "string") {
            throw new ArgumentError(`args.labels["${key}"]`, "must be a string");
        }
        out[key] = value;
    }
    return out;
}

/**
 * The labels a component writes: the caller's, the project's markers, and one label per waiver
 * carrying its reason, as `{ label, value }` pairs sorted by key (the provider's shape).
 */
export function renderLabels(
    labels: Record<string, string>,
    waivers: Record<string, string>,
): { label: string; value: string }[] {
    const all: Record<string, string> = {
        ...labels,
        [LABELS.managed]: "true",
        [LABELS.benchmark]: CIS_BENCHMARK_VERSION,
    };
    for (const name of Object.keys(waivers)) {
        all[`${LABELS.waiverPrefix}${name}`] = waivers[name];
    }
    return Object.keys(all)
        .sort()
        .map((label) => ({ label, value: all[label] }));
}
