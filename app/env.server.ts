import { z } from "zod";

/**
 * Every environment variable the web app and the worker read, parsed once at start-up.
 * A missing or malformed variable stops the process with a message that names it and says what
 * is expected; nothing else in the code reads `process.env`.
 */

const DEFAULT_SCOPES = "write_customers,read_orders,read_all_orders,write_discounts,read_products,write_marketing_events";

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  });

/** `redis+cluster://[user:password@]host:port,host:port` (app/redis.server.ts reads it). */
const redisCluster = /^rediss?\+cluster:\/\/([^@/]*@)?(\[?[^\],/]+\]?:\d{1,5})(,\[?[^\],/]+\]?:\d{1,5})*\/?$/;

const integer = (min: number, max: number) => z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));

/** Each variable: its schema and, for the error message, what a valid value looks like. */
const variables = {
  NODE_ENV: {
    schema: z.enum(["development", "test", "production"]).default("development"),
    expected: "one of development, test, production",
  },
  SHOPIFY_API_KEY: {
    schema: z.string().min(1),
    expected: "the app's client id from the Shopify Dev Dashboard",
  },
  SHOPIFY_API_SECRET: {
    schema: z.string().min(1),
    expected: "the app's client secret (Shopify signs webhooks and session tokens with it)",
  },
  SHOPIFY_APP_URL: {
    schema: url(["https:", "http:"]),
    expected: "the app's public base URL, e.g. https://winback.example.com",
  },
  SCOPES: {
    schema: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/)
      .default(DEFAULT_SCOPES),
    expected: `a comma-separated list of access scopes, e.g. ${DEFAULT_SCOPES}`,
  },
  SHOP_CUSTOM_DOMAIN: {
    schema: z
      .string()
      .regex(/^[a-z0-9.-]+$/)
      .optional(),
    expected: "a host name such as shops.example.com (optional)",
  },
  SHOPIFY_ADMIN_API_ORIGIN: {
    schema: url(["http:", "https:"]).optional(),
    expected: "the origin of a local Shopify Admin API emulator, e.g. http://127.0.0.1:4900 (leave unset for real Shopify)",
  },
  DATABASE_URL: {
    schema: url(["postgres:", "postgresql:"]),
    expected: "a PostgreSQL URL, e.g. postgresql://user:password@127.0.0.1:5432/winback",
  },
  DATABASE_POOL_SIZE: {
    schema: integer(1, 200).default(10),
    expected: "an integer from 1 to 200 (connections per process)",
  },
  REDIS_URL: {
    schema: z
      .string()
      .refine((value) => redisCluster.test(value) || url(["redis:", "rediss:"]).safeParse(value).success)
      .default("redis://127.0.0.1:6379"),
    expected: "a Redis URL, e.g. redis://127.0.0.1:6379, or a Redis Cluster's seeds, e.g. redis+cluster://10.0.0.1:6379,10.0.0.2:6379",
  },
  QUEUE_PREFIX: {
    schema: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .default("winback"),
    expected: "1-40 lowercase letters, digits or dashes (the Redis key prefix of every queue)",
  },
  WORKER_CONCURRENCY: {
    schema: integer(1, 100).default(8),
    expected: "an integer from 1 to 100 (jobs a worker process runs at once per queue)",
  },
  SMTP_URL: {
    schema: url(["smtp:", "smtps:"]).optional(),
    expected:
      "an SMTP URL with its credentials, e.g. smtps://user:password@smtp.example.com:465 (unset: e-mails are written to EMAIL_OUTBOX_DIR)",
  },
  SMTP_POOL_SIZE: {
    schema: integer(1, 50).default(5),
    expected: "an integer from 1 to 50 (SMTP connections kept open per worker process)",
  },
  EMAIL_OUTBOX_DIR: {
    schema: z.string().min(1).default(".outbox"),
    expected: "a directory for e-mails when no SMTP_URL is set (local development)",
  },
  EMAIL_FROM_ADDRESS: {
    schema: z.email().optional(),
    expected: "the address e-mails are sent from, on a domain with SPF and DKIM set up, e.g. hello@mail.example.com",
  },
  DKIM_DOMAIN: {
    schema: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
      .optional(),
    expected: "the signing domain, e.g. mail.example.com (with DKIM_SELECTOR and DKIM_PRIVATE_KEY, or none of them)",
  },
  DKIM_SELECTOR: {
    schema: z
      .string()
      .regex(/^[a-z0-9._-]+$/i)
      .optional(),
    expected: "the DKIM selector published in DNS, e.g. winback (with DKIM_DOMAIN and DKIM_PRIVATE_KEY)",
  },
  DKIM_PRIVATE_KEY: {
    schema: z
      .string()
      .transform((key) => key.replace(/\\n/g, "\n"))
      .refine((key) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(key))
      .optional(),
    expected: "the PEM private key of the selector (newlines may be written as \\n), with DKIM_DOMAIN and DKIM_SELECTOR",
  },
  DEMO_TIME_SCALE: {
    schema: integer(1, 10_000_000).optional(),
    expected: "demo only: seconds of engine time per real second, e.g. 43200 (1 day = 2 s); with DEMO_EPOCH; never in production",
  },
  DEMO_EPOCH: {
    schema: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .optional(),
    expected: "demo only: the instant from which DEMO_TIME_SCALE speeds engine time up, e.g. 2026-11-23T10:00:00Z",
  },
  PORT: {
    schema: integer(1, 65_535).default(3000),
    expected: "the HTTP port of the web process, e.g. 3000",
  },
  WEB_CONCURRENCY: {
    schema: integer(1, 64).optional(),
    expected: "an integer from 1 to 64 (web processes; unset: one per core in production, 1 otherwise)",
  },
  SHUTDOWN_TIMEOUT_MS: {
    schema: integer(0, 600_000).default(10_000),
    expected: "milliseconds the web process waits for requests in flight after SIGTERM, e.g. 10000",
  },
  WINBACK_BUILD_DIR: {
    schema: z.string().min(1).default("build"),
    expected: "the directory `npm run build` writes and `npm start` serves",
  },
  LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    expected: "one of fatal, error, warn, info, debug, trace, silent",
  },
} as const;

