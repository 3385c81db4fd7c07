import * as ipaddr from "ipaddr.js";
import { ArgumentError, integer, waiverReason } from "../common/errors";
import { validateLabels } from "../common/labels";
import { DANGEROUS_CAPABILITIES, normaliseCapability } from "../../policy-pack/lib/rules/linux";
import { isTrustedRepository, parseImageRef } from "../../policy-pack/lib/rules/imageRef";
import { normalisePath } from "../../policy-pack/lib/rules/paths";
import type { ContainerWaivers, HardenedContainerArgs } from "./args";
import { CONTAINER_DEFAULTS } from "./defaults";
import { validateAppArmor, type AppArmorPlan } from "./apparmor/profile";
import { tightenDefaultProfile, validateSeccompProfile } from "./seccomp/profile";

export { validateSeccompProfile };

/** HardenedContainer's arguments after validation, with every default filled in. */
export interface ContainerPlan {
    capabilities: string[];
    user: string;
    memoryMb: number;
    cpuShares: number;
    pidsLimit: number;
    maxRestarts: number;
    appArmorProfile: string;
    /** The container's own profile, installed and loaded by the component (`args.appArmor`). */
    appArmor?: AppArmorPlan;
    seccompProfileJson?: string;
    writablePaths: { path: string; sizeMb: number }[];
    volumes: { index: number; containerPath: string; readOnly: boolean }[];
    ports: { containerPort: number; hostPort: number; protocol: "tcp" | "udp"; index: number }[];
    healthCheck?: {
        command: string[];
        intervalSeconds: number;
        timeoutSeconds: number;
        retries: number;
        startPeriodSeconds: number;
    };
    env: string[];
    labels: Record<string, string>;
    /** Waiver name to reason, for the waivers that were given. */
    waivers: Record<string, string>;
}

const USER = /^(?:[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})(?::(?:[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10}))?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function absolutePath(argument: string, value: unknown): string {
    if (typeof value !== "string" || !value.startsWith("/") || value.includes("\0")) {
        throw new ArgumentError(argument, `must be an absolute path, got ${JSON.stringify(value)}`);
    }
    const path = normalisePath(value);
    if (path === "/") {
        throw new ArgumentError(argument, "must not be / (the root filesystem stays read-only, CIS 5.13)");
    }
    return path;
}

/** Is this user root? `root`, `0`, and `0:<gid>` are. */
export function isRootUser(user: string): boolean {
    const name = user.split(":")[0];
    return name === "root" || /^0+$/.test(name);
}

/** Validates the image reference against the trusted registries (CIS 4.2, 5.28). */
export function validateImage(image: string, trustedRegistries: readonly string[], tagWaiver?: string): string {
    const ref = parseImageRef(image);
    if (ref === undefined) {
        throw new ArgumentError(
            "args.image",
            `must be a Docker image reference such as ghcr.io/acme/api@sha256:<64 hex>, got ${JSON.stringify(image)}`,
        );
    }
    if (ref.digest === undefined && tagWaiver === undefined) {
        throw new ArgumentError(
            "args.image",
            `must be pinned by digest (name@sha256:<64 hex>), got ${JSON.stringify(image)}; a tag needs waivers.imageTag (CIS 5.28)`,
        );
    }
    if (!isTrustedRepository(ref, trustedRegistries)) {
        throw new ArgumentError(
            "args.image",
            `comes from ${ref.registry}/${ref.path}, which is not under args.trustedRegistries (${trustedRegistries.join(", ")}) (CIS 4.2)`,
        );
    }
    return image;
}

/** Validates a host address to publish on (CIS 5.14). */
export function validateHostAddress(argument: string, address: string, allInterfaces?: string): string {
    if (typeof address !== "string" || !ipaddr.isValid(address)) {
        throw new ArgumentError(argument, `must be an IPv4 or IPv6 address, got ${JSON.stringify(address)}`);
    }
    const parsed = ipaddr.parse(address);
    if (parsed.range() === "unspecified" && allInterfaces === undefined) {
        throw new ArgumentError(
            argument,
            `is ${address}, which publishes on every host address; name one address, or give waivers.allInterfaces (CIS 5.14)`,
        );
    }
    return parsed.toString();
}

