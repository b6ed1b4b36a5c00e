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
  /**
   * How many of the next messages to hold: their data is in, but the answer to it is held back
   * (their sender waits, as on a slow server) until `releaseHeld()`. Infinity holds every later
   * one. A held message whose connection is dropped was never accepted: it is not counted.
   */
  holdNext = 0;
  private readonly held: (() => void)[] = [];
  private readonly closedSessions = new Set<string>();
  private waiters: { count: number; resolve: () => void }[] = [];
  private heldWaiters: { count: number; resolve: () => void }[] = [];

  private readonly server: SMTPServer;
  private port = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      size: 10 * 1024 * 1024,
      onClose: (session) => this.closedSessions.add(session.id),
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
          const accept = () => {
            callback();
            this.count++;
            this.onAccepted?.(envelope);
            if (!this.parse) return this.wake();
            void simpleParser(raw).then((parsed) => {
              this.received.push({ raw, parsed, envelope });
              this.wake();
            });
          };
          if (this.holdNext <= 0) return accept();
          this.holdNext--;
          this.held.push(() => !this.closedSessions.has(session.id) && accept());
          this.heldWaiters = this.heldWaiters.filter((waiter) => (this.held.length >= waiter.count ? (waiter.resolve(), false) : true));
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

  /** Messages held now (their answer not given yet). */
  get heldCount(): number {
    return this.held.length;
  }

  /** Resolves once `count` messages are held. */
  async waitForHeld(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.held.length >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.held.length} of ${count} messages held`)), timeoutMs);
      this.heldWaiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Answers the held messages (accepted, in order) and holds no more. */
  releaseHeld(): void {
    this.holdNext = 0;
    for (const accept of this.held.splice(0)) accept();
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
