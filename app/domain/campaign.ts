import { z } from "zod";
import { MAX_STEPS } from "./campaign-limits";
import { checkTemplate, stepContentSchema, type StepContent } from "../email/template";
import { audienceRulesSchema, type AudienceRules } from "./audience";
import { ADDRESS_PART_LABELS } from "./shop-details";
import { isQuiet } from "./step-decision";

/**
 * A win-back campaign's settings, as the merchant edits them and the engine runs them. The same
 * schema validates the editor's form (field-level messages) and whatever is read back from the
 * database, so the engine never runs a campaign the editor would refuse.
 */

export { MAX_STEPS };
/** Step delays count from the customer's entry; the last step may come at most this late. */
export const MAX_DELAY_HOURS = 90 * 24;

const money = (label: string) =>
  z
    .number({ error: `Enter ${label} as a number` })
    .positive(`${label[0]!.toUpperCase()}${label.slice(1)} must be more than 0`)
    .max(100_000, `${label[0]!.toUpperCase()}${label.slice(1)} must be at most 100,000`)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "Use at most two decimals");

/** Which Shopify discount classes the code may be combined with (Shopify's `combinesWith`). */
export const combinesWithSchema = z.object({
  orderDiscounts: z.boolean().default(false),
  productDiscounts: z.boolean().default(false),
  shippingDiscounts: z.boolean().default(false),
});

/** A discount a step can give: the value, and the code's conditions. */
export const offerSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("percentage"),
      value: z
        .number({ error: "Enter the percentage" })
        .int("Use a whole percentage")
        .min(1, "The percentage must be 1 to 100")
        .max(100, "The percentage must be 1 to 100"),
    }),
    z.object({ kind: z.literal("fixed_amount"), value: money("the amount") }),
    z.object({ kind: z.literal("free_shipping") }),
  ])
  .and(
    z.object({
      /** The code stops working this many days after the e-mail is sent. */
      expiresInDays: z
        .number({ error: "Enter the number of days" })
        .int("Use whole days")
        .min(1, "The code must last 1 to 365 days")
        .max(365, "The code must last 1 to 365 days")
        .default(14),
      minimumSubtotal: money("the minimum subtotal").nullable().default(null),
      combinesWith: combinesWithSchema.default({ orderDiscounts: false, productDiscounts: false, shippingDiscounts: false }),
    }),
  );
export type Offer = z.output<typeof offerSchema>;

/** A step gives no code, the code of an earlier step again, or a new code of its own. */
export const stepOfferSchema = z.discriminatedUnion("use", [
  z.object({ use: z.literal("none") }),
  z.object({ use: z.literal("previous") }),
  z.object({ use: z.literal("new"), offer: offerSchema }),
]);
export type StepOffer = z.output<typeof stepOfferSchema>;

export const stepSchema = z.object({
  /** Hours after the customer entered (0: at once). */
  delayHours: z
    .number({ error: "Enter the delay" })
    .int("Use whole hours")
    .min(0, "The delay cannot be negative")
    .max(MAX_DELAY_HOURS, `A step must come within ${MAX_DELAY_HOURS / 24} days of entry`),
  offer: stepOfferSchema,
  content: stepContentSchema,
});
export type Step = z.output<typeof stepSchema>;

const hour = z.number().int().min(0, "Use an hour from 0 to 23").max(23, "Use an hour from 0 to 23");

