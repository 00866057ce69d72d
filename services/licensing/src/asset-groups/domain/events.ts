import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents, LicenseAssetGroupUsageAnalysedData } from '@lm/contracts';

/** What makes a retried create the same request: its ClientToken and a hash of everything else. */
export interface Idempotency {
  clientToken: string;
  requestHash: string;
}

/** A custom ruleset's editable settings; an update carries them whole (Rules is required there). */
export interface RulesetSettings {
  name: string;
  description?: string;
  rules: LicenseManager.LicenseAssetRule[];
}

export interface LicenseAssetRulesetCreatedData extends RulesetSettings, Idempotency {
  id: string;
  arn: string;
  ownerAccountId: string;
  region: string;
  tags: Record<string, string>;
  createdAt: string;
}

export type UsageDimension = 'vCPU' | 'Sockets' | 'Instance' | 'Core';
export type GroupStatus = 'ACTIVE' | 'DISABLED';

/** A group's editable settings; an update event carries the changed ones. */
export interface GroupSettings {
  name: string;
  description?: string;
  usageDimension: UsageDimension;
  rulesetArns: string[];
  properties: LicenseManager.LicenseAssetGroupProperty[];
  status: GroupStatus;
}

export interface LicenseAssetGroupCreatedData extends GroupSettings, Idempotency {
  id: string;
  arn: string;
  ownerAccountId: string;
  region: string;
  tags: Record<string, string>;
  createdAt: string;
}

/** The events of a ruleset's stream (all at version 1), by type. */
export interface RulesetEventData {
  LicenseAssetRulesetCreated: LicenseAssetRulesetCreatedData;
  LicenseAssetRulesetUpdated: { settings: RulesetSettings; updatedAt: string };
  LicenseAssetRulesetTagged: { tags: Record<string, string> };
  LicenseAssetRulesetUntagged: { tagKeys: string[] };
  LicenseAssetRulesetDeleted: { ownerAccountId: string; deletedAt: string };
}

/** The events of a group's stream (all at version 1), by type. */
export interface GroupEventData {
  LicenseAssetGroupCreated: LicenseAssetGroupCreatedData;
  LicenseAssetGroupUpdated: { changes: Partial<GroupSettings>; updatedAt: string };
  LicenseAssetGroupTagged: { tags: Record<string, string> };
  LicenseAssetGroupUntagged: { tagKeys: string[] };
  LicenseAssetGroupDeleted: { ownerAccountId: string; deletedAt: string };
  LicenseAssetGroupUsageAnalysed: LicenseAssetGroupUsageAnalysedData;
}

type EventOf<D> = { [T in keyof D]: { type: T; data: D[T] } }[keyof D];
export type RulesetEvent = EventOf<RulesetEventData>;
export type GroupEvent = EventOf<GroupEventData>;
export type AssetGroupsEvent = RulesetEvent | GroupEvent;

/** Relayed to lm.events.licensing.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'licensing', AssetGroupsEvent>;
