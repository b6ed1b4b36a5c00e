import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE, SCHEMA_SHA256, sha256 } from "../../app/types/update-admin-schema";
import { documentProblems, findGraphqlDocuments } from "../support/graphql-documents";

describe("every GraphQL document the app sends", () => {
  const documents = findGraphqlDocuments();

  it("is found (the collector sees the app's and the worker's #graphql strings)", () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.map((document) => document.source).join("\n")).toContain("query ShopDetails");
  });

  it.each(documents.map((document) => [`${document.file}:${document.line}`, document.source] as const))(
    "%s is valid against the 2026-10 Admin schema and uses nothing deprecated",
    (_where, source) => {
      expect(documentProblems(source)).toEqual([]);
    },
  );
});

describe("the contract check itself", () => {
  it("fails on a deprecated field (customer { email })", () => {
    expect(documentProblems(`query { customer(id: "gid://shopify/Customer/1") { email } }`)).toEqual([
      expect.stringMatching(/Customer\.email is deprecated/),
    ]);
  });

  it("fails on a misspelled field", () => {
    expect(documentProblems(`query { shop { nmae } }`)).toEqual([expect.stringMatching(/Cannot query field "nmae" on type "Shop"/)]);
  });

  it("fails on a wrong argument type and a missing required argument", () => {
    expect(documentProblems(`query { customer(id: true) { id } }`)).toEqual([
      expect.stringMatching(/ID cannot represent a non-string and non-integer value: true/),
    ]);
    expect(documentProblems(`mutation { discountCodeDelete { deletedCodeDiscountId } }`)).toEqual([
      expect.stringMatching(/argument "id" of type "ID!" is required/),
    ]);
  });

  it("fails on a syntax error and on an interpolated document", () => {
    expect(documentProblems(`query { shop { name }`)).not.toEqual([]);
    expect(documentProblems("query { ${fields} }")).toEqual([expect.stringMatching(/interpolated/)]);
  });
});

describe("the committed schema", () => {
  it("is byte for byte the file Shopify ships in @shopify/dev-mcp@1.16.0", () => {
    expect(sha256(readFileSync(SCHEMA_FILE))).toBe(SCHEMA_SHA256);
  });
});
