import { stackPolicy, type StackFinding } from "../lib/policy";
import { imageUses } from "./imageRules";

/** CIS 5.28: images are pinned by digest, so what runs is what was reviewed. */
export const imageRequireDigestPin = stackPolicy(
    {
        name: "docker-image-require-digest-pin",
        description: "Docker images pulled from a registry must be referenced by digest, not by tag alone.",
        cis: "5.28",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "reference the image as registry/repository@sha256:<digest> (docker buildx imagetools inspect gives the digest).",
    },
    (resources) => {
        const findings: StackFinding[] = [];
        for (const use of imageUses(resources)) {
            // A built image (docker.Image) is made here, not pulled: its digest does not exist yet.
            if (use.field === "imageName" || use.ref === undefined) {
                continue;
            }
            if (use.ref.digest === undefined) {
                findings.push({
                    resource: use.resource,
                    message: `${use.field} is "${use.reference}", a tag that can move; expected a reference pinned by @sha256 digest (CIS 5.28).`,
                });
            }
        }
        return findings;
    },
);
