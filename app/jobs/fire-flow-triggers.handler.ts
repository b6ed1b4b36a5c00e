import { fireFlowEvents, recordFlowEvents, shopsWithFlowTriggers } from "../models/flow-triggers.server";
import { adminQuery, type AdminQuery } from "../models/shopify-admin.server";
import type { Attempt } from "./attempts";
import { eachIsolated, inTurns } from "./each-isolated";

/**
 * Records each opted-in shop's new Flow events, then fires them 50 a call in turns between the
 * shops until none is pending, so one shop's backlog does not delay the others' events.
 */
export async function run(
  _payload?: object,
  _attempt?: Attempt,
  deps: { admin: AdminQuery } = { admin: adminQuery },
): Promise<{ recorded: number; sent: number; refused: number }> {
  const total = { recorded: 0, sent: 0, refused: 0 };
  const shops = await shopsWithFlowTriggers();
  let recordError: unknown = null;
  await eachIsolated(shops, async (shopId) => {
    total.recorded += await recordFlowEvents(shopId);
  }).catch((error: unknown) => (recordError = error));
  await inTurns(shops, async (shopId) => {
    const fired = await fireFlowEvents(shopId, { admin: deps.admin });
    total.sent += fired.sent;
    total.refused += fired.refused;
    return fired.sent + fired.refused > 0;
  });
  if (recordError) throw recordError;
  return total;
}