function validateWaivers(waivers: ContainerWaivers | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (waivers === undefined) {
        return out;
    }
    const known = [
        "rootUser",
        "noHealthCheck",
        "imageTag",
        "allInterfaces",
        "privilegedPorts",
        "dangerousCapabilities",
    ];
    for (const [name, waiver] of Object.entries(waivers)) {
        if (!known.includes(name)) {
            throw new ArgumentError(`args.waivers.${name}`, `is not a waiver; allowed: ${known.join(", ")}`);
        }
        const reason = waiverReason(`args.waivers.${name}`, waiver);
        if (reason !== undefined) {
            out[name] = reason;
        }
    }
    return out;
}

/**
 * Validates HardenedContainer's plain arguments and fills in the defaults. Inputs that may be
 * Outputs (image, host addresses, volume names, env values) are checked where they resolve.
 * Throws ArgumentError naming the argument and what is allowed.
 */
export function validateContainerArgs(args: HardenedContainerArgs): ContainerPlan {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "are required: image, trustedRegistries, user, network and host");
    }
    const waivers = validateWaivers(args.waivers);

    if (!Array.isArray(args.trustedRegistries) || args.trustedRegistries.length === 0) {
        throw new ArgumentError(
            "args.trustedRegistries",
            'must list at least one registry, for example ["ghcr.io/acme"]',
        );
    }
    args.trustedRegistries.forEach((r, i) => {
        if (
            typeof r !== "string" ||
            !/^[a-z0-9.-]+(?::[0-9]{1,5})?(?:\/[a-z0-9._-]+)*\/?$/.test(r.trim().toLowerCase())
        ) {
            throw new ArgumentError(
                `args.trustedRegistries[${i}]`,
                `must be a registry host with an optional path, got ${JSON.stringify(r)}`,
            );
        }
    });
    if (args.image === undefined || args.image === null || args.image === "") {
        throw new ArgumentError("args.image", "is required: a reference pinned by digest, name@sha256:<64 hex>");
    }

    if (typeof args.user !== "string" || args.user.trim() === "") {
        throw new ArgumentError("args.user", "is required: a non-root user name, uid, or uid:gid (CIS 4.1)");
    }
    const user = args.user.trim();
    if (!USER.test(user)) {
        throw new ArgumentError("args.user", `must be a user name, uid, or uid:gid, got ${JSON.stringify(args.user)}`);
    }
    if (isRootUser(user) && waivers.rootUser === undefined) {
        throw new ArgumentError(
            "args.user",
            `is root (${user}); use a non-root user, or give waivers.rootUser (CIS 4.1)`,
        );
    }

    if (args.network === undefined || args.network === null || args.network === "") {
        throw new ArgumentError(
            "args.network",
            "is required: a user-defined network's name; the default bridge is not used (CIS 5.30)",
        );
    }
    if (args.network === "bridge" || args.network === "default" || args.network === "host" || args.network === "none") {
        throw new ArgumentError(
            "args.network",
            `must be a user-defined network, not ${JSON.stringify(args.network)} (CIS 5.10, 5.30)`,
        );
    }

    const host = args.host;
    const hasConnection = host !== undefined && host !== null && host.connection !== undefined;
    const hasDockerHost = host !== undefined && host !== null && host.dockerHost !== undefined;
    if (hasConnection === hasDockerHost) {
        throw new ArgumentError(
            "args.host",
            "must give exactly one of connection (SSH to the Docker host) and dockerHost (a local engine endpoint)",
        );
    }

    const capabilities: string[] = [];
    (args.capabilities ?? []).forEach((name, i) => {
        const argument = `args.capabilities[${i}]`;
        if (typeof name === "string" && name.trim().toUpperCase().replace(/^CAP_/, "") === "ALL") {
            throw new ArgumentError(argument, "is ALL; list each capability the service needs (CIS 5.4)");
        }
        const cap = typeof name === "string" ? normaliseCapability(name) : undefined;
        if (cap === undefined) {
            throw new ArgumentError(
                argument,
                `is ${JSON.stringify(name)}, which is not a Linux capability (see capabilities(7), for example NET_BIND_SERVICE)`,
            );
        }
        if (DANGEROUS_CAPABILITIES.includes(cap) && waivers.dangerousCapabilities === undefined) {
            throw new ArgumentError(
                argument,
                `is ${cap}, which reaches the host; give waivers.dangerousCapabilities to add it (CIS 5.4)`,
            );
        }
        if (!capabilities.includes(cap)) {
            capabilities.push(cap);
        }
    });
    capabilities.sort();

    const memoryMb = integer("args.memoryMb", args.memoryMb ?? CONTAINER_DEFAULTS.memoryMb, 6, 1048576);
    const cpuShares = integer("args.cpuShares", args.cpuShares ?? CONTAINER_DEFAULTS.cpuShares, 2, 262144);
    const pidsLimit = integer("args.pidsLimit", args.pidsLimit ?? CONTAINER_DEFAULTS.pidsLimit, 1, 4194304);
    const maxRestarts = integer("args.maxRestarts", args.maxRestarts ?? CONTAINER_DEFAULTS.maxRestarts, 1, 5);

    let appArmor: AppArmorPlan | undefined;
    if (args.appArmor !== undefined) {
        if (args.appArmorProfile !== undefined) {
            throw new ArgumentError(
                "args.appArmor",
                "and args.appArmorProfile are both set; give one: the container's own profile, or the name of one loaded on the host",
            );
        }
        if (!hasConnection) {
            throw new ArgumentError(
                "args.appArmor",
                "needs args.host.connection: installing and loading a profile takes root on the host over SSH",
            );
        }
        appArmor = validateAppArmor(args.appArmor, capabilities, "args.appArmor");
    }
    const appArmorProfile = appArmor?.name ?? args.appArmorProfile ?? CONTAINER_DEFAULTS.appArmorProfile;
    if (
        typeof appArmorProfile !== "string" ||
        !PROFILE_NAME.test(appArmorProfile) ||
        appArmorProfile === "unconfined"
    ) {
        throw new ArgumentError(
            "args.appArmorProfile",
            `must name a loaded AppArmor profile, not ${JSON.stringify(appArmorProfile)} (CIS 5.2)`,
        );
    }

    // The plan carries either profile as the JSON text Docker takes.
    if (args.seccompProfileJson !== undefined && args.seccompProfile !== undefined) {
        throw new ArgumentError(
            "args.seccompProfile",
            "and args.seccompProfileJson are both set; give one: a tightening of Docker's default, or a whole profile",
        );
    }
    let seccompProfileJson: string | undefined;
    if (args.seccompProfileJson !== undefined) {
        seccompProfileJson = validateSeccompProfile(args.seccompProfileJson);
    } else if (args.seccompProfile !== undefined) {
        seccompProfileJson = tightenDefaultProfile(args.seccompProfile, "args.seccompProfile");
    }

    const writablePaths = (args.writablePaths ?? []).map((w, i) => ({
        path: absolutePath(`args.writablePaths[${i}].path`, w?.path),
        sizeMb: integer(
            `args.writablePaths[${i}].sizeMb`,
            w?.sizeMb ?? CONTAINER_DEFAULTS.writablePathSizeMb,
            1,
            65536,
        ),
    }));
    const volumes = (args.volumes ?? []).map((v, i) => {
        if (v?.volumeName === undefined || v.volumeName === "") {
            throw new ArgumentError(`args.volumes[${i}].volumeName`, "is required: the name of a Docker volume");
        }
        if (typeof v.volumeName === "string" && v.volumeName.startsWith("/")) {
            throw new ArgumentError(
                `args.volumes[${i}].volumeName`,
                `is a host path (${v.volumeName}); only named volumes are mounted (CIS 5.6, 5.32)`,
            );
        }
        return {
            index: i,
            containerPath: absolutePath(`args.volumes[${i}].containerPath`, v.containerPath),
            readOnly: v.readOnly ?? false,
        };
    });
    const targets = [...writablePaths.map((w) => w.path), ...volumes.map((v) => v.containerPath)];
    const duplicate = targets.find((t, i) => targets.indexOf(t) !== i);
    if (duplicate !== undefined) {
        throw new ArgumentError(
            "args.writablePaths",
            `and args.volumes mount ${duplicate} twice; each container path once`,
        );
    }

    const privileged = args.waivers?.privilegedPorts?.ports ?? [];
    const seen = new Set<string>();
    const ports = (args.ports ?? []).map((p, i) => {
        const containerPort = integer(`args.ports[${i}].containerPort`, p?.containerPort, 1, 65535);
        const hostPort = integer(`args.ports[${i}].hostPort`, p?.hostPort, 1, 65535);
        const protocol = p.protocol ?? "tcp";
        if (protocol !== "tcp" && protocol !== "udp") {
            throw new ArgumentError(
                `args.ports[${i}].protocol`,
                `must be "tcp" or "udp", got ${JSON.stringify(protocol)}`,
            );
        }
        if (hostPort < 1024 && !privileged.includes(hostPort)) {
            throw new ArgumentError(
                `args.ports[${i}].hostPort`,
                `is ${hostPort}, below 1024; use 1024 to 65535, or list it in waivers.privilegedPorts.ports (CIS 5.8)`,
            );
        }
        const key = `${hostPort}/${protocol}`;
        if (seen.has(key)) {
            throw new ArgumentError(`args.ports[${i}].hostPort`, `publishes ${key} twice`);
        }
        seen.add(key);
        if (typeof p.hostAddress === "string") {
            validateHostAddress(`args.ports[${i}].hostAddress`, p.hostAddress, waivers.allInterfaces);
        }
        return { containerPort, hostPort, protocol, index: i };
    });

    let healthCheck: ContainerPlan["healthCheck"];
    if (args.healthCheck === undefined) {
        if (waivers.noHealthCheck === undefined) {
            throw new ArgumentError(
                "args.healthCheck",
                "is required; give a command, or waivers.noHealthCheck (CIS 4.6, 5.27)",
            );
        }
    } else {
        const hc = args.healthCheck;
        if (
            !Array.isArray(hc.command) ||
            hc.command.length === 0 ||
            hc.command.some((c) => typeof c !== "string" || c === "")
        ) {
            throw new ArgumentError(
                "args.healthCheck.command",
                "must be a non-empty list of non-empty strings (exec form)",
            );
        }
        const d = CONTAINER_DEFAULTS.healthCheck;
        healthCheck = {
            command: [...hc.command],
            intervalSeconds: integer(
                "args.healthCheck.intervalSeconds",
                hc.intervalSeconds ?? d.intervalSeconds,
                1,
                3600,
            ),
            timeoutSeconds: integer("args.healthCheck.timeoutSeconds", hc.timeoutSeconds ?? d.timeoutSeconds, 1, 3600),
            retries: integer("args.healthCheck.retries", hc.retries ?? d.retries, 1, 100),
            startPeriodSeconds: integer(
                "args.healthCheck.startPeriodSeconds",
                hc.startPeriodSeconds ?? d.startPeriodSeconds,
                0,
                3600,
            ),
        };
    }

    const env = Object.keys(args.env ?? {}).sort();
    env.forEach((name) => {
        if (!ENV_NAME.test(name)) {
            throw new ArgumentError(
                `args.env.${name}`,
                "is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
            );
        }
    });

    const labels = validateLabels(args.labels);
    if (args.containerName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(args.containerName)) {
        throw new ArgumentError(
            "args.containerName",
            `must match [a-zA-Z0-9][a-zA-Z0-9_.-]*, got ${JSON.stringify(args.containerName)}`,
        );
    }
    if (typeof args.image === "string") {
        validateImage(args.image, args.trustedRegistries, waivers.imageTag);
    }

    return {
        capabilities,
        user,
        memoryMb,
        cpuShares,
        pidsLimit,
        maxRestarts,
        appArmorProfile,
        ...(appArmor === undefined ? {} : { appArmor }),
        seccompProfileJson,
        writablePaths,
        volumes,
        ports,
        healthCheck,
        env,
        labels,
        waivers,
    };
}
