import { env } from "../env.server";
import { scheduledJob } from "./define";

/**
 * Every 10 seconds: lease due steps into run-steps jobs (as many as the engine queue has room
 * for), and complete finished enrollments. A step is due to the minute at best (quiet hours, the
 * customer's usual hour), so this is about keeping the workers fed, not precision.
 */
export const dispatchSteps = scheduledJob({
  queue: "engine",
  name: "dispatch-steps",
  schedule: {
    every: 10_000,
    // `npm run demo` dispatches itself, once the previous steps are done: at its speed a step job
    // outlasts the dispatcher's lease (minutes of engine time), and an overlapping dispatch would
    // take the same steps again.
    disabled: env.DEMO_TIME_SCALE !== undefined,
  },
  handler: () => import("./dispatch-steps.handler"),
});
