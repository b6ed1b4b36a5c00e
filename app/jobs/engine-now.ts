import { env } from "../env.server";
import { scaledClock } from "../utils/engine-clock";

/** "Now" for the engine's jobs: the real clock, or the demo's faster one (`DEMO_TIME_SCALE`). */
export const engineNow = scaledClock(env.DEMO_TIME_SCALE, env.DEMO_EPOCH);

/** Whether the engine's clock is the demo's faster one. */
export const engineClockIsScaled = env.DEMO_TIME_SCALE !== undefined;
