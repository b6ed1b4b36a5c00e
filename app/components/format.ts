/**
 * Formatting for the merchant's pages. A fixed locale and explicit timezone, so the server's
 * render and the browser's hydration print the same text.
 */

const LOCALE = "en-US";

export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

export function formatDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone }).format(new Date(iso));
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency }).format(amount);
}

export function formatCount(n: number): string {
  return n.toLocaleString(LOCALE);
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** "+2.4 points" style, for differences of rates. */
export function formatPoints(points: number): string {
  return `${points >= 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pts`;
}

/** " (48%)" after a count, when there is a whole to take a share of; nothing otherwise. */
export function formatShare(part: number, whole: number): string {
  return whole > 0 ? ` (${formatPercent(part / whole, 0)})` : "";
}
