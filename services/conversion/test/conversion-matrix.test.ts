import type { LicenseContext } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import type { InstanceFacts } from '../src/shared/instance-facts';
import { conversionPathFor, type LicenseTypeKey } from '../src/tasks/domain/conversion-matrix';

const ID = 'i-0123456789abcdef0';
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

/** A stopped Windows instance from the customer's own image, with Systems Manager inventory: eligible unless a row says. */
function instanceFor(source: LicenseContext, facts: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    resourceId: ID,
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

type Row = [
  path: string,
  source: LicenseContext,
  destination: LicenseContext,
  outcome: { to: LicenseTypeKey; licenseIncluded: string[] } | RegExp,
  facts?: Partial<InstanceFacts>,
];

const AMAZON_AMI =
  /^Instance i-0123456789abcdef0 is launched from an Amazon owned AMI\. Provide an instance launched originally from a BYOL AMI\.$/;
const NOT_SUPPORTED = /is not supported: deploy a new instance/;
const NOT_NEEDED =
  /^Not needed: instance i-0123456789abcdef0 is already .*, so the usage operation would not change\.$/;
const SQL_EDITION = /^Changing the SQL Server edition is not a license type conversion/;
const UBUNTU = { platform: 'Ubuntu', platformVersion: '22.04' };

/** Every conversion path of the guide's Windows and SQL Server matrix, Red Hat and Ubuntu sections, allowed or refused. */
const ROWS: Row[] = [
  // Windows Server BYOL (your media), with or without SQL Server BYOL: rows 1 and 4
  ['WS BYOL -> WS LI', BYOL, LI, { to: 'WINDOWS_LI', licenseIncluded: ['windows-server-datacenter'] }],
  [
    'WS BYOL -> WS LI + SQL Web LI',
    BYOL,
    WEB,
    { to: 'WINDOWS_LI_SQL_WEB_LI', licenseIncluded: ['sql-server-web', 'windows-server-datacenter'] },
  ],
  [
    'WS BYOL -> WS LI + SQL Standard LI',
    BYOL,
    STANDARD,
    { to: 'WINDOWS_LI_SQL_STANDARD_LI', licenseIncluded: ['sql-server-standard', 'windows-server-datacenter'] },
  ],
  [
    'WS BYOL -> WS LI + SQL Enterprise LI',
    BYOL,
    ENTERPRISE,
    { to: 'WINDOWS_LI_SQL_ENTERPRISE_LI', licenseIncluded: ['sql-server-enterprise', 'windows-server-datacenter'] },
  ],
  ['WS BYOL -> WS BYOL (+ SQL BYOL): not needed', BYOL, BYOL, NOT_NEEDED],
  // Windows Server license included, your media: row 2 and 5
  ['WS LI (your media) -> WS BYOL', LI, BYOL, { to: 'WINDOWS_BYOL', licenseIncluded: [] }],
  [
    'WS LI (imported VM of another account) -> WS BYOL',
    LI,
    BYOL,
    { to: 'WINDOWS_BYOL', licenseIncluded: [] },
    { imageOwner: '123456789012' },
  ],
  [
    'WS LI -> WS LI + SQL Standard LI',
    LI,
    STANDARD,
    { to: 'WINDOWS_LI_SQL_STANDARD_LI', licenseIncluded: ['sql-server-standard', 'windows-server-datacenter'] },
  ],
  [
    'WS LI -> WS LI + SQL Web LI',
    LI,
    WEB,
    { to: 'WINDOWS_LI_SQL_WEB_LI', licenseIncluded: ['sql-server-web', 'windows-server-datacenter'] },
  ],
  [
    'WS LI -> WS LI + SQL Enterprise LI',
    LI,
    ENTERPRISE,
    { to: 'WINDOWS_LI_SQL_ENTERPRISE_LI', licenseIncluded: ['sql-server-enterprise', 'windows-server-datacenter'] },
  ],
  ['WS LI -> WS LI: not needed', LI, LI, NOT_NEEDED],
  // Windows Server license included from an AWS-provided image: rows 3 and 6 (BYOL: No)
  ['WS LI (AWS image) -> WS BYOL: No', LI, BYOL, AMAZON_AMI, { imageOwner: 'amazon' }],
  [
    'WS LI (AWS image) -> WS LI + SQL Standard LI',
    LI,
    STANDARD,
    { to: 'WINDOWS_LI_SQL_STANDARD_LI', licenseIncluded: ['sql-server-standard', 'windows-server-datacenter'] },
    { imageOwner: 'amazon' },
  ],
  // SQL Server license included, your media: row 9
  ['WS LI + SQL Enterprise LI (your media) -> WS BYOL', ENTERPRISE, BYOL, { to: 'WINDOWS_BYOL', licenseIncluded: [] }],
  [
    'WS LI + SQL Standard LI (your media) -> WS LI',
    STANDARD,
    LI,
    { to: 'WINDOWS_LI', licenseIncluded: ['windows-server-datacenter'] },
  ],
  [
    'WS LI + SQL Web LI (your media) -> WS LI',
    WEB,
    LI,
    { to: 'WINDOWS_LI', licenseIncluded: ['windows-server-datacenter'] },
  ],
  ['WS LI + SQL Web LI -> WS LI + SQL Standard LI: an edition change', WEB, STANDARD, SQL_EDITION],
  ['WS LI + SQL Standard LI -> WS LI + SQL Enterprise LI: an edition change', STANDARD, ENTERPRISE, SQL_EDITION],
  ['WS LI + SQL Enterprise LI -> itself: not needed', ENTERPRISE, ENTERPRISE, NOT_NEEDED],
  // SQL Server license included from an AWS-provided image: row 8 (No)
  ['WS LI + SQL Standard LI (AWS image) -> WS LI: No', STANDARD, LI, AMAZON_AMI, { imageOwner: 'amazon' }],
  ['WS LI + SQL Enterprise LI (AWS image) -> WS BYOL: No', ENTERPRISE, BYOL, AMAZON_AMI, { imageOwner: 'amazon' }],
  // The SPLA limits of license-included SQL Server
  [
    'WS BYOL -> SQL Standard LI with 2 vCPUs',
    BYOL,
    STANDARD,
    /^A license-included SQL Server instance must have at least 4 vCPUs; instance i-0123456789abcdef0 has 2 vCPUs\.$/,
    { vCpuCount: 2 },
  ],
  [
    'WS LI -> SQL Web LI on a Dedicated Host',
    LI,
    WEB,
    /^License-included SQL Server cannot be run on a Dedicated Host/,
    { tenancy: 'host' },
  ],
  // Who owns the original image is unknown: the guide's Systems Manager message
  [
    'WS LI (image owner not reported) -> WS BYOL',
    LI,
    BYOL,
    /^Failed to validate that instance i-0123456789abcdef0 was launched from a BYOL AMI\./,
    { imageOwner: null },
  ],
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
    /^The instance must be running Ubuntu LTS in order to convert the license type to Ubuntu Pro/,
    { platform: 'Ubuntu', platformVersion: '23.10' },
  ],
  [
    'Amazon Linux -> Ubuntu Pro',
    ctx('RunInstances'),
    ctx('RunInstances:0g00'),
    /must be running Ubuntu LTS/,
    { platform: 'Amazon Linux', platformVersion: '2023' },
  ],
  [
    'Ubuntu Pro -> Ubuntu LTS',
    ctx('RunInstances:0g00'),
    ctx('RunInstances'),
    /^You can't use license type conversion for a Ubuntu Pro subscription/,
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
    'RHEL for SAP (Red Hat) -> RHEL for SAP (AWS): Support',
    ctx('RunInstances:00g0', SAP_RED_HAT),
    ctx('RunInstances:0010', SAP_BY_AWS),
    /^To convert from RHEL for SAP sold by Red Hat .* send a request to Support\.$/,
  ],
  [
    'Red Hat Subscriptions -> RHEL for SAP (AWS): allowlisted only',
    ctx('RunInstances:00g0'),
    ctx('RunInstances:0010', SAP_BY_AWS),
    /unless it is allowlisted: send a request to Support\.$/,
  ],
  ['Red Hat LI -> Ubuntu Pro', ctx('RunInstances:0010'), ctx('RunInstances:0g00'), NOT_SUPPORTED],
  [
    'Red Hat LI -> RHEL with an unknown product code',
    ctx('RunInstances:0010'),
    ctx('RunInstances:00g0', 'abc123'),
    /^License type conversion does not support the destination license context UsageOperation=RunInstances:00g0, ProductCodes=\[abc123\]\.$/,
  ],
  // Across families: unsupported
  ['WS BYOL -> Red Hat LI', BYOL, ctx('RunInstances:0010'), NOT_SUPPORTED],
  ['Red Hat LI -> WS LI', ctx('RunInstances:0010'), LI, NOT_SUPPORTED],
  ['Linux/UNIX -> WS BYOL', ctx('RunInstances'), BYOL, NOT_SUPPORTED],
  [
    'an unknown source usage operation',
    ctx('RunInstances:0004'),
    LI,
    /^License type conversion does not support the source license context UsageOperation=RunInstances:0004\.$/,
  ],
];

