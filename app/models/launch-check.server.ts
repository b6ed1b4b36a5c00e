import { evaluateAudience } from "../domain/audience";
import { nextStatus, type CampaignProblem } from "../domain/campaign";
import { displayName } from "../domain/customer-name";
import prisma from "../db.server";
import { problemsOf, type CampaignView } from "./campaigns.server";
import { forecastEntrants, sampleEntrants } from "./enrollments.server";

/**
 * The pre-launch check: before going Live the merchant sees exactly what it will do — who enters
 * (the same query and holdout draw as the enrollment), a sample of them with the reason each
 * qualifies, how the first e-mails spread over the hours, how many codes could be created and
 * what they could cost at worst — and whatever blocks the launch.
 */

export const SAMPLE_SIZE = 10;
/** Hours of the ramp listed one by one; the rest are summed up. */
const RAMP_HOURS_LISTED = 12;

export interface LaunchCheck {
  problems: CampaignProblem[];
  canGoLive: boolean;
  /** Who qualifies and is not in the campaign already: contacted + holdout. */
  entrants: number;
  contacted: number;
  holdout: number;
  holdoutPercent: number;
  /** Some of the contacted entrants, with why each qualifies. */
  samples: { customerId: string; name: string; email: string; reason: string }[];
  ramp: {
    perHour: number;
    /** Hours after going Live until the first e-mail (step 1's delay). */
    startsAfterHours: number;
    /** First e-mails in each hour of the ramp, from its first hour on. */
    hours: number[];
    /** Hours the whole ramp takes (contacted plus those already waiting). */
    totalHours: number;
  };
  /** Codes created if every contacted customer reached every step with a new offer. */
  codes: number;
  stepsWithNewCode: number;
  worstCaseDiscount: number;
  currencyCode: string;
}

/** First e-mails per hour: at most `perHour`, after the `waiting` ones already scheduled. */
export function rampHours(waiting: number, contacted: number, perHour: number): { hours: number[]; totalHours: number } {
  const total = waiting + contacted;
  const totalHours = Math.ceil(total / perHour);
  const hours: number[] = [];
  for (let hour = 0; hour < Math.min(totalHours, RAMP_HOURS_LISTED); hour++) {
    const start = Math.max(hour * perHour, waiting);
    const end = Math.min((hour + 1) * perHour, total);
    hours.push(Math.max(0, end - start));
  }
  return { hours, totalHours };
}

export async function launchCheck(shopId: number, campaign: CampaignView, { now = new Date() }: { now?: Date } = {}): Promise<LaunchCheck> {
  const { settings } = campaign;
  const forecast = await forecastEntrants(shopId, campaign.id, settings, { now });
  const [problems, samples, shop] = await Promise.all([
    problemsOf(shopId, campaign, { eligibleToday: forecast.contacted + forecast.holdout }, { now }),
    sampleEntrants(shopId, campaign.id, settings, SAMPLE_SIZE, { now }),
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } }),
  ]);
  const stepsWithNewCode = settings.steps.filter((step) => step.offer.use === "new").length;
  return {
    problems,
    canGoLive: "status" in nextStatus(campaign.status, "go_live", problems),
    entrants: forecast.contacted + forecast.holdout,
    contacted: forecast.contacted,
    holdout: forecast.holdout,
    holdoutPercent: settings.holdoutPercent,
    samples: samples.map((customer) => ({
      customerId: String(customer.id),
      name: displayName(customer.firstName, customer.lastName),
      email: customer.email ?? "",
      reason: evaluateAudience(customer, settings.audience, now).facts.join("; "),
    })),
    ramp: {
      perHour: settings.rampPerHour,
      startsAfterHours: settings.steps[0]!.delayHours,
      ...rampHours(forecast.waiting, forecast.contacted, settings.rampPerHour),
    },
    codes: forecast.contacted * stepsWithNewCode,
    stepsWithNewCode,
    worstCaseDiscount: forecast.worstCaseDiscount,
    currencyCode: shop.currencyCode ?? "USD",
  };
}
