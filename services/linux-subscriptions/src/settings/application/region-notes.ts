import { Injectable } from '@nestjs/common';

/** Notes on an account's source Regions, by Region (e.g. the 5,000 resources limit passed there). */
export type RegionNoteSource = (accountId: string) => Promise<Record<string, string>>;

/**
 * What other slices add to a Region's StatusMessage after its status reasons: instances adds the
 * guide's 5,000 resources per account and Region when passed. A slice adds its source in onModuleInit.
 */
@Injectable()
export class RegionNotes {
  private readonly sources: RegionNoteSource[] = [];

  add(source: RegionNoteSource): void {
    this.sources.push(source);
  }

  async of(accountId: string): Promise<Record<string, string[]>> {
    const notes: Record<string, string[]> = {};
    for (const byRegion of await Promise.all(this.sources.map((source) => source(accountId))))
      for (const [region, note] of Object.entries(byRegion)) (notes[region] ??= []).push(note);
    return notes;
  }
}
