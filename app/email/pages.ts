import { escapeHtml } from "./render";

/**
 * The small pages a customer sees after following a link in an e-mail: no scripts, no cookies,
 * nothing loaded from elsewhere.
 */

export const PUBLIC_PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
  "Cache-Control": "no-store",
};

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { margin:0; padding:48px 16px; background:#f4f4f5; font:16px/1.6 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif; color:#222; }
  main { max-width:480px; margin:0 auto; background:#fff; border-radius:8px; padding:32px; }
  h1 { font-size:22px; margin:0 0 12px; }
  button { font:inherit; font-weight:600; padding:12px 24px; border:0; border-radius:6px; background:#222; color:#fff; cursor:pointer; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function unsubscribeConfirmPage(shopName: string): string {
  const shop = escapeHtml(shopName);
  return page(
    `Unsubscribe from ${shopName}`,
    `<h1>Unsubscribe from ${shop}?</h1>
<p>You will no longer receive marketing e-mails from ${shop}.</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(shopName: string, test: boolean): string {
  const shop = escapeHtml(shopName);
  return test
    ? page(
        "Test e-mail",
        `<h1>This was a test e-mail</h1><p>Nothing changed: a test send from ${shop} only shows what customers will see.</p>`,
      )
    : page("Unsubscribed", `<h1>You are unsubscribed</h1><p>${shop} will not send you marketing e-mails any more.</p>`);
}

export function invalidLinkPage(status: number): string {
  return status === 410
    ? page("Link expired", "<h1>This link has expired</h1><p>Please use the link in a more recent e-mail.</p>")
    : page("Link not valid", "<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>");
}
