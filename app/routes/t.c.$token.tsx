import type { LoaderFunctionArgs } from "@remix-run/node";
import { invalidLinkPage, PUBLIC_PAGE_HEADERS } from "../email/pages";
import { click } from "../models/email-tracking.server";
import { guardedLink } from "../models/public-links.server";

// A tracked link: redirects only to the destination recorded when the e-mail was sent.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  guardedLink(
    request,
    params.token ?? "",
    async () => {
      const result = await click(params.token ?? "");
      if (!result.ok) return result;
      // no-referrer: the token must not travel to the shop in the Referer header.
      return new Response(null, {
        status: 302,
        headers: { Location: result.url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
      });
    },
    ({ status }) => new Response(invalidLinkPage(status), { status, headers: PUBLIC_PAGE_HEADERS }),
  );
