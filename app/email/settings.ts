import { z } from "zod";

/**
 * The shop's e-mail settings, kept under `email` in `shops.settings` (edited in the app). The
 * From address is the app's (EMAIL_FROM_ADDRESS, a domain with SPF and DKIM); the shop's name
 * is shown as the sender and replies go to the shop.
 */
export const emailSettingsSchema = z.object({
  /** Shown as the sender; the shop's name when unset. */
  senderName: z.string().trim().min(1).max(80).optional(),
  /** Where replies go; the shop's contact e-mail when unset. */
  replyTo: z.email().optional(),
  logoUrl: z.url({ protocol: /^https$/ }).optional(),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default("#1f5199"),
});
export type EmailSettings = z.output<typeof emailSettingsSchema>;

/** The settings of a shop's `settings` JSON; anything unreadable falls back to the defaults. */
export function emailSettingsOf(settings: unknown): EmailSettings {
  const stored = (settings as { email?: unknown } | null)?.email;
  const parsed = emailSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : emailSettingsSchema.parse({});
}

/** What the editor edits of them: sender name and reply-to (empty: the defaults). */
export const editableEmailSettingsSchema = z.object({
  senderName: z
    .string()
    .trim()
    .max(80, "Use at most 80 characters")
    .optional()
    .transform((value) => value || undefined),
  replyTo: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.email("Enter an e-mail address like name@example.com").optional()),
});