describe('the conversion matrix: every path of the guide', () => {
  it.each(ROWS)('%s', (_path, source, destination, outcome, facts) => {
    const decide = () => conversionPathFor(instanceFor(source, facts), source, destination);
    if (outcome instanceof RegExp) {
      expect(decide).toThrow(
        expect.objectContaining({ name: 'InvalidParameterValueException', message: expect.stringMatching(outcome) }),
      );
    } else {
      expect(decide()).toMatchObject(outcome);
    }
  });
});

describe("the conversion's general prerequisites, in the guide's words", () => {
  const refusal = (facts: Partial<InstanceFacts>, source = LI) =>
    expect(() => conversionPathFor(instanceFor(source, facts), source, BYOL)).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValueException' }),
    );

  it('refuses an instance that is not stopped', () => {
    for (const state of ['running', 'pending', 'stopping'])
      expect(() => conversionPathFor(instanceFor(LI, { state }), LI, BYOL)).toThrow(
        `ResourceId - ${ID} is in an invalid state for changing license type.`,
      );
  });

  it('refuses an instance without Systems Manager inventory, or whose inventory was never reported', () => {
    for (const ssmManaged of [false, null])
      expect(() => conversionPathFor(instanceFor(LI, { ssmManaged }), LI, BYOL)).toThrow(
        `Failed to validate that instance ${ID} was launched from a BYOL AMI. Ensure that the SSM Agent is running on your instance.`,
      );
  });

  it("refuses a source that is not the instance's license type (usage operation or product codes)", () => {
    expect(() => conversionPathFor(instanceFor(BYOL), LI, BYOL)).toThrow(
      `The source license context (UsageOperation=RunInstances:0002) does not match instance ${ID}: its license type is UsageOperation=RunInstances:0800.`,
    );
    const sap = ctx('RunInstances:0010', SAP_BY_AWS);
    expect(() => conversionPathFor(instanceFor(sap), ctx('RunInstances:0010'), ctx('RunInstances:00g0'))).toThrow(
      /its license type is UsageOperation=RunInstances:0010, ProductCodes=\[4b0ahhwbsbbz0byu2e4cs2p1w\]/,
    );
    refusal({ usageOperation: null });
  });
});
