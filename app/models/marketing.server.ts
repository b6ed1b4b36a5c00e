import type { CurrencyCode } from "../types/admin.types";
import { execute, queryRow, queryRows } from "../db.server";
import { env } from "../env.server";
import { orderRevenue } from "./results.server";
import type { AdminQuery } from "./shopify-admin.server";

/**
 * Shopify Marketing: a campaign that goes Live is registered as an external marketing activity,
 * with the UTM parameters its e-mails' links carry (app/models/email-tracking.server.ts), so
 * Shopify's Marketing reports attribute the sessions and orders. Pausing, resuming and deleting
 * update its status; each finished day's sends, opens, clicks, unsubscribes, conversions and
 * revenue are reported once (marketing_engagements). The activity is upserted by a remote id
 * stable per campaign: a retry after a lost answer updates it instead of registering it twice.
 */

export const UTM_SOURCE = "win-back";
export const UTM_MEDIUM = "email";
/** Days reported per run at most (catching up after an outage). */
const DAYS_PER_RUN = 30;

type ExternalStatus = "ACTIVE" | "PAUSED" | "DELETED_EXTERNALLY";

/** What Shopify is told about a campaign in each of our statuses (a Draft is not registered). */
export function externalStatusOf(status: string): ExternalStatus | null {
  return status === "live" ? "ACTIVE" : status === "paused" ? "PAUSED" : status === "deleted" ? "DELETED_EXTERNALLY" : null;
}

const UPSERT = `#graphql
  mutation UpsertCampaignActivity($input: MarketingActivityUpsertExternalInput!) {
    marketingActivityUpsertExternal(input: $input) {
      marketingActivity { id status }
      userErrors { field message code }
    }
  }`;

const ENGAGEMENT = `#graphql
  mutation ReportCampaignEngagement($marketingActivityId: ID!, $engagement: MarketingEngagementInput!) {
    marketingEngagementCreate(marketingActivityId: $marketingActivityId, marketingEngagement: $engagement) {
      marketingEngagement { occurredOn }
      userErrors { field message code }
    }
  }`;

const remoteIdOf = (campaignId: number) => `winback-campaign-${campaignId}`;

/** Brings the campaign's marketing activity in line with its status; returns what Shopify now has (null: nothing to register). */
export async function syncMarketingActivity(
  shopId: number,
  campaignId: number,
  { admin }: { admin: AdminQuery },
): Promise<{ id: string; status: string } | null> {
  const campaign = await queryRow<{
    domain: string;
    handle: string;
    name: string;
    status: string;
    marketingActivityId: string | null;
    marketingStatus: string | null;
    liveSince: Date | null;
  }>(
    `SELECT s.domain, c.handle, c.settings->>'name' AS name, c.status, c.marketing_activity_id, c.marketing_status, c.live_since
     FROM campaigns c JOIN shops s ON s.id = c.shop_id WHERE c.shop_id = $1 AND c.id = $2`,
    [shopId, campaignId],
  );
  const status = campaign ? externalStatusOf(campaign.status) : null;
  // A Draft deleted before it ever went Live was never registered: nothing to tell Shopify.
  if (!campaign || !status || (status === "DELETED_EXTERNALLY" && !campaign.marketingActivityId)) return null;
  if (campaign.marketingActivityId && campaign.marketingStatus === status) return { id: campaign.marketingActivityId, status };

  // An upsert by our remote id: a retry after a lost answer updates the same activity.
  const answer = await admin(campaign.domain, UPSERT, {
    input: {
      title: `Win-back: ${campaign.name}`,
      remoteId: remoteIdOf(campaignId),
      remoteUrl: `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/app/campaigns/${campaignId}/results`,
      status,
      tactic: "MESSAGE",
      marketingChannelType: "EMAIL",
      start: campaign.liveSince?.toISOString(),
      utm: { campaign: campaign.handle, source: UTM_SOURCE, medium: UTM_MEDIUM },
    },
  });
  const activity = answer.marketingActivityUpsertExternal?.marketingActivity;
  if (!activity)
    throw new Error(
      `Shopify refused the marketing activity: ${(answer.marketingActivityUpsertExternal?.userErrors ?? []).map((e) => e.message).join("; ")}`,
    );
  await execute("UPDATE campaigns SET marketing_activity_id = $3, marketing_status = $4 WHERE shop_id = $1 AND id = $2", [
    shopId,
    campaignId,
    activity.id,
    status,
  ]);
  return { id: activity.id, status };
}

