/**
 * Which commercial Linux subscription an instance uses, from its AMI's billing information: the
 * guide's "Billing information for Linux subscriptions" tables, row for row. An instance is
 * classified by its usage operation AND its AWS Marketplace product code together:
 * RunInstances:0010 alone is Red Hat Enterprise Linux Server, with a Marketplace product code it
 * is RHEL for SAP with High Availability and Update Services.
 *
 * The guide names the Marketplace rows' product codes by presence only (✓), not by id, and two of
 * them have no OS usage operation at all (✗: billed as plain Linux/UNIX, `RunInstances`): those
 * two are told apart by the distribution the instance reports (its Platform, as EC2's
 * PlatformDetails or the OS name say it: SUSE or Red Hat). An instance no row matches (Amazon
 * Linux, Windows, a usage operation with a product code the table does not list) uses no
 * commercial Linux subscription: it is not discovered.
 */

/** The guide's subscription types (the Subscription's `Type`). */
export const SUBSCRIPTION_TYPES = {
  BYOS: 'Bring Your Own Subscription model (BYOS)',
  EC2_INCLUDED: 'EC2 subscription-included',
  MARKETPLACE: 'AWS Marketplace subscription',
} as const;

export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[keyof typeof SUBSCRIPTION_TYPES];

/** The usage operation of an AMI without OS billing (Linux/UNIX): the tables' ✗. */
export const PLAIN_LINUX_USAGE_OPERATION = 'RunInstances';

/** A row of the guide's tables. */
export interface ClassificationRule {
  subscriptionName: string;
  /** The usage operation, or PLAIN_LINUX_USAGE_OPERATION for ✗. */
  usageOperation: string;
  /** ✓: the AMI carries an AWS Marketplace product code; x: it carries none. */
  marketplaceProductCode: boolean;
  subscriptionType: SubscriptionType;
  /** For the ✗ rows: the distribution the instance reports (Platform), which the usage operation cannot tell. */
  platform?: RegExp;
  /** The subscription is Red Hat's: a Red Hat Subscription Manager registration is the second one (dual subscription). */
  redHat: boolean;
}

const RED_HAT = /red\s*hat|rhel/i;
const SUSE = /suse|sles/i;

const rule = (
  subscriptionName: string,
  usageOperation: string,
  marketplaceProductCode: boolean,
  subscriptionType: SubscriptionType,
  platform?: RegExp,
): ClassificationRule => ({
  subscriptionName,
  usageOperation,
  marketplaceProductCode,
  subscriptionType,
  platform,
  redHat: subscriptionName.startsWith('Red Hat'),
});

/** The guide's two tables, in its order. */
export const CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  rule('Red Hat Enterprise Linux Server BYOS', 'RunInstances:00g0', false, SUBSCRIPTION_TYPES.BYOS),
  rule('Red Hat Enterprise Linux Server', 'RunInstances:0010', false, SUBSCRIPTION_TYPES.EC2_INCLUDED),
  rule(
    'Red Hat Enterprise Linux with High Availability Add-on',
    'RunInstances:1010',
    false,
    SUBSCRIPTION_TYPES.EC2_INCLUDED,
  ),
  rule(
    'Red Hat Enterprise Linux with SQL Server Standard and High Availability',
    'RunInstances:1014',
    false,
    SUBSCRIPTION_TYPES.EC2_INCLUDED,
  ),
  rule(
    'Red Hat Enterprise Linux with SQL Server Enterprise and High Availability',
    'RunInstances:1110',
    false,
    SUBSCRIPTION_TYPES.EC2_INCLUDED,
  ),
  rule(
    'Red Hat Enterprise Linux with SQL Server Standard',
    'RunInstances:0014',
    false,
    SUBSCRIPTION_TYPES.EC2_INCLUDED,
  ),
  rule('Red Hat Enterprise Linux with SQL Server Web', 'RunInstances:0210', false, SUBSCRIPTION_TYPES.EC2_INCLUDED),
  rule(
    'Red Hat Enterprise Linux with SQL Server Enterprise',
    'RunInstances:0110',
    false,
    SUBSCRIPTION_TYPES.EC2_INCLUDED,
  ),
  rule('SUSE Linux Enterprise Server', 'RunInstances:000g', false, SUBSCRIPTION_TYPES.EC2_INCLUDED),
  rule(
    'Red Hat Enterprise Linux for SAP with High Availability and Update Services',
    'RunInstances:0010',
    true,
    SUBSCRIPTION_TYPES.MARKETPLACE,
  ),
  rule(
    'SUSE Linux Enterprise Server with SAP',
    PLAIN_LINUX_USAGE_OPERATION,
    true,
    SUBSCRIPTION_TYPES.MARKETPLACE,
    SUSE,
  ),
  rule('Ubuntu Pro', 'RunInstances:0g00', true, SUBSCRIPTION_TYPES.MARKETPLACE),
  rule(
    'Red Hat Enterprise Linux Workstation',
    PLAIN_LINUX_USAGE_OPERATION,
    true,
    SUBSCRIPTION_TYPES.MARKETPLACE,
    RED_HAT,
  ),
];

