import { describe, expect, it } from "vitest";
import { groupCommit } from "../../app/utils/group-commit";

/** A commit whose calls the test can watch and finish one by one. */
function controlledCommit() {
  const batches: { items: number[]; finish(error?: Error): void }[] = [];
  const commit = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((item) => `done ${item}`))) });
    });
  return { batches, commit };
}

/** A few turns of the event loop: enough for every batch that can start to have started. */
const turn = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("group commit", () => {
  it("commits calls made together in one batch, each getting its own result", async () => {
    const { batches, commit } = controlledCommit();
    const call = groupCommit(commit, { maxBatch: 100, maxInFlight: 1 });

    const results = Promise.all([1, 2, 3].map(call));
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2, 3]]);
    batches[0]!.finish();
    expect(await results).toEqual(["done 1", "done 2", "done 3"]);
  });

  it("holds calls while the commits in flight are at their limit, then commits them together, at most maxBatch at a time", async () => {
    const { batches, commit } = controlledCommit();
    const call = groupCommit(commit, { maxBatch: 2, maxInFlight: 1 });

    const first = call(1);
    await turn();
    const later = [2, 3, 4].map(call);
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);

    batches[0]!.finish();
    await first;
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3]]);
    batches[1]!.finish();
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3], [4]]);
    batches[2]!.finish();
    expect(await Promise.all(later)).toEqual(["done 2", "done 3", "done 4"]);
  });

  it("fails every call of a failed batch, and only those", async () => {
    const { batches, commit } = controlledCommit();
    const call = groupCommit(commit, { maxBatch: 100, maxInFlight: 2 });

    const failing = [1, 2].map((item) => call(item).catch((error: Error) => error.message));
    await turn();
    const passing = call(3);
    await turn();
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2], [3]]);
    batches[0]!.finish(new Error("database refused"));
    batches[1]!.finish();
    expect(await Promise.all(failing)).toEqual(["database refused", "database refused"]);
    expect(await passing).toBe("done 3");
  });
});
