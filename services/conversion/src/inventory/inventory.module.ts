import { Module } from '@nestjs/common';
import { InventoryInstances } from './application/inventory-instances';

/**
 * The conversion service's copy of the inventory: discovery's EC2 instances (fed by the tasks
 * slice's consumer, which acts on each observation in the same delivery), read when a conversion
 * is asked for.
 */
@Module({ providers: [InventoryInstances], exports: [InventoryInstances] })
export class InventoryModule {}
