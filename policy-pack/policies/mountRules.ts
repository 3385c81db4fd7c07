import type { ContainerProps } from "../lib/docker";
import { forbiddenHostPath } from "../lib/rules/paths";

/** Every host path the container mounts: bind volumes and bind mounts. */
export function hostPaths(p: ContainerProps): { field: string; path: string }[] {
    const out: { field: string; path: string }[] = [];
    (p.volumes ?? []).forEach((v, i) => {
        if (typeof v.hostPath === "string" && v.hostPath !== "") {
            out.push({ field: `volumes[${i}].hostPath`, path: v.hostPath });
        }
        if (typeof v.volumeName === "string" && v.volumeName.startsWith("/")) {
            out.push({ field: `volumes[${i}].volumeName`, path: v.volumeName });
        }
    });
    (p.mounts ?? []).forEach((m, i) => {
        if (m.type === "bind" && typeof m.source === "string") {
            out.push({ field: `mounts[${i}].source`, path: m.source });
        }
    });
    return out;
}

/** The sentences for host paths that break the given CIS control (5.6 or 5.32). */
export function forbiddenMounts(p: ContainerProps, cis: "5.6" | "5.32"): string[] {
    const out: string[] = [];
    for (const { field, path } of hostPaths(p)) {
        const hit = forbiddenHostPath(path);
        if (hit !== undefined && hit.cis === cis) {
            out.push(
                cis === "5.6"
                    ? `${field} mounts ${path}, which is or lies under the sensitive host directory ${hit.path}; expected no such mount (CIS 5.6).`
                    : `${field} mounts ${path}, which exposes the container engine (${hit.path}); expected no such mount (CIS 5.32).`,
            );
        }
    }
    return out;
}
