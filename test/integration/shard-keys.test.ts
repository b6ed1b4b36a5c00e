import { describe, expect, it } from "vitest";
import { queryRows } from "../../app/db.server";

// Ready to shard by shop (the rules Citus applies to multi-tenant tables): every table holding a
// shop's data has shop_id leading its primary key and in every unique constraint, and every
// foreign key between such tables carries it, so any shop's rows can live on one node together.

/** Tables that are not a shop's data, and why (README "Running in production"). */
const EXCEPTIONS: Record<string, string> = {
  shops: "the tenants themselves, looked up by id or domain",
  sessions: "Shopify's session storage (@shopify/shopify-app-session-storage-prisma), keyed by its session id",
  webhook_events:
    "the webhook inbox: deliveries arrive for shops we do not (or no longer) hold, keyed by Shopify's shop domain and webhook id",
  _prisma_migrations: "the migration record",
};

interface Constraint {
  table: string;
  name: string;
  type: "p" | "u" | "f";
  columns: string[];
  referencedColumns: string[] | null;
}

async function constraints(): Promise<Constraint[]> {
  return queryRows<Constraint>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            CASE WHEN c.contype = 'f' THEN array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) END AS referenced_columns
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`,
  );
}

/** Unique indexes that are not a constraint (CREATE UNIQUE INDEX): the same rule applies. */
async function uniqueIndexes(): Promise<{ table: string; name: string; columns: string[] }[]> {
  return queryRows(
    `SELECT i.indrelid::regclass::text AS table, ic.relname AS name,
            array(SELECT a.attname::text FROM unnest(i.indkey) k(n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS columns
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
     WHERE n.nspname = 'public' AND i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
}

async function tables(): Promise<string[]> {
  const rows = await queryRows<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((row) => row.name);
}

describe("the schema, read from PostgreSQL's catalog", () => {
  it("leads every shop table's primary key with shop_id", async () => {
    const all = await constraints();
    const broken = (await tables())
      .filter((table) => !(table in EXCEPTIONS))
      .flatMap((table) => {
        const primary = all.find((constraint) => constraint.table === table && constraint.type === "p");
        return primary?.columns[0] === "shop_id" ? [] : [`${table}: primary key (${primary?.columns.join(", ") ?? "none"})`];
      });
    expect(broken).toEqual([]);
  });

  it("has shop_id in every unique constraint and unique index of a shop table", async () => {
    const uniques = [...(await constraints()).filter((constraint) => constraint.type === "u"), ...(await uniqueIndexes())];
    const broken = uniques
      .filter((unique) => !(unique.table in EXCEPTIONS) && !unique.columns.includes("shop_id"))
      .map((unique) => `${unique.table}.${unique.name} (${unique.columns.join(", ")})`);
    expect(broken).toEqual([]);
  });

  it("carries shop_id in every foreign key between shop tables", async () => {
    const broken = (await constraints())
      .filter((constraint) => constraint.type === "f" && !(constraint.table in EXCEPTIONS))
      .filter((foreign) => {
        const referencesShops = foreign.referencedColumns?.length === 1 && foreign.columns[0] === "shop_id";
        const carriesShop = foreign.columns[0] === "shop_id" && foreign.referencedColumns?.[0] === "shop_id";
        return !referencesShops && !carriesShop;
      })
      .map((foreign) => `${foreign.table}.${foreign.name} (${foreign.columns.join(", ")}) → (${foreign.referencedColumns?.join(", ")})`);
    expect(broken).toEqual([]);
  });

  it("lists each exception because it exists", async () => {
    const present = await tables();
    expect(Object.keys(EXCEPTIONS).filter((table) => !present.includes(table))).toEqual([]);
  });
});
