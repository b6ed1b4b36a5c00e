import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
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
  /**
   * Resolves with the provider's answer once it accepted the message; throws DeliveryError.
   * With `release`, the transaction is opened (connection, sender, recipient, DATA) while the
   * message itself is held back until `release` resolves; should it reject, no byte of the message
   * is handed over (the transaction is dropped unfinished, which no server keeps) and `send`
   * rejects with `release`'s reason. (The claim of a send overlaps the SMTP envelope this way.)
   */
  send(mail: OutgoingMail, release?: Promise<void>): Promise<{ response: string }>;
  close(): void;
  /** For logs: "smtp://host:port" or "outbox <dir>" (no credentials). */
  readonly description: string;
  /** How many messages it hands over at once (the SMTP pool's connections). */
  readonly connections: number;
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

/**
 * A body part as it goes on the wire: UTF-8 in base64, encoded by Node's own base64 (the bodies
 * are most of a message; nodemailer's quoted-printable encoder, in JavaScript, was 40% of the
 * worker's CPU), lines of 76 characters.
 */
function encodedPart(contentType: "text/plain" | "text/html", body: string): string {
  const encoded = Buffer.from(body, "utf8").toString("base64");
  const lines: string[] = [];
  for (let start = 0; start < encoded.length; start += 76) lines.push(encoded.slice(start, start + 76));
  return `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${lines.join("\r\n")}\r\n`;
}

function message(mail: OutgoingMail): Mail.Options {
  return {
    from: mail.from,
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.subject,
    // Pre-encoded: nodemailer writes the headers and the multipart/alternative around them.
    text: { raw: encodedPart("text/plain", mail.text) },
    html: { raw: encodedPart("text/html", mail.html) },
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

/** nodemailer's message options, with what `holdBack` reads. */
type HeldMail = Mail.Options & { release?: Promise<void> };

/**
 * A nodemailer plugin: the message is read whole and given on as one chunk (nodemailer builds it
 * in many small pieces, and each became a write to the socket: a system call apiece), and a mail
 * with a `release` waits for it, before DKIM signs it. Applied to every read of the message, so a
 * message nodemailer queues again (a pooled connection closed before it was read) is the same.
 */
const holdBack: Mail.PluginFunction = (mail, done) => {
  const release = (mail.data as HeldMail).release ?? Promise.resolve();
  mail.message.processFunc((input: Readable) => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    input.on("data", (chunk: Buffer) => chunks.push(chunk));
    input.once("error", (error) => output.destroy(error));
    input.once("end", () =>
      release.then(
        () => output.end(Buffer.concat(chunks)),
        (reason: unknown) => output.destroy(reason instanceof Error ? reason : new Error(String(reason))),
      ),
    );
    return output;
  });
  done();
};

/** A send that failed: `release`'s reason when it was withheld, else the provider's refusal, classified. */
async function sendFailure(error: unknown, release: Promise<void> | undefined): Promise<DeliveryError> {
  if (release) await release;
  return classifyDeliveryError(error);
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
    transporter.use("stream", holdBack);
    return {
      description: `${url.protocol}//${url.host}`,
      connections: config.poolSize,
      async send(mail, release) {
        try {
          const options: HeldMail = { ...message(mail), release };
          const info = await transporter.sendMail(options);
          return { response: String(info.response ?? "") };
        } catch (error) {
          throw await sendFailure(error, release);
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
    connections: config.poolSize,
    async send(mail, release) {
      await release;
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
