import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies";

// Only assembles the pack: `new PolicyPack` starts the gRPC server the Pulumi CLI talks to.
new PolicyPack("hardened-docker", {
    description:
        "CIS Docker Benchmark v1.6.0 and CIS AWS Foundations v3.0.0 rules for Docker containers, networks, images, providers, daemon.json and EC2 Docker hosts, on any stack.",
    enforcementLevel: "advisory",
    policies: ALL_POLICIES.map((p) => p.policy),
});
