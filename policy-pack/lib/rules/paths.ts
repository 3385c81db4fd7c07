import { ENGINE_HOST_PATHS, SENSITIVE_HOST_PATHS } from "./linux";

/** Normalises an absolute path: collapses `//`, resolves `.` and `..`, drops a trailing slash. */
export function normalisePath(path: string): string {
    const out: string[] = [];
    for (const part of path.split("/")) {
        if (part === "" || part === ".") {
            continue;
        }
        if (part === "..") {
            out.pop();
        } else {
            out.push(part);
        }
    }
    return `/${out.join("/")}`;
}

function isSameOrBelow(path: string, dir: string): boolean {
    return dir === "/" ? path === "/" : path === dir || path.startsWith(`${dir}/`);
}

/**
 * Why a host path must not be mounted into a container, or undefined when it may be:
 * CIS 5.6 (a sensitive host directory, or anything beneath one) or CIS 5.32 (the engine's socket
 * or state, or a directory that holds them).
 */
export function forbiddenHostPath(hostPath: string): { cis: "5.6" | "5.32"; path: string } | undefined {
    const path = normalisePath(hostPath);
    if (path === "/") {
        return { cis: "5.6", path: "/" };
    }
    // A parent of the socket (/run, /var) exposes it as much as the socket itself.
    const engine = ENGINE_HOST_PATHS.find((e) => isSameOrBelow(path, e) || isSameOrBelow(e, path));
    if (engine !== undefined) {
        return { cis: "5.32", path: engine };
    }
    const sensitive = SENSITIVE_HOST_PATHS.find((s) => isSameOrBelow(path, s));
    return sensitive === undefined ? undefined : { cis: "5.6", path: sensitive };
}
