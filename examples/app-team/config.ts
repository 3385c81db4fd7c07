/** What the application team's stack reads from its config (namespace `app-team`). */
export interface AppTeamConfig {
    /**
     * The platform team's stack (`org/project/stack`), read through a StackReference: its
     * `dockerEndpoint` and `address` outputs. When unset, `dockerEndpoint` and `publishAddress` are.
     */
    platformStack?: string;
    /** The hardened host's Docker endpoint (`ssh://user@host:port`), without a platform stack. */
    dockerEndpoint?: string;
    /** The host address the service is published on, without a platform stack. */
    publishAddress?: string;
    /** The service's image, pinned by digest, from one of `trustedRegistries`. */
    image: string;
    /** Registries (or repository prefixes) the team may pull from. */
    trustedRegistries: string[];
    /** The host port the service is published on: one the platform's firewall admits clients to. */
    port: number;
}

/** The part of `pulumi.Config` the stack reads (a test gives its own). */
export interface ConfigSource {
    get(key: string): string | undefined;
    getObject<T>(key: string): T | undefined;
    getNumber(key: string): number | undefined;
}

/** Reads and checks the stack's config; every error names the key and what it accepts. */
export function readAppTeamConfig(cfg: ConfigSource): AppTeamConfig {
    const platformStack = cfg.get("platformStack");
    const dockerEndpoint = cfg.get("dockerEndpoint");
    const publishAddress = cfg.get("publishAddress");
    if (platformStack !== undefined && (dockerEndpoint !== undefined || publishAddress !== undefined)) {
        throw new Error(
            "app-team:platformStack is set, so app-team:dockerEndpoint and app-team:publishAddress must not be: the platform stack's outputs give both",
        );
    }
    if (platformStack === undefined && (dockerEndpoint === undefined || publishAddress === undefined)) {
        throw new Error(
            "set app-team:platformStack (the hardened host's stack, org/project/stack), or both app-team:dockerEndpoint (ssh://user@host:port) and app-team:publishAddress (the host's address)",
        );
    }
    const image = cfg.get("image");
    if (image === undefined) {
        throw new Error("app-team:image is required: the service's image, pinned by digest (name@sha256:...)");
    }
    const trustedRegistries = cfg.getObject<unknown>("trustedRegistries");
    if (
        !Array.isArray(trustedRegistries) ||
        trustedRegistries.length === 0 ||
        !trustedRegistries.every((r) => typeof r === "string" && r !== "")
    ) {
        throw new Error(
            "app-team:trustedRegistries must be a non-empty list of registries (e.g. [docker.io/nginxinc])",
        );
    }
    const port = cfg.getNumber("port") ?? 8080;
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
        throw new Error(`app-team:port must be an integer from 1024 to 65535; got ${port}`);
    }
    return {
        ...(platformStack === undefined ? { dockerEndpoint, publishAddress } : { platformStack }),
        image,
        trustedRegistries: trustedRegistries as string[],
        port,
    };
}
