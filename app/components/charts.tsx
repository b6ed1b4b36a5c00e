import { Text } from "@shopify/polaris";

/**
 * Two small SVG charts in Polaris colours. Each is an image with a text alternative that says
 * what it shows, followed by the numbers as a list for screen readers (the charts add nothing a
 * table would not, except the picture).
 */

export interface Bar {
  label: string;
  value: number;
  /** What is printed next to the bar, e.g. "1,204 (48%)". */
  display: string;
}

const hiddenStyle = { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;

function ScreenReaderList({ bars }: { bars: Bar[] }) {
  return (
    <ul style={hiddenStyle}>
      {bars.map((bar) => (
        <li key={bar.label}>{`${bar.label}: ${bar.display}`}</li>
      ))}
    </ul>
  );
}

/** Horizontal bars, one per row (the funnel). */
export function HorizontalBars({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rowHeight = 34;
  const labelWidth = 190;
  const chartWidth = 600;
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${chartWidth} ${bars.length * rowHeight}`}
        width="100%"
        style={{ maxWidth: chartWidth }}
        role="img"
        aria-label={title}
      >
        {bars.map((bar, index) => {
          const width = ((chartWidth - labelWidth - 130) * bar.value) / max;
          const y = index * rowHeight;
          return (
            <g key={bar.label}>
              <text x={0} y={y + 21} fontSize="13" fill="#303030">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y + 6} width={Math.max(width, 1)} height={rowHeight - 12} rx={3} fill="#2c6ecb" />
              <text x={labelWidth + Math.max(width, 1) + 8} y={y + 21} fontSize="13" fill="#303030">
                {bar.display}
              </text>
            </g>
          );
        })}
      </svg>
      <ScreenReaderList bars={bars} />
    </figure>
  );
}

/** Columns over consecutive days (revenue over time); days without a value are drawn as zero. */
export function DailyColumns({ title, days, emptyText }: { title: string; days: Bar[]; emptyText: string }) {
  if (days.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {emptyText}
      </Text>
    );
  }
  const max = Math.max(1, ...days.map((day) => day.value));
  const width = 600;
  const height = 180;
  const column = width / days.length;
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height + 20}`} width="100%" style={{ maxWidth: width * 1.5 }} role="img" aria-label={title}>
        <line x1={0} y1={height} x2={width} y2={height} stroke="#8a8a8a" />
        {days.map((day, index) => {
          const barHeight = (height - 10) * (day.value / max);
          return (
            <rect
              key={day.label}
              x={index * column + column * 0.15}
              y={height - barHeight}
              width={column * 0.7}
              height={barHeight}
              fill="#2c6ecb"
            >
              <title>{`${day.label}: ${day.display}`}</title>
            </rect>
          );
        })}
        <text x={0} y={height + 15} fontSize="11" fill="#616161">
          {days[0]!.label}
        </text>
        <text x={width} y={height + 15} fontSize="11" fill="#616161" textAnchor="end">
          {days[days.length - 1]!.label}
        </text>
      </svg>
      <ScreenReaderList bars={days.filter((day) => day.value > 0)} />
    </figure>
  );
}

/** Every day from the first to the last, with zero where there was nothing. */
export function fillDays<T extends { day: string }>(rows: T[], empty: (day: string) => T): T[] {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const filled: T[] = [];
  const last = rows[rows.length - 1]!.day;
  for (let day = rows[0]!.day; day <= last; day = nextDay(day)) filled.push(byDay.get(day) ?? empty(day));
  return filled;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
