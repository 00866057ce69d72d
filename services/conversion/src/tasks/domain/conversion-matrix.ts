import { invalidParameterValue, type LicenseContext } from '@lm/contracts';
import type { InstanceFacts } from '../../shared/instance-facts';

/**
 * The license types of the guide's "License type conversion" chapter: how a LicenseConversionContext
 * (usage operation and marketplace product codes) reads, and what a conversion to it needs.
 * The first usage operation of a type is the one a conversion sets.
 */
interface LicenseType {
  name: string;
  usageOperations: readonly string[];
  /** `none`: no product code; an id list: exactly one of them; `other`: one code of none of the lists. */
  productCodes: 'none' | 'other' | readonly string[];
  /** License Manager's License Included values of what it includes (automated discovery rules read them). */
  licenseIncluded: readonly string[];
}

/** RHEL sold by Red Hat in AWS Marketplace (RHEL for AWS): NA & Global, EMEA. */
const RHEL_CODES = ['6cd5fxzrad0cu2j23p692xytz', '6t1yup6mik9ng3ge36n33xqhw'];
/** RHEL for SAP with HA and Update Services sold by Red Hat in AWS Marketplace: NA & Global, EMEA. */
const RHEL_SAP_RED_HAT_CODES = ['du6111oq9lwrc996awt04qyql', '952qwcsxkm430zxhpy32i7w8g'];

export const LICENSE_TYPES = {
  WINDOWS_BYOL: {
    name: 'Windows Server BYOL (with or without SQL Server BYOL)',
    usageOperations: ['RunInstances:0800'],
    productCodes: 'none',
    licenseIncluded: [],
  },
  WINDOWS_LI: {
    name: 'Windows Server license included (with or without SQL Server BYOL)',
    usageOperations: ['RunInstances:0002'],
    productCodes: 'none',
    licenseIncluded: ['windows-server-datacenter'],
  },
  WINDOWS_LI_SQL_WEB_LI: {
    name: 'Windows Server and SQL Server Web license included',
    usageOperations: ['RunInstances:0202'],
    productCodes: 'none',
    licenseIncluded: ['sql-server-web', 'windows-server-datacenter'],
  },
  WINDOWS_LI_SQL_STANDARD_LI: {
    name: 'Windows Server and SQL Server Standard license included',
    usageOperations: ['RunInstances:0006'],
    productCodes: 'none',
    licenseIncluded: ['sql-server-standard', 'windows-server-datacenter'],
  },
  WINDOWS_LI_SQL_ENTERPRISE_LI: {
    name: 'Windows Server and SQL Server Enterprise license included',
    usageOperations: ['RunInstances:0102'],
    productCodes: 'none',
    licenseIncluded: ['sql-server-enterprise', 'windows-server-datacenter'],
  },
  LINUX: {
    name: 'Linux/UNIX (Ubuntu LTS)',
    usageOperations: ['RunInstances'],
    productCodes: 'none',
    licenseIncluded: [],
  },
  UBUNTU_PRO: { name: 'Ubuntu Pro', usageOperations: ['RunInstances:0g00'], productCodes: 'none', licenseIncluded: [] },
  RED_HAT_LI: {
    name: 'Red Hat License-Included',
    usageOperations: ['RunInstances:0010'],
    productCodes: 'none',
    licenseIncluded: [],
  },
  RHEL_SAP_BY_AWS: {
    name: 'RHEL for SAP with HA and Update Services (sold by AWS in AWS Marketplace)',
    usageOperations: ['RunInstances:0010'],
    productCodes: 'other',
    licenseIncluded: [],
  },
  RHEL_BY_RED_HAT: {
    name: 'RHEL (sold by Red Hat in AWS Marketplace, RHEL for AWS)',
    usageOperations: ['RunInstances:00g0', 'RunInstances'],
    productCodes: RHEL_CODES,
    licenseIncluded: [],
  },
  RHEL_SAP_BY_RED_HAT: {
    name: 'RHEL for SAP with HA and Update Services (sold by Red Hat in AWS Marketplace)',
    usageOperations: ['RunInstances:00g0'],
    productCodes: RHEL_SAP_RED_HAT_CODES,
    licenseIncluded: [],
  },
  RED_HAT_SUBSCRIPTIONS: {
    name: 'Red Hat Subscriptions (sold by Red Hat in AWS Marketplace)',
    usageOperations: ['RunInstances:00g0'],
    productCodes: 'none',
    licenseIncluded: [],
  },
} as const satisfies Record<string, LicenseType>;

export type LicenseTypeKey = keyof typeof LICENSE_TYPES;

/** What a path needs of the instance besides its being stopped and managed by Systems Manager. */
type Condition =
  /** The guide's media compatibility: your own VM image (not an Amazon-owned AMI). */
  | 'OWN_MEDIA'
  /** The SPLA limits of license-included SQL Server: 4 vCPUs or more, not on a Dedicated Host. */
  | 'SQL_SERVER_LICENSE_INCLUDED'
  /** Ubuntu Pro only for an instance running Ubuntu LTS. */
  | 'UBUNTU_LTS';

