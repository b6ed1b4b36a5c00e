import { readFileSync } from "node:fs";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { SCHEMA_FILE } from "../../../app/types/update-admin-schema";

let schema: GraphQLSchema | undefined;

/** Shopify's published Admin API 2026-10 schema (the committed introspection), built once per process. */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}
