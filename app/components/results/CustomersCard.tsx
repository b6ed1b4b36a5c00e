import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { SectionCard } from "../SectionCard";
import { Table } from "../Table";
import { formatDate, formatMoney } from "../format";
import { enrollmentStateLabel, exitReasonLabel } from "../../domain/enrollment-state";
import type { EnrollmentListRow } from "../../models/results.server";

type CustomerPage = { rows: EnrollmentListRow[]; hasNext: boolean };

/** The campaign's customers with state and exit reason: searched and paged through `…/customers` (POSTed, the term stays out of URLs). */
export function CustomersCard(props: { campaignId: number; firstPage: CustomerPage; timezone: string; currency: string }) {
  const list = useFetcher<CustomerPage & { search: string; page: number }>();
  const [search, setSearch] = useState("");
  const { rows, hasNext, page } = list.data ?? { ...props.firstPage, page: 1 };
  const listed = list.data?.search ?? "";
  const showPage = (next: { search: string; page: number }) =>
    list.submit(next, { method: "post", action: `/app/campaigns/${props.campaignId}/customers`, encType: "application/json" });
  return (
    <SectionCard title="Customers">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          showPage({ search, page: 1 });
        }}
      >
        <InlineStack gap="200" blockAlign="end">
          <div style={{ flexGrow: 1 }}>
            <TextField label="Search by name or e-mail" value={search} onChange={setSearch} autoComplete="off" />
          </div>
          <Button submit loading={list.state !== "idle"}>
            Search
          </Button>
        </InlineStack>
      </form>
      <Table
        label="Customers of this campaign"
        headings={["Customer", "Group", "State", "Why they left", "Entered", "Revenue"]}
        numeric={[5]}
        rows={rows.map((row) => [
          row.email ? `${row.name} <${row.email}>` : row.name,
          row.holdout ? "Holdout" : "Contacted",
          enrollmentStateLabel(row.status, row.holdout, row.lastStepSent),
          exitReasonLabel(row.exitReason) ?? "",
          formatDate(row.enteredAt, props.timezone),
          row.revenue === null ? "" : formatMoney(row.revenue, props.currency),
        ])}
      />
      {rows.length === 0 ? (
        <Text as="p" tone="subdued">
          {listed ? "No customer of this campaign matches." : "No customer has entered yet."}
        </Text>
      ) : null}
      <InlineStack align="center" gap="300" blockAlign="center">
        {/* Buttons, not Polaris's Pagination: its disabled link carries an aria-label links may not have. */}
        <Button disabled={page <= 1} onClick={() => showPage({ search: listed, page: page - 1 })}>
          Previous page
        </Button>
        <Text as="span">{`Page ${page}`}</Text>
        <Button disabled={!hasNext} onClick={() => showPage({ search: listed, page: page + 1 })}>
          Next page
        </Button>
      </InlineStack>
    </SectionCard>
  );
}