export const campaignSettingsSchema = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters"),
    audience: audienceRulesSchema,
    /** Share of entering customers kept as the holdout (never contacted, measured). */
    holdoutPercent: z
      .number({ error: "Enter a percentage" })
      .int("Use a whole percentage")
      .min(0, "The holdout must be 0 to 50%")
      .max(50, "The holdout must be 0 to 50%"),
    /** No more than one win-back e-mail per customer within this many hours (0: no cap). */
    frequencyCapHours: z
      .number({ error: "Enter the hours (0: no cap)" })
      .int("Use whole hours")
      .min(0, "The cap cannot be negative")
      .max(720, "The cap must be at most 720 hours"),
    /** No e-mail between `start` and `end` (shop's timezone, hours; equal: no quiet hours). */
    quietHours: z.object({ start: hour, end: hour }),
    /** When a customer's history shows no usual ordering hour (shop's timezone). */
    defaultSendHour: hour,
    /** An order this many days after a click counts as a conversion (a used code always does). */
    attributionWindowDays: z
      .number({ error: "Enter the number of days" })
      .int("Use whole days")
      .min(1, "The window must be 1 to 30 days")
      .max(30, "The window must be 1 to 30 days"),
    /** A discount is reduced or withheld when the customer's usual order would fall below this margin (%; null: off). */
    marginFloorPercent: z
      .number()
      .int("Use a whole percentage")
      .min(0, "The floor must be 0 to 90%")
      .max(90, "The floor must be 0 to 90%")
      .nullable(),
    /** When going Live on many already-lapsed customers, at most this many first e-mails per hour. */
    rampPerHour: z
      .number({ error: "Enter how many per hour" })
      .int("Use a whole number")
      .min(50, "Send at least 50 per hour")
      .max(100_000, "At most 100,000 per hour"),
    steps: z.array(stepSchema).min(1, "A campaign needs at least one step").max(MAX_STEPS, `At most ${MAX_STEPS} steps`),
  })
  .superRefine((settings, context) => {
    if (isQuiet(settings.defaultSendHour, settings.quietHours)) {
      context.addIssue({ code: "custom", path: ["defaultSendHour"], message: "The default hour falls in the quiet hours" });
    }
    settings.steps.forEach((step, index) => {
      const path = ["steps", index];
      if (index > 0 && step.delayHours <= settings.steps[index - 1]!.delayHours) {
        context.addIssue({ code: "custom", path: [...path, "delayHours"], message: `Step ${index + 1} must come after step ${index}` });
      }
      if (step.offer.use === "previous") {
        const source = settings.steps.slice(0, index).findLastIndex((earlier) => earlier.offer.use === "new");
        const sourceOffer = settings.steps[source]?.offer;
        if (!sourceOffer || sourceOffer.use !== "new") {
          context.addIssue({ code: "custom", path: [...path, "offer", "use"], message: "No earlier step has a code to send again" });
        } else if (sourceOffer.offer.expiresInDays * 24 < step.delayHours - settings.steps[source]!.delayHours + 24) {
          // The code must still have a day to run when this e-mail repeats it.
          context.addIssue({
            code: "custom",
            path: [...path, "offer", "use"],
            message: `Step ${source + 1}'s code ends before this step; make it last longer`,
          });
        }
      }
      if (step.offer.use === "none" && step.content.showOffer) {
        context.addIssue({ code: "custom", path: [...path, "content", "showOffer"], message: "This step has no offer to show" });
      }
    });
  });
export type CampaignSettings = z.output<typeof campaignSettingsSchema>;

/** The offer a step's e-mail carries: its own, the one of the latest earlier step with a code ("previous"), or none. */
export function offerOfStep(settings: CampaignSettings, stepIndex: number): { offer: Offer; fromStep: number } | null {
  const own = settings.steps[stepIndex]!.offer;
  if (own.use === "none") return null;
  if (own.use === "new") return { offer: own.offer, fromStep: stepIndex };
  for (let index = stepIndex - 1; index >= 0; index--) {
    const earlier = settings.steps[index]!.offer;
    if (earlier.use === "new") return { offer: earlier.offer, fromStep: index };
  }
  return null;
}

export type FieldErrors = Record<string, string>;

export type SettingsValidation = { ok: true; settings: CampaignSettings } | { ok: false; fieldErrors: FieldErrors };

/**
 * The editor's check: zod's rules, then each step's Liquid (unknown variables, syntax, limits),
 * every problem keyed by the path of its field ("steps.1.content.body").
 */
export function validateCampaignSettings(input: unknown): SettingsValidation {
  const parsed = campaignSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".") || "settings"] ??= issue.message;
    return { ok: false, fieldErrors };
  }
  const fieldErrors: FieldErrors = {};
  parsed.data.steps.forEach((step, index) => {
    for (const problem of checkTemplate(step.content)) {
      const where = problem.line ? ` (line ${problem.line}, column ${problem.column})` : "";
      fieldErrors[`steps.${index}.content.${problem.field}`] ??= `${problem.message}${where}`;
    }
  });
  return Object.keys(fieldErrors).length > 0 ? { ok: false, fieldErrors } : { ok: true, settings: parsed.data };
}

const stepContent = (fields: Partial<StepContent> & Pick<StepContent, "subject" | "body">): StepContent => stepContentSchema.parse(fields);

const DEFAULT_AUDIENCE: AudienceRules = {
  lapse: { kind: "inactivity", days: 90 },
  segment: { kind: "preset", preset: "all_lapsed" },
  checkoutQuietHours: 24,
  cooldownDays: 180,
};

/**
 * The ready-made "Win-Back" campaign every shop starts with, in Draft: a first e-mail without a
 * discount (the holdout shows whether one is needed), then 10%, then 15% (PRODUCT.md §3.5).
 */
