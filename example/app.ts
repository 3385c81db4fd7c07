import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import {
    ComplianceAudit,
    DockerDaemon,
    HardenedContainer,
    HardenedHost,
    HardenedNetwork,
    type AppArmorRules,
    type AuditReport,
    type HostTarget,
} from "hardened-docker";
import type { ExampleConfig } from "./config";

/**
 * Syscalls the API never makes and Docker's default profile allows: changing file modes (so a
 * compromised process cannot make what it drops executable or readable by others), io_uring (a
 * large kernel attack surface that Docker's own later profiles refuse), and reading or writing
 * other processes' memory. Its seccomp profile is Docker's default without them (CIS 5.22).
 */
export const EXAMPLE_API_DENIED_SYSCALLS: readonly string[] = Object.freeze([
    "chmod",
    "fchmod",
    "fchmodat",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "process_vm_readv",
    "process_vm_writev",
    "ptrace",
]);

/**
 * What the API (podinfo) does, for its own AppArmor profile: it runs podinfo and, for its health
 * check, podcli; reads its files under /home/app; writes its data volume and /tmp; and serves HTTP.
 * Everything else is denied (CIS 5.2), a write to /dev/shm or /home/app among them.
 */
export const EXAMPLE_API_APPARMOR: Readonly<Required<AppArmorRules>> = Object.freeze({
    execute: ["/home/app/podinfo", "/usr/local/bin/podcli"],
    read: ["/home/app/**"],
    write: ["/data/**", "/tmp/**"],
    network: ["tcp" as const],
});

export interface ExampleOutputs {
    address: pulumi.Output<string>;
    dockerEndpoint: pulumi.Output<string>;
    artifactHashes: pulumi.Output<Record<string, string>>;
    daemonJson: pulumi.Output<string>;
    network: pulumi.Output<string>;
    webUrl: pulumi.Output<string>;
    apiUrl: pulumi.Output<string>;
    containers: pulumi.Output<{ web: string; api: string }>;
    /** The on-host audit's report (CIS sections 1 to 5, every check with its evidence). */
    complianceReport: pulumi.Output<AuditReport>;
    complianceSummary: pulumi.Output<string>;
}

/**
 * A hardened Docker host (on AWS, or an existing machine over SSH), and on it a web front (nginx,
 * unprivileged) and an API (podinfo) as HardenedContainers on a HardenedNetwork. The two never talk
 * to each other (inter-container traffic is off): browsers load the front from one port and call the
 * API on the other, both admitted by the host firewall from the client networks only.
 */
export function deployExample(config: ExampleConfig, sshPrivateKey: pulumi.Input<string>): ExampleOutputs {
    const target: HostTarget =
        config.target.kind === "ssh"
            ? { ...config.target, privateKey: pulumi.secret(sshPrivateKey) }
            : { ...config.target, privateKey: pulumi.secret(sshPrivateKey) };
    const host = new HardenedHost("docker-host", {
        target,
        firewall: {
            adminCidrs: config.adminCidrs,
            publishedPorts: [
                { port: config.webPort, sources: config.clientCidrs },
                { port: config.apiPort, sources: config.clientCidrs },
            ],
        },
        dockerGroup: { trustedUsers: config.trustedUsers },
        ...(config.sshd === undefined ? {} : { ssh: config.sshd }),
        ...(config.accounts === undefined ? {} : { accounts: config.accounts }),
        ...(config.syslog === undefined
            ? { waivers: { noRemoteLogging: { reason: config.noRemoteLoggingReason ?? "" } } }
            : { logging: { remote: { ...config.syslog, protocol: "tcp" as const } } }),
    });
    // daemon.json per CIS section 2 and the daemon's file modes per section 3, after the host steps.
    const daemon = new DockerDaemon(
        "docker-daemon",
        {
            connection: host.connection,
            dockerEndpoint: host.dockerEndpoint,
            dataRoot: host.dataRoot,
            config: {
                // journald, which the host's logging step forwards to the central server with a
                // disk queue: a syslog driver over TCP would stop containers from starting while
                // the log server is unreachable.
                logDriver: "journald",
                waivers: {
                    noAuthorizationPlugin: {
                        reason: "single-tenant host: only the deployment user and root reach the socket (CIS 1.1.2)",
                    },
                },
            },
        },
        { dependsOn: [host] },
    );
    const opts = { providers: { docker: daemon.provider } };
    const access = { connection: host.connection };
    // Publish on the host's own address unless told otherwise: the firewall admits the client networks.
    const publishAddress = pulumi.output(config.publishAddress ?? host.address);

    const network = new HardenedNetwork("app-net", {}, opts);
    const apiData = new docker.Volume(
        "api-data",
        { labels: [{ label: "io.hardened-docker.managed", value: "true" }] },
        { provider: daemon.provider },
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
            ports: [{ containerPort: 8080, hostPort: config.webPort, hostAddress: publishAddress }],
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
            ports: [{ containerPort: 9898, hostPort: config.apiPort, hostAddress: publishAddress }],
            healthCheck: { command: ["podcli", "check", "http", "localhost:9898/healthz"], intervalSeconds: 15 },
            memoryMb: 256,
            cpuShares: 512,
            seccompProfile: { denySyscalls: [...EXAMPLE_API_DENIED_SYSCALLS] },
            appArmor: {
                name: "hd-example-api",
                rules: {
                    ...EXAMPLE_API_APPARMOR,
                    execute: [...EXAMPLE_API_APPARMOR.execute, ...config.apiExtraPrograms],
                    read: [...EXAMPLE_API_APPARMOR.read],
                    write: [...EXAMPLE_API_APPARMOR.write],
                    network: [...EXAMPLE_API_APPARMOR.network],
                },
            },
            env: { PODINFO_UI_MESSAGE: "hardened-docker" },
            labels: { "com.example.service": "api" },
        },
        opts,
    );

    // The on-host audit, after everything else and again whenever a step or a container changes: it
    // fails the deployment when a control does not hold on the live host.
    const audit = new ComplianceAudit("compliance", {
        connection: host.connection,
        host,
        daemon,
        containers: [web, api],
        ...(config.auditRun === undefined ? {} : { rerunTrigger: config.auditRun }),
    });

    // An IPv6 address goes in brackets in a URL.
    const urlHost = publishAddress.apply((a) =>
        ipaddr.isValid(a) && ipaddr.parse(a).kind() === "ipv6" ? `[${a}]` : a,
    );
    return {
        address: host.address,
        dockerEndpoint: host.dockerEndpoint,
        artifactHashes: host.artifactHashes,
        daemonJson: pulumi.output(daemon.daemonJson),
        network: network.name,
        webUrl: pulumi.interpolate`http://${urlHost}:${config.webPort}/`,
        apiUrl: pulumi.interpolate`http://${urlHost}:${config.apiPort}/`,
        containers: pulumi.all([web.containerName, api.containerName]).apply(([w, a]) => ({ web: w, api: a })),
        complianceReport: audit.report,
        complianceSummary: audit.summary,
    };
}
