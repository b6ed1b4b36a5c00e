import { exitReasonLabel } from "./enrollment-state";

/**
 * The app's Shopify Flow triggers: what each declares (extensions/<handle>/shopify.extension.toml,
 * checked against this by a test) and the payload the engine sends with `flowTriggerReceive`.
 * Reference fields travel as `customer_id` / `order_id` (numeric ids); custom fields under their
 * key, which Flow shows to the merchant.
 */

export type FlowTriggerKind = "entered" | "converted" | "exited";

/** The types Shopify accepts in a trigger (the CLI refuses others, e.g. number_integer). */
export type FlowFieldType = "customer_reference" | "order_reference" | "single_line_text_field" | "number_decimal" | "boolean";

export interface FlowField {
  type: FlowFieldType;
  /** Custom fields only: the payload key and the name the merchant sees. */
  key?: string;
  description?: string;
}

/** The payload key of each reference field type (Shopify's rule). */
export const REFERENCE_KEYS: Partial<Record<FlowFieldType, string>> = { customer_reference: "customer_id", order_reference: "order_id" };

export const FLOW_TRIGGERS: Record<FlowTriggerKind, { handle: string; name: string; description: string; fields: FlowField[] }> = {
  entered: {
    handle: "winback-customer-entered",
    name: "Win-back customer entered",
    description: "A lapsed customer entered a Win-back campaign (e-mailed, or kept in the holdout group).",
    fields: [
      { type: "customer_reference" },
      { type: "single_line_text_field", key: "Campaign name" },
      { type: "boolean", key: "In holdout group", description: "True when the customer is kept out of the e-mails to measure the lift." },
    ],
  },
  converted: {
    handle: "winback-customer-converted",
    name: "Win-back customer converted",
    description: "A customer in a Win-back campaign ordered with their code or after clicking an e-mail.",
    fields: [
      { type: "customer_reference" },
      { type: "order_reference" },
      { type: "single_line_text_field", key: "Campaign name" },
      { type: "number_decimal", key: "Step", description: "The last e-mail step the customer received (0 for the holdout group)." },
      {
        type: "single_line_text_field",
        key: "Discount code",
        description: "The customer's code used in the order; empty when none was used.",
      },
      { type: "number_decimal", key: "Order revenue", description: "The order's total after refunds, in the shop's currency." },
    ],
  },
  exited: {
    handle: "winback-customer-exited",
    name: "Win-back customer exited",
    description: "A customer left a Win-back campaign without converting (ordered on their own, unsubscribed, …).",
    fields: [
      { type: "customer_reference" },
      { type: "single_line_text_field", key: "Campaign name" },
      { type: "number_decimal", key: "Step", description: "The last e-mail step the customer received." },
      { type: "single_line_text_field", key: "Exit reason" },
    ],
  },
};

export interface FlowEventFacts {
  customerId: bigint;
  campaignName: string;
  holdout: boolean;
  lastStepSent: number;
  orderId: bigint | null;
  code: string | null;
  orderRevenue: number | null;
  exitReason: string | null;
}

/** The payload of one event, keyed exactly as the trigger's fields declare. */
export function flowPayload(kind: FlowTriggerKind, facts: FlowEventFacts): Record<string, string | number | boolean> {
  const base = { customer_id: Number(facts.customerId), "Campaign name": facts.campaignName };
  switch (kind) {
    case "entered":
      return { ...base, "In holdout group": facts.holdout };
    case "converted":
      return {
        ...base,
        order_id: Number(facts.orderId),
        Step: facts.lastStepSent,
        "Discount code": facts.code ?? "",
        "Order revenue": Math.round((facts.orderRevenue ?? 0) * 100) / 100,
      };
    case "exited":
      return { ...base, Step: facts.lastStepSent, "Exit reason": exitReasonLabel(facts.exitReason) ?? "" };
  }
}
