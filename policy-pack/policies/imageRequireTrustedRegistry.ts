import { stackPolicy, type StackFinding } from "../lib/policy";
import { isTrustedRepository, repositoryName } from "../lib/rules/imageRef";
import { imageUses } from "./imageRules";

interface Config {
    allowedRegistries: string[];
}

/** CIS 4.2: images come only from trusted registries. */
export const imageRequireTrustedRegistry = stackPolicy<Config>(
    {
        name: "docker-image-require-trusted-registry",
        description: "Docker images must come from a registry, or registry path, on the allow-list.",
        cis: "4.2",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "pull the image from an allowed registry (mirror it there first), or add the registry to allowedRegistries.",
        config: {
            allowedRegistries: {
                type: "array",
                items: { type: "string", minLength: 1 },
                default: [],
                description:
                    "Registries or registry path prefixes images may come from, e.g. ghcr.io/acme; matched on whole path components.",
            },
        },
    },
    (resources, config) => {
        const findings: StackFinding[] = [];
        const allowed = config.allowedRegistries.length > 0 ? config.allowedRegistries.join(", ") : "none configured";
        for (const use of imageUses(resources)) {
            if (use.reference === "") {
                findings.push({
                    resource: use.resource,
                    message: `${use.field} is an image id that no image resource in this stack provides, so its registry cannot be checked; expected a reference from an allowed registry (CIS 4.2).`,
                });
            } else if (use.ref === undefined) {
                findings.push({
                    resource: use.resource,
                    message: `${use.field} is "${use.reference}", which is not a valid image reference; expected registry/repository@sha256:<digest> (CIS 4.2).`,
                });
            } else if (!isTrustedRepository(use.ref, config.allowedRegistries)) {
                findings.push({
                    resource: use.resource,
                    message: `${use.field} comes from ${repositoryName(use.ref)}, which is not under an allowed registry (${allowed}) (CIS 4.2).`,
                });
            }
        }
        return findings;
    },
);
