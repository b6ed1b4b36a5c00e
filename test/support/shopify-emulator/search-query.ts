/**
 * A subset of Shopify's search syntax for the `query:` argument: terms joined by spaces/AND or
 * OR, `field:value`, comparisons (`field:>value`, `>=`, `<`, `<=`), negation (`-field:value`,
 * `NOT field:value`, `NOT (…)`), parentheses, quoted values, `*` prefix wildcards, and bare words matched against the
 * resource's default text. Fields the resource does not know are ignored with a warning, as
 * Shopify does (reported under `extensions.search`).
 */

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

interface Term {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** How one resource exposes a field to search: its value(s) for a record. */
export type SearchField<T> = (record: T) => string | number | boolean | null | undefined | (string | number)[];

export interface SearchSpec<T> {
  fields: Record<string, SearchField<T>>;
  /** What a bare word is matched against. */
  text: (record: T) => string;
}

export interface CompiledSearch<T> {
  matches: (record: T) => boolean;
  unknownFields: string[];
}

function tokenize(query: string): string[] {
  return query.match(/-?[\w.]+:(?:>=|<=|>|<)?(?:"[^"]*"|'[^']*'|[^\s()]+)|"[^"]*"|'[^']*'|-(?=\()|\(|\)|[^\s()]+/g) ?? [];
}

function parseTerm(token: string, negated: boolean): Term {
  const match = /^(-?)([\w.]+):(>=|<=|>|<)?(.*)$/.exec(token);
  const unquote = (value: string) => value.replace(/^(["'])(.*)\1$/, "$2");
  if (!match) return { field: null, comparator: ":", value: unquote(token), negated };
  return {
    field: match[2]!.toLowerCase(),
    comparator: (match[3] ?? ":") as Comparator,
    value: unquote(match[4]!),
    negated: negated || match[1] === "-",
  };
}

function compare(actual: string | number | boolean, comparator: Comparator, expected: string): boolean {
  if (comparator === ":") {
    const text = String(actual).toLowerCase();
    const wanted = expected.toLowerCase();
    return wanted.endsWith("*") ? text.startsWith(wanted.slice(0, -1)) : text === wanted;
  }
  const left = typeof actual === "number" ? actual : Date.parse(String(actual));
  const right = typeof actual === "number" ? Number(expected) : Date.parse(expected);
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  return comparator === ">" ? left > right : comparator === ">=" ? left >= right : comparator === "<" ? left < right : left <= right;
}

type Expression<T> = (record: T) => boolean;

/**
 * Grammar: or := and ("OR" and)* ; and := unary (["AND"] unary)* ; unary := ("NOT" | "-") unary |
 * "(" or ")" | term. A leading "-" on a field term negates it (`-status:open`).
 */
export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>): CompiledSearch<T> {
  if (!query?.trim()) return { matches: () => true, unknownFields: [] };
  const tokens = tokenize(query);
  const unknownFields: string[] = [];
  let at = 0;
  const always: Expression<T> = () => true;

  const holds =
    (term: Term): Expression<T> =>
    (record) => {
      let result: boolean;
      if (term.field === null) {
        result = spec.text(record).toLowerCase().includes(term.value.toLowerCase());
      } else {
        const value = spec.fields[term.field]!(record);
        const values = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
        result = values.some((candidate) => compare(candidate, term.comparator, term.value));
      }
      return term.negated ? !result : result;
    };

  const parseOr = (): Expression<T> => {
    const alternatives = [parseAnd()];
    while (tokens[at] === "OR") {
      at++;
      alternatives.push(parseAnd());
    }
    return alternatives.length === 1 ? alternatives[0]! : (record) => alternatives.some((alternative) => alternative(record));
  };
  const parseAnd = (): Expression<T> => {
    const parts: Expression<T>[] = [];
    while (at < tokens.length && tokens[at] !== "OR" && tokens[at] !== ")") {
      if (tokens[at] === "AND") {
        at++;
        continue;
      }
      parts.push(parseUnary());
    }
    return (record) => parts.every((part) => part(record));
  };
  const parseUnary = (): Expression<T> => {
    const token = tokens[at++]!;
    if (token === "NOT" || token === "-") {
      const inner = parseUnary();
      return (record) => !inner(record);
    }
    if (token === "(") {
      const inner = parseOr();
      if (tokens[at] === ")") at++;
      return inner;
    }
    const term = parseTerm(token, false);
    if (term.field !== null && !(term.field in spec.fields)) {
      unknownFields.push(term.field); // ignored, as Shopify ignores invalid fields
      return always;
    }
    return holds(term);
  };

  const expression = parseOr();
  return { matches: expression, unknownFields };
}
