import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { Redis } from "ioredis";

const run = promisify(execFile);

/** The real services every integration test uses (PLATFORM.md, "Local services"). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function databaseUrl(database: string): string {
  return `${POSTGRES_URL}/${database}`;
}

export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string, template?: string): Promise<void> {
  await withAdminClient(async (client) => {
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)} STRATEGY FILE_COPY` : "";
    // Cloning takes a lock on the template; parallel test files may briefly collide on it.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
        return;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "55006" || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
}

export async function dropDatabases(namePattern: string): Promise<void> {
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [namePattern]);
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  });
}

/** Every key of a queue prefix: the queues' (`{prefix:queue}:…`, app/redis.server.ts) and the rate limits' (`prefix:…`). */
export async function deleteQueueKeys(prefix: string, url = REDIS_URL): Promise<string[]> {
  return [...(await deleteRedisKeys(`{${prefix}*`, url)), ...(await deleteRedisKeys(`${prefix}*`, url))];
}

/** Deletes the keys matching `pattern`; returns them. */
export async function deleteRedisKeys(pattern: string, url = REDIS_URL): Promise<string[]> {
  const redis = new Redis(url);
  const deleted: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      deleted.push(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A throw-away redis-server of our own, for tests that stop Redis or need other settings. */
export class ScratchRedis {
  private process: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async start(args: string[] = []): Promise<ScratchRedis> {
    const redis = new ScratchRedis(await freePort(), args);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...this.args],
      { stdio: "ignore" },
    );
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** Stops the server's process (SIGSTOP): connections are accepted by the kernel, nothing is answered. */
  pause(): void {
    this.process?.kill("SIGSTOP");
  }

  resume(): void {
    this.process?.kill("SIGCONT");
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
    this.process = undefined;
  }
}

/**
 * A throw-away Redis Cluster of three masters (no replicas) from Debian's redis-server, on free
 * ports, formed with `redis-cli --cluster create`. `url` is the app's REDIS_URL form for it.
 */
export class ScratchRedisCluster {
  private constructor(readonly nodes: ScratchRedis[]) {}

  static async start(masters = 3): Promise<ScratchRedisCluster> {
    const directory = await mkdtemp(path.join(tmpdir(), "winback-cluster-"));
    const nodes: ScratchRedis[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        const busPort = await freePort();
        const config = ["--cluster-enabled", "yes", "--cluster-port", String(busPort), "--cluster-node-timeout", "2000"];
        nodes.push(await ScratchRedis.start([...config, "--cluster-config-file", path.join(directory, `node-${i}.conf`)]));
      }
      await run("redis-cli", [
        "--cluster",
        "create",
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        "--cluster-replicas",
        "0",
        "--cluster-yes",
      ]);
      const cluster = new ScratchRedisCluster(nodes);
      await cluster.waitUntilReady();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      throw error;
    }
  }

  get url(): string {
    return `redis+cluster://${this.nodes.map((node) => `127.0.0.1:${node.port}`).join(",")}`;
  }

  /** Every node says the cluster is ok (all 16,384 slots served). */
  private async waitUntilReady(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const states = await Promise.all(
        this.nodes.map(async (node) => {
          const client = new Redis(node.url, { maxRetriesPerRequest: 0 });
          try {
            return /cluster_state:ok/.test(await client.cluster("INFO"));
          } finally {
            client.disconnect();
          }
        }),
      );
      if (states.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the Redis Cluster did not become ready");
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }
}
