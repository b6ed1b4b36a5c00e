import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { checkTemplate, compileContent, stepContentSchema, type CompiledContent, type TemplateProblem } from "../email/template";

/**
 * Versions of step content. Saving validates everything a send would meet (field limits, Liquid
 * syntax, variables, filters) and reports it with field, line and column; a saved version is
 * never edited, so a compiled copy can be cached by id for as long as the process lives.
 */

export type SaveTemplateResult = { ok: true; id: number } | { ok: false; problems: TemplateProblem[]; fieldErrors: Record<string, string> };

export async function saveEmailTemplate(shopId: number, input: unknown): Promise<SaveTemplateResult> {
  const parsed = stepContentSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join(".") || "content", issue.message]));
    return { ok: false, problems: [], fieldErrors };
  }
  const problems = checkTemplate(parsed.data);
  if (problems.length > 0) return { ok: false, problems, fieldErrors: {} };
  const row = await prisma.emailTemplate.create({ data: { shopId, content: parsed.data as Prisma.InputJsonValue } });
  return { ok: true, id: row.id };
}

const CACHE_SIZE = 500;
const compiled = new Map<string, CompiledContent>();

/** The compiled content of a saved version of this shop (null: no such template for the shop). */
export async function compiledTemplate(shopId: number, templateId: number): Promise<CompiledContent | null> {
  const key = `${shopId}:${templateId}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const row = await prisma.emailTemplate.findFirst({ where: { id: templateId, shopId } });
  if (!row) return null;
  const result = compileContent(stepContentSchema.parse(row.content));
  if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, result);
  return result;
}
