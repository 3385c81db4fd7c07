/**
 * The contract every hardening step of HardenedHost follows. A step is pure: validated values in,
 * a bash script and the exact files it installs out. The component runs each script as root on the
 * host through its own `remote.Command`, with the script on stdin (never on a command line, so
 * secrets in it stay out of `ps`, logs and error messages), and re-runs it only when the rendered
 * text changes.
 */

/** A file a step installs, with its exact content (what tests check and the policies read). */
export interface RenderedFile {
    path: string;
    /** Octal mode, four digits: `0644`. */
    mode: string;
    /** `user:group`. */
    owner: string;
    content: string;
}

export interface HostStep {
    /** Short id, used in the command's name (`<host>-<id>`) and in log lines: `ssh`, `firewall`, ... */
    id: string;
    /** One line: what the step makes true. */
    title: string;
    /** CIS Docker Benchmark ids the step sets. */
    cis: string[];
    /** The whole bash script, run as root by `bash -s`. Idempotent; validates before it activates. */
    script: string;
    /** The files the script installs, in the order it installs them. */
    files: RenderedFile[];
    /** True when the script embeds secret material (the command's stdin is then a Pulumi secret). */
    secret: boolean;
}

/** What the steps share: facts about the host that more than one step needs. */
export interface HostContext {
    /** The SSH user the deployment connects as: always allowed to log in, never locked out. */
    connectionUser: string;
    /** The port sshd listens on, before and after hardening. */
    sshPort: number;
    /** Docker's data root (`/var/lib/docker` unless moved). */
    dataRoot: string;
}
