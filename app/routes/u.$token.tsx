import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalidLinkPage, PUBLIC_PAGE_HEADERS, unsubscribeConfirmPage, unsubscribedPage } from "../email/pages";
import { unsubscribe, unsubscribeLink } from "../models/email-tracking.server";
import { guardedLink } from "../models/public-links.server";

// Unsubscribe (List-Unsubscribe). GET shows a confirmation page and changes nothing (link
// scanners follow links); POST, cookieless as RFC 8058 one-click requires, unsubscribes.
const html = (body: string, status = 200) => new Response(body, { status, headers: PUBLIC_PAGE_HEADERS });
const failed = ({ status }: { status: number }) => html(invalidLinkPage(status), status);

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  guardedLink(
    request,
    params.token ?? "",
    async () => {
      const link = await unsubscribeLink(params.token ?? "");
      return link.ok ? html(unsubscribeConfirmPage(link.shopName)) : link;
    },
    failed,
  );

export const action = ({ request, params }: ActionFunctionArgs) =>
  guardedLink(
    request,
    params.token ?? "",
    async () => {
      const done = await unsubscribe(params.token ?? "");
      return done.ok ? html(unsubscribedPage(done.shopName, done.test)) : done;
    },
    failed,
  );
