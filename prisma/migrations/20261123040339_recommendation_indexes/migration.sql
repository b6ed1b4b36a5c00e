-- CreateIndex
CREATE INDEX "products_shop_id_product_type_orders_count_idx" ON "products"("shop_id", "product_type", "orders_count" DESC);

-- CreateIndex
CREATE INDEX "products_shop_id_vendor_orders_count_idx" ON "products"("shop_id", "vendor", "orders_count" DESC);

-- CreateIndex
CREATE INDEX "products_collections_idx" ON "products" USING GIN ("collections");

-- CreateIndex
CREATE INDEX "product_pairs_shop_id_product_id_orders_idx" ON "product_pairs"("shop_id", "product_id", "orders" DESC);

