import type { Prisma } from "@prisma/client";
import prisma, { execute, inTransaction } from "../db.server";
import { exitEnrollments } from "./conversions.server";
import { blockSendsOfCustomer } from "./send-ledger.server";
import { cancelFlowEventsOf } from "./flow-triggers.server";
import { forgetCustomer } from "./live-sync.server";

/**
 * Shopify's mandatory privacy requests for one customer of one shop. Both are idempotent: a
 * repeated request stores the same export once, and redacting what is gone changes nothing.
 */

/**
 * customers/data_request: everything we hold about the customer, kept for the merchant to hand
 * over (they answer the customer; Shopify does not receive it).
 */
export async function exportCustomerData(
  shopId: number,
  customerId: number,
  request: { id: number; requestedAt: Date; orderIds: number[] },
): Promise<void> {
  const requestId = request.id;
  const [customer, orders] = await Promise.all([
    prisma.customer.findUnique({ where: { shopId_id: { shopId, id: BigInt(customerId) } } }),
    // Their orders, and any order Shopify names in the request (e.g. placed before the customer was linked).
    prisma.order.findMany({
      where: { shopId, OR: [{ customerId: BigInt(customerId) }, { id: { in: request.orderIds.map(BigInt) } }] },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const data = JSON.parse(
    JSON.stringify({ customer, orders, note: customer ? undefined : "No data held for this customer." }, (_key, value) =>
      typeof value === "bigint" ? value.toString() : value,
    ),
  ) as Prisma.InputJsonValue;
  await prisma.dataRequest.upsert({
    where: { shopId_requestId: { shopId, requestId: BigInt(requestId) } },
    create: { shopId, customerId: BigInt(customerId), requestId: BigInt(requestId), requestedAt: request.requestedAt, export: data },
    update: {},
  });
}

/**
 * customers/redact: the customer's row, their orders (and any order Shopify lists), and exports
 * made for them, in this shop only; their pending e-mails and Flow events are dropped, and the id is remembered
 * so that nothing brings them back.
 * (Pending webhook bodies are cleared by the webhook processor.)
 */
export async function redactCustomer(shopId: number, customerId: number, orderIds: number[]): Promise<void> {
  await inTransaction(async (db) => {
    await forgetCustomer(shopId, customerId, { db });
    await blockSendsOfCustomer(shopId, customerId, { db });
    await cancelFlowEventsOf(shopId, customerId, { db });
    await exitEnrollments(shopId, [BigInt(customerId)], "redacted", { includeHoldout: true }, { db });
    await execute(
      "DELETE FROM orders WHERE shop_id = $1 AND (customer_id = $2 OR id = ANY($3::bigint[]))",
      [shopId, customerId, orderIds],
      db,
    );
    await execute("DELETE FROM data_requests WHERE shop_id = $1 AND customer_id = $2", [shopId, customerId], db);
    await execute("DELETE FROM customers WHERE shop_id = $1 AND id = $2", [shopId, customerId], db);
  });
}