type Variables = typeof variables;
export type Env = { [K in keyof Variables]: z.output<Variables[K]["schema"]> };

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment; the app cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [name, { schema, expected }] of Object.entries(variables)) {
    const raw = source[name] === "" ? undefined : source[name];
    const result = schema.safeParse(raw);
    if (result.success) {
      parsed[name] = result.data;
    } else {
      // Never echo the value: several of these are secrets.
      problems.push(`${name} is ${raw === undefined ? "missing" : "malformed"}; expected ${expected}.`);
    }
  }
  const dkim = ["DKIM_DOMAIN", "DKIM_SELECTOR", "DKIM_PRIVATE_KEY"];
  const dkimSet = dkim.filter((name) => parsed[name] !== undefined);
  if (dkimSet.length > 0 && dkimSet.length < dkim.length) {
    problems.push(`${dkim.filter((name) => !dkimSet.includes(name)).join(" and ")} missing; DKIM needs ${dkim.join(", ")} together.`);
  }
  if ((parsed.DEMO_TIME_SCALE === undefined) !== (parsed.DEMO_EPOCH === undefined))
    problems.push("DEMO_TIME_SCALE and DEMO_EPOCH go together.");
  // The demo runs against the local emulator: a worker that talks to Shopify never speeds its clock up.
  if (parsed.DEMO_TIME_SCALE !== undefined && (parsed.NODE_ENV === "production" || parsed.SHOPIFY_ADMIN_API_ORIGIN === undefined)) {
    problems.push("DEMO_TIME_SCALE is for the demo against the local emulator (SHOPIFY_ADMIN_API_ORIGIN); it is refused in production.");
  }
  if (problems.length > 0) throw new EnvError(problems);
  return parsed as Env;
}

export const env: Env = parseEnv(process.env);
