import { Banner, Text, TextField } from "@shopify/polaris";
import type { EmailSettingsDraft } from "./types";

/** The shop's sender settings and postal address, as the settings card shows them (one field each, inside its form layout). */

interface SenderProps {
  email: EmailSettingsDraft;
  onChange: (email: EmailSettingsDraft) => void;
  error?: string;
}

export function SenderNameField({ email, onChange, error, shopName }: SenderProps & { shopName: string }) {
  return (
    <TextField
      label="Sender name"
      value={email.senderName}
      placeholder={shopName}
      onChange={(senderName) => onChange({ ...email, senderName })}
      error={error}
      autoComplete="off"
      helpText="For all of the shop's win-back e-mails. Empty: the shop's name."
    />
  );
}

export function ReplyToField({ email, onChange, error, contactEmail }: SenderProps & { contactEmail: string | null }) {
  return (
    <TextField
      label="Reply-to address"
      type="email"
      value={email.replyTo}
      placeholder={contactEmail ?? ""}
      onChange={(replyTo) => onChange({ ...email, replyTo })}
      error={error}
      autoComplete="email"
      helpText="Empty: the store's contact e-mail."
    />
  );
}

/** The footer's postal address (from Shopify's store details), or what is missing from it. */
export function PostalAddressNote({ postalAddress, missingAddress }: { postalAddress: string | null; missingAddress: string[] }) {
  return missingAddress.length > 0 ? (
    <Banner tone="warning" title="Postal address needed before going Live">
      <p>
        Marketing e-mails must show your postal address. Add it in Shopify under Settings → Store details (missing:{" "}
        {missingAddress.join(", ")}).
      </p>
    </Banner>
  ) : (
    <Text as="p" tone="subdued">
      Postal address in the footer: {postalAddress} (from Shopify's store details).
    </Text>
  );
}
