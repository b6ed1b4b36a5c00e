import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { loggerOptions } from "../../app/logger.server";

describe("logger", () => {
  it("redacts personal data and tokens that a mistaken log call would include", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ ...loggerOptions, level: "trace" }, sink);

    logger.info({
      customer: { email: "jane@example.com", first_name: "Jane", lastName: "Doe", phone: "+34600111222" },
      session: { accessToken: "shpat_secret", refreshToken: "shprt_secret" },
      event: { payload: '{"email":"jane@example.com"}', body: "raw" },
      headers: { authorization: "Bearer token", "x-shopify-access-token": "shpat_other" },
      shopId: 7,
    });

    const output = lines.join("");
    for (const secret of [
      "jane@example.com",
      "Jane",
      "Doe",
      "+34600111222",
      "shpat_secret",
      "shprt_secret",
      "Bearer token",
      "shpat_other",
      "raw",
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(JSON.parse(output)).toMatchObject({ shopId: 7, customer: { email: "[redacted]" } });
  });
});
