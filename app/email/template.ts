import { Liquid, type Template } from "liquidjs";
import { z } from "zod";

/**
 * A step's e-mail content, written by the merchant: text fields with Liquid variables
 * (PRODUCT.md §6), checked when saved so that a send never meets an unknown variable or a
 * syntax error. Two Liquid engines share the limits: one escapes output for the HTML body, one
 * leaves it raw for the plain-text fields (subject, preheader, heading, button), which the layout
 * escapes where it puts them into HTML.
 */

export const stepContentSchema = z.object({
  subject: z.string().trim().min(1, "Enter a subject").max(200),
  preheader: z.string().trim().max(200).default(""),
  heading: z.string().trim().max(200).default(""),
  /** HTML allowed by app/email/sanitize.ts (paragraphs, emphasis, lists, links), with Liquid. */
  body: z.string().max(20_000),
  buttonText: z.string().trim().min(1, "Enter the button's text").max(60).default("Shop now"),
  showOffer: z.boolean().default(true),
  showProducts: z.boolean().default(true),
  /** How many recommended products the e-mail shows (the product grid and `products`). */
  productCount: z.number().int().min(1).max(10).default(4),
});
export type StepContent = z.output<typeof stepContentSchema>;

export const TEXT_FIELDS = ["subject", "preheader", "heading", "buttonText"] as const;
export const LIQUID_FIELDS = [...TEXT_FIELDS, "body"] as const;
export type LiquidField = (typeof LIQUID_FIELDS)[number];

const LIMITS = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  /** Characters of template source. */
  parseLimit: 50_000,
  /** Milliseconds one render may take: a runaway loop aborts, the send fails visibly. */
  renderLimit: 200,
  /** Allocations (array items, string lengths) one render may make. */
  memoryLimit: 2_000_000,
  greedy: false,
};
const htmlLiquid = new Liquid({ ...LIMITS, outputEscape: "escape" });
const textLiquid = new Liquid(LIMITS);
const engineFor = (field: LiquidField) => (field === "body" ? htmlLiquid : textLiquid);

/**
 * The variables a template may use. `true`: any property below it (lists of products);
 * an object: these properties only.
 */
type Allowed = true | { [name: string]: Allowed };
const PRODUCT_LIST: Allowed = true;
export const ALLOWED_VARIABLES: { [name: string]: Allowed } = {
  customer: { first_name: true, last_name: true },
  shop: { name: true, url: true },
  discount: { code: true, value: true, ends_at: true },
  products: PRODUCT_LIST,
  unsubscribe_url: true,
  days_since_last_order: true,
  last_order: { products: PRODUCT_LIST },
};

export interface TemplateProblem {
  field: LiquidField;
  message: string;
  line?: number;
  column?: number;
}

const position = (error: unknown): { line?: number; column?: number } => {
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token;
  const [line, column] = token?.getPosition?.() ?? [];
  return line === undefined ? {} : { line, column };
};
/** liquidjs appends ", line:1, col:4" (and the source) to its messages; we report those separately. */
const cleanMessage = (error: unknown) => String((error as Error).message).split(/, line:\d+, col:\d+/)[0]!;

function unknownPath(segments: (string | number | unknown)[]): string | null {
  let allowed: Allowed | undefined = ALLOWED_VARIABLES;
  const path: string[] = [];
  for (const segment of segments) {
    if (allowed === true) return null;
    if (typeof segment !== "string") return null; // an index or a nested lookup: only lists get here
    path.push(segment);
    allowed = allowed?.[segment];
    if (allowed === undefined) return path.join(".");
  }
  return null;
}

/**
 * Every problem in the content's Liquid, with its field, line and column: syntax errors, unknown
 * filters, variables outside PRODUCT.md §6, and discount variables in a step without an offer.
 */
