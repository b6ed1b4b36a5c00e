import { describe, expect, it } from "vitest";
import { inTurns } from "../../app/jobs/each-isolated";

describe("in turns", () => {
  it("gives every item one step per round until each is done, so a long one does not go first to its end", async () => {
    const remaining = new Map([
      ["big", 4],
      ["small", 1],
      ["other", 2],
    ]);
    const order: string[] = [];
    await inTurns(remaining.keys(), async (name) => {
      order.push(name);
      remaining.set(name, remaining.get(name)! - 1);
      return remaining.get(name)! > 0;
    });
    expect(order).toEqual(["big", "small", "other", "big", "other", "big", "big"]);
  });

  it("drops an item that fails, finishes the others, and throws the first error at the end", async () => {
    const done: string[] = [];
    const run = inTurns(["failing", "fine"], async (name) => {
      if (name === "failing") throw new Error("throttled");
      done.push(name);
      return done.length < 3;
    });
    await expect(run).rejects.toThrow("throttled");
    expect(done).toEqual(["fine", "fine", "fine"]);
  });
});
