import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Select, TextField } from "@shopify/polaris";
import type { PreviewCustomer } from "../../models/email-preview.server";

/** Search the shop's customers by name or e-mail (POSTed to /app/customers: the term stays out of URLs) and pick one to preview for. */
export function PreviewCustomerPicker({
  shownName,
  onChoose,
}: {
  shownName: string | null;
  onChoose: (customer: PreviewCustomer | null) => void;
}) {
  const search = useFetcher<{ customers: PreviewCustomer[] }>();
  const [query, setQuery] = useState("");

  useEffect(() => {
    const timer = setTimeout(
      () => search.submit({ q: query }, { method: "post", action: "/app/customers", encType: "application/json" }),
      300,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const found = search.data?.customers ?? [];
  return (
    <>
      <TextField label="Preview for customer (search by name or e-mail)" value={query} onChange={setQuery} autoComplete="off" />
      {found.length ? (
        <Select
          label="Customer"
          labelHidden
          options={[
            { label: shownName ? `Showing: ${shownName}` : "Choose a customer…", value: "" },
            ...found.map((customer) => ({ label: `${customer.name}${customer.email ? ` <${customer.email}>` : ""}`, value: customer.id })),
          ]}
          value=""
          onChange={(id) => onChoose(found.find((customer) => customer.id === id) ?? null)}
        />
      ) : null}
    </>
  );
}
