import { queryRow, type Db } from "../db.server";
import type { ShopForEmail } from "../email/shop";

/** The shop's row as its e-mails need it (app/email/shop.ts turns it into what they show), and whether it is installed. */
export interface EmailShopRow extends ShopForEmail {
  uninstalledAt: Date | null;
}

export async function readEmailShop(shopId: number, deps: { db?: Db } = {}): Promise<EmailShopRow | undefined> {
  return queryRow<EmailShopRow>(
    `SELECT domain, name, primary_domain_url, currency_code, iana_timezone, postal_address, settings, contact_email, uninstalled_at
     FROM shops WHERE id = $1`,
    [shopId],
    deps.db,
  );
}
