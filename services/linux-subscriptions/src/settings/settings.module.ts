import { Module } from '@nestjs/common';
import { milliseconds } from '@lm/service-kit';
import { DeactivationBlockers } from './application/deactivation-blockers';
import { DiscoveryActivations } from './application/discovery-activations';
import { DiscoverySettingsCommands } from './application/discovery-settings.commands';
import { DiscoverySettingsLookup } from './application/discovery-settings.lookup';
import { ServiceSettingsQueries } from './application/discovery-settings.queries';
import { DiscoverySteps } from './application/discovery-steps';
import { OrganizationLinks } from './application/organization-links';
import { OrganizationLinksConsumer } from './application/organization-links.consumer';
import { RegionNotes } from './application/region-notes';
import { SettingsController } from './infra/settings.controller';

/** The settings slice's settings, read with the service's when it starts. */
export const settingsSettings = {
  /**
   * LM_DISCOVERY_STEPS_SWEEP_MS: how often the source Regions' steps that a restart left pending
   * are looked for (each update starts its own at once).
   */
  discoveryStepsSweepMs: milliseconds('LM_DISCOVERY_STEPS_SWEEP_MS', 30_000),
};

/**
 * Settings: each account's Linux subscriptions discovery (GetServiceSettings, UpdateServiceSettings),
 * its Regions' status messages, and the organization links it reads from licensing's events.
 * Exports what the other slices build on: the lookup of whose discovery covers what, the
 * activations they listen to, the blockers of deactivation and the notes of a Region's status.
 */
@Module({
  controllers: [SettingsController],
  providers: [
    DiscoverySettingsCommands,
    ServiceSettingsQueries,
    DiscoverySettingsLookup,
    DiscoverySteps,
    DiscoveryActivations,
    DeactivationBlockers,
    RegionNotes,
    OrganizationLinks,
    OrganizationLinksConsumer,
  ],
  exports: [DiscoverySettingsLookup, DiscoveryActivations, DeactivationBlockers, RegionNotes],
})
export class SettingsModule {}
