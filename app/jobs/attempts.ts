import { UnrecoverableError, type Job } from "bullmq";

/** Where a run stands among its job's attempts. */
export type Attempt = Pick<Job, "attemptsMade" | "opts">;

/** Whether the run in progress is the job's last attempt (BullMQ counts the failed attempts before it). */
export function isLastAttempt(attempt: Attempt): boolean {
  return attempt.attemptsMade + 1 >= (attempt.opts.attempts ?? 1);
}

/**
 * In a worker's `failed` event, where BullMQ has already counted the run that failed: whether
 * the job will not run again.
 */
export function failedForGood(job: Attempt | undefined, error: Error): boolean {
  if (!job || error instanceof UnrecoverableError) return true;
  return isLastAttempt({ attemptsMade: job.attemptsMade - 1, opts: job.opts });
}

/**
 * Thrown by a handler that must run again later without it counting as a failed attempt:
 * waiting for Shopify (a bulk operation, a throttled bucket). The worker delays the job.
 */
export class RetryLater extends Error {
  override name = "RetryLater";
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
  }
}