export function defaultCampaignSettings(): CampaignSettings {
  return campaignSettingsSchema.parse({
    name: "Win-Back",
    audience: DEFAULT_AUDIENCE,
    holdoutPercent: 10,
    frequencyCapHours: 72,
    quietHours: { start: 21, end: 8 },
    defaultSendHour: 10,
    attributionWindowDays: 5,
    marginFloorPercent: null,
    rampPerHour: 2_000,
    steps: [
      {
        delayHours: 0,
        offer: { use: "none" },
        content: stepContent({
          subject: "We miss you, {{ customer.first_name }}",
          preheader: "A few things picked for you at {{ shop.name }}",
          heading: "It's been a while",
          body: "<p>Hi {{ customer.first_name }},</p><p>It has been {{ days_since_last_order }} days since your last visit. Here is what we think you'll like now.</p>",
          buttonText: "Visit the shop",
          showOffer: false,
        }),
      },
      {
        delayHours: 4 * 24,
        offer: { use: "new", offer: { kind: "percentage", value: 10, expiresInDays: 14 } },
        content: stepContent({
          subject: "{{ discount.value }} off your next order, {{ customer.first_name }}",
          preheader: "Your personal code: {{ discount.code }}",
          heading: "A little something to welcome you back",
          body: "<p>Hi {{ customer.first_name }},</p><p>Here is <strong>{{ discount.value }} off</strong> your next order, just for you. It is valid until {{ discount.ends_at }}.</p>",
          buttonText: "Use my code",
        }),
      },
      {
        delayHours: 10 * 24,
        offer: { use: "new", offer: { kind: "percentage", value: 15, expiresInDays: 7 } },
        content: stepContent({
          subject: "Last chance: {{ discount.value }} off, {{ customer.first_name }}",
          preheader: "Your code {{ discount.code }} ends {{ discount.ends_at }}",
          heading: "Our best offer, for a few days only",
          body: "<p>Hi {{ customer.first_name }},</p><p>We raised your offer to <strong>{{ discount.value }} off</strong>. It ends {{ discount.ends_at }}.</p>",
          buttonText: "Use my code",
        }),
      },
    ],
  });
}

export type CampaignStatus = "draft" | "live" | "paused";

/** What the campaign's state depends on outside its settings. */
export interface CampaignFacts {
  /** Field errors of the stored settings (only after a code change could they exist). */
  settingsErrors: FieldErrors;
  /** Parts of the shop's postal address the footer still needs (CAN-SPAM). */
  missingAddressParts: string[];
  senderConfigured: boolean;
  /** The back-fill has read the shop's customers and orders at least once. */
  historySynced: boolean;
  /** Customers who qualify today (null: not counted). */
  eligibleToday: number | null;
}

export interface CampaignProblem {
  /** blocking: it cannot go Live (and a Live one sends nothing) until fixed. */
  severity: "blocking" | "warning";
  message: string;
}

/** The "needs attention" list, most important first. */
export function campaignProblems(facts: CampaignFacts): CampaignProblem[] {
  const problems: CampaignProblem[] = [];
  const blocking = (message: string) => problems.push({ severity: "blocking", message });
  if (Object.keys(facts.settingsErrors).length > 0) blocking(`The settings need fixing: ${Object.values(facts.settingsErrors)[0]}`);
  if (facts.missingAddressParts.length > 0) {
    const missing = facts.missingAddressParts.map((part) => ADDRESS_PART_LABELS[part] ?? part).join(", ");
    blocking(`Add the shop's postal address in Shopify (missing: ${missing}); marketing e-mails must show it`);
  }
  if (!facts.senderConfigured) blocking("No sending address is configured for the app (EMAIL_FROM_ADDRESS)");
  if (!facts.historySynced) blocking("The customers and orders are still being read from Shopify");
  if (facts.eligibleToday === 0)
    problems.push({ severity: "warning", message: "No subscribed customer qualifies today; customers enter as they lapse" });
  return problems;
}

export type StatusChange = "go_live" | "pause" | "resume";

/** Where a status change leads, or why it cannot happen. */
export function nextStatus(
  current: CampaignStatus,
  change: StatusChange,
  problems: CampaignProblem[],
): { status: CampaignStatus } | { refused: string } {
  if (change === "pause") return current === "live" ? { status: "paused" } : { refused: "Only a Live campaign can be paused" };
  if (change === "go_live" && current !== "draft")
    return { refused: current === "live" ? "The campaign is already Live" : "Resume the paused campaign instead" };
  if (change === "resume" && current !== "paused") return { refused: "Only a paused campaign can be resumed" };
  const blocker = problems.find((problem) => problem.severity === "blocking");
  return blocker ? { refused: blocker.message } : { status: "live" };
}
