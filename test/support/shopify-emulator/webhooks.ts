import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";

/**
 * Webhook delivery as Shopify does it: a POST of the JSON body to the URI the app subscribed in
 * shopify.app.toml, with the X-Shopify-* headers and an HMAC-SHA256 of the raw body (base64) made
 * with the app's secret. A non-2xx answer or a network error is retried with backoff (Shopify
 * retries 8 times over 4 hours; here the delays are short and configurable). Test switches:
 * deliver `times` times, wait `delayMs` first, drop the first attempt then retry, or hold
 * deliveries and release them in reverse order.
 */

export interface DeliveryOptions {
  /** Send the same delivery (same webhook id) this many times (default 1). */
  times?: number;
  /** Wait this long before the first attempt. */
  delayMs?: number;
  /** Lose the first attempt (as if it timed out), then retry. */
  dropFirstAttempt?: boolean;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, 0 for a network error, or "dropped". */
  status: number | "dropped";
}

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  body: string;
  attempts: DeliveryAttempt[];
  /** Resolves when this delivery got a 2xx or gave up. */
  settled: Promise<void>;
}

export interface AppConfig {
  /** Access scopes the app requests. */
  scopes: string;
  /** topic → URI path, from [[webhooks.subscriptions]] (topics and compliance_topics). */
  subscriptions: Map<string, string>;
  /** The webhooks' api_version (sent as X-Shopify-API-Version). */
  apiVersion: string;
}

/** What Shopify knows about the app from its configuration file. */
export function appConfigFromToml(file = "shopify.app.toml"): AppConfig {
  const toml = parseToml(readFileSync(file, "utf8")) as {
    access_scopes?: { scopes?: string };
    webhooks?: { api_version?: string; subscriptions?: { uri: string; topics?: string[]; compliance_topics?: string[] }[] };
  };
  const subscriptions = new Map<string, string>();
  for (const subscription of toml.webhooks?.subscriptions ?? []) {
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])])
      subscriptions.set(topic, subscription.uri);
  }
  return { scopes: toml.access_scopes?.scopes ?? "", subscriptions, apiVersion: toml.webhooks?.api_version ?? "2026-10" };
}

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookDeliverer {
  readonly deliveries: Delivery[] = [];
  private held: (() => Promise<void>)[] | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly target: {
      appUrl: () => string | null;
      apiSecret: string;
      subscriptions: Map<string, string>;
      apiVersion: string;
      now: () => Date;
    },
    private readonly retryDelaysMs: number[],
  ) {}

  /** Queue deliveries instead of sending them, until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /**
   * Sends the held deliveries one after another (each settles before the next starts), in the
   * order they were made or reversed.
   */
  async release(order: "as-made" | "reversed" = "as-made"): Promise<void> {
    const held = this.held ?? [];
    this.held = null;
    for (const send of order === "reversed" ? held.reverse() : held) await send();
  }

  /** Delivers `payload` for `topic` if the app subscribes to it; returns the delivery, or null when not subscribed. */
  deliver(shop: string, topic: string, payload: unknown, options: DeliveryOptions = {}): Delivery | null {
    const uri = this.target.subscriptions.get(topic);
    if (!uri) return null;
    const id = randomUUID();
    let settle!: () => void;
    const delivery: Delivery = {
      shop,
      topic,
      webhookId: id,
      eventId: randomUUID(),
      triggeredAt: this.target.now().toISOString(),
      body: JSON.stringify(payload),
      attempts: [],
      settled: new Promise((resolve) => (settle = resolve)),
    };
    this.deliveries.push(delivery);
    const send = () => {
      const work = this.run(delivery, uri, options).finally(settle);
      this.inFlight.add(work);
      return work.finally(() => this.inFlight.delete(work));
    };
    if (this.held) this.held.push(send);
    else void send();
    return delivery;
  }

  /** Waits until every delivery made so far has settled (held ones excepted). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async run(delivery: Delivery, uri: string, options: DeliveryOptions): Promise<void> {
    if (options.delayMs) await sleep(options.delayMs);
    for (let copy = 0; copy < (options.times ?? 1); copy++) {
      let dropped = !!options.dropFirstAttempt && copy === 0;
      for (let attempt = 0; ; attempt++) {
        const ok = dropped
          ? (delivery.attempts.push({ at: new Date().toISOString(), status: "dropped" }), false)
          : await this.post(delivery, uri);
        dropped = false;
        if (ok) break;
        const wait = this.retryDelaysMs[attempt];
        if (wait === undefined) break; // Shopify gives up after its retries
        await sleep(wait);
      }
    }
  }

  private async post(delivery: Delivery, uri: string): Promise<boolean> {
    const appUrl = this.target.appUrl();
    let status = 0;
    // No app URL yet (emulator.setAppUrl not called): counted as a failed attempt, like a host that is down.
    if (appUrl)
      try {
        const response = await fetch(new URL(uri, appUrl), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "Shopify-Captain-Hook",
            "x-shopify-topic": delivery.topic,
            "x-shopify-shop-domain": delivery.shop,
            "x-shopify-api-version": this.target.apiVersion,
            "x-shopify-webhook-id": delivery.webhookId,
            "x-shopify-event-id": delivery.eventId,
            "x-shopify-triggered-at": delivery.triggeredAt,
            "x-shopify-hmac-sha256": signWebhook(delivery.body, this.target.apiSecret),
          },
          body: delivery.body,
          signal: AbortSignal.timeout(5_000), // Shopify's own timeout
        });
        status = response.status;
        await response.body?.cancel();
      } catch {
        status = 0;
      }
    delivery.attempts.push({ at: new Date().toISOString(), status });
    return status >= 200 && status < 300;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
