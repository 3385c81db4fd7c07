import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { withoutPromiseStacks } from "../common/promiseStacks";

/**
 * The command every step runs: bash as root reading the step's script from stdin. Through sudo -n
 * (no password, no terminal) when the SSH user is not root. The script never appears on a command
 * line, so what it carries stays out of `ps`, logs and error messages.
 */
export const RUN_AS_ROOT = 'if [ "$(id -u)" -eq 0 ]; then exec /bin/bash -s; else exec sudo -n /bin/bash -s; fi';

/** One step's script as the component runs it. */
export interface StepRun {
    id: string;
    script: pulumi.Input<string>;
    secret: boolean;
}

/**
 * One `remote.Command` per step, strictly in order (each depends on the one before, so package
 * installs never race for apt's lock). A step runs again only when its script changes: the script is
 * the command's stdin, and a changed input runs `create` again. Nothing is sent as environment
 * (sshd's AcceptEnv would refuse it), and a secret script is logged by nobody.
 */
export function runSteps(
    name: string,
    steps: StepRun[],
    connection: pulumi.Input<command.types.input.remote.ConnectionArgs>,
    parent: pulumi.Resource,
    after: pulumi.ResourceOptions["dependsOn"],
): command.remote.Command[] {
    const out: command.remote.Command[] = [];
    let previous: pulumi.ResourceOptions["dependsOn"] = after;
    for (const step of steps) {
        const dependsOn = previous;
        const cmd = withoutPromiseStacks(
            () =>
                new command.remote.Command(
                    `${name}-${step.id}`,
                    {
                        connection,
                        create: RUN_AS_ROOT,
                        stdin: step.secret ? pulumi.secret(step.script) : step.script,
                        addPreviousOutputInEnv: false,
                        ...(step.secret ? { logging: "none" as const } : {}),
                    },
                    { parent, dependsOn },
                ),
        );
        out.push(cmd);
        previous = [cmd];
    }
    return out;
}
