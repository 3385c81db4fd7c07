/**
 * The program the scale benchmarks register: a fleet of hardened Docker hosts on AWS, each with its
 * daemon, a network, a volume, `containersPerHost` hardened containers and the compliance audit,
 * every resource named after its host (`h007-...`). It is the example program's shape
 * (example/app.ts) repeated per host, so its resources are the ones a real fleet stack sends to the
 * engine and to the policy pack.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer, HardenedNetwork } from "../components";
import { ComplianceAudit } from "../components/compliance";
import { DockerDaemon } from "../components/daemon";
import { HardenedHost } from "../components/host";
import { FLEET_REGISTRIES } from "./lib/registries";

export interface FleetArgs {
    hosts: number;
    containersPerHost: number;
    /** The SSH private key every host is reached with (a secret). */
    privateKey: pulumi.Input<string>;
}

const WEB_IMAGE =
    "docker.io/nginxinc/nginx-unprivileged@sha256:62a904036bfc0e4a4f2b556e34cbf17bc136b47fde8cdb4628762725f48c5782";
const API_IMAGE =
    "ghcr.io/stefanprodan/podinfo@sha256:5b789251f4b35f4ac6319c48b57eb6d29356d67471404c5fd3733db2eb8c11cf";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7kN0f0aQ4m0hCkq5ZyB9xGdQbS4cZ2Zt0Yb3kqYl7c ops@example";

/** The prefix of every resource of host `i`: `h000`, `h001`, ... */
export function hostPrefix(i: number): string {
    return `h${String(i).padStart(3, "0")}`;
}

/** One host of the fleet, with everything on it; returns the audit's report, the last thing computed. */
export function deployFleetHost(
    i: number,
    containersPerHost: number,
    privateKey: pulumi.Input<string>,
): pulumi.Output<unknown> {
    const p = hostPrefix(i);
    const firstPort = 8000;
    const host = new HardenedHost(`${p}-docker-host`, {
        target: {
            kind: "aws",
            subnetId: `subnet-${String(i % 16).padStart(17, "0")}`,
            vpcId: "vpc-0123456789abcdef0",
            publicKey: PUBLIC_KEY,
            privateKey: pulumi.secret(privateKey),
            os: "debian-12",
            instanceType: "t3.medium",
        },
        firewall: {
            adminCidrs: ["10.0.0.0/16"],
            publishedPorts: Array.from({ length: containersPerHost }, (_, c) => ({
                port: firstPort + c,
                sources: ["10.0.0.0/16"],
            })),
        },
        dockerGroup: { trustedUsers: [] },
        logging: { remote: { host: "logs.internal.example.net", port: 514, protocol: "tcp" } },
    });
    const daemon = new DockerDaemon(
        `${p}-docker-daemon`,
        {
            connection: host.connection,
            dockerEndpoint: host.dockerEndpoint,
            dataRoot: host.dataRoot,
            config: {
                logDriver: "journald",
                waivers: { noAuthorizationPlugin: { reason: "single-tenant host (CIS 1.1.2)" } },
            },
        },
        { dependsOn: [host] },
    );
    const opts = { providers: { docker: daemon.provider } };
    const network = new HardenedNetwork(`${p}-app-net`, {}, opts);
    const data = new docker.Volume(
        `${p}-data`,
        { labels: [{ label: "io.hardened-docker.managed", value: "true" }] },
        { provider: daemon.provider },
    );
    const containers: HardenedContainer[] = [];
    for (let c = 0; c < containersPerHost; c++) {
        // Half nginx-like fronts, half podinfo-like APIs with a volume, as in the example.
        const web = c % 2 === 0;
        containers.push(
            new HardenedContainer(
                `${p}-svc${String(c).padStart(2, "0")}`,
                {
                    image: web ? WEB_IMAGE : API_IMAGE,
                    trustedRegistries: FLEET_REGISTRIES,
                    user: web ? "101:101" : "app",
                    network: network.name,
                    host: { connection: host.connection },
                    writablePaths: [{ path: "/tmp", sizeMb: 32 }],
                    ...(web ? {} : { volumes: [{ volumeName: data.name, containerPath: `/data/${c}` }] }),
                    ports: [{ containerPort: web ? 8080 : 9898, hostPort: firstPort + c, hostAddress: host.address }],
                    healthCheck: { command: web ? ["curl", "--fail", "http://127.0.0.1:8080/"] : ["podcli", "check"] },
                    memoryMb: web ? 128 : 256,
                    cpuShares: web ? 256 : 512,
                    pidsLimit: 64,
                    labels: { "com.example.service": `svc${c}` },
                },
                opts,
            ),
        );
    }
    const audit = new ComplianceAudit(`${p}-compliance`, {
        connection: host.connection,
        host,
        daemon,
        containers,
    });
    return audit.report;
}

/** The whole fleet; returns each host's audit report. */
export function deployFleet(args: FleetArgs): pulumi.Output<unknown>[] {
    const reports: pulumi.Output<unknown>[] = [];
    for (let i = 0; i < args.hosts; i++) {
        reports.push(deployFleetHost(i, args.containersPerHost, args.privateKey));
    }
    return reports;
}
