import type { LicenseContext } from '@lm/contracts';
import type { InstanceFacts } from '../src/shared/instance-facts';
import type { LicenseTypeKey } from '../src/tasks/domain/conversion-matrix';

/**
 * The conversions of the guide's "License type conversion" chapter as a table, one row a request:
 * the unit test of the matrix (conversion-matrix.test.ts) and the end-to-end table test
 * (test/e2e/conversion-paths.test.ts) read the same rows.
 */

const RHEL = '6cd5fxzrad0cu2j23p692xytz';
const RHEL_EMEA = '6t1yup6mik9ng3ge36n33xqhw';
const SAP_RED_HAT = 'du6111oq9lwrc996awt04qyql';
const SAP_RED_HAT_EMEA = '952qwcsxkm430zxhpy32i7w8g';
const SAP_BY_AWS = '4b0ahhwbsbbz0byu2e4cs2p1w';

const ctx = (usageOperation: string, ...productCodes: string[]): LicenseContext => ({ usageOperation, productCodes });
const BYOL = ctx('RunInstances:0800');
const LI = ctx('RunInstances:0002');
const WEB = ctx('RunInstances:0202');
const STANDARD = ctx('RunInstances:0006');
const ENTERPRISE = ctx('RunInstances:0102');

/** The instance of a row: a stopped Windows instance from the customer's own image, with Systems Manager inventory, whose license type is the row's source, unless its facts say otherwise. */
export function instanceFor(
  resourceId: string,
  source: LicenseContext,
  facts: Partial<InstanceFacts> = {},
): InstanceFacts {
  return {
    resourceId,
    state: 'stopped',
    usageOperation: source.usageOperation,
    productCodes: source.productCodes,
    platform: 'Windows',
    platformVersion: '2022',
    vCpuCount: 4,
    tenancy: 'default',
    imageOwner: 'self',
    ssmManaged: true,
    stopProtection: false,
    observedAt: '2026-03-01T00:00:00.000Z',
    ...facts,
  };
}

/** An allowed conversion: the license type it converts to and that type's License Included values. */
export interface Allowed {
  to: LicenseTypeKey;
  licenseIncluded: string[];
}

/** A refused conversion: the exact message of the InvalidParameterValueException, for the row's instance. */
export type Refusal = (resourceId: string) => string;

export type ConversionRow = [
  path: string,
  source: LicenseContext,
  destination: LicenseContext,
  outcome: Allowed | Refusal,
  facts?: Partial<InstanceFacts>,
];

export const isRefusal = (outcome: Allowed | Refusal): outcome is Refusal => typeof outcome === 'function';

const WINDOWS_BYOL = 'Windows Server BYOL (with or without SQL Server BYOL)';
const WINDOWS_LI = 'Windows Server license included (with or without SQL Server BYOL)';
const RED_HAT_LI = 'Red Hat License-Included';

const AMAZON_AMI: Refusal = (id) =>
  `Instance ${id} is launched from an Amazon owned AMI. Provide an instance launched originally from a BYOL AMI.`;
const SSM: Refusal = (id) =>
  `Failed to validate that instance ${id} was launched from a BYOL AMI. Ensure that the SSM Agent is running on your instance.`;
const INVALID_STATE: Refusal = (id) => `ResourceId - ${id} is in an invalid state for changing license type.`;
const notNeeded =
  (type: string): Refusal =>
  (id) =>
    `Not needed: instance ${id} is already ${type}, so the usage operation would not change.`;
const notSupported =
  (from: string, to: string): Refusal =>
  () =>
    `Converting ${from} to ${to} is not supported: deploy a new instance with that configuration.`;
const SQL_EDITION: Refusal = () =>
  'Changing the SQL Server edition is not a license type conversion: the source and destination both include SQL Server.';
const notUbuntuLts =
  (runs: string): Refusal =>
  (id) =>
    `The instance must be running Ubuntu LTS in order to convert the license type to Ubuntu Pro (instance ${id} runs ${runs}).`;
const RHEL_SAP_BY_AWS_ALLOWLISTED: Refusal = () =>
  'An instance cannot be converted to RHEL for SAP with HA and Update Services (sold by AWS in AWS Marketplace) unless it is allowlisted: send a request to Support.';
const sourceMismatch =
  (source: string, instance: string): Refusal =>
  (id) =>
    `The source license context (${source}) does not match instance ${id}: its license type is ${instance}.`;

