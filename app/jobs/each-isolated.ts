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
