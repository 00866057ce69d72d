import type {
  ConsumptionChangeReason,
  DisassociationReason,
  LicenseConfigurationEvent,
} from '../../configurations/domain/events';
import type { LicenseConfigurationAggregate } from '../../configurations/domain/license-configuration';
import { parseLicenseRules } from '../../configurations/domain/license-rules';
import { consumesLicenses, isGone, type ResourceFacts } from '../../shared/resource';
import { matchesProductInformation } from '../../configurations/domain/product-matching';
import { consumptionOf } from './consumption';

const DAY_MS = 24 * 60 * 60 * 1000;

function affinityDays(configuration: LicenseConfigurationAggregate): number | undefined {
  const rule = parseLicenseRules(configuration.rules, configuration.countingType).find(
    (r) => r.name === 'licenseAffinityToHost',
  );
  return rule?.value as number | undefined;
}

function goneReason(resource: ResourceFacts): DisassociationReason {
  if (!resource.active) return 'inactive';
  if (resource.state === 'deregistered') return 'deregistered';
  if (resource.state === 'released') return 'released';
  return 'terminated';
}

/** Licences the resource takes now that it runs; a resource that no longer meets a rule keeps what it had. */
function unitsWhileRunning(
  configuration: LicenseConfigurationAggregate,
  resource: ResourceFacts,
  host: ResourceFacts | undefined,
  previous: number,
): number {
  try {
    return consumptionOf(configuration, resource, host).units;
  } catch {
    return previous;
  }
}

/**
 * What a change of an associated resource means for a configuration: a start consumes (even past
 * a hard limit: the resource runs, and the event says so), a stop releases, a termination (or an
 * AMI deregistered, a host released, a resource gone inactive) ends the association. Under
 * licenseAffinityToHost the licences stay on the host for that many days first; a resource that
 * automated discovery tracks goes too when its software does (DisassociateWhenNotFound). Decided from
 * state, so a redelivered inventory event decides nothing more.
 */
export function decideResourceChange(
  configuration: LicenseConfigurationAggregate,
  resource: ResourceFacts,
  host: ResourceFacts | undefined,
  now: Date,
): LicenseConfigurationEvent[] {
  const association = configuration.associations.get(resource.resourceArn);
  if (!association) return [];
  const at = now.toISOString();
  const held = association.affinityHoldUntil !== undefined;
  const holdEnded = held && now.getTime() >= Date.parse(association.affinityHoldUntil!);
  const days = affinityDays(configuration);
  const hold = (): LicenseConfigurationEvent[] =>
    held
      ? []
      : [
          {
            type: 'AffinityHoldStarted',
            data: {
              resourceArn: resource.resourceArn,
              until: new Date(now.getTime() + days! * DAY_MS).toISOString(),
              at,
            },
          },
        ];
  const consume = (units: number, reason: ConsumptionChangeReason): LicenseConfigurationEvent[] => {
    if (units === association.consumedLicenses && !held) return [];
    const events: LicenseConfigurationEvent[] = [
      {
        type: 'AssociationConsumptionChanged',
        data: { resourceArn: resource.resourceArn, consumedLicenses: units, reason, at },
      },
    ];
    const total = configuration.associations.consumedLicensesWith({ ...association, consumedLicenses: units });
    if (
      configuration.licenseCount !== undefined &&
      units > association.consumedLicenses &&
      total > configuration.licenseCount
    ) {
      events.push({
        type: 'LicenseCountExceeded',
        data: {
          resourceArn: resource.resourceArn,
          consumedLicenses: total,
          licenseCount: configuration.licenseCount,
          at,
        },
      });
    }
    return events;
  };

  // DisassociateWhenNotFound: a resource that automated discovery tracks goes once its software does.
  const softwareGone =
    association.automated === true &&
    configuration.disassociateWhenNotFound &&
    !matchesProductInformation(configuration.productInformationList, resource);
  if (isGone(resource) || softwareGone) {
    if (days !== undefined && association.consumedLicenses > 0 && !holdEnded) return hold();
    const reason = isGone(resource) ? goneReason(resource) : 'software-not-found';
    return [
      { type: 'ResourceDisassociated', data: { resourceArn: resource.resourceArn, reason, disassociatedAt: at } },
    ];
  }
  if (consumesLicenses(resource))
    return consume(unitsWhileRunning(configuration, resource, host, association.consumedLicenses), 'started');
  if (association.consumedLicenses === 0) return [];
  if (days !== undefined && !holdEnded) return hold();
  return consume(0, holdEnded ? 'affinity-ended' : 'stopped');
}
