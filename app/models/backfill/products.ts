import type { BackfillProductsQuery } from "../../types/admin.generated";
import { numericId, type BackfillPhaseImport, type ChildLine, type JsonlLine, type PhaseBatch, type RootLine } from "./phase";

/** The products phase: what recommendations pick from (status, availability, type, vendor, collections, price and cost). */

const BULK_QUERY = `#graphql
  query BackfillProducts {
    products {
      edges {
        node {
          id
          title
          handle
          status
          productType
          vendor
          publishedAt
          updatedAt
          featuredMedia { preview { image { url } } }
          collections { edges { node { title } } }
          variants { edges { node { price availableForSale inventoryItem { unitCost { amount } } } } }
        }
      }
    }
  }`;

type ProductNode = BackfillProductsQuery["products"]["edges"][number]["node"];
type ProductLine = RootLine<ProductNode, "collections" | "variants">;
type CollectionLine = ChildLine<ProductNode["collections"]["edges"][number]["node"]>;
type VariantLine = ChildLine<ProductNode["variants"]["edges"][number]["node"]>;

interface Product {
  line: ProductLine;
  collections: string[];
  variants: { price: number; cost: string | null; available: boolean }[];
}

class ProductsBatch implements PhaseBatch {
  private products = new Map<string, Product>();

  get roots(): number {
    return this.products.size;
  }

  add(line: JsonlLine): void {
    if (!line.__parentId) {
      const product = line as ProductLine;
      this.products.set(product.id, { line: product, collections: [], variants: [] });
      return;
    }
    const product = this.products.get(line.__parentId);
    if (!product) return;
    // A collection's line has a title; a variant's has none.
    if (typeof line.title === "string") product.collections.push((line as CollectionLine).title);
    else {
      const variant = line as VariantLine;
      product.variants.push({
        price: Number(variant.price),
        cost: variant.inventoryItem?.unitCost?.amount ?? null,
        available: variant.availableForSale === true,
      });
    }
  }

  *rows(): Iterable<unknown[]> {
    for (const { line: product, collections, variants } of this.products.values()) {
      const cheapest = [...variants].sort((a, b) => a.price - b.price)[0];
      yield [
        numericId(product.id),
        product.title,
        product.handle,
        product.featuredMedia?.preview?.image?.url ?? null,
        cheapest ? cheapest.price.toFixed(2) : "0.00",
        cheapest?.cost ?? null,
        product.status,
        product.publishedAt !== null && product.publishedAt !== undefined,
        variants.some((variant) => variant.available),
        product.productType,
        product.vendor,
        collections,
        product.updatedAt,
      ];
    }
  }
}

export const productsPhase: BackfillPhaseImport = {
  bulkQuery: BULK_QUERY,
  target: {
    table: "products",
    columns:
      "shop_id, id, title, handle, image_url, price, unit_cost, status, published, available, product_type, vendor, collections, shopify_updated_at",
    onConflict: `DO UPDATE SET
      title = EXCLUDED.title, handle = EXCLUDED.handle, image_url = EXCLUDED.image_url, price = EXCLUDED.price,
      unit_cost = EXCLUDED.unit_cost, status = EXCLUDED.status, published = EXCLUDED.published, available = EXCLUDED.available,
      product_type = EXCLUDED.product_type, vendor = EXCLUDED.vendor, collections = EXCLUDED.collections,
      shopify_updated_at = EXCLUDED.shopify_updated_at`,
    counter: "products_imported",
  },
  newBatch: () => new ProductsBatch(),
};
