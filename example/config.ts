import * as ipaddr from "ipaddr.js";
import { ArgumentError } from "../components/common/errors";

/** How the example reaches its Docker host. */
export type ExampleHost =
    { kind: "ssh"; address: string; port: number; user: string } | { kind: "local"; dockerHost: string };

/** The example stack's settings, validated (see Pulumi.example.yaml and the README). */
export interface ExampleConfig {
    host: ExampleHost;
    trustedRegistries: string[];
    /** Host address the services' ports are published on. */
    publishAddress: string;
    webImage: string;
    apiImage: string;
    webPort: number;
    apiPort: number;
}

/** What `pulumi.Config` offers, so the parser can be tested without the SDK. */
export interface ConfigSource {
    get(key: string): string | undefined;
    getObject<T>(key: string): T | undefined;
    getNumber(key: string): number | undefined;
}

function required<T>(value: T | undefined, key: string, what: string): T {
    if (value === undefined || value === null || (typeof value === "string" && value === "")) {
        throw new ArgumentError(`config hardened-docker:${key}`, `is required: ${what}`);
    }
    return value;
}

function address(value: string): string {
    if (!ipaddr.isValid(value)) {
        throw new ArgumentError(
            "config hardened-docker:publishAddress",
            `must be an IP address, got ${JSON.stringify(value)}`,
        );
    }
    return value;
}

/** Reads and checks the example's stack config; names the config key in every error. */
export function readExampleConfig(cfg: ConfigSource): ExampleConfig {
    const ssh = cfg.getObject<{ address?: string; port?: number; user?: string }>("sshHost");
    const dockerHost = cfg.get("dockerHost");
    let host: ExampleHost;
    if (ssh !== undefined && dockerHost !== undefined) {
        throw new ArgumentError(
            "config hardened-docker:sshHost",
            "and hardened-docker:dockerHost are exclusive; set one",
        );
    }
    if (ssh !== undefined) {
        const port = ssh.port ?? 22;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new ArgumentError("config hardened-docker:sshHost.port", `must be 1 to 65535, got ${String(port)}`);
        }
        host = {
            kind: "ssh",
            address: required(ssh.address, "sshHost.address", "the Docker host's address"),
            port,
            user: required(
                ssh.user,
                "sshHost.user",
                "the SSH user: in the docker group (the docker provider connects as it)",
            ),
        };
    } else {
        host = { kind: "local", dockerHost: required(dockerHost, "dockerHost", "an engine endpoint, or set sshHost") };
    }
    return {
        host,
        trustedRegistries: required(
            cfg.getObject<string[]>("trustedRegistries"),
            "trustedRegistries",
            "registries images may come from",
        ),
        publishAddress: address(cfg.get("publishAddress") ?? "127.0.0.1"),
        webImage: required(cfg.get("webImage"), "webImage", "the web front's image, pinned by digest"),
        apiImage: required(cfg.get("apiImage"), "apiImage", "the API's image, pinned by digest"),
        webPort: cfg.getNumber("webPort") ?? 8080,
        apiPort: cfg.getNumber("apiPort") ?? 9898,
    };
}
