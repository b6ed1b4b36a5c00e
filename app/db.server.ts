import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./env.server";

declare global {
  // Kept on globalThis so Vite's dev-server reloads do not open a new pool each time.
  var __winbackPrisma: PrismaClient | undefined;
}

function createPrismaClient(): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: env.DATABASE_URL,
      max: env.DATABASE_POOL_SIZE,
      // pg waits forever for a connection by default; a webhook must answer within Shopify's 5 s.
      connectionTimeoutMillis: 3_000,
    }),
  });
}

const prisma = (globalThis.__winbackPrisma ??= createPrismaClient());

export default prisma;
