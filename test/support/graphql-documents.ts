import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { NoDeprecatedCustomRule, parse, specifiedRules, validate, type GraphQLError } from "graphql";
import { adminSchema } from "./shopify-emulator/schema";

/** A `#graphql`-tagged template literal found in the source. */
export interface FoundDocument {
  file: string;
  line: number;
  source: string;
}

const TAGGED = /`#graphql([\s\S]*?)`/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "types" && dir.endsWith("app") ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Every #graphql document the app and the worker send (the same strings codegen types). */
export function findGraphqlDocuments(roots: string[] = ["app", "workers"]): FoundDocument[] {
  return roots.flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(TAGGED)].map((match) => ({
      file,
      line: text.slice(0, match.index).split("\n").length,
      source: match[1]!,
    }));
  });
}

/**
 * Problems with one document against Shopify's 2026-10 Admin schema: syntax, unknown fields or
 * arguments, wrong types, and use of anything the schema marks deprecated. Interpolated
 * documents are refused: what they send cannot be checked.
 */
export function documentProblems(source: string): string[] {
  if (source.includes("${")) return ["interpolated #graphql document: the sent text cannot be validated"];
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return [(error as GraphQLError).message];
  }
  return validate(adminSchema(), document, [...specifiedRules, NoDeprecatedCustomRule]).map((error) => error.message);
}
