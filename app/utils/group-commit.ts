/**
 * Group commit: calls arriving close together are written by one `commit` of all of them, and
 * each caller's promise settles only when that commit has (with its own result, or the batch's
 * error: one failing batch fails every call in it).
 *
 * A batch opens with the first call and is committed on the next turn of the event loop, so at
 * low load a call waits for nothing but its own commit. While `maxInFlight` commits are running,
 * new calls wait in the open batch, which is how batches grow under load; a batch never holds
 * more than `maxBatch` calls.
 */
export interface GroupCommitOptions {
  maxBatch: number;
  maxInFlight: number;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export function groupCommit<Item, Result>(
  commit: (items: Item[]) => Promise<Result[]>,
  { maxBatch, maxInFlight }: GroupCommitOptions,
): (item: Item) => Promise<Result> {
  const open: Waiting<Item, Result>[] = [];
  let scheduled = false;
  let inFlight = 0;

  const flush = () => {
    scheduled = false;
    while (open.length > 0 && inFlight < maxInFlight) {
      const batch = open.splice(0, maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        if (open.length > 0) schedule();
      });
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const run = async (batch: Waiting<Item, Result>[]) => {
    try {
      const results = await commit(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(results[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      open.push({ item, resolve, reject });
      schedule();
    });
}