export function checkTemplate(content: StepContent): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of LIQUID_FIELDS) {
    let parsed: Template[];
    try {
      parsed = engineFor(field).parse(content[field]);
    } catch (error) {
      problems.push({ field, message: cleanMessage(error), ...position(error) });
      continue;
    }
    const { globals } = engineFor(field).analyzeSync(parsed);
    const before = problems.length;
    for (const variables of Object.values(globals)) {
      for (const variable of variables) {
        const at = { line: variable.location.row, column: variable.location.col };
        const unknown = unknownPath(variable.segments);
        if (unknown) {
          problems.push({ field, message: `Unknown variable ${unknown}`, ...at });
        } else if (variable.segments[0] === "discount" && !content.showOffer) {
          problems.push({ field, message: `${variable.toString()} needs the step to show an offer`, ...at });
        }
      }
    }
    if (problems.length > before) continue;
    // What static analysis cannot see: a loop variable's fields ({{ product.titel }}), a runaway loop.
    try {
      engineFor(field).renderSync(parsed, SAMPLE_VARIABLES as unknown as object);
    } catch (error) {
      problems.push({ field, message: cleanMessage(error), ...position(error) });
      continue;
    }
    // A customer may have no products to show: {{ products.first.title }} must be guarded.
    try {
      engineFor(field).renderSync(parsed, WITHOUT_PRODUCTS as unknown as object);
    } catch (error) {
      const message = `${cleanMessage(error)} when there are no products to show; wrap it in {% if products.size > 0 %} … {% endif %}`;
      problems.push({ field, message, ...position(error) });
    }
  }
  return problems;
}

/** Realistic values for checking a template (and for previews without a customer). */
export const SAMPLE_VARIABLES: TemplateVariables = {
  customer: { first_name: "Ana", last_name: "García" },
  shop: { name: "Example Shop", url: "https://shop.example.com" },
  discount: { code: "WB-7QK2M9XR4T8Z", value: "15%", ends_at: "November 30, 2026 at 11:59 PM" },
  products: [
    {
      title: "Linen shirt",
      url: "https://shop.example.com/products/linen-shirt",
      image: "https://cdn.example.com/linen-shirt.jpg",
      price: "€49.00",
    },
  ],
  unsubscribe_url: "https://app.example.com/u/token",
  days_since_last_order: 142,
  last_order: {
    products: [
      {
        title: "Canvas tote",
        url: "https://shop.example.com/products/canvas-tote",
        image: "https://cdn.example.com/tote.jpg",
        price: "€19.00",
      },
    ],
  },
};

const WITHOUT_PRODUCTS: TemplateVariables = { ...SAMPLE_VARIABLES, products: [], last_order: { products: [] } };

/** A validated step content, parsed once and rendered for many customers. */
export interface CompiledContent {
  content: StepContent;
  templates: Record<LiquidField, Template[]>;
  /** Whether any field reads {{ last_order }} (a query the send can skip otherwise). */
  usesLastOrder: boolean;
}

export function compileContent(content: StepContent): CompiledContent {
  const templates = Object.fromEntries(LIQUID_FIELDS.map((field) => [field, engineFor(field).parse(content[field])])) as Record<
    LiquidField,
    Template[]
  >;
  const usesLastOrder = LIQUID_FIELDS.some((field) => "last_order" in engineFor(field).analyzeSync(templates[field]).globals);
  return { content, templates, usesLastOrder };
}

/** What a template sees (PRODUCT.md §6). Prices and dates arrive formatted. */
export interface TemplateProduct {
  title: string;
  url: string;
  image: string;
  price: string;
}
export interface TemplateVariables {
  customer: { first_name: string; last_name: string };
  shop: { name: string; url: string };
  discount: { code: string; value: string; ends_at: string };
  products: TemplateProduct[];
  unsubscribe_url: string;
  days_since_last_order: number | string;
  last_order: { products: TemplateProduct[] };
}

export class TemplateRenderError extends Error {
  constructor(
    readonly field: LiquidField,
    cause: unknown,
  ) {
    super(`${field}: ${cleanMessage(cause)}`);
    this.name = "TemplateRenderError";
  }
}

export function renderField(compiled: CompiledContent, field: LiquidField, variables: TemplateVariables): string {
  try {
    return String(engineFor(field).renderSync(compiled.templates[field], variables as unknown as object));
  } catch (error) {
    throw new TemplateRenderError(field, error);
  }
}
