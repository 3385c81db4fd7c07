import type { Spread } from "../lib/stats";

/** What the convergence benchmark measured on the sandbox VM. */
export interface ConvergenceResult {
    /** Fresh sandboxes: each gets one first apply. */
    runs: number;
    /** Second applies and audit-only applies per sandbox. */
    repeats: number;
    sandbox: { accel: string; cpus: number; memoryMb: number; image: string };
    firstApply: {
        seconds: Spread;
        /** SSH connections opened, per run. */
        sshSessions: number[];
        /** Commands run over SSH, per run. */
        commands: number[];
        /** Time inside apt installing packages (from each "installing:" line to the step's next line). */
        packageSeconds: Spread;
        /** packageSeconds over the apply's time. */
        packageShare: Spread;
        /** The packages the steps installed, by step. */
        packages: Record<string, string[]>;
        /** Each resource's time, in apply order. */
        steps: Record<string, Spread>;
    };
    secondApply: {
        seconds: Spread;
        sshSessions: number[];
        /** Resources that did anything but stay unchanged, per apply. */
        changed: number[];
    };
    auditOnly: {
        seconds: Spread;
        sshSessions: number[];
        /** The collector command alone. */
        collectorSeconds: Spread;
        /** Resources that ran, per apply: the collector only. */
        ran: string[][];
    };
}
