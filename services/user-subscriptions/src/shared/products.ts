import { validation } from '@lm/contracts';

/**
 * The products of user-based subscriptions, by the `Product` values of the API (the guide's table
 * of supported software: Office LTSC Professional Plus 2021 and 2024 are both OFFICE_PROFESSIONAL_PLUS).
 */
export const PRODUCTS = [
  'VISUAL_STUDIO_ENTERPRISE',
  'VISUAL_STUDIO_PROFESSIONAL',
  'OFFICE_PROFESSIONAL_PLUS',
  'REMOTE_DESKTOP_SERVICES',
] as const;
export type Product = (typeof PRODUCTS)[number];

/** Win Remote Desktop Services SAL: every user of the other products needs it too. */
export const RDS_SAL: Product = 'REMOTE_DESKTOP_SERVICES';

/** The `Product` of a request: one of the API's values, else ValidationException. */
export function productOf(value: string | undefined): Product {
  if (value === undefined || !(PRODUCTS as readonly string[]).includes(value))
    throw validation(`Product ${value ?? '(none)'} is not one of ${PRODUCTS.join(', ')}.`);
  return value as Product;
}

/**
 * The guide's Active Directory table: Visual Studio and Office need an AWS Managed Microsoft AD
 * (self-managed users reach them only through a forest trust with one); RDS SAL accepts both.
 */
export const needsAwsManagedDirectory = (product: Product) => product !== RDS_SAL;
