// Prisma's CLI cannot download its native schema engine here (PLATFORM.md, "Prisma offline"), so
// the CLI runs on the WebAssembly engine through the pg driver adapter. `prisma generate`,
// `prisma validate` and `prisma migrate diff` work this way; migrations are applied by
// prisma/migrate.ts, not by `prisma migrate deploy`.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// `prisma generate` reads env("DATABASE_URL") from the schema but never connects; the default lets
// it run on a bare checkout. Commands that connect use the real variable.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/winback";
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString }),
});
