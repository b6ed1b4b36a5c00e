import { purgeFinishedRecords, PURGE_BATCH, type Purged } from "../models/retention.server";

/** Purges in bounded batches until a run finds less than a full batch in every table (at most 10 a run). */
export async function run(): Promise<Purged> {
  const total: Purged = { flowEvents: 0, marketingClaims: 0, consentUpdates: 0, providerAnswers: 0 };
  for (let round = 0; round < 10; round++) {
    const purged = await purgeFinishedRecords();
    for (const key of Object.keys(total) as (keyof Purged)[]) total[key] += purged[key];
    if (Object.values(purged).every((count) => count < PURGE_BATCH)) break;
  }
  return total;
}
