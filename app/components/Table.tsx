import { Text } from "@shopify/polaris";

/**
 * A plain data table for wide content (long reasons, e-mail addresses). Polaris's DataTable
 * scrolls sideways in a container keyboard users cannot reach; this one's scrolling region is a
 * labelled, focusable region (WCAG 2.1.1), and the table itself is a native, captioned table.
 */
export function Table({
  label,
  headings,
  rows,
  numeric = [],
}: {
  label: string;
  headings: string[];
  rows: (string | number)[][];
  numeric?: number[];
}) {
  const cell = (index: number) => ({
    padding: "8px 12px",
    textAlign: numeric.includes(index) ? ("right" as const) : ("left" as const),
    verticalAlign: "top" as const,
  });
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: "auto" }}>
      <table style={{ width: "100%", borderCollapse: "collapse" }}>
        <caption style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>{label}</caption>
        <thead>
          <tr style={{ borderBottom: "1px solid #e3e3e3" }}>
            {headings.map((heading, index) => (
              <th key={heading} scope="col" style={cell(index)}>
                <Text as="span" variant="bodySm" fontWeight="semibold">
                  {heading}
                </Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={rowIndex} style={{ borderBottom: "1px solid #f1f1f1" }}>
              {row.map((value, index) => (
                <td key={index} style={cell(index)}>
                  <Text as="span">{String(value)}</Text>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
