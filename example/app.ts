import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { HardenedContainer, HardenedNetwork, type DockerHostAccess } from "../components";
import type { ExampleConfig } from "./config";

export interface ExampleOutputs {
    dockerHost: pulumi.Output<string>;
    network: pulumi.Output<string>;
    webUrl: pulumi.Output<string>;
    apiUrl: pulumi.Output<string>;
    containers: pulumi.Output<{ web: string; api: string }>;
}

/**
 * A web front (nginx, unprivileged) and an API (podinfo) as HardenedContainers on a HardenedNetwork,
 * on one Docker host. The two never talk to each other (inter-container traffic is off): the
 * browser loads the front from one port and calls the API on the other.
 */
export function deployExample(config: ExampleConfig, sshPrivateKey?: pulumi.Input<string>): ExampleOutputs {
    const h = config.host;
    const endpoint = h.kind === "ssh" ? `ssh://${h.user}@${h.address}:${h.port}` : h.dockerHost;
    const provider = new docker.Provider("docker-host", { host: endpoint });
    let access: DockerHostAccess;
    if (h.kind === "ssh") {
        if (sshPrivateKey === undefined) {
            throw new Error("config hardened-docker:sshPrivateKey is required with sshHost (set it with --secret)");
        }
        access = {
            connection: { host: h.address, port: h.port, user: h.user, privateKey: pulumi.secret(sshPrivateKey) },
        };
    } else {
        access = { dockerHost: h.dockerHost };
    }
    const opts = { providers: { docker: provider } };

    const network = new HardenedNetwork("app-net", {}, opts);
    const apiData = new docker.Volume(
        "api-data",
        { labels: [{ label: "io.hardened-docker.managed", value: "true" }] },
        { provider },
    );

    const web = new HardenedContainer(
        "web",
        {
            image: config.webImage,
            trustedRegistries: config.trustedRegistries,
            user: "101:101",
            network: network.name,
            host: access,
            // nginx-unprivileged keeps its pid file and temporary files in /tmp.
            writablePaths: [{ path: "/tmp", sizeMb: 32 }],
            ports: [{ containerPort: 8080, hostPort: config.webPort, hostAddress: config.publishAddress }],
            healthCheck: { command: ["curl", "--fail", "--silent", "--output", "/dev/null", "http://127.0.0.1:8080/"] },
            memoryMb: 128,
            cpuShares: 256,
            pidsLimit: 64,
            labels: { "com.example.service": "web" },
        },
        opts,
    );

    const api = new HardenedContainer(
        "api",
        {
            image: config.apiImage,
            trustedRegistries: config.trustedRegistries,
            user: "app",
            network: network.name,
            host: access,
            command: ["./podinfo", "--port=9898", "--level=info", "--data-path=/data"],
            writablePaths: [{ path: "/tmp" }],
            volumes: [{ volumeName: apiData.name, containerPath: "/data" }],
            ports: [{ containerPort: 9898, hostPort: config.apiPort, hostAddress: config.publishAddress }],
            healthCheck: { command: ["podcli", "check", "http", "localhost:9898/healthz"], intervalSeconds: 15 },
            memoryMb: 256,
            cpuShares: 512,
            env: { PODINFO_UI_MESSAGE: "hardened-docker" },
            labels: { "com.example.service": "api" },
        },
        opts,
    );

    // An IPv6 address goes in brackets in a URL.
    const host =
        ipaddr.parse(config.publishAddress).kind() === "ipv6" ? `[${config.publishAddress}]` : config.publishAddress;
    return {
        dockerHost: pulumi.output(endpoint),
        network: network.name,
        webUrl: pulumi.output(`http://${host}:${config.webPort}/`),
        apiUrl: pulumi.output(`http://${host}:${config.apiPort}/`),
        containers: pulumi.all([web.containerName, api.containerName]).apply(([w, a]) => ({ web: w, api: a })),
    };
}
