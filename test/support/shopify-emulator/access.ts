import { GraphQLError } from "graphql";

/**
 * Access scopes as Shopify enforces them: a field returning a protected type (or a connection of
 * it) needs the type's read scope, which a write scope includes; mutations need their write
 * scope. Without read_all_orders only the last 60 days of orders are visible (views.ts).
 */

export type AccessScopes = ReadonlySet<string>;

export function scopesOf(list: string): Set<string> {
  return new Set(
    list
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  );
}

const TYPE_SCOPES: Record<string, string> = {
  Customer: "read_customers",
  Order: "read_orders",
  LineItem: "read_orders",
  Product: "read_products",
  ProductVariant: "read_products",
  Collection: "read_products",
  InventoryItem: "read_products",
  DiscountCodeNode: "read_discounts",
  DiscountRedeemCodeBulkCreation: "read_discounts",
  MarketingActivity: "read_marketing_events",
  MarketingEngagement: "read_marketing_events",
};

/** The scope a field returning this type (or its connection) needs, if any. */
export function requiredScopeForType(typeName: string): string | undefined {
  return TYPE_SCOPES[typeName.replace(/(Connection|Edge)$/, "")];
}

export function hasScope(scopes: AccessScopes, required: string): boolean {
  return scopes.has(required) || scopes.has(required.replace(/^read_/, "write_"));
}

export function accessDenied(field: string, required: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: \`${required}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${required}\` access scope.`,
    },
  });
}
