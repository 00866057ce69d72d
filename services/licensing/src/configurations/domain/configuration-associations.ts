import type { ResourceAssociatedData } from '@lm/contracts';
import { PersistentMap } from '../../shared/persistent-map';

/** A resource associated with the configuration, and what it consumes of it (ResourceAssociated's data). */
export type Association = ResourceAssociatedData;

/**
 * The associations sharing one consumption key (e.g. the instances on one Dedicated Host), which
 * count once: as the largest consumption among them.
 */
interface ConsumptionGroup {
  /** Each member's consumption, by resource ARN. */
  readonly members: Readonly<Record<string, number>>;
  readonly largest: number;
}

/**
 * A configuration's associations and the licences they consume, as an immutable value: every
 * change returns a new one and leaves this one as it was, since a folded state is shared (cached,
 * and evolved with a batch's pending events before their append succeeds). The consumption is kept
 * as the associations change, so that neither a change nor a decision walks all of them: a
 * configuration with a fleet of instances costs what one with a single instance does.
 */
export class ConfigurationAssociations {
  static readonly none = new ConfigurationAssociations(PersistentMap.empty(), PersistentMap.empty(), 0);

  private constructor(
    private readonly byResource: PersistentMap<Association>,
    private readonly groups: PersistentMap<ConsumptionGroup>,
    /** The licences in use: per consumption key the largest consumption, summed. */
    readonly consumedLicenses: number,
  ) {}

  get size(): number {
    return this.byResource.size;
  }

  get(resourceArn: string): Association | undefined {
    return this.byResource.get(resourceArn);
  }

  has(resourceArn: string): boolean {
    return this.byResource.has(resourceArn);
  }

  /** With this association added, or in place of its resource's. */
  with(association: Association): ConfigurationAssociations {
    const { resourceArn, consumptionKey, consumedLicenses } = association;
    const before = this.byResource.get(resourceArn);
    let consumption = { groups: this.groups, total: this.consumedLicenses };
    if (before) consumption = regrouped(consumption, before.consumptionKey, resourceArn, undefined);
    consumption = regrouped(consumption, consumptionKey, resourceArn, consumedLicenses);
    return new ConfigurationAssociations(
      this.byResource.set(resourceArn, association),
      consumption.groups,
      consumption.total,
    );
  }

  /** Without the resource's association (this value itself when it has none). */
  without(resourceArn: string): ConfigurationAssociations {
    const before = this.byResource.get(resourceArn);
    if (!before) return this;
    const { groups, total } = regrouped(
      { groups: this.groups, total: this.consumedLicenses },
      before.consumptionKey,
      resourceArn,
      undefined,
    );
    return new ConfigurationAssociations(this.byResource.delete(resourceArn), groups, total);
  }

  /**
   * The licences that would be in use with this association added, or in place of its resource's
   * (a decision's question, answered without making the change): it walks only the groups of the
   * consumption keys involved.
   */
  consumedLicensesWith(association: Association): number {
    const { resourceArn, consumptionKey, consumedLicenses } = association;
    const before = this.byResource.get(resourceArn);
    let total = this.consumedLicenses;
    if (before && before.consumptionKey !== consumptionKey) {
      const group = this.groups.get(before.consumptionKey)!;
      total += largestOf(group.members, resourceArn) - group.largest;
    }
    const group = this.groups.get(consumptionKey);
    return total + largestOf(group?.members, resourceArn, consumedLicenses) - (group?.largest ?? 0);
  }
}

/** The largest consumption of the members, the resource's replaced by `units` (or left out without them). */
function largestOf(members: Readonly<Record<string, number>> | undefined, resourceArn: string, units?: number): number {
  let largest = units ?? 0;
  for (const arn in members) if (arn !== resourceArn) largest = Math.max(largest, members[arn]);
  return largest;
}

interface Consumption {
  groups: PersistentMap<ConsumptionGroup>;
  total: number;
}

/** The consumption with the resource's member of the key's group set to `units`, or removed without them. */
function regrouped(
  { groups, total }: Consumption,
  consumptionKey: string,
  resourceArn: string,
  units: number | undefined,
): Consumption {
  const group = groups.get(consumptionKey);
  const members: Record<string, number> = { ...group?.members };
  if (units === undefined) delete members[resourceArn];
  else members[resourceArn] = units;
  const previous = group?.largest ?? 0;
  if (Object.keys(members).length === 0) return { groups: groups.delete(consumptionKey), total: total - previous };
  const largest = largestOf(members, resourceArn, units);
  return { groups: groups.set(consumptionKey, { members, largest }), total: total + largest - previous };
}
