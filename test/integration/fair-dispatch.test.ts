import { beforeEach, describe, expect, it } from "vitest";
import { execute } from "../../app/db.server";
import { getQueue } from "../../app/jobs/client.server";
import { run as dispatchSteps } from "../../app/jobs/dispatch-steps.handler";
import { MAX_ENGINE_BACKLOG } from "../../app/jobs/engine-backlog";
import { dispatchDueSteps } from "../../app/models/steps.server";
import { liveCampaign, makeCustomers, makeEnrollments, makeShop } from "../support/factories";

// One shop with a huge Go Live due at once shares every dispatch with the shops that have a few steps due.

const due = { nextStep: 1, nextStepDueAt: new Date(Date.now() - 60_000) };
let big: number;
let small: number[];

async function shopWithDueSteps(count: number, firstId: number): Promise<number> {
  const { id: shopId } = await makeShop();
  const campaignId = (await liveCampaign(shopId)).id;
  await makeCustomers(shopId, count, {}, { firstId });
  await makeEnrollments(shopId, campaignId, count, due, { firstId });
  return shopId;
}

beforeEach(async () => {
  await execute("TRUNCATE shops CASCADE");
  await getQueue("engine").obliterate({ force: true });
  // The big shop's steps were due first, and it has far more of them than one dispatch takes.
  big = await shopWithDueSteps(3_000, 1);
  small = [await shopWithDueSteps(5, 10_001), await shopWithDueSteps(5, 20_001), await shopWithDueSteps(30, 30_001)];
});

describe("dispatching due steps", () => {
  it("takes every shop's steps in turns, so the small shops' all fit in a dispatch beside the big one's", async () => {
    const jobs = await dispatchDueSteps(200);

    const leased = (shopId: number) => jobs.filter((job) => job.shopId === shopId).reduce((sum, job) => sum + job.enrollmentIds.length, 0);
    expect(small.map(leased)).toEqual([5, 5, 30]);
    expect(leased(big)).toBe(160);
    // Each shop's first job before anyone's second.
    expect(jobs.map((job) => job.turn)).toEqual([...jobs.map((job) => job.turn)].sort((a, b) => a - b));
    expect(
      jobs
        .filter((job) => job.turn === 1)
        .map((job) => job.shopId)
        .sort(),
    ).toEqual([big, ...small].sort());
  });

  it("keeps the engine queue short, with each shop's first job ahead of the big shop's later ones", async () => {
    const { jobs } = await dispatchSteps();

    const queue = getQueue("engine");
    const waiting = await queue.getJobs(["prioritized", "waiting"]);
    expect(waiting).toHaveLength(jobs);
    expect(jobs).toBeGreaterThanOrEqual(MAX_ENGINE_BACKLOG);
    expect(jobs).toBeLessThan(MAX_ENGINE_BACKLOG + small.length + 1);
    for (const shopId of small) {
      const own = waiting.filter((job) => job.data.shopId === shopId);
      expect(own.map((job) => job.opts.priority)).toEqual([1]);
    }
    // A dispatch while the queue is full leases nothing more: the rest stays due for later dispatches.
    expect((await dispatchSteps()).jobs).toBe(0);
  });
});
