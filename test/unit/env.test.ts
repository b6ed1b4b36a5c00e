import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "super-secret-value",
  SHOPIFY_APP_URL: "https://winback.example.com",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/winback",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("takes a Redis URL or a Redis Cluster's seeds, and refuses anything else naming REDIS_URL", () => {
    expect(parseEnv({ ...valid, REDIS_URL: "rediss://user:pw@redis.example.com:6380" }).REDIS_URL).toBe(
      "rediss://user:pw@redis.example.com:6380",
    );
    const cluster = "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000";
    expect(parseEnv({ ...valid, REDIS_URL: cluster }).REDIS_URL).toBe(cluster);
    for (const bad of [
      "http://127.0.0.1:6379",
      "redis+cluster://",
      "redis+cluster://10.0.0.1",
      "redis+cluster://10.0.0.1:7000,,10.0.0.2:7000",
    ]) {
      expect(problemsOf({ ...valid, REDIS_URL: bad }), bad).toEqual([expect.stringMatching(/^REDIS_URL is malformed/)]);
    }
  });

  it("allows the demo's faster engine clock only against the local emulator, never in production", () => {
    const demo = { ...valid, DEMO_TIME_SCALE: "14400", DEMO_EPOCH: "2026-11-23T10:00:00Z" };
    expect(parseEnv({ ...demo, SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4900" })).toMatchObject({
      DEMO_TIME_SCALE: 14400,
      DEMO_EPOCH: new Date("2026-11-23T10:00:00Z"),
    });
    expect(problemsOf(demo)).toEqual([expect.stringContaining("DEMO_TIME_SCALE is for the demo against the local emulator")]);
    expect(problemsOf({ ...demo, SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4900", NODE_ENV: "production" })).toHaveLength(1);
    expect(problemsOf({ ...valid, DEMO_TIME_SCALE: "14400" })).toContain("DEMO_TIME_SCALE and DEMO_EPOCH go together.");
  });

  it("accepts the required variables and fills the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.SCOPES.split(",")).toEqual([
      "write_customers",
      "read_orders",
      "read_all_orders",
      "write_discounts",
      "read_products",
      "write_marketing_events",
    ]);
    expect(env.WORKER_CONCURRENCY).toBe(8);
    expect(env.QUEUE_PREFIX).toBe("winback");
  });

  it("names a missing variable and says what is expected", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = valid;
    expect(problemsOf(rest)).toEqual([
      "SHOPIFY_API_SECRET is missing; expected the app's client secret (Shopify signs webhooks and session tokens with it).",
    ]);
  });

  it("treats an empty value as missing", () => {
    expect(problemsOf({ ...valid, SHOPIFY_API_KEY: "" })).toEqual([
      expect.stringMatching(/^SHOPIFY_API_KEY is missing; expected the app's client id/),
    ]);
  });

  it("reports every malformed variable at once, without echoing values", () => {
    const problems = problemsOf({
      ...valid,
      DATABASE_URL: "mysql://root@localhost/secret-db-name",
      WORKER_CONCURRENCY: "lots",
      LOG_LEVEL: "loud",
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^DATABASE_URL is malformed; expected a PostgreSQL URL/);
    expect(problems[1]).toMatch(/^WORKER_CONCURRENCY is malformed; expected an integer from 1 to 100/);
    expect(problems[2]).toMatch(/^LOG_LEVEL is malformed/);
    expect(problems.join("\n")).not.toContain("secret-db-name");
  });

  it("puts the problems in the error message that stops start-up", () => {
    expect(() => parseEnv({})).toThrowError(/Invalid environment; the app cannot start:\n {2}- SHOPIFY_API_KEY is missing/);
  });
});
