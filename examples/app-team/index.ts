import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer, HardenedNetwork } from "hardened-docker";
import { readAppTeamConfig } from "./config";

// An application team's stack. The platform team hardened the host, its daemon and its firewall in
// their own stack (HardenedHost and DockerDaemon); this stack only deploys a service to that host,
// as a HardenedContainer on a HardenedNetwork of its own.
const config = readAppTeamConfig(new pulumi.Config("app-team"));

/** A platform stack output that must be a non-empty string. */
function platformOutput(ref: pulumi.StackReference, name: string): pulumi.Output<string> {
    return ref.requireOutput(name).apply((v: unknown) => {
        if (typeof v !== "string" || v === "") {
            throw new Error(`the platform stack's output "${name}" is not a non-empty string`);
        }
        return v;
    });
}

const platform = config.platformStack === undefined ? undefined : new pulumi.StackReference(config.platformStack);
const dockerEndpoint =
    platform === undefined ? pulumi.output(config.dockerEndpoint!) : platformOutput(platform, "dockerEndpoint");
const publishAddress =
    platform === undefined ? pulumi.output(config.publishAddress!) : platformOutput(platform, "address");

// The team's own Docker provider, over SSH as the team's deploy user (a member of the host's
// `docker` group: the platform stack's dockerGroup.trustedUsers). The host key is trusted on first
// use, as DockerDaemon's provider does.
const provider = new docker.Provider("platform-docker", {
    host: dockerEndpoint,
    sshOpts: ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new"],
});
const opts = { providers: { docker: provider } };

const network = new HardenedNetwork("team-net", {}, opts);
const service = new HardenedContainer(
    "service",
    {
        image: config.image,
        trustedRegistries: config.trustedRegistries,
        user: "101:101",
        network: network.name,
        // The PID limit (CIS 5.29) is set with the local docker CLI against the same endpoint.
        host: { dockerHost: dockerEndpoint },
        writablePaths: [{ path: "/tmp", sizeMb: 32 }],
        ports: [{ containerPort: 8080, hostPort: config.port, hostAddress: publishAddress }],
        healthCheck: { command: ["curl", "--fail", "--silent", "--output", "/dev/null", "http://127.0.0.1:8080/"] },
        memoryMb: 128,
        cpuShares: 256,
        pidsLimit: 64,
        labels: { "com.example.team": "app-team" },
    },
    opts,
);

export const containerName = service.containerName;
export const networkName = network.name;
// An IPv6 address goes in brackets in a URL.
export const url = publishAddress.apply((a) => `http://${a.includes(":") ? `[${a}]` : a}:${config.port}/`);
