import { describe, expect, it } from "vitest";
import { orderPayloadSchema, refundedAmount } from "../../app/domain/webhook-payloads";

const order = (fields: Record<string, unknown>) =>
  orderPayloadSchema.parse({
    id: 1,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    total_price: "100.00",
    currency: "EUR",
    ...fields,
  });
const refund = (amount: string, extra: Record<string, unknown> = {}) => ({
  transactions: [{ kind: "refund", status: "success", amount, ...extra }],
});

describe("refundedAmount", () => {
  it("adds up successful refund transactions, in cents", () => {
    expect(refundedAmount(order({ refunds: [refund("10.10"), refund("0.20"), refund("5.00", { status: "failure" })] }))).toBe("10.30");
    expect(refundedAmount(order({ refunds: [{ transactions: [{ kind: "sale", amount: "100.00" }] }] }))).toBe("0.00");
    expect(refundedAmount(order({}))).toBe("0.00");
  });

  it("converts a refund in the customer's currency to the shop's at the order's rate", () => {
    const multiCurrency = order({
      presentment_currency: "USD",
      total_price_set: {
        shop_money: { amount: "100.00", currency_code: "EUR" },
        presentment_money: { amount: "125.00", currency_code: "USD" },
      },
      refunds: [refund("25.00", { currency: "USD" }), refund("4.00", { currency: "EUR" })],
    });
    expect(refundedAmount(multiCurrency)).toBe("24.00");
  });
});
