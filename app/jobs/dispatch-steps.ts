import { env } from "../env.server";
import { scheduledJob } from "./define";

/** Every minute: lease due steps into run-steps jobs, and complete finished enrollments. */
export const dispatchSteps = scheduledJob({
  queue: "engine",
  name: "dispatch-steps",
  schedule: {
    every: 60_000,
    // `npm run demo` dispatches itself, once the previous steps are done: at its speed a step job
    // outlasts the dispatcher's lease (minutes of engine time), and an overlapping dispatch would
    // take the same steps again.
    disabled: env.DEMO_TIME_SCALE !== undefined,
  },
  handler: () => import("./dispatch-steps.handler"),
});
