/**
 * What the request log may say about a URL: the path without its query string (Shopify's `hmac`,
 * `id_token`, `shop` and `host` ride there) and with the public links' signed tokens replaced, so
 * no token that unsubscribes, or identifies a customer's e-mail, reaches a log.
 */
const TOKEN_PATHS = /^\/(u|t\/c|t\/o)\/[^/]+/;

export function loggablePath(pathname: string): string {
  return pathname.replace(TOKEN_PATHS, (_, prefix: string) => `/${prefix}/:token`);
}