type Path = { conditions: readonly Condition[] } | { refused: string };

const SQL_LI = ['WINDOWS_LI_SQL_WEB_LI', 'WINDOWS_LI_SQL_STANDARD_LI', 'WINDOWS_LI_SQL_ENTERPRISE_LI'] as const;
const yes = (...conditions: Condition[]): Path => ({ conditions });
const SQL_EDITION_REFUSAL =
  'Changing the SQL Server edition is not a license type conversion: the source and destination both include SQL Server.';
const UBUNTU_PRO_REFUSAL =
  "You can't use license type conversion for a Ubuntu Pro subscription. To convert from Ubuntu Pro to Ubuntu LTS, send a request to Support.";
const RHEL_SAP_BY_AWS_REFUSAL =
  'An instance cannot be converted to RHEL for SAP with HA and Update Services (sold by AWS in AWS Marketplace) unless it is allowlisted: send a request to Support.';

/**
 * The conversion paths of the guide, by source and destination; a pair that is not here is not a
 * path ("Unsupported", or "No": deploy a new instance). Windows and SQL Server follow the guide's
 * conversion paths and media compatibility tables by usage operation; Linux its Ubuntu and Red Hat
 * sections.
 */
export const CONVERSION_PATHS: Partial<Record<LicenseTypeKey, Partial<Record<LicenseTypeKey, Path>>>> = {
  WINDOWS_BYOL: {
    WINDOWS_LI: yes(),
    ...Object.fromEntries(SQL_LI.map((to) => [to, yes('SQL_SERVER_LICENSE_INCLUDED')])),
  },
  WINDOWS_LI: {
    WINDOWS_BYOL: yes('OWN_MEDIA'),
    ...Object.fromEntries(SQL_LI.map((to) => [to, yes('SQL_SERVER_LICENSE_INCLUDED')])),
  },
  // SQL Server license included: back to Windows only from your own media (an AWS-provided SQL Server image: No).
  ...Object.fromEntries(
    SQL_LI.map((from) => [
      from,
      {
        WINDOWS_BYOL: yes('OWN_MEDIA'),
        WINDOWS_LI: yes('OWN_MEDIA'),
        ...Object.fromEntries(SQL_LI.filter((to) => to !== from).map((to) => [to, { refused: SQL_EDITION_REFUSAL }])),
      },
    ]),
  ),
  LINUX: { UBUNTU_PRO: yes('UBUNTU_LTS') },
  UBUNTU_PRO: Object.fromEntries(
    (Object.keys(LICENSE_TYPES) as LicenseTypeKey[]).map((to) => [to, { refused: UBUNTU_PRO_REFUSAL }]),
  ),
  RHEL_SAP_BY_AWS: { RHEL_SAP_BY_RED_HAT: yes(), RED_HAT_SUBSCRIPTIONS: yes() },
  RED_HAT_LI: {
    RHEL_BY_RED_HAT: yes(),
    RED_HAT_SUBSCRIPTIONS: yes(),
    RHEL_SAP_BY_AWS: { refused: RHEL_SAP_BY_AWS_REFUSAL },
  },
  RHEL_BY_RED_HAT: { RED_HAT_LI: yes(), RHEL_SAP_BY_AWS: { refused: RHEL_SAP_BY_AWS_REFUSAL } },
  RHEL_SAP_BY_RED_HAT: {
    RHEL_SAP_BY_AWS: {
      refused:
        'To convert from RHEL for SAP sold by Red Hat in AWS Marketplace to RHEL for SAP sold by AWS in AWS Marketplace, send a request to Support.',
    },
  },
  RED_HAT_SUBSCRIPTIONS: { RED_HAT_LI: yes(), RHEL_SAP_BY_AWS: { refused: RHEL_SAP_BY_AWS_REFUSAL } },
};

const describe = (context: LicenseContext) =>
  `UsageOperation=${context.usageOperation}` +
  (context.productCodes.length > 0 ? `, ProductCodes=[${context.productCodes.join(', ')}]` : '');

function codesMatch(expected: LicenseType['productCodes'], codes: readonly string[]): boolean {
  if (expected === 'none') return codes.length === 0;
  if (expected === 'other')
    return codes.length === 1 && !RHEL_CODES.includes(codes[0]) && !RHEL_SAP_RED_HAT_CODES.includes(codes[0]);
  return codes.length === 1 && expected.includes(codes[0]);
}

/** The license type a context names (a source may carry any of a type's usage operations). */
export function licenseTypeOf(context: LicenseContext, role: 'source' | 'destination'): LicenseTypeKey | undefined {
  return (Object.keys(LICENSE_TYPES) as LicenseTypeKey[]).find((key) => {
    const type: LicenseType = LICENSE_TYPES[key];
    const usageOperations = role === 'destination' ? type.usageOperations.slice(0, 1) : type.usageOperations;
    return usageOperations.includes(context.usageOperation) && codesMatch(type.productCodes, context.productCodes);
  });
}

