import { env } from "../env.server";
import { createMailTransport, type MailTransport } from "./transport.server";

/** The process's one mail transport (a pool of SMTP connections), configured from the environment. */
let transport: MailTransport | undefined;

export function mailTransport(): MailTransport {
  transport ??= createMailTransport({
    smtpUrl: env.SMTP_URL,
    poolSize: env.SMTP_POOL_SIZE,
    outboxDir: env.EMAIL_OUTBOX_DIR,
    dkim: env.DKIM_DOMAIN ? { domainName: env.DKIM_DOMAIN, keySelector: env.DKIM_SELECTOR!, privateKey: env.DKIM_PRIVATE_KEY! } : undefined,
    production: env.NODE_ENV === "production",
  });
  return transport;
}

export function closeMailTransport(): void {
  transport?.close();
  transport = undefined;
}
