import { readFileSync } from 'node:fs';
import { invalid, setting } from '@lm/service-kit';
import { BUILT_IN_PRODUCT_CODES, productCodeTableOf, type ProductCodeTable } from '../domain/product-codes';

/** The product code table's token: the built-in table and the deployment's file. */
export const PRODUCT_CODES = Symbol('ProductCodes');

/**
 * LM_USER_SUBSCRIPTION_PRODUCT_CODES: a JSON file `{"<ProductCodeId>": ["<Product>", ...]}` that
 * extends the built-in table; a file that cannot be read or does not fit stops the service at start.
 */
export const productCodeSetting = setting('LM_USER_SUBSCRIPTION_PRODUCT_CODES', (raw): ProductCodeTable => {
  if (raw === undefined) return BUILT_IN_PRODUCT_CODES;
  try {
    return productCodeTableOf(JSON.parse(readFileSync(raw, 'utf8')));
  } catch (error) {
    throw invalid(
      'LM_USER_SUBSCRIPTION_PRODUCT_CODES',
      `a readable JSON file of product codes to products (${(error as Error).message})`,
      raw,
    );
  }
});
