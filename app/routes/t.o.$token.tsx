import type { LoaderFunctionArgs } from "@remix-run/node";
import { open } from "../models/email-tracking.server";
import { guardedLink } from "../models/public-links.server";

// The open pixel: a transparent 1×1 GIF, recording the first open.
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  guardedLink(
    request,
    params.token ?? "",
    async () => {
      const result = await open(params.token ?? "");
      if (!result.ok) return result;
      return new Response(PIXEL, {
        headers: { "Content-Type": "image/gif", "Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer" },
      });
    },
    ({ status }) => new Response(null, { status, headers: { "Cache-Control": "no-store" } }),
  );
