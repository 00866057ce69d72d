import type { Decider } from '@lm/event-store';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseCommand } from './commands';
import { clientTokenReused, licenseNotFound, redirectToHomeRegion, staleVersion } from './errors';
import { validation, withTags } from '@lm/contracts';
import type { LicenseDocument, LicenseEvent } from './events';
import {
  currentLicense,
  evolveLicense,
  initialLicenseState,
  issuedVersion,
  type LicenseAggregate,
  type LicenseState,
} from './license';
import { renewalFrequency, renewedEnd } from './renewal';
import { assertConsumptionConfiguration, assertEntitlements, assertText, assertValidity } from './license-definition';

/** LicenseName: the console's limit (the API has none). */
const MAX_NAME_LENGTH = 150;

/** Statuses in which a licence is in its term, and so expires when its Validity.End passes. */
const IN_TERM: ReadonlySet<LicenseManager.LicenseStatus> = new Set(['AVAILABLE', 'PENDING_AVAILABLE']);

/** What an issuer may set with a new version; deletion has its own operation. */
const VERSION_STATUSES: ReadonlySet<LicenseManager.LicenseStatus> = new Set([
  'AVAILABLE',
  'PENDING_AVAILABLE',
  'DEACTIVATED',
  'SUSPENDED',
  'EXPIRED',
]);

type Definition = Pick<
  LicenseDocument,
  | 'LicenseName'
  | 'ProductName'
  | 'HomeRegion'
  | 'Validity'
  | 'Entitlements'
  | 'ConsumptionConfiguration'
  | 'LicenseMetadata'
>;

function assertDefinition(definition: Definition, region: string): void {
  // The guide: a licence is replicated to every Region but changed only in its home Region.
  if (definition.HomeRegion !== region) throw redirectToHomeRegion(definition.HomeRegion);
  assertText(definition.LicenseName ?? '', 'LicenseName', MAX_NAME_LENGTH);
  assertText(definition.ProductName ?? '', 'ProductName', 1024);
  assertValidity(definition.Validity);
  assertEntitlements(definition.Entitlements);
  assertConsumptionConfiguration(definition.ConsumptionConfiguration);
}

/** The issuer's live licence; anyone else is told it does not exist (the application tells grantees more). */
function issuedLicense(
  state: LicenseState,
  command: { arn: string; accountId: string; region: string },
): LicenseAggregate {
  if (state.status !== 'present' || state.license.issuerAccountId !== command.accountId)
    throw licenseNotFound(command.arn);
  const current = currentLicense(state.license);
  if (current.HomeRegion !== command.region) throw redirectToHomeRegion(current.HomeRegion);
  if (state.license.deletionDate)
    throw validation(`License ${command.arn} is deleted: it is kept read-only and cannot change.`);
  return state.license;
}

function assertSourceVersion(license: LicenseAggregate, sourceVersion: string | undefined): string {
  const current = currentLicense(license).Version;
  if (sourceVersion !== undefined && sourceVersion !== current)
    throw staleVersion(`License ${license.arn}`, sourceVersion, current);
  return current;
}

/** A retried request (same ClientToken, same request) decides nothing; another request with its token is refused. */
function alreadyDone(license: LicenseAggregate, command: { clientToken: string; requestHash: string }): boolean {
  const previous = license.clientTokens[command.clientToken];
  if (previous && previous.requestHash !== command.requestHash) throw clientTokenReused(command.clientToken);
  return previous !== undefined;
}

