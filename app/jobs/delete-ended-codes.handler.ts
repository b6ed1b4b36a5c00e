import { deleteEndedCodes, shopsWithEndedCodes } from "../models/discount-codes.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";

export async function run(_payload?: object, _attempt?: Attempt, deps: { admin: AdminQuery } = { admin: adminQuery }): Promise<number> {
  let deleted = 0;
  const failures: string[] = [];
  for (const shopId of await shopsWithEndedCodes()) {
    // One shop's trouble does not keep the others' codes alive.
    try {
      deleted += await deleteEndedCodes(shopId, { admin: deps.admin });
    } catch (error) {
      failures.push(`shop ${shopId}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`${deleted} codes deleted; ${failures.join("; ")}`);
  return deleted;
}
