import type { ProductCode } from '@lm/contracts';
import { PRODUCTS, type Product } from '../../shared/products';

/**
 * Which user-based subscription products an AMI product code stands for: the table `ProductCodes`
 * of an instance are read with. AWS publishes no product codes for License Manager's
 * user-subscription AMIs (neither the guide nor the models name them), so this deployment ships
 * none of its own: a deployment names its AMIs' codes in the JSON file LM_USER_SUBSCRIPTION_PRODUCT_CODES
 * points to, `{"<ProductCodeId>": ["VISUAL_STUDIO_ENTERPRISE", ...]}` (docs/user-subscriptions.md#instances).
 */
export type ProductCodeTable = ReadonlyMap<string, readonly Product[]>;

/** Built into this deployment: none (see above); the setting's file adds to it. */
export const BUILT_IN_PRODUCT_CODES: ProductCodeTable = new Map();

/** The table of a JSON document `{code: [Product, ...]}`, or an Error saying what is wrong with it. */
export function productCodeTableOf(
  document: unknown,
  base: ProductCodeTable = BUILT_IN_PRODUCT_CODES,
): ProductCodeTable {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new Error('the product code table must be a JSON object of product code ids to lists of products');
  const table = new Map(base);
  for (const [code, products] of Object.entries(document)) {
    if (!/^[a-zA-Z0-9]+$/.test(code)) throw new Error(`${code} is not a product code id`);
    if (!Array.isArray(products) || products.some((p) => !(PRODUCTS as readonly unknown[]).includes(p)))
      throw new Error(`product code ${code} must map to a list of ${PRODUCTS.join(', ')}`);
    table.set(code, products as Product[]);
  }
  return table;
}

/**
 * What an instance provides of the products its identity provider's registrations are for: all of
 * them, unless its product codes name some: then those only. Codes the table does not know (the
 * Windows AMI's own, say) narrow nothing.
 */
export function providedProducts(
  registered: readonly Product[],
  productCodes: readonly ProductCode[],
  table: ProductCodeTable,
): Product[] {
  const named = new Set(productCodes.flatMap((code) => table.get(code.productCodeId) ?? []));
  return named.size === 0 ? [...registered] : registered.filter((product) => named.has(product));
}
