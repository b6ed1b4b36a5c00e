/**
 * Runs `work` for each item (a shop, a campaign, a part of a sweep); one item's trouble (a
 * throttle, an outage) does not hold the others back. The first error is thrown after all, so
 * the job is retried (or delayed, for a throttle) for what is left.
 */
export async function eachIsolated<T>(items: Iterable<T>, work: (item: T) => Promise<void>): Promise<void> {
  let firstError: unknown = null;
  for (const item of items) {
    try {
      await work(item);
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
}

/**
 * Runs `step` for the items in turns, one step of each per round, until each says it is done
 * (`step` resolves false) or fails; a failed item drops out without stopping the others. An item
 * with a large backlog (a shop's) so shares the run with the small ones instead of going first to
 * its end. The first error is thrown after all.
 */
export async function inTurns<T>(items: Iterable<T>, step: (item: T) => Promise<boolean>): Promise<void> {
  let firstError: unknown = null;
  let active = [...items];
  while (active.length > 0) {
    const more: T[] = [];
    for (const item of active) {
      try {
        if (await step(item)) more.push(item);
      } catch (error) {
        firstError ??= error;
      }
    }
    active = more;
  }
  if (firstError) throw firstError;
}
