import { InlineGrid, Text } from "@shopify/polaris";
import { DailyColumns, fillDays } from "../charts";
import { Fact } from "../Fact";
import { SectionCard } from "../SectionCard";
import { formatCount, formatMoney } from "../format";
import type { CampaignResults } from "../../models/results.server";

/** What the campaign earned: attributed revenue, discounts given, conversions, and revenue per day. */
export function RevenueCard(props: {
  results: CampaignResults;
  daily: { day: string; conversions: number; revenue: number }[];
  currency: string;
  attributionWindowDays: number;
}) {
  const { results, currency } = props;
  const money = (amount: number) => formatMoney(amount, currency);
  const days = fillDays(props.daily, (day) => ({ day, conversions: 0, revenue: 0 })).map((day) => ({
    label: day.day,
    value: day.revenue,
    display: `${money(day.revenue)}, ${day.conversions} conversions`,
  }));
  return (
    <SectionCard title="Revenue">
      <InlineGrid columns={{ xs: 1, sm: 3 }} gap="300">
        <Fact label="Last-click and code revenue" value={money(results.revenue)} />
        <Fact label="Discounts given" value={money(results.discountCost)} />
        <Fact label="Conversions" value={formatCount(results.conversions.contacted)} />
      </InlineGrid>
      <Text as="p" tone="subdued">
        {`Orders with the customer's code, or within ${props.attributionWindowDays} days of a click; refunds deducted, cancelled orders count nothing.`}
      </Text>
      <DailyColumns title="Conversion revenue per day" days={days} emptyText="No conversions yet." />
    </SectionCard>
  );
}
