import * as ipaddr from "ipaddr.js";
import { ArgumentError, type AccountsArgs, type SshArgs } from "hardened-docker";

/** The example stack's settings (Pulumi.example-ssh.yaml, Pulumi.example-aws.yaml; see the README). */
export interface ExampleConfig {
    target:
        | { kind: "ssh"; address: string; user: string; dataDevice: string; hostKey?: string; port?: number }
        | {
              kind: "aws";
              subnetId: string;
              vpcId: string;
              publicKey: string;
              os?: "debian-12" | "ubuntu-22.04" | "ubuntu-24.04";
              instanceType?: string;
          };
    /** Networks that may reach SSH. */
    adminCidrs: string[];
    /** Networks that may reach the web front and the API. */
    clientCidrs: string[];
    /** The central syslog server, or undefined with a reason to keep logs local. */
    syslog?: { host: string; port?: number; tls?: { caCertificate: string; permittedPeer?: string } };
    noRemoteLoggingReason?: string;
    /** Users allowed to control Docker (the docker group). */
    trustedUsers: string[];
    trustedRegistries: string[];
    /** Host address the services are published on; default: the host's own address. */
    publishAddress?: string;
    /** sshd settings beyond the secure defaults (HardenedHost `ssh`): more users or groups, a banner. */
    sshd?: SshArgs;
    /** Who keeps a login (HardenedHost `accounts`): more login users, or removing unlisted ones. */
    accounts?: AccountsArgs;
    webImage: string;
    apiImage: string;
    webPort: number;
    apiPort: number;
    /**
     * Programs the API's AppArmor profile also lets it run, beyond podinfo and podcli: for an image
     * that runs them through a shell (the end-to-end run's stand-in needs its busybox). Absolute paths.
     */
    apiExtraPrograms: string[];
    /** Any value: a new one runs the compliance audit again (to catch drift) without another change. */
    auditRun?: string;
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

/** Reads and checks the example's stack config; names the config key in every error. */
export function readExampleConfig(cfg: ConfigSource): ExampleConfig {
    const kind = cfg.get("target");
    let target: ExampleConfig["target"];
    if (kind === "ssh") {
        const ssh = required(
            cfg.getObject<Record<string, string | number>>("ssh"),
            "ssh",
            "{ address, user, dataDevice }",
        ) as Record<string, string>;
        const port: unknown = ssh.port;
        if (port !== undefined && (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535)) {
            throw new ArgumentError(
                "config hardened-docker:ssh.port",
                `must be a port number from 1 to 65535, got ${JSON.stringify(port)}`,
            );
        }
        target = {
            kind: "ssh",
            address: required(ssh.address, "ssh.address", "the host's address"),
            user: required(ssh.user, "ssh.user", "the SSH user, with passwordless sudo"),
            dataDevice: required(ssh.dataDevice, "ssh.dataDevice", "the block device for Docker's data, e.g. /dev/vdb"),
            ...(ssh.hostKey === undefined ? {} : { hostKey: ssh.hostKey }),
            ...(port === undefined ? {} : { port }),
        };
    } else if (kind === "aws") {
        const a = required(cfg.getObject<Record<string, string>>("aws"), "aws", "{ subnetId, vpcId, publicKey }");
        target = {
            kind: "aws",
            subnetId: required(a.subnetId, "aws.subnetId", "the subnet to start the host in"),
            vpcId: required(a.vpcId, "aws.vpcId", "the subnet's VPC"),
            publicKey: required(a.publicKey, "aws.publicKey", "the SSH public key (OpenSSH format)"),
            ...(a.os === undefined ? {} : { os: a.os as "debian-12" }),
            ...(a.instanceType === undefined ? {} : { instanceType: a.instanceType }),
        };
    } else {
        throw new ArgumentError("config hardened-docker:target", `must be "ssh" or "aws", got ${JSON.stringify(kind)}`);
    }
    const publishAddress = cfg.get("publishAddress");
    if (publishAddress !== undefined && !ipaddr.isValid(publishAddress)) {
        throw new ArgumentError(
            "config hardened-docker:publishAddress",
            `must be an IP address, got ${JSON.stringify(publishAddress)}`,
        );
    }
    const sshd = cfg.getObject<SshArgs>("sshd");
    if (sshd !== undefined && (sshd === null || typeof sshd !== "object" || Array.isArray(sshd))) {
        throw new ArgumentError("config hardened-docker:sshd", "must be an object of HardenedHost ssh settings");
    }
    const accounts = cfg.getObject<AccountsArgs>("accounts");
    if (accounts !== undefined && (accounts === null || typeof accounts !== "object" || Array.isArray(accounts))) {
        throw new ArgumentError(
            "config hardened-docker:accounts",
            "must be an object of HardenedHost accounts settings: { loginUsers, removeUnlisted }",
        );
    }
    const syslog = cfg.getObject<ExampleConfig["syslog"]>("syslog");
    const noRemoteLoggingReason = cfg.get("noRemoteLoggingReason");
    if (syslog === undefined && (noRemoteLoggingReason === undefined || noRemoteLoggingReason.trim() === "")) {
        throw new ArgumentError(
            "config hardened-docker:syslog",
            "is required: { host, port }, or set hardened-docker:noRemoteLoggingReason to keep logs on the host",
        );
    }
    return {
        target,
        adminCidrs: required(cfg.getObject<string[]>("adminCidrs"), "adminCidrs", "networks that may reach SSH"),
        clientCidrs: required(
            cfg.getObject<string[]>("clientCidrs"),
            "clientCidrs",
            "networks that may reach the services",
        ),
        ...(syslog === undefined ? {} : { syslog }),
        ...(noRemoteLoggingReason === undefined ? {} : { noRemoteLoggingReason }),
        trustedUsers: cfg.getObject<string[]>("trustedUsers") ?? [],
        trustedRegistries: required(
            cfg.getObject<string[]>("trustedRegistries"),
            "trustedRegistries",
            "registries images may come from",
        ),
        ...(publishAddress === undefined ? {} : { publishAddress }),
        ...(sshd === undefined ? {} : { sshd }),
        ...(accounts === undefined ? {} : { accounts }),
        webImage: required(cfg.get("webImage"), "webImage", "the web front's image, pinned by digest"),
        apiImage: required(cfg.get("apiImage"), "apiImage", "the API's image, pinned by digest"),
        webPort: cfg.getNumber("webPort") ?? 8080,
        apiPort: cfg.getNumber("apiPort") ?? 9898,
        apiExtraPrograms: cfg.getObject<string[]>("apiExtraPrograms") ?? [],
        ...(cfg.get("auditRun") === undefined ? {} : { auditRun: cfg.get("auditRun") }),
    };
}
