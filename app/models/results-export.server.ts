import { copyOut } from "../db-copy.server";
import { orderRevenue } from "./results.server";

/**
 * The campaign's customers as CSV, streamed by PostgreSQL (COPY … TO STDOUT) straight into the
 * response: memory stays flat for a campaign of any size. COPY takes no parameters, so the ids
 * are checked integers written into the statement. Text a spreadsheet would run as a formula
 * (=, +, -, @, a tab or a carriage return first) is prefixed with an apostrophe.
 */

const safeText = (column: string) =>
  `CASE WHEN left(${column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${column} ELSE ${column} END`;

export async function campaignCustomersCsv(shopId: number, campaignId: number): Promise<ReadableStream<Uint8Array>> {
  if (!Number.isSafeInteger(shopId) || !Number.isSafeInteger(campaignId)) throw new Error("ids must be integers");
  const statement = `COPY (
    SELECT e.customer_id, ${safeText("c.first_name")} AS first_name, ${safeText("c.last_name")} AS last_name, ${safeText("c.email")} AS email,
           CASE WHEN e.holdout THEN 'holdout' ELSE 'contacted' END AS "group", e.status, e.exit_reason,
           e.entered_at, e.last_step_sent, e.converted_at, e.conversion_order_id,
           CASE WHEN o.id IS NOT NULL THEN ${orderRevenue("o")} END AS conversion_revenue
    FROM enrollments e
    LEFT JOIN customers c ON c.shop_id = e.shop_id AND c.id = e.customer_id
    LEFT JOIN orders o ON e.status = 'converted' AND o.shop_id = e.shop_id AND o.id = e.conversion_order_id
    WHERE e.shop_id = ${shopId} AND e.campaign_id = ${campaignId}
    ORDER BY e.id
  ) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  return copyOut(statement);
}
