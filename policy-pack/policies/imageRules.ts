import type { PolicyResource } from "@pulumi/policy";
import type { BuiltImageProps, ContainerProps, RemoteImageProps } from "../lib/docker";
import { known, TYPES } from "../lib/policy";
import { isImageId, parseImageRef, type ImageRef } from "../lib/rules/imageRef";

/** An image reference a resource uses, with the field it came from. */
export interface ImageUse {
    resource: PolicyResource;
    field: string;
    /** The reference as written. */
    reference: string;
    ref?: ImageRef;
}

/**
 * The image references in the stack: each RemoteImage's `name`, each Image's `imageName`, and each
 * container's `image` unless it is an image id or unknown, in which case the container is traced
 * to the image resource its `image` came from (propertyDependencies), which is checked on its own.
 * A container whose image can be traced to nothing is returned with reference "" (untraceable).
 */
export function imageUses(resources: PolicyResource[]): ImageUse[] {
    const out: ImageUse[] = [];
    const imageTypes: string[] = [TYPES.remoteImage, TYPES.image];
    for (const r of resources) {
        if (r.type === TYPES.remoteImage) {
            const name = known(() => (r.props as RemoteImageProps).name);
            if (typeof name === "string") {
                out.push({ resource: r, field: "name", reference: name, ref: parseImageRef(name) });
            }
        } else if (r.type === TYPES.image) {
            const name = known(() => (r.props as BuiltImageProps).imageName);
            if (typeof name === "string") {
                out.push({ resource: r, field: "imageName", reference: name, ref: parseImageRef(name) });
            }
        } else if (r.type === TYPES.container) {
            const image = known(() => (r.props as ContainerProps).image);
            if (typeof image === "string" && !isImageId(image)) {
                out.push({ resource: r, field: "image", reference: image, ref: parseImageRef(image) });
                continue;
            }
            const sources = (r.propertyDependencies.image ?? []).filter((d) => imageTypes.includes(d.type));
            if (sources.length === 0 && typeof image === "string") {
                out.push({ resource: r, field: "image", reference: "" });
            }
        }
    }
    return out;
}
