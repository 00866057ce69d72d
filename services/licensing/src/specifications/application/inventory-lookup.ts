import { Inject, Injectable } from '@nestjs/common';
import type { InventoryViewer } from '@lm/contracts';
import type { Kysely } from 'kysely';
import type { ResourceFacts } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { InventoryViews } from './inventory.views';
import { INVENTORY_DIRECTORY, type InventoryDirectory } from './inventory-directory';
import { applyInventoryEvent } from './inventory-copy';
import { DATABASE } from '@lm/service-kit';

/**
 * Licensing's copy of the inventory, read so that the caller reads its own writes: a resource
 * ReportResources has just accepted is asked of discovery when its event has not arrived yet.
 */
@Injectable()
export class InventoryLookup {
  constructor(
    @Inject(DATABASE) private readonly db: Kysely<InventoryViews>,
    @Inject(INVENTORY_DIRECTORY) private readonly directory: InventoryDirectory,
  ) {}

  /** The resource's facts, as the viewer's inventory knows them; undefined when it does not. */
  async factsOf(viewer: InventoryViewer, resourceArn: string): Promise<ResourceFacts | undefined> {
    const known = await this.stored(this.db, resourceArn);
    if (known) return known;
    const events = await this.directory.describe(viewer, [resourceArn]);
    if (events.length === 0) return undefined;
    // Recorded as the consumer records the same events: the newer observation wins, whichever
    // comes first, and the consumer still acts on the resource (lifecycle, discovery) when they arrive.
    return this.db.transaction().execute(async (trx) => {
      for (const event of events) await applyInventoryEvent(event, trx);
      return this.stored(trx, resourceArn);
    });
  }

  private async stored(db: Kysely<InventoryViews>, resourceArn: string): Promise<ResourceFacts | undefined> {
    const row = await db
      .withSchema(LICENSING_SCHEMA)
      .selectFrom('resources')
      .select('facts')
      .where('resource_arn', '=', resourceArn)
      .executeTakeFirst();
    return row?.facts;
  }
}
