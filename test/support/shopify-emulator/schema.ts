import { readFileSync } from "node:fs";
import {
  buildClientSchema,
  GraphQLError,
  Kind,
  type GraphQLScalarType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type ValueNode,
} from "graphql";
import { SCHEMA_FILE } from "../../../app/types/update-admin-schema";

/**
 * What Shopify accepts for its custom scalars. An introspected schema knows their names, not
 * their rules, so without these every string would pass (`startsAt: "soon"`).
 */
const scalarRules: Record<string, { test: (value: unknown) => boolean; expected: string }> = {
  DateTime: {
    test: (value) =>
      typeof value === "string" &&
      /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    expected: "an ISO-8601 date-time, e.g. 2026-11-20T10:00:00Z",
  },
  Date: {
    test: (value) => typeof value === "string" && /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value)),
    expected: "an ISO-8601 date, e.g. 2026-11-20",
  },
  Decimal: {
    test: (value) => (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) || (typeof value === "number" && Number.isFinite(value)),
    expected: 'a decimal, e.g. "19.95"',
  },
  Money: {
    test: (value) => (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) || (typeof value === "number" && Number.isFinite(value)),
    expected: 'an amount, e.g. "19.95"',
  },
  UnsignedInt64: {
    test: (value) =>
      (typeof value === "string" && /^\d{1,20}$/.test(value)) || (typeof value === "number" && Number.isInteger(value) && value >= 0),
    expected: "an unsigned 64-bit integer",
  },
  URL: {
    test: (value) => {
      if (typeof value !== "string") return false;
      try {
        return ["http:", "https:"].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    expected: "an absolute http(s) URL",
  },
  UtcOffset: { test: (value) => typeof value === "string" && /^[+-]\d\d:\d\d$/.test(value), expected: "a UTC offset, e.g. +01:00" },
  Color: { test: (value) => typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value), expected: "a hex colour, e.g. #1a2b3c" },
};

function literalValue(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
  return undefined;
}

let schema: GraphQLSchema | undefined;

/** Shopify's published Admin API 2026-10 schema (the committed introspection), built once per process. */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
    for (const [name, rule] of Object.entries(scalarRules)) {
      const scalar = schema.getType(name) as GraphQLScalarType;
      const check = (value: unknown) => {
        if (!rule.test(value)) throw new GraphQLError(`${JSON.stringify(value)} is not ${rule.expected}.`);
        return value;
      };
      Object.assign(scalar, { parseValue: check, parseLiteral: (node: ValueNode) => check(literalValue(node)) });
    }
  }
  return schema;
}
