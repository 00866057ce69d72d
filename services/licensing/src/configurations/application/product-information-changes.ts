/**
 * Told when a configuration's product information changed (created with products, updated, made
 * AVAILABLE again), so that automated discovery looks for its products in the inventory it
 * covers. A port: discovery lives in the specifications slice, which builds on this one.
 */
export interface ProductInformationChanges {
  onProductInformationChanged(configurationArn: string): Promise<void>;
}

export const PRODUCT_INFORMATION_CHANGES = Symbol('ProductInformationChanges');
