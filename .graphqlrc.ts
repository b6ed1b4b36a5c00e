import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

// `npm run graphql-codegen`: TypeScript types for every #graphql operation the app and the worker
// send, from the committed 2026-10 schema (app/types/admin-2026-10.schema.json, no download).
const documents = ["./app/**/*.{ts,tsx}", "./workers/**/*.ts", "!./app/types/**"];

export default {
  schema: "./app/types/admin-2026-10.schema.json",
  documents,
  projects: {
    default: shopifyApiProject({ apiType: ApiType.Admin, apiVersion: "2026-10", documents, outputDir: "./app/types", enumsAsConst: true }),
  },
};