/** Ubuntu LTS releases: April of an even year (18.04, 20.04.6, 22.04.1 LTS...). */
const isUbuntuLts = (instance: InstanceFacts) =>
  /ubuntu/i.test(instance.platform ?? '') &&
  /^(\d{2})\.04(\.\d+)?( LTS)?$/i.test(instance.platformVersion ?? '') &&
  Number(instance.platformVersion!.slice(0, 2)) % 2 === 0;

export const invalidStateMessage = (resourceId: string) =>
  `ResourceId - ${resourceId} is in an invalid state for changing license type.`;
export const ssmMessage = (resourceId: string) =>
  `Failed to validate that instance ${resourceId} was launched from a BYOL AMI. Ensure that the SSM Agent is running on your instance.`;
export const amazonOwnedAmiMessage = (resourceId: string) =>
  `Instance ${resourceId} is launched from an Amazon owned AMI. Provide an instance launched originally from a BYOL AMI.`;

function checkCondition(condition: Condition, instance: InstanceFacts): void {
  const id = instance.resourceId;
  switch (condition) {
    case 'OWN_MEDIA':
      if (instance.imageOwner === 'amazon') throw invalidParameterValue(amazonOwnedAmiMessage(id));
      // Who owns the original image is what Systems Manager's inventory tells.
      if (instance.imageOwner === null) throw invalidParameterValue(ssmMessage(id));
      return;
    case 'SQL_SERVER_LICENSE_INCLUDED':
      if (instance.tenancy === 'host')
        throw invalidParameterValue(`License-included SQL Server cannot be run on a Dedicated Host (instance ${id}).`);
      if (instance.vCpuCount === null || instance.vCpuCount < 4)
        throw invalidParameterValue(
          `A license-included SQL Server instance must have at least 4 vCPUs; instance ${id} has ${instance.vCpuCount ?? 'no reported'} vCPUs.`,
        );
      return;
    case 'UBUNTU_LTS':
      if (!isUbuntuLts(instance))
        throw invalidParameterValue(
          `The instance must be running Ubuntu LTS in order to convert the license type to Ubuntu Pro (instance ${id} runs ${[instance.platform, instance.platformVersion].filter(Boolean).join(' ') || 'an unreported platform'}).`,
        );
  }
}

/** A conversion the guide allows: from and to which license types. */
export interface ConversionPath {
  from: LicenseTypeKey;
  to: LicenseTypeKey;
  /** The destination's License Included values. */
  licenseIncluded: string[];
}

/**
 * The synchronous validation of CreateLicenseConversionTaskForResource, in the guide's order and
 * words: the instance is stopped and managed by Systems Manager, the source is the instance's
 * current license type, and the destination is a path of the matrix whose conditions the instance
 * meets. Refusals are InvalidParameterValueException.
 */
export function conversionPathFor(
  instance: InstanceFacts,
  source: LicenseContext,
  destination: LicenseContext,
): ConversionPath {
  const id = instance.resourceId;
  if (instance.state !== 'stopped') throw invalidParameterValue(invalidStateMessage(id));
  if (instance.ssmManaged !== true) throw invalidParameterValue(ssmMessage(id));
  const current: LicenseContext = {
    usageOperation: instance.usageOperation ?? '',
    productCodes: instance.productCodes,
  };
  if (describe(current) !== describe(source))
    throw invalidParameterValue(
      `The source license context (${describe(source)}) does not match instance ${id}: its license type is ${instance.usageOperation === null ? 'not reported' : describe(current)}.`,
    );
  const from = licenseTypeOf(source, 'source');
  if (!from)
    throw invalidParameterValue(
      `License type conversion does not support the source license context ${describe(source)}.`,
    );
  const to = licenseTypeOf(destination, 'destination');
  if (!to)
    throw invalidParameterValue(
      `License type conversion does not support the destination license context ${describe(destination)}.`,
    );
  if (from === to)
    throw invalidParameterValue(
      `Not needed: instance ${id} is already ${LICENSE_TYPES[to].name}, so the usage operation would not change.`,
    );
  const path = CONVERSION_PATHS[from]?.[to];
  if (!path)
    throw invalidParameterValue(
      `Converting ${LICENSE_TYPES[from].name} to ${LICENSE_TYPES[to].name} is not supported: deploy a new instance with that configuration.`,
    );
  if ('refused' in path) throw invalidParameterValue(path.refused);
  for (const condition of path.conditions) checkCondition(condition, instance);
  return { from, to, licenseIncluded: [...LICENSE_TYPES[to].licenseIncluded] };
}

/** Whether an observation of the instance shows the destination license type (usage operation and product codes). */
export const showsLicenseType = (
  observed: { usageOperation: string | null; productCodes: readonly string[] },
  destination: LicenseContext,
) =>
  observed.usageOperation === destination.usageOperation &&
  JSON.stringify([...observed.productCodes].sort()) === JSON.stringify(destination.productCodes);
