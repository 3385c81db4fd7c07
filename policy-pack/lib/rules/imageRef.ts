/**
 * Docker image references, parsed the way the Docker CLI normalises them
 * (distribution/reference): `[registry[:port]/]path[:tag][@sha256:<64 hex>]`.
 *
 * Shared by the components (which refuse a bad reference) and the policies (which flag one), so the
 * two can never disagree about what "trusted" and "pinned" mean.
 */
export interface ImageRef {
    /** Registry host, with port if any: `docker.io` when the reference names none. */
    registry: string;
    /** Repository path, with `library/` added for Docker Hub's official images. */
    path: string;
    tag?: string;
    /** `sha256:<64 hex>` when the reference is pinned. */
    digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST =
    /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$|^localhost(?::[0-9]{1,5})?$|^[A-Za-z0-9-]+:[0-9]{1,5}$/;

/** Parses a reference; returns undefined when it is not a valid Docker image reference. */
export function parseImageRef(reference: string): ImageRef | undefined {
    if (typeof reference !== "string" || reference.length === 0 || reference.length > 512) {
        return undefined;
    }
    let rest = reference;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) {
            return undefined;
        }
    }
    let tag: string | undefined;
    const lastSlash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) {
            return undefined;
        }
    }
    const parts = rest.split("/");
    let registry = "docker.io";
    if (parts.length > 1 && (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")) {
        registry = parts.shift() as string;
        if (!HOST.test(registry)) {
            return undefined;
        }
    }
    if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) {
        return undefined;
    }
    if (registry === "index.docker.io" || registry === "registry-1.docker.io") {
        registry = "docker.io";
    }
    if (registry === "docker.io" && parts.length === 1) {
        parts.unshift("library");
    }
    return { registry: registry.toLowerCase(), path: parts.join("/"), tag, digest };
}

/** `registry/path`, the name a trusted-registry entry is matched against. */
export function repositoryName(ref: ImageRef): string {
    return `${ref.registry}/${ref.path}`;
}

/**
 * True when the repository lies under one of the trusted entries. An entry is a registry
 * (`ghcr.io`) or a registry with a path prefix (`ghcr.io/acme`); it matches whole path components
 * only, so `ghcr.io/acme` does not admit `ghcr.io/acme-evil/x`.
 */
export function isTrustedRepository(ref: ImageRef, trusted: readonly string[]): boolean {
    const name = repositoryName(ref);
    return trusted.some((entry) => {
        const e = entry.trim().replace(/\/+$/, "").toLowerCase();
        return e.length > 0 && (name === e || name.startsWith(`${e}/`));
    });
}

/** An image id (`sha256:<hex>`) rather than a reference, as `docker.RemoteImage.imageId` gives. */
export function isImageId(value: string): boolean {
    return DIGEST.test(value);
}