const UBUNTU = { platform: 'Ubuntu', platformVersion: '22.04' };
const WINDOWS_LI_ONLY: Allowed = { to: 'WINDOWS_LI', licenseIncluded: ['windows-server-datacenter'] };
const WINDOWS_BYOL_ALLOWED: Allowed = { to: 'WINDOWS_BYOL', licenseIncluded: [] };
const sqlLicenseIncluded = (edition: 'web' | 'standard' | 'enterprise'): Allowed => ({
  to: `WINDOWS_LI_SQL_${edition.toUpperCase() as Uppercase<typeof edition>}_LI`,
  licenseIncluded: [`sql-server-${edition}`, 'windows-server-datacenter'],
});

/** Every conversion path of the guide's Windows and SQL Server matrix, Red Hat and Ubuntu sections, allowed or refused. */
export const PATH_ROWS: ConversionRow[] = [
  // Windows Server BYOL (your media), with or without SQL Server BYOL: rows 1 and 4
  ['WS BYOL -> WS LI', BYOL, LI, WINDOWS_LI_ONLY],
  ['WS BYOL -> WS LI + SQL Web LI', BYOL, WEB, sqlLicenseIncluded('web')],
  ['WS BYOL -> WS LI + SQL Standard LI', BYOL, STANDARD, sqlLicenseIncluded('standard')],
  ['WS BYOL -> WS LI + SQL Enterprise LI', BYOL, ENTERPRISE, sqlLicenseIncluded('enterprise')],
  ['WS BYOL -> WS BYOL (+ SQL BYOL): not needed', BYOL, BYOL, notNeeded(WINDOWS_BYOL)],
  // Windows Server license included, your media: row 2 and 5
  ['WS LI (your media) -> WS BYOL', LI, BYOL, WINDOWS_BYOL_ALLOWED],
  ['WS LI (imported VM of another account) -> WS BYOL', LI, BYOL, WINDOWS_BYOL_ALLOWED, { imageOwner: '123456789012' }],
  ['WS LI -> WS LI + SQL Standard LI', LI, STANDARD, sqlLicenseIncluded('standard')],
  ['WS LI -> WS LI + SQL Web LI', LI, WEB, sqlLicenseIncluded('web')],
  ['WS LI -> WS LI + SQL Enterprise LI', LI, ENTERPRISE, sqlLicenseIncluded('enterprise')],
  ['WS LI -> WS LI: not needed', LI, LI, notNeeded(WINDOWS_LI)],
  // Windows Server license included from an AWS-provided image: rows 3 and 6 (BYOL: No)
  ['WS LI (AWS image) -> WS BYOL: No', LI, BYOL, AMAZON_AMI, { imageOwner: 'amazon' }],
  [
    'WS LI (AWS image) -> WS LI + SQL Standard LI',
    LI,
    STANDARD,
    sqlLicenseIncluded('standard'),
    { imageOwner: 'amazon' },
  ],
  // SQL Server license included, your media: row 9
  ['WS LI + SQL Enterprise LI (your media) -> WS BYOL', ENTERPRISE, BYOL, WINDOWS_BYOL_ALLOWED],
  ['WS LI + SQL Standard LI (your media) -> WS LI', STANDARD, LI, WINDOWS_LI_ONLY],
  ['WS LI + SQL Web LI (your media) -> WS LI', WEB, LI, WINDOWS_LI_ONLY],
  ['WS LI + SQL Enterprise LI (your media) -> WS LI', ENTERPRISE, LI, WINDOWS_LI_ONLY],
  ['WS LI + SQL Standard LI (your media) -> WS BYOL', STANDARD, BYOL, WINDOWS_BYOL_ALLOWED],
  ['WS LI + SQL Web LI (your media) -> WS BYOL', WEB, BYOL, WINDOWS_BYOL_ALLOWED],
  ['WS LI + SQL Web LI -> WS LI + SQL Standard LI: an edition change', WEB, STANDARD, SQL_EDITION],
  ['WS LI + SQL Web LI -> WS LI + SQL Enterprise LI: an edition change', WEB, ENTERPRISE, SQL_EDITION],
  ['WS LI + SQL Standard LI -> WS LI + SQL Web LI: an edition change', STANDARD, WEB, SQL_EDITION],
  ['WS LI + SQL Standard LI -> WS LI + SQL Enterprise LI: an edition change', STANDARD, ENTERPRISE, SQL_EDITION],
  ['WS LI + SQL Enterprise LI -> WS LI + SQL Web LI: an edition change', ENTERPRISE, WEB, SQL_EDITION],
  ['WS LI + SQL Enterprise LI -> WS LI + SQL Standard LI: an edition change', ENTERPRISE, STANDARD, SQL_EDITION],
  [
    'WS LI + SQL Enterprise LI -> itself: not needed',
    ENTERPRISE,
    ENTERPRISE,
    notNeeded('Windows Server and SQL Server Enterprise license included'),
  ],
  // SQL Server license included from an AWS-provided image: row 8 (No)
  ['WS LI + SQL Standard LI (AWS image) -> WS LI: No', STANDARD, LI, AMAZON_AMI, { imageOwner: 'amazon' }],
  ['WS LI + SQL Enterprise LI (AWS image) -> WS BYOL: No', ENTERPRISE, BYOL, AMAZON_AMI, { imageOwner: 'amazon' }],
  // The SPLA limits of license-included SQL Server
  [
    'WS BYOL -> SQL Standard LI with 2 vCPUs',
    BYOL,
    STANDARD,
    (id) => `A license-included SQL Server instance must have at least 4 vCPUs; instance ${id} has 2 vCPUs.`,
    { vCpuCount: 2 },
  ],
  [
    'WS LI -> SQL Web LI on a Dedicated Host',
    LI,
    WEB,
    (id) => `License-included SQL Server cannot be run on a Dedicated Host (instance ${id}).`,
    { tenancy: 'host' },
  ],
  // Who owns the original image is unknown: the guide's Systems Manager message
  ['WS LI (image owner not reported) -> WS BYOL', LI, BYOL, SSM, { imageOwner: null }],
  // Ubuntu
  [
    'Ubuntu 22.04 LTS -> Ubuntu Pro',
    ctx('RunInstances'),
    ctx('RunInstances:0g00'),
    { to: 'UBUNTU_PRO', licenseIncluded: [] },
    UBUNTU,
  ],
  [
    'Ubuntu 18.04.1 LTS -> Ubuntu Pro',
    ctx('RunInstances'),
    ctx('RunInstances:0g00'),
    { to: 'UBUNTU_PRO', licenseIncluded: [] },
    { platform: 'Ubuntu', platformVersion: '18.04.1 LTS' },
  ],
  [
    'Ubuntu 23.10 (not LTS) -> Ubuntu Pro',
    ctx('RunInstances'),
    ctx('RunInstances:0g00'),
    notUbuntuLts('Ubuntu 23.10'),
    { platform: 'Ubuntu', platformVersion: '23.10' },
  ],
  [
    'Amazon Linux -> Ubuntu Pro',
    ctx('RunInstances'),
    ctx('RunInstances:0g00'),
    notUbuntuLts('Amazon Linux 2023'),
    { platform: 'Amazon Linux', platformVersion: '2023' },
  ],
  [
    'Ubuntu Pro -> Ubuntu LTS',
    ctx('RunInstances:0g00'),
    ctx('RunInstances'),
    () =>
      "You can't use license type conversion for a Ubuntu Pro subscription. To convert from Ubuntu Pro to Ubuntu LTS, send a request to Support.",
    UBUNTU,
  ],
  // Red Hat
  [
    'RHEL for SAP (AWS) -> RHEL for SAP (Red Hat, NA)',
    ctx('RunInstances:0010', SAP_BY_AWS),
    ctx('RunInstances:00g0', SAP_RED_HAT),
    { to: 'RHEL_SAP_BY_RED_HAT', licenseIncluded: [] },
  ],
  [
    'RHEL for SAP (AWS) -> RHEL for SAP (Red Hat, EMEA)',
    ctx('RunInstances:0010', SAP_BY_AWS),
    ctx('RunInstances:00g0', SAP_RED_HAT_EMEA),
    { to: 'RHEL_SAP_BY_RED_HAT', licenseIncluded: [] },
  ],
  [
    'RHEL for SAP (AWS) -> Red Hat Subscriptions (SaaS)',
    ctx('RunInstances:0010', SAP_BY_AWS),
    ctx('RunInstances:00g0'),
    { to: 'RED_HAT_SUBSCRIPTIONS', licenseIncluded: [] },
  ],
  [
    'Red Hat LI -> RHEL (Red Hat, NA)',
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0', RHEL),
    { to: 'RHEL_BY_RED_HAT', licenseIncluded: [] },
  ],
  [
    'Red Hat LI -> RHEL (Red Hat, EMEA)',
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0', RHEL_EMEA),
    { to: 'RHEL_BY_RED_HAT', licenseIncluded: [] },
  ],
  [
    'RHEL for AWS (RunInstances) -> Red Hat LI',
    ctx('RunInstances', RHEL),
    ctx('RunInstances:0010'),
    { to: 'RED_HAT_LI', licenseIncluded: [] },
  ],
  [
    'RHEL for AWS (00g0) -> Red Hat LI',
    ctx('RunInstances:00g0', RHEL_EMEA),
    ctx('RunInstances:0010'),
    { to: 'RED_HAT_LI', licenseIncluded: [] },
  ],
  [
    'Red Hat LI -> Red Hat Subscriptions (SaaS)',
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0'),
    { to: 'RED_HAT_SUBSCRIPTIONS', licenseIncluded: [] },
  ],
  [
    'Red Hat Subscriptions (SaaS) -> Red Hat LI',
    ctx('RunInstances:00g0'),
    ctx('RunInstances:0010'),
    { to: 'RED_HAT_LI', licenseIncluded: [] },
  ],
  [
    'RHEL for AWS -> RHEL for SAP (AWS): allowlisted only',
    ctx('RunInstances:00g0', RHEL),
    ctx('RunInstances:0010', SAP_BY_AWS),
    RHEL_SAP_BY_AWS_ALLOWLISTED,
  ],
  [
    'RHEL for SAP (Red Hat) -> RHEL for SAP (AWS): Support',
    ctx('RunInstances:00g0', SAP_RED_HAT),
    ctx('RunInstances:0010', SAP_BY_AWS),
    () =>
      'To convert from RHEL for SAP sold by Red Hat in AWS Marketplace to RHEL for SAP sold by AWS in AWS Marketplace, send a request to Support.',
  ],
  [
    'Red Hat Subscriptions -> RHEL for SAP (AWS): allowlisted only',
    ctx('RunInstances:00g0'),
    ctx('RunInstances:0010', SAP_BY_AWS),
    RHEL_SAP_BY_AWS_ALLOWLISTED,
  ],
  [
    'Red Hat LI -> RHEL for SAP (AWS): allowlisted only',
    ctx('RunInstances:0010'),
    ctx('RunInstances:0010', SAP_BY_AWS),
    RHEL_SAP_BY_AWS_ALLOWLISTED,
  ],
  [
    'Red Hat LI -> Ubuntu Pro',
    ctx('RunInstances:0010'),
    ctx('RunInstances:0g00'),
    notSupported(RED_HAT_LI, 'Ubuntu Pro'),
  ],
  [
    'Red Hat LI -> RHEL with an unknown product code',
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0', 'abc123'),
    () =>
      'License type conversion does not support the destination license context UsageOperation=RunInstances:00g0, ProductCodes=[abc123].',
  ],
  // Across families: unsupported
  ['WS BYOL -> Red Hat LI', BYOL, ctx('RunInstances:0010'), notSupported(WINDOWS_BYOL, RED_HAT_LI)],
  ['Red Hat LI -> WS LI', ctx('RunInstances:0010'), LI, notSupported(RED_HAT_LI, WINDOWS_LI)],
  ['Linux/UNIX -> WS BYOL', ctx('RunInstances'), BYOL, notSupported('Linux/UNIX (Ubuntu LTS)', WINDOWS_BYOL)],
  [
    'an unknown source usage operation',
    ctx('RunInstances:0004'),
    LI,
    () => 'License type conversion does not support the source license context UsageOperation=RunInstances:0004.',
  ],
];

