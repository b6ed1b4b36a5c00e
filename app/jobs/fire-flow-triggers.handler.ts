import { fireFlowEvents, recordFlowEvents, shopsWithFlowTriggers } from "../models/flow-triggers.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import { eachIsolated } from "./each-isolated";

/** Records each opted-in shop's new Flow events and fires them, 50 a call, until none is pending. */
export async function run(
  _payload?: object,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
): Promise<{ recorded: number; sent: number; refused: number }> {
  const total = { recorded: 0, sent: 0, refused: 0 };
  await eachIsolated(await shopsWithFlowTriggers(), async (shopId) => {
    total.recorded += await recordFlowEvents(shopId);
    for (;;) {
      const fired = await fireFlowEvents(shopId, { admin: deps.admin });
      total.sent += fired.sent;
      total.refused += fired.refused;
      if (fired.sent + fired.refused === 0) break;
    }
  });
  return total;
}
