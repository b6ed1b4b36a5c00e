/** How the merchant's pages name a customer. */
export function displayName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  return [firstName, lastName].filter(Boolean).join(" ") || "(no name)";
}