/** The guide's general prerequisites of every path: a stopped instance, Systems Manager inventory, a source that is the instance's license type. */
export const PREREQUISITE_ROWS: ConversionRow[] = [
  ...['running', 'pending', 'stopping'].map((state): ConversionRow => [
    `an instance that is ${state}`,
    LI,
    BYOL,
    INVALID_STATE,
    { state },
  ]),
  ['an instance without Systems Manager inventory', LI, BYOL, SSM, { ssmManaged: false }],
  ['an instance whose Systems Manager inventory was never reported', LI, BYOL, SSM, { ssmManaged: null }],
  [
    "a source usage operation that is not the instance's",
    LI,
    BYOL,
    sourceMismatch('UsageOperation=RunInstances:0002', 'UsageOperation=RunInstances:0800'),
    { usageOperation: 'RunInstances:0800' },
  ],
  [
    "a source without the instance's product code",
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0'),
    sourceMismatch(
      'UsageOperation=RunInstances:0010',
      `UsageOperation=RunInstances:0010, ProductCodes=[${SAP_BY_AWS}]`,
    ),
    { productCodes: [SAP_BY_AWS] },
  ],
  [
    'an instance whose usage operation was never reported',
    LI,
    BYOL,
    sourceMismatch('UsageOperation=RunInstances:0002', 'not reported'),
    { usageOperation: null },
  ],
];
