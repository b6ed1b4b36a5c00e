import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { evaluateAudience, type AudienceCandidate, type AudienceRules } from "../../app/domain/audience";
import type { ShopifyRfmGroup } from "../../app/domain/rfm";
import { countEligible, eligibleCustomers, explainCustomer } from "../../app/models/audience.server";
import { makeCustomers, makeShop } from "../support/factories";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

const RULES: AudienceRules = {
  lapse: { kind: "inactivity", days: 90 },
  segment: { kind: "preset", preset: "at_risk" },
  checkoutQuietHours: 48,
  cooldownDays: 180,
};

/** A customer who qualifies under RULES: at risk (R1 F5 M5), last order 142 days ago, subscribed. */
const base: AudienceCandidate = {
  email: "ana@example.com",
  emailMarketingState: "SUBSCRIBED",
  ordersCount: 6,
  lastOrderAt: ago(142),
  medianGapDays: 31,
  rScore: 1,
  fScore: 5,
  mScore: 5,
  shopifyRfmGroup: "AT_RISK",
  lastCheckoutAt: null,
  suppressedAt: null,
  lastContactedAt: null,
};

let shopId: number;
let nextId = 1;

async function insert(candidate: AudienceCandidate): Promise<bigint> {
  const id = BigInt(nextId++);
  await makeCustomers(shopId, [{ id, ...candidate }]);
  return id;
}

async function selected(rules: AudienceRules): Promise<bigint[]> {
  return (await eligibleCustomers(shopId, rules, { limit: 1000 }, { now: NOW })).map((row) => row.id);
}

beforeEach(async () => {
  shopId = (await makeShop()).id;
  nextId = 1;
});

describe("each audience rule excludes exactly what it should (SQL and the pure rule agree)", () => {
  const cases: [string, Partial<AudienceCandidate>, AudienceRules, RegExp][] = [
    ["not subscribed", { emailMarketingState: "UNSUBSCRIBED" }, RULES, /not subscribed to e-mail marketing \(UNSUBSCRIBED\)/],
    ["consent unknown", { emailMarketingState: null }, RULES, /not subscribed to e-mail marketing \(unknown\)/],
    ["no e-mail address", { email: null }, RULES, /no e-mail address/],
    ["suppressed by us", { suppressedAt: ago(3) }, RULES, /suppressed/],
    ["never ordered", { ordersCount: 0, lastOrderAt: null }, RULES, /has never ordered/],
    ["ordered recently (inactivity)", { lastOrderAt: ago(60) }, RULES, /not lapsed yet \(no order for 90 days needed\)/],
    [
      "started a checkout in the quiet period",
      { lastCheckoutAt: new Date(NOW.getTime() - 5 * 3_600_000) },
      RULES,
      /started a checkout 5 hours ago/,
    ],
    ["contacted within the cool-down", { lastContactedAt: ago(30) }, RULES, /contacted 30 days ago \(cool-down 180 days\)/],
    ["recency too good for the preset", { rScore: 3 }, RULES, /not in the At risk segment/],
    ["frequency too low for the preset", { fScore: 3 }, RULES, /not in the At risk segment/],
    ["monetary too low for the preset", { mScore: 3 }, RULES, /not in the At risk segment/],
    ["no scores yet", { rScore: null, fScore: null, mScore: null }, RULES, /no RFM scores yet/],
    [
      "Shopify RFM group not chosen",
      { shopifyRfmGroup: "CHAMPIONS" },
      { ...RULES, segment: { kind: "shopify_rfm_groups", groups: ["AT_RISK", "DORMANT"] } },
      /Shopify RFM group is CHAMPIONS, not AT_RISK or DORMANT/,
    ],
    [
      "not lapsed for them (cadence)",
      { lastOrderAt: ago(50), medianGapDays: 31 },
      { ...RULES, lapse: { kind: "cadence", multiplier: 2, fallbackDays: 90 } },
      /not lapsed for them yet \(lapses after 62 days, 2× their usual gap\)/,
    ],
    [
      "orders minutes apart: never lapsed within 7 days (cadence)",
      { lastOrderAt: ago(5), medianGapDays: 0.002 },
      { ...RULES, lapse: { kind: "cadence", multiplier: 2, fallbackDays: 90 } },
      /not lapsed for them yet \(lapses after 7 days, the shortest lapse there is\)/,
    ],
    [
      "no cadence, not lapsed by the fallback",
      { lastOrderAt: ago(60), medianGapDays: null },
      { ...RULES, lapse: { kind: "cadence", multiplier: 2, fallbackDays: 90 } },
      /not lapsed yet \(no order for 90 days needed\)/,
    ],
  ];

  it.each(cases)("%s", async (_label, change, rules, reason) => {
    const qualifying = await insert(base);
    const excluded = await insert({ ...base, ...change });

    expect(await selected(rules)).toEqual([qualifying]);
    expect(await countEligible(shopId, rules, { now: NOW })).toBe(1);
    const verdict = evaluateAudience({ ...base, ...change }, rules, NOW);
    expect(verdict.qualifies).toBe(false);
    expect(verdict.text).toMatch(reason);
    expect((await explainCustomer(shopId, excluded, rules, { now: NOW }))!.text).toBe(verdict.text);
  });

  it("includes a customer lapsed for them before the store-wide threshold (cadence)", async () => {
    const rules: AudienceRules = { ...RULES, lapse: { kind: "cadence", multiplier: 2, fallbackDays: 90 } };
    const quick = await insert({ ...base, lastOrderAt: ago(70), medianGapDays: 20 }); // 70 > 2 × 20
    await insert({ ...base, lastOrderAt: ago(70), medianGapDays: null }); // falls back to 90 days

    expect(await selected(rules)).toEqual([quick]);
  });

  it("matches the chosen Shopify RFM groups", async () => {
    const rules: AudienceRules = { ...RULES, segment: { kind: "shopify_rfm_groups", groups: ["DORMANT"] } };
    const dormant = await insert({ ...base, shopifyRfmGroup: "DORMANT", rScore: 5 });
    await insert({ ...base, shopifyRfmGroup: "AT_RISK" });

    expect(await selected(rules)).toEqual([dormant]);
  });

  it("All lapsed needs no scores", async () => {
    const rules: AudienceRules = { ...RULES, segment: { kind: "preset", preset: "all_lapsed" } };
    const unscored = await insert({ ...base, rScore: null, fScore: null, mScore: null });

    expect(await selected(rules)).toEqual([unscored]);
  });

  it("explains a qualifying customer in plain language, from the data", async () => {
    const id = await insert(base);

    expect((await explainCustomer(shopId, id, RULES, { now: NOW }))!.text).toBe(
      "Qualifies: last order 142 days ago; usual gap 31 days; recency 1/5; frequency 5/5; monetary 5/5; subscribed.",
    );
    expect(await explainCustomer(shopId, 999n, RULES, { now: NOW })).toBeNull();
  });

  it("treats the thresholds as exact durations: 90 days ago qualifies, a minute less does not", async () => {
    const atThreshold = await insert({ ...base, lastOrderAt: ago(90) });
    await insert({ ...base, lastOrderAt: new Date(ago(90).getTime() + 60_000) });

    expect(await selected(RULES)).toEqual([atThreshold]);
  });

  it("pages through the audience by id with a stable keyset, and counts it", async () => {
    const ids: bigint[] = [];
    for (let i = 0; i < 7; i++) ids.push(await insert(base));
    await insert({ ...base, emailMarketingState: "PENDING" });

    const seen: bigint[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await eligibleCustomers(shopId, RULES, { after, limit: 3 }, { now: NOW });
      if (!page.length) break;
      seen.push(...page.map((row) => row.id));
      after = page.at(-1)!.id;
    }
    expect(seen).toEqual(ids);
    expect(await countEligible(shopId, RULES, { now: NOW })).toBe(7);
  });

  it("never selects another shop's customers", async () => {
    await insert(base);
    const myShop = shopId;
    shopId = (await makeShop()).id;

    expect(await selected(RULES)).toEqual([]);
    expect(await countEligible(myShop, RULES, { now: NOW })).toBe(1);
  });
});

