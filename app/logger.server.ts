import { pino } from "pino";
import { env } from "./env.server";

/**
 * The one structured logger. Log ids, counts and topics — never e-mail addresses, names, tokens or
 * payloads. The redact list is a safety net for mistakes, not a licence to log objects wholesale.
 */
export const logger = pino({
  level: env.LOG_LEVEL,
  redact: {
    paths: [
      "*.accessToken",
      "*.refreshToken",
      "*.email",
      "*.firstName",
      "*.lastName",
      "*.phone",
      "*.payload",
      "headers.authorization",
      'headers["x-shopify-access-token"]',
    ],
    censor: "[redacted]",
  },
});
