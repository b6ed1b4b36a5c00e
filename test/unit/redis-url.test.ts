import { describe, expect, it } from "vitest";
import { parseClusterUrl } from "../../app/redis.server";

describe("a Redis Cluster URL", () => {
  it("names the seeds, the credentials and TLS", () => {
    expect(parseClusterUrl("redis+cluster://10.0.0.1:7000,10.0.0.2:7001")).toEqual({
      seeds: [
        { host: "10.0.0.1", port: 7000 },
        { host: "10.0.0.2", port: 7001 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(parseClusterUrl("rediss+cluster://app:p%40ss@redis.example.com:6379")).toEqual({
      seeds: [{ host: "redis.example.com", port: 6379 }],
      username: "app",
      password: "p@ss",
      tls: true,
    });
  });

  it("is not a plain Redis URL", () => {
    expect(parseClusterUrl("redis://127.0.0.1:6379")).toBeNull();
  });
});
