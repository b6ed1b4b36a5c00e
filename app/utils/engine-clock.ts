/**
 * "Now" for the win-back engine's scheduled work (enrollment, due steps, completion). It is the
 * real clock, except in `npm run demo`, which runs weeks of a campaign in minutes: there
 * DEMO_TIME_SCALE engine seconds pass per real second from DEMO_EPOCH on (refused in production).
 */
export function scaledClock(scale: number | undefined, epoch: Date | undefined): () => Date {
  if (scale === undefined || epoch === undefined) return () => new Date();
  const start = epoch.getTime();
  return () => new Date(start + (Date.now() - start) * scale);
}
