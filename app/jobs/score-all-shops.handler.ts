import { installedShopIds } from "../models/scoring.server";
import { enqueue } from "./client.server";

/** The daily scoring run: one job per installed shop (deduplicated, so a slow shop is not stacked). */
export async function run(): Promise<number> {
  const shops = await installedShopIds();
  for (const shopId of shops) await enqueue("scoreShop", { shopId });
  return shops.length;
}