/** Campaigns Shopify Marketing should know about, for the hourly job: Live and paused ones, and deleted ones not yet reported as such. */
export async function registeredCampaigns(): Promise<{ shopId: number; campaignId: number }[]> {
  return queryRows<{ shopId: number; campaignId: number }>(
    `SELECT c.shop_id, c.id AS campaign_id FROM campaigns c JOIN shops s ON s.id = c.shop_id
     WHERE s.uninstalled_at IS NULL
       AND (c.status IN ('live', 'paused') OR (c.status = 'deleted' AND c.marketing_activity_id IS NOT NULL AND c.marketing_status IS DISTINCT FROM 'DELETED_EXTERNALLY'))
     ORDER BY c.id`,
  );
}

/** A finished UTC day's figures of a campaign (counts and the sales amount as PostgreSQL sends them). */
interface DayFigures {
  day: string;
  sends: string;
  opens: string;
  clicks: string;
  unsubscribes: string;
  orders: string;
  sales: string;
}

/**
 * The days to report: from the first to the day before yesterday (a day's late orders and
 * refunds arrive within a day), minus those reported, oldest first, DAYS_PER_RUN at most.
 */
/**
 * Only days this recent are reported (or reported again after Shopify lost the activity), so the
 * claims of older days can be purged (app/models/retention.server.ts) without being reported twice.
 */
export const MARKETING_REPORT_WINDOW_DAYS = 30;

async function unreportedDays(shopId: number, campaignId: number, firstDay: string, now: Date): Promise<DayFigures[]> {
  return queryRows<DayFigures>(
    `WITH days AS (
       SELECT d::date AS day
       FROM generate_series(greatest($3::date, ($4::timestamptz AT TIME ZONE 'UTC')::date - $6::int), ($4::timestamptz AT TIME ZONE 'UTC')::date - 2, interval '1 day') AS d
       WHERE NOT EXISTS (SELECT 1 FROM marketing_engagements m WHERE m.shop_id = $1 AND m.campaign_id = $2 AND m.day = d::date)
       ORDER BY 1 LIMIT $5
     ), bounds AS (SELECT day, (day::timestamp AT TIME ZONE 'UTC') AS from_at, ((day + 1)::timestamp AT TIME ZONE 'UTC') AS to_at FROM days)
     SELECT to_char(b.day, 'YYYY-MM-DD') AS day, m.sends, m.opens, m.clicks, m.unsubscribes, c.orders, c.sales
     FROM bounds b
     CROSS JOIN LATERAL (
       SELECT count(*) FILTER (WHERE s.sent_at >= b.from_at AND s.sent_at < b.to_at) AS sends,
              count(*) FILTER (WHERE s.opened_at >= b.from_at AND s.opened_at < b.to_at) AS opens,
              count(*) FILTER (WHERE s.first_clicked_at >= b.from_at AND s.first_clicked_at < b.to_at) AS clicks,
              count(*) FILTER (WHERE s.unsubscribed_at >= b.from_at AND s.unsubscribed_at < b.to_at) AS unsubscribes
       FROM email_sends s JOIN enrollments e ON e.shop_id = s.shop_id AND e.id = s.enrollment_id
       WHERE e.shop_id = $1 AND e.campaign_id = $2 AND s.shop_id = $1
     ) m
     CROSS JOIN LATERAL (
       SELECT count(*) AS orders, coalesce(sum(${orderRevenue("o")}), 0) AS sales
       FROM enrollments e JOIN orders o ON o.shop_id = e.shop_id AND o.id = e.conversion_order_id
       WHERE e.shop_id = $1 AND e.campaign_id = $2 AND NOT e.holdout AND e.status = 'converted' AND e.converted_at >= b.from_at AND e.converted_at < b.to_at
     ) c
     ORDER BY b.day`,
    [shopId, campaignId, firstDay, now, DAYS_PER_RUN, MARKETING_REPORT_WINDOW_DAYS],
  );
}