describe("the SQL query and the pure rules pick the same customers", () => {
  const maybeDate = (maxDays: number) =>
    fc.option(
      fc.integer({ min: 0, max: maxDays * 24 }).map((hours) => new Date(NOW.getTime() - hours * 3_600_000)),
      { nil: null },
    );
  const score = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null });
  const candidate: fc.Arbitrary<AudienceCandidate> = fc.record({
    email: fc.constantFrom("a@example.com", "", null),
    emailMarketingState: fc.constantFrom("SUBSCRIBED", "SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", null),
    ordersCount: fc.integer({ min: 0, max: 12 }),
    lastOrderAt: maybeDate(400),
    medianGapDays: fc.option(
      fc.oneof(
        fc.integer({ min: 5, max: 120 }).map((days) => days + 0.5),
        fc.double({ min: 0, max: 10, noNaN: true }),
      ),
      { nil: null },
    ),
    rScore: score,
    fScore: score,
    mScore: score,
    shopifyRfmGroup: fc.constantFrom("AT_RISK", "DORMANT", "CHAMPIONS", null),
    lastCheckoutAt: maybeDate(5),
    suppressedAt: fc.option(fc.constant(ago(1)), { nil: null }),
    lastContactedAt: maybeDate(300),
  });
  const rules: fc.Arbitrary<AudienceRules> = fc.record({
    lapse: fc.oneof(
      fc.record({ kind: fc.constant("inactivity" as const), days: fc.integer({ min: 7, max: 200 }) }),
      fc.record({
        kind: fc.constant("cadence" as const),
        multiplier: fc.constantFrom(1, 1.5, 2, 3),
        fallbackDays: fc.integer({ min: 7, max: 200 }),
      }),
    ),
    segment: fc.oneof(
      fc.record({
        kind: fc.constant("preset" as const),
        preset: fc.constantFrom("at_risk" as const, "cant_lose" as const, "all_lapsed" as const),
      }),
      fc.record({
        kind: fc.constant("shopify_rfm_groups" as const),
        groups: fc.constantFrom<ShopifyRfmGroup[]>(["AT_RISK"], ["DORMANT", "AT_RISK"]),
      }),
    ),
    checkoutQuietHours: fc.constantFrom(0, 24, 48),
    cooldownDays: fc.constantFrom(0, 90, 180),
  });

  it("on random customers and rules", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(candidate, { minLength: 1, maxLength: 30 }), rules, async (candidates, audience) => {
        shopId = (await makeShop()).id;
        const ids = candidates.map((_, i) => BigInt(i + 1));
        await makeCustomers(
          shopId,
          candidates.map((each, i) => ({ id: ids[i], ...each, lastOrderAt: each.ordersCount === 0 ? null : each.lastOrderAt })),
        );
        const expected = ids.filter((_, i) => {
          const each = candidates[i]!;
          return evaluateAudience({ ...each, lastOrderAt: each.ordersCount === 0 ? null : each.lastOrderAt }, audience, NOW).qualifies;
        });
        expect(await selected(audience)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
