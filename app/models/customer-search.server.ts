/**
 * The merchant's search for customers by name or e-mail (the preview's picker, a campaign's
 * customer list): a case-insensitive "contains", with LIKE's wildcards in the term taken literally.
 * It reads every customer it filters; the lists it serves are short and shop-scoped.
 */

export function searchPattern(term: string): string {
  return `%${term.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The condition on customers row `c`: `term` (the trimmed term, '' for all) and `pattern` are parameter placeholders. */
export function matchesSearch(term: string, pattern: string): string {
  return `(${term} = '' OR c.email ILIKE ${pattern} OR c.first_name ILIKE ${pattern} OR c.last_name ILIKE ${pattern}
          OR (c.first_name || ' ' || c.last_name) ILIKE ${pattern})`;
}
