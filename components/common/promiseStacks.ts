/**
 * Registering a resource makes the Pulumi SDK create four promises per property of the resource
 * type (value, known, secret, dependencies), and each records `new Error().stack` for its
 * promise-leak report. Under `pulumi up`, source maps are on, so every one of those stack traces is
 * formatted frame by frame and then kept for the life of the program: a Docker container alone has
 * about 90 properties. Measured in bench/program: that is about 85% of the time and most of the
 * memory of registering a fleet (docs/performance.md).
 *
 * The children of our components are constructed with Node's stack-trace limit at zero, which
 * makes those records empty. Nothing else reads them: the leak report prints them only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set, and then the full traces are kept. The limit is restored
 * before the call returns or throws, so errors raised anywhere else keep their stacks; an error
 * thrown while a child is constructed gets a stack trace again, from where the component made
 * that child.
 */
export function withoutPromiseStacks<T>(construct: () => T): T {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return construct();
    }
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return construct();
    } catch (e) {
        Error.stackTraceLimit = limit;
        if (e instanceof Error) {
            // Made with no frames: give it the component's frames, which lead to the child.
            Error.captureStackTrace(e, withoutPromiseStacks);
        }
        throw e;
    } finally {
        Error.stackTraceLimit = limit;
    }
}
