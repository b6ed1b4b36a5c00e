import { describe, expect, it } from "vitest";
import { parseCustomerRedaction, webhookBodyConcerns } from "../../app/domain/redaction";

describe("customer redaction", () => {
  const redaction = parseCustomerRedaction({
    shop_id: 1,
    shop_domain: "a.myshopify.com",
    customer: { id: 207119551, email: "john@example.com" },
    orders_to_redact: [299938, 280263],
  })!;

  it("reads the customer and the orders to erase", () => {
    expect(redaction).toEqual({ customerId: 207119551, orderIds: [299938, 280263] });
    expect(parseCustomerRedaction({ customer: {} })).toBeNull();
  });

  it.each([
    ["customers/update body", { id: 207119551, email: "john@example.com" }, true],
    ["consent update body", { customer_id: 207119551, email_address: "john@example.com" }, true],
    ["order of the customer", { id: 1, customer: { id: 207119551 } }, true],
    ["order listed for redaction", { id: 280263, customer: null }, true],
    ["another customer's order", { id: 2, customer: { id: 5 } }, false],
    ["another customer", { id: 5 }, false],
  ])("%s: %s", (_label, body, expected) => {
    expect(webhookBodyConcerns(JSON.stringify(body), redaction)).toBe(expected);
  });

  it("ignores a body that is not JSON", () => {
    expect(webhookBodyConcerns("{", redaction)).toBe(false);
  });
});
