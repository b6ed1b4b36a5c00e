import type { BackfillCustomersQuery } from "../../types/admin.generated";
import { numericId, type BackfillPhaseImport, type JsonlLine, type PhaseBatch, type RootLine } from "./phase";

/** The customers phase: profile, e-mail consent and Shopify's RFM statistics of every customer. */

const BULK_QUERY = `#graphql
  query BackfillCustomers {
    customers {
      edges {
        node {
          id
          firstName
          lastName
          locale
          updatedAt
          defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
          statistics { rfmGroup predictedSpendTier }
        }
      }
    }
  }`;

type CustomerLine = RootLine<BackfillCustomersQuery["customers"]["edges"][number]["node"]>;

// Profile fields follow Shopify's updatedAt, consent its own timestamp; statistics come only from here.
const newerProfile = "customers.shopify_updated_at IS NULL OR customers.shopify_updated_at <= EXCLUDED.shopify_updated_at";
const newerConsent =
  "customers.email_marketing_updated_at IS NULL OR customers.email_marketing_updated_at <= EXCLUDED.email_marketing_updated_at";
const profile = (column: string) => `${column} = CASE WHEN ${newerProfile} THEN EXCLUDED.${column} ELSE customers.${column} END`;

class CustomersBatch implements PhaseBatch {
  private lines: CustomerLine[] = [];

  get roots(): number {
    return this.lines.length;
  }

  add(line: JsonlLine): void {
    // The query has no connections: every line is a customer.
    this.lines.push(line as CustomerLine);
  }

  *rows(): Iterable<unknown[]> {
    for (const customer of this.lines) {
      const email = customer.defaultEmailAddress;
      yield [
        numericId(customer.id),
        email?.emailAddress ?? null,
        customer.firstName ?? null,
        customer.lastName ?? null,
        customer.locale ?? null,
        email?.marketingState ?? null,
        email?.marketingUpdatedAt ?? null,
        customer.statistics?.rfmGroup ?? null,
        customer.statistics?.predictedSpendTier ?? null,
        customer.updatedAt,
        [],
      ];
    }
  }
}

export const customersPhase: BackfillPhaseImport = {
  bulkQuery: BULK_QUERY,
  target: {
    table: "customers",
    columns:
      "shop_id, id, email, first_name, last_name, locale, email_marketing_state, email_marketing_updated_at, shopify_rfm_group, predicted_spend_tier, shopify_updated_at, order_hours",
    onConflict: `DO UPDATE SET
      ${["email", "first_name", "last_name", "locale"].map(profile).join(",\n      ")},
      shopify_updated_at = greatest(customers.shopify_updated_at, EXCLUDED.shopify_updated_at),
      email_marketing_state = CASE WHEN ${newerConsent} THEN EXCLUDED.email_marketing_state ELSE customers.email_marketing_state END,
      email_marketing_updated_at = greatest(customers.email_marketing_updated_at, EXCLUDED.email_marketing_updated_at),
      shopify_rfm_group = EXCLUDED.shopify_rfm_group,
      predicted_spend_tier = EXCLUDED.predicted_spend_tier,
      updated_at = now()`,
    counter: "customers_imported",
  },
  newBatch: () => new CustomersBatch(),
};