/**
 * Reports one day: claimed first (a day another run is reporting, or reported, is skipped), then
 * sent. "activity_gone": Shopify no longer has the activity (deleted there); the next sync
 * registers it again.
 */
async function reportDay(
  shopId: number,
  campaignId: number,
  activity: { domain: string; id: string; currency: string | null },
  figures: DayFigures,
  admin: AdminQuery,
): Promise<"skipped" | "sent" | "refused" | "activity_gone"> {
  const day = [shopId, campaignId, figures.day];
  const claimed = await execute(
    "INSERT INTO marketing_engagements (shop_id, campaign_id, day) VALUES ($1, $2, $3::date) ON CONFLICT DO NOTHING",
    day,
  );
  if (claimed === 0) return "skipped";
  let errors;
  try {
    const answer = await admin(activity.domain, ENGAGEMENT, {
      marketingActivityId: activity.id,
      engagement: {
        occurredOn: figures.day,
        utcOffset: "+00:00",
        isCumulative: false,
        sendsCount: Number(figures.sends),
        viewsCount: Number(figures.opens),
        clicksCount: Number(figures.clicks),
        unsubscribesCount: Number(figures.unsubscribes),
        orders: figures.orders,
        sales: { amount: Number(figures.sales).toFixed(2), currencyCode: (activity.currency ?? "USD") as CurrencyCode },
      },
    });
    errors = answer.marketingEngagementCreate?.userErrors ?? [];
    // Refused for good: kept as failed so the later days still go. An activity deleted in
    // Shopify is registered again by the next sync.
    if (errors.length > 0)
      await execute("UPDATE marketing_engagements SET status = 'failed' WHERE shop_id = $1 AND campaign_id = $2 AND day = $3::date", day);
  } catch (error) {
    // Not reported (a throttle, an outage): the next run claims the day again.
    await execute(
      "DELETE FROM marketing_engagements WHERE shop_id = $1 AND campaign_id = $2 AND day = $3::date AND status = 'sending'",
      day,
    );
    throw error;
  }
  if (errors.length === 0) {
    await execute(
      "UPDATE marketing_engagements SET status = 'sent', sent_at = now() WHERE shop_id = $1 AND campaign_id = $2 AND day = $3::date",
      day,
    );
    return "sent";
  }
  if (!errors.some((error) => error.code === "MARKETING_ACTIVITY_DOES_NOT_EXIST")) return "refused";
  await execute("UPDATE campaigns SET marketing_activity_id = NULL, marketing_status = NULL WHERE shop_id = $1 AND id = $2", [
    shopId,
    campaignId,
  ]);
  return "activity_gone";
}

/** Reports each finished UTC day since the campaign went Live that is not reported yet; returns how many. */
export async function reportEngagement(
  shopId: number,
  campaignId: number,
  { admin, now = new Date() }: { admin: AdminQuery; now?: Date },
): Promise<number> {
  const campaign = await queryRow<{ domain: string; marketingActivityId: string | null; firstDay: string | null; currency: string | null }>(
    // From the first day it ran (a resume moves live_since, not the first entries).
    `SELECT s.domain, c.marketing_activity_id, s.currency_code AS currency,
            to_char((least(c.live_since, (SELECT min(e.entered_at) FROM enrollments e WHERE e.shop_id = $1 AND e.campaign_id = c.id)) AT TIME ZONE 'UTC')::date,
                    'YYYY-MM-DD') AS first_day
     FROM campaigns c JOIN shops s ON s.id = c.shop_id WHERE c.shop_id = $1 AND c.id = $2`,
    [shopId, campaignId],
  );
  if (!campaign?.marketingActivityId || !campaign.firstDay) return 0;
  const activity = { domain: campaign.domain, id: campaign.marketingActivityId, currency: campaign.currency };
  let reported = 0;
  for (const figures of await unreportedDays(shopId, campaignId, campaign.firstDay, now)) {
    const outcome = await reportDay(shopId, campaignId, activity, figures, admin);
    if (outcome === "activity_gone") break;
    if (outcome === "sent") reported++;
  }
  return reported;
}
