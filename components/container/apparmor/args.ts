/**
 * A container's own AppArmor profile (CIS 5.2): written by the user, or generated from a short
 * description of what the service does. HardenedContainer installs it on the host as
 * `/etc/apparmor.d/hardened-docker.<name>` (so it is loaded again at boot), loads it with
 * `apparmor_parser -r`, checks that the kernel holds it in enforce mode, and runs the container
 * under it (`apparmor=<name>`). A changed profile is loaded again and the container is recreated.
 * Give `profile` or `rules`, not both.
 */
export interface ContainerAppArmorArgs {
    /**
     * The profile's name in the kernel, unique on the host: `[a-z0-9][a-z0-9_-]*`, at most 64
     * characters; never `docker-default` or `unconfined`. A written profile must declare
     * `profile <name>` with this name at its top level. A new name installs a new profile and
     * removes the old one. Another HardenedContainer of the same run of the program (by identity,
     * whatever its name) that names the same profile on the same host (the same `host` object, or
     * the same `host.connection` object), or whose written profile declares it, fails at preview.
     */
    name: string;
    /**
     * A profile written by the user, in AppArmor's language: it declares `profile <name>` at its
     * top level (child profiles and hats inside it are fine), and no `complain` or `unconfined` flag
     * (CIS 5.2 asks for enforce mode). Other top-level profiles (a helper the service transitions
     * to) are loaded, replaced and removed with it, so their names are claimed on the host as the
     * container's own is; they must be written out (no variable), and never `docker-default` or
     * `unconfined`. It is checked with `apparmor_parser` on the host before it is loaded; a profile
     * the parser refuses changes nothing.
     * @default undefined (give `rules` instead)
     */
    profile?: string;
    /**
     * A tight profile generated from what the service does. Everything not listed is denied.
     * @default undefined (give `profile` instead)
     */
    rules?: AppArmorRules;
}

/**
 * What a generated profile allows: the listed programs, paths and sockets, the container's own
 * capabilities (`HardenedContainerArgs.capabilities`), signals among the container's own processes
 * and from the engine. Everything else is denied, and the writes `docker-default` denies (/proc,
 * /sys, mount) are denied explicitly as well. Paths are absolute AppArmor globs (`*` within a
 * directory, `**` across directories), without spaces, commas or quotes.
 */
export interface AppArmorRules {
    /**
     * The programs the service runs, its entrypoint first (and a script's interpreter): they may be
     * read, mapped and executed within the profile (`mrix`). At least one.
     */
    execute: string[];
    /**
     * Paths the service may read.
     * @default []
     */
    read?: string[];
    /**
     * Paths the service may write (and read and lock). Never `/`, nor a path with a wildcard in
     * its first directory (such as `/**`): name the directories.
     * @default []
     */
    write?: string[];
    /**
     * The sockets it may open: `tcp` (stream) and `udp` (datagram), over IPv4 and IPv6. With either,
     * it may also read the name-resolution files (/etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf,
     * /etc/host.conf, /etc/services).
     * @default [] (no network sockets)
     */
    network?: ("tcp" | "udp")[];
}
