/** Type tokens of this project's components: `hardened-docker:<module>:<Type>`. */
export const TOKENS = Object.freeze({
    container: "hardened-docker:container:HardenedContainer",
    network: "hardened-docker:network:HardenedNetwork",
    host: "hardened-docker:host:HardenedHost",
    daemon: "hardened-docker:daemon:DockerDaemon",
    audit: "hardened-docker:compliance:ComplianceAudit",
});

/** The CIS Docker Benchmark version that every control id in this project refers to. */
export const CIS_BENCHMARK_VERSION = "1.6.0";

/** Label keys that the components write on what they create, so that an audit can read them. */
export const LABELS = Object.freeze({
    managed: "io.hardened-docker.managed",
    benchmark: "io.hardened-docker.cis-benchmark",
    /** Prefix of one label per waiver: `io.hardened-docker.waiver.<name>` = the reason. */
    waiverPrefix: "io.hardened-docker.waiver.",
    /** The container's own AppArmor profile: `<name> sha256:<digest>`; a changed profile recreates it. */
    appArmor: "io.hardened-docker.apparmor",
});
