import { useState } from "react";
import { EXPORT_IDLE, exportFailed, type ExportState } from "../../domain/csv-export";

/** The campaign's customers as a CSV file, saved by the browser; the state says what to show meanwhile. */
export function useCsvExport(campaignId: number): { state: ExportState; start: () => Promise<void> } {
  const [state, setState] = useState<ExportState>(EXPORT_IDLE);
  const start = async () => {
    setState({ kind: "preparing" });
    try {
      // fetch (not a link) so App Bridge adds the session token.
      const response = await fetch(`/app/campaigns/${campaignId}/export`);
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: `campaign-${campaignId}-customers.csv` });
      link.click();
      // Some browsers read the blob after click() returns.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState(EXPORT_IDLE);
    } catch (error) {
      setState(exportFailed(error));
    }
  };
  return { state, start };
}
