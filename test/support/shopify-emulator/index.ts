// The local Shopify Admin emulator: see test/support/README.md.
export { ADMIN_API_VERSION, ShopifyEmulator, type EmulatorOptions } from "./emulator";
export { installApp } from "./install";
export { generateStore } from "./store-generator";
export type * from "./model";
export { OrderRefused, type ShopState } from "./shop-state";
