import { describe, expect, it } from "vitest";
import { compileSearch, type SearchSpec } from "../../test/support/shopify-emulator/search-query";

interface Row {
  id: number;
  status: string;
  tags: string[];
  updatedAt: string;
  name: string;
}
const spec: SearchSpec<Row> = {
  fields: { id: (r) => r.id, status: (r) => r.status, tag: (r) => r.tags, updated_at: (r) => r.updatedAt },
  text: (r) => r.name,
};
const rows: Row[] = [
  { id: 1, status: "open", tags: ["vip"], updatedAt: "2026-01-01T00:00:00Z", name: "Alpha One" },
  { id: 2, status: "closed", tags: ["vip", "wholesale"], updatedAt: "2026-06-01T00:00:00Z", name: "Beta Two" },
  { id: 3, status: "open", tags: [], updatedAt: "2026-09-01T00:00:00Z", name: "Gamma Three" },
];
const ids = (query: string) => rows.filter(compileSearch(query, spec).matches).map((row) => row.id);

describe("Shopify search syntax (emulator)", () => {
  it.each([
    ["", [1, 2, 3]],
    ["status:open", [1, 3]],
    ["status:open tag:vip", [1]],
    ["status:open AND tag:vip", [1]],
    ["status:closed OR tag:vip", [1, 2]],
    ["(status:closed OR tag:vip) updated_at:>2026-03-01", [2]],
    ["status:closed OR tag:vip updated_at:>2026-03-01", [2]],
    ["-status:open", [2]],
    ["NOT status:open", [2]],
    ["NOT (status:open OR tag:wholesale)", []],
    ["-(tag:vip)", [3]],
    ["id:>=2", [2, 3]],
    ["updated_at:<'2026-06-01T00:00:00Z'", [1]],
    ["gam*", []],
    ["Gamma", [3]],
    ["tag:whole*", [2]],
  ])("%s → %j", (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it("ignores fields the resource does not know, and reports them", () => {
    const search = compileSearch("status:open no_such:1", spec);
    expect(rows.filter(search.matches).map((row) => row.id)).toEqual([1, 3]);
    expect(search.unknownFields).toEqual(["no_such"]);
  });
});
