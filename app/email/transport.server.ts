import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";

/**
 * Delivery through nodemailer: pooled SMTP to any provider that speaks it, or, with no SMTP
 * configured (local development), `.eml` files in an outbox directory, never silently nowhere.
 * With a DKIM key, every message is signed, including both List-Unsubscribe headers (RFC 8058
 * requires the one-click header to be covered).
 */

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** <id@domain>, stable for a send, so a provider can de-duplicate. */
  messageId: string;
  unsubscribeUrl: string;
}

export interface MailTransport {
  /** Resolves with the provider's answer once it accepted the message; throws DeliveryError. */
  send(mail: OutgoingMail): Promise<{ response: string }>;
  close(): void;
  /** For logs: "smtp://host:port" or "outbox <dir>" (no credentials). */
  readonly description: string;
}

/**
 * transient: the provider did not take the message, try again later (a 4xx answer, no connection,
 * login or TLS failure); recipient: the mailbox does not exist (5.1.x at RCPT TO; suppress the
 * address); rejected: the provider or nodemailer refused this message for another reason (other
 * 5xx, a malformed address); uncertain: the connection broke mid-session, so the message may have
 * been accepted: never retried, because a retry could deliver it twice.
 */
export type DeliveryFailure = "transient" | "recipient" | "rejected" | "uncertain";

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly failure: DeliveryFailure,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

export interface TransportConfig {
  smtpUrl?: string;
  poolSize: number;
  outboxDir: string;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  /** In production an outbox would lose the merchant's e-mails: SMTP is required. */
  production: boolean;
}

// nodemailer's default list (RFC 4871 §5.5) plus the one-click header.
const DKIM_HEADERS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:Content-ID:" +
  "Content-Description:Resent-Date:Resent-From:Resent-Sender:Resent-To:Resent-Cc:Resent-Message-ID:In-Reply-To:References:" +
  "List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive";

function message(mail: OutgoingMail): Mail.Options {
  return {
    from: mail.from,
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    headers: {
      "List-Unsubscribe": `<${mail.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

interface SmtpError {
  responseCode?: number;
  code?: string;
  /** The system error behind a socket failure, e.g. ECONNREFUSED. */
  originalCode?: string;
  /** The SMTP command in flight ("CONN" for socket errors, whatever the phase). */
  command?: string;
  timeoutType?: string;
  message?: string;
}

/** Failures before a connection carried anything: nothing was handed over. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const BEFORE_SESSION_TIMEOUTS = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT"]);

/** Providers quote the recipient in their answers; none of it is kept or logged. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "<address>");
}

export function classifyDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const { responseCode, code, originalCode, command, timeoutType, message: text } = error as SmtpError;
  const summary = withoutAddresses(`${code ?? "error"}${responseCode ? ` ${responseCode}` : ""}: ${String(text ?? error).slice(0, 300)}`);
  if (responseCode !== undefined) {
    if (responseCode < 500) return new DeliveryError(summary, "transient");
    const mailboxUnknown = /(^|\s)5\.1\.\d+/.test(String(text ?? ""));
    return new DeliveryError(summary, command === "RCPT TO" && mailboxUnknown ? "recipient" : "rejected");
  }
  if (code === "EENVELOPE" || code === "EMESSAGE") return new DeliveryError(summary, "rejected");
  const beforeSession =
    (originalCode !== undefined && NEVER_CONNECTED.has(originalCode)) ||
    (timeoutType !== undefined && BEFORE_SESSION_TIMEOUTS.has(timeoutType)) ||
    code === "EAUTH" ||
    code === "ETLS" ||
    code === "EDNS";
  return new DeliveryError(summary, beforeSession ? "transient" : "uncertain");
}

export function createMailTransport(config: TransportConfig): MailTransport {
  const dkim = config.dkim ? { ...config.dkim, headerFieldNames: DKIM_HEADERS } : undefined;
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    const secure = url.protocol === "smtps:";
    const transporter = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      maxConnections: config.poolSize,
      maxMessages: 1000,
      dkim,
    });
    return {
      description: `${url.protocol}//${url.host}`,
      async send(mail) {
        try {
          const info = await transporter.sendMail(message(mail));
          return { response: String(info.response ?? "") };
        } catch (error) {
          throw classifyDeliveryError(error);
        }
      },
      close: () => transporter.close(),
    };
  }

  if (config.production) {
    throw new Error("SMTP_URL is missing: in production e-mails must go to an SMTP provider, not to a local outbox.");
  }
  const outbox = path.resolve(config.outboxDir);
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix", dkim });
  return {
    description: `outbox ${outbox}`,
    async send(mail) {
      try {
        const info = await transporter.sendMail(message(mail));
        await mkdir(outbox, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${mail.messageId.replace(/[^a-zA-Z0-9.-]/g, "_")}.eml`;
        await writeFile(path.join(outbox, name), info.message as Buffer);
        return { response: `written to ${name}` };
      } catch (error) {
        throw classifyDeliveryError(error);
      }
    },
    close: () => transporter.close(),
  };
}