export function decideLicense(command: LicenseCommand, state: LicenseState): LicenseEvent[] {
  switch (command.type) {
    case 'CreateLicense': {
      if (state.status !== 'absent') throw validation(`License ${command.arn} already exists.`);
      const { input } = command;
      const license: LicenseDocument = {
        LicenseArn: command.arn,
        LicenseName: input.LicenseName,
        ProductName: input.ProductName,
        ProductSKU: input.ProductSKU,
        Issuer: command.issuer,
        HomeRegion: input.HomeRegion,
        Status: 'AVAILABLE',
        Validity: input.Validity,
        Beneficiary: input.Beneficiary,
        Entitlements: input.Entitlements,
        ConsumptionConfiguration: input.ConsumptionConfiguration,
        LicenseMetadata: input.LicenseMetadata ?? [],
        CreateTime: command.now.toISOString(),
        Version: '1',
      };
      assertDefinition(license, command.region);
      assertText(input.ProductSKU, 'ProductSKU', 1024);
      assertText(input.Beneficiary, 'Beneficiary', 1024);
      assertText(input.Issuer.Name, 'Issuer.Name', 1024);
      withTags([], input.Tags ?? []);
      const { clientToken, requestHash } = command;
      return [
        {
          type: 'LicenseCreated',
          data: { license, issuerAccountId: command.accountId, tags: input.Tags ?? [], clientToken, requestHash },
        },
      ];
    }
    case 'CreateLicenseVersion': {
      const existing = issuedLicense(state, command);
      if (alreadyDone(existing, command)) return [];
      const sourceVersion = assertSourceVersion(existing, command.input.SourceVersion);
      const { input } = command;
      const previous = currentLicense(existing);
      if (input.HomeRegion !== previous.HomeRegion)
        throw validation(`HomeRegion cannot change (it is ${previous.HomeRegion}).`);
      if (!VERSION_STATUSES.has(input.Status)) {
        throw validation(
          `Status ${input.Status} cannot be set with a new version; one of ${[...VERSION_STATUSES].join(', ')} can (DeleteLicense deletes).`,
        );
      }
      assertText(input.Issuer.Name, 'Issuer.Name', 1024);
      const version = String(Number(sourceVersion) + 1);
      // A full replacement of the definition; the product and its beneficiary stay the licence's.
      const license: LicenseDocument = {
        ...previous,
        LicenseName: input.LicenseName,
        ProductName: input.ProductName,
        Issuer: command.issuer,
        HomeRegion: input.HomeRegion,
        Status: input.Status,
        Validity: input.Validity,
        Entitlements: input.Entitlements,
        ConsumptionConfiguration: input.ConsumptionConfiguration,
        LicenseMetadata: input.LicenseMetadata ?? [],
        CreateTime: command.now.toISOString(),
        Version: version,
      };
      assertDefinition(license, command.region);
      const { clientToken, requestHash } = command;
      return [
        {
          type: 'LicenseVersionCreated',
          data: {
            licenseArn: existing.arn,
            version,
            sourceVersion,
            resetUsage: input.ResetUsage ?? false,
            license,
            clientToken,
            requestHash,
          },
        },
      ];
    }
    case 'DeleteLicense': {
      const existing = issuedLicense(state, command);
      const version = assertSourceVersion(existing, command.sourceVersion);
      return [
        {
          type: 'LicenseDeleted',
          data: { licenseArn: existing.arn, version, deletionDate: command.now.toISOString() },
        },
      ];
    }
    case 'EndLicenseTerm': {
      if (state.status !== 'present') throw licenseNotFound(command.arn);
      const current = currentLicense(state.license);
      if (!IN_TERM.has(current.Status))
        throw validation(
          `License ${command.arn} is ${current.Status}: only an AVAILABLE or PENDING_AVAILABLE licence expires.`,
        );
      const end = current.Validity.End;
      if (end === undefined || Date.parse(end) > command.now.getTime()) {
        throw validation(`License ${command.arn} is valid until ${end ?? 'no end'}: it is not due to expire.`);
      }
      const licenseArn = state.license.arn;
      const frequency = renewalFrequency(current.ConsumptionConfiguration);
      // The guide's subscription renews unless deactivated; a licence not yet available (PENDING_AVAILABLE) expires.
      if (frequency && current.Status === 'AVAILABLE') {
        const newEnd = renewedEnd(issuedVersion(state.license).Validity.End!, frequency, command.now).toISOString();
        return [
          {
            type: 'LicenseRenewed',
            data: {
              licenseArn,
              version: current.Version,
              previousEnd: end,
              newEnd,
              renewedAt: command.now.toISOString(),
            },
          },
        ];
      }
      return [
        {
          type: 'LicenseExpired',
          data: { licenseArn, version: current.Version, validityEnd: end, expiredAt: command.now.toISOString() },
        },
      ];
    }
    case 'TagLicense': {
      const existing = issuedLicense(state, command);
      withTags(existing.tags, command.tags);
      return [{ type: 'LicenseTagged', data: { licenseArn: existing.arn, tags: command.tags } }];
    }
    case 'UntagLicense': {
      const existing = issuedLicense(state, command);
      const present = command.tagKeys.filter((key) => existing.tags.some((tag) => tag.Key === key));
      return present.length === 0
        ? []
        : [{ type: 'LicenseUntagged', data: { licenseArn: existing.arn, tagKeys: present } }];
    }
  }
}

export const licenseDecider: Decider<LicenseCommand, LicenseEvent, LicenseState> = {
  initialState: initialLicenseState,
  evolve: evolveLicense,
  decide: decideLicense,
};

const STREAM_PREFIX = 'license-';

export const licenseStream = (id: string) => `${STREAM_PREFIX}${id}`;
