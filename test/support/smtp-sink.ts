import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

/**
 * A real SMTP server in the test process: it accepts what the app sends and keeps each message
 * raw and parsed. Addresses can be set to bounce (550 at RCPT TO) or to fail transiently (451).
 */
export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelope: { from: string; to: string[] };
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipients answered 550 (no such mailbox). */
  readonly bouncing = new Set<string>();
  /** How many more messages to refuse with 451 (try again later). */
  transientFailures = 0;
  /** Parse each message (tests); the benchmark only counts them. */
  parse = true;
  /** Called as each message is accepted (benchmarks time them). */
  onAccepted: ((envelope: { from: string; to: string[] }) => void) | undefined;
  count = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  private readonly server: SMTPServer;
  private port = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        if (this.bouncing.has(address.address.toLowerCase())) return callback(smtpError("5.1.1 No such mailbox", 550));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (this.transientFailures > 0) {
            this.transientFailures--;
            return callback(smtpError("4.3.0 Try again later", 451));
          }
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          };
          callback();
          this.count++;
          this.onAccepted?.(envelope);
          if (!this.parse) return this.wake();
          void simpleParser(raw).then((parsed) => {
            this.received.push({ raw, parsed, envelope });
            this.wake();
          });
        });
      },
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve) => sink.server.listen(0, "127.0.0.1", resolve));
    sink.port = (sink.server.server.address() as { port: number }).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private wake(): void {
    const done = this.parse ? this.received.length : this.count;
    this.waiters = this.waiters.filter((waiter) => {
      if (done < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` messages have arrived in total. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if ((this.parse ? this.received.length : this.count) >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} messages arrived`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
