import { TextField } from "@shopify/polaris";

/**
 * Form pieces of the campaign editor. Field errors arrive from the server keyed by the path of
 * the setting ("steps.1.content.body"), exactly as the engine's schema reports them.
 */

export type FieldErrors = Record<string, string>;

/** A number setting: empty text is sent as null, which the server refuses with the field's own message. */
export function NumberField(props: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  error?: string;
  helpText?: string;
  suffix?: string;
  prefix?: string;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
}) {
  const { value, onChange, ...rest } = props;
  return (
    <TextField
      {...rest}
      type="number"
      autoComplete="off"
      value={value === null || Number.isNaN(value) ? "" : String(value)}
      onChange={(text) => onChange(text.trim() === "" ? null : Number(text))}
    />
  );
}

/** Hours as days for the merchant (steps are stored in whole hours). */
export const hoursToDays = (hours: number | null) => (hours === null ? null : Math.round((hours / 24) * 100) / 100);
export const daysToHours = (days: number | null) => (days === null ? null : Math.round(days * 24));

export const HOUR_OPTIONS = Array.from({ length: 24 }, (_, hour) => ({
  label: `${String(hour).padStart(2, "0")}:00`,
  value: String(hour),
}));