/** An AMI product code as the inventory has it (`productCodeType` null: the report did not say). */
export interface AmiProductCode {
  productCodeId: string;
  productCodeType: 'marketplace' | 'devpay' | null;
}

/** What the inventory knows of an instance that classification reads. */
export interface BillingInformation {
  usageOperation: string | null;
  productCodes: readonly AmiProductCode[];
  platform: string | null;
  platformVersion: string | null;
}

/** The subscription an instance uses, as ListLinuxSubscriptionInstances shows it. */
export interface Classification {
  subscriptionName: string;
  subscriptionType: SubscriptionType;
  /** The OS version the instance reports; undefined when it reported none. */
  osVersion?: string;
  /** Red Hat Enterprise Linux 7 Extended Lifecycle Support from a subscription-included AMI: always a dual subscription. */
  rhel7Els: boolean;
  redHat: boolean;
}

/**
 * An AWS Marketplace product code: EC2's `marketplace` type, or an unstated type (a report that
 * gave only the id); DevPay codes are no Marketplace subscription.
 */
const isMarketplace = (code: AmiProductCode) => code.productCodeType !== 'devpay';

/**
 * RHEL 7 ELS: a subscription-included Red Hat AMI whose OS version says 7 with Extended Lifecycle
 * Support (e.g. "7.9 ELS", "7-ELS"): the guide says it must still be registered with Red Hat.
 */
const RHEL_7_ELS = /^7(\b|[.\-_ ]).*\bELS\b/i;

/** The instance's subscription by the guide's tables, or undefined when it uses none of them. */
export function classify(billing: BillingInformation): Classification | undefined {
  const usageOperation = billing.usageOperation ?? PLAIN_LINUX_USAGE_OPERATION;
  const marketplace = billing.productCodes.some(isMarketplace);
  const found = CLASSIFICATION_RULES.find(
    (row) =>
      row.usageOperation === usageOperation &&
      row.marketplaceProductCode === marketplace &&
      (row.platform === undefined || row.platform.test(billing.platform ?? '')),
  );
  return found && classificationOf(found, billing.platformVersion ?? undefined);
}

/** The classification of an instance already classified as `subscriptionName` (undefined for a name of no row). */
export function classifiedAs(subscriptionName: string, osVersion: string | undefined): Classification | undefined {
  const found = CLASSIFICATION_RULES.find((row) => row.subscriptionName === subscriptionName);
  return found && classificationOf(found, osVersion);
}

function classificationOf(found: ClassificationRule, osVersion: string | undefined): Classification {
  return {
    subscriptionName: found.subscriptionName,
    subscriptionType: found.subscriptionType,
    osVersion,
    redHat: found.redHat,
    rhel7Els: found.redHat && found.subscriptionType !== SUBSCRIPTION_TYPES.BYOS && RHEL_7_ELS.test(osVersion ?? ''),
  };
}

/**
 * The guide's dual subscription ("Duplicates alert"): an instance billed for its subscription
 * (subscription-included or Marketplace, not BYOS) that is also registered with the subscription
 * provider (Red Hat Subscription Manager: a Red Hat subscription only), or a RHEL 7 ELS instance,
 * always (it must be registered with Red Hat, so the duplicate is expected).
 */
export function isDualSubscription(classification: Classification, registeredWithProvider: boolean): boolean {
  if (classification.rhel7Els) return true;
  return registeredWithProvider && classification.redHat && classification.subscriptionType !== SUBSCRIPTION_TYPES.BYOS;
}
