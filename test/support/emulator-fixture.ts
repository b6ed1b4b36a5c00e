import { generateKeyPairSync } from "node:crypto";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { ShopifyEmulator, type EmulatorOptions } from "./shopify-emulator/emulator";
import { SmtpSink } from "./smtp-sink";

/**
 * The outside world of a test file, started before the app's modules load: they read
 * `SHOPIFY_ADMIN_API_ORIGIN`, `SMTP_URL` and the DKIM variables once, on import. So a test file
 * calls this from `vi.hoisted`, importing it there (vitest moves that block above the file's
 * imports, where only a dynamic import works):
 *
 *   const { emulator, sink, clock } = await vi.hoisted(() =>
 *     import("../support/emulator-fixture").then((fixture) => fixture.startEmulator({ smtp: true, clock: "frozen" })),
 *   );
 *
 * Nothing here imports the app. The test still closes what it started (`emulator.close()`,
 * `sink.close()`) in its own afterAll, in the order its other resources need.
 */

/**
 * "Now" for the emulated shops, moved by the test. `"frozen"` stands still at the time it was
 * started until the test sets `now` (e.g. `runDueSteps`); `"running"` follows the real clock,
 * `advance`d by whatever the test adds. Setting `now` freezes either at that instant.
 */
export class TestClock {
  private frozenAt: Date | undefined;
  private offsetMs = 0;

  constructor(kind: "frozen" | "running") {
    if (kind === "frozen") this.frozenAt = new Date();
  }

  get now(): Date {
    return this.frozenAt ?? new Date(Date.now() + this.offsetMs);
  }

  set now(at: Date) {
    this.frozenAt = at;
  }

  advance(ms: number): void {
    if (this.frozenAt) this.frozenAt = new Date(this.frozenAt.getTime() + ms);
    else this.offsetMs += ms;
  }
}

export interface FixtureOptions extends Omit<EmulatorOptions, "apiKey" | "apiSecret" | "clock"> {
  /** A clock the test moves (see TestClock); default the real clock. */
  clock?: "frozen" | "running";
  /** A real SMTP server (SmtpSink), with SMTP_URL pointing at it. */
  smtp?: boolean;
  /** DKIM-sign every message (DKIM_* set, domain mail.winback.test, selector wb2026); `dkim.record` is the DNS TXT record to verify with. */
  dkim?: boolean;
}

export type Fixture<Options extends FixtureOptions> = { emulator: ShopifyEmulator } & (Options extends { smtp: true }
  ? { sink: SmtpSink }
  : unknown) &
  (Options extends { clock: "frozen" | "running" } ? { clock: TestClock } : unknown) &
  (Options extends { dkim: true } ? { dkim: { record: string } } : unknown);

/**
 * Starts the Shopify emulator with the app's test credentials (Shopify's test helpers) and points
 * the app at it; with the options, also a movable clock, an SMTP sink and DKIM keys. Other
 * options go to the emulator as they are (bucket, webhook retries, Flow trigger handles, …).
 */
export async function startEmulator<Options extends FixtureOptions = Record<never, never>>(
  options: Options = {} as Options,
): Promise<Fixture<Options>> {
  const { clock: clockKind, smtp, dkim, ...emulatorOptions } = options;
  const clock = clockKind ? new TestClock(clockKind) : undefined;
  const emulator = await ShopifyEmulator.start({
    apiKey: API_KEY,
    apiSecret: API_SECRET_KEY,
    ...emulatorOptions,
    ...(clock ? { clock: () => clock.now } : {}),
  });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.origin;
  const sink = smtp ? await startSmtpSink() : undefined;
  return { emulator, sink, clock, dkim: dkim ? setDkimKeys() : undefined } as unknown as Fixture<Options>;
}

/** A real SMTP server in the test process, with SMTP_URL pointing at it (for a file that needs no emulator). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = await SmtpSink.start();
  process.env.SMTP_URL = sink.url;
  return sink;
}

function setDkimKeys(): { record: string } {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  Object.assign(process.env, {
    DKIM_DOMAIN: "mail.winback.test",
    DKIM_SELECTOR: "wb2026",
    DKIM_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  });
  const publicKey = keys.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  return { record: `v=DKIM1; k=rsa; p=${publicKey}` };
}
