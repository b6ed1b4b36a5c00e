import { pino, type LoggerOptions } from "pino";
import { env } from "./env.server";

/**
 * The one structured logger. Log ids, counts and topics — never e-mail addresses, names, tokens or
 * payloads. The redact list is a safety net for mistakes, not a licence to log objects wholesale.
 */
export const loggerOptions: LoggerOptions = {
  level: env.LOG_LEVEL,
  redact: {
    paths: [
      "*.accessToken",
      "*.refreshToken",
      "*.email",
      "*.firstName",
      "*.lastName",
      "*.first_name",
      "*.last_name",
      "*.phone",
      "*.payload",
      "*.body",
      "headers.authorization",
      'headers["x-shopify-access-token"]',
    ],
    censor: "[redacted]",
  },
};

export const logger = pino(loggerOptions);
