import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { defineGuard, defineProjection, type Recorded, type RecordedEnvelope } from '../src';

type LicenseEvent =
  | { type: 'LicenseCreated'; data: { name: string } }
  | { type: 'LicenseConsumed'; data: { units: number } }
  | { type: 'LicenseDeleted'; data: { reason: string } };

function recorded<E extends LicenseEvent>(event: E, streamVersion: number): Recorded<E> {
  const envelope: RecordedEnvelope = {
    eventId: `e-${streamVersion}`,
    streamName: 'license-1',
    streamVersion,
    position: String(streamVersion).padStart(4, '0'),
    metadata: {},
    recordedAt: new Date(0),
  };
  return { ...event, ...envelope };
}

describe('typed events at the store edges', () => {
  it('gives a projection the events of the types it names, narrowed by their type', async () => {
    const seen: string[] = [];
    const projection = defineProjection<LicenseEvent>()({
      name: 'license-names',
      eventTypes: ['LicenseCreated', 'LicenseConsumed'],
      async handle(events) {
        for (const event of events) {
          // `data` narrows with `type`: a name for a creation, units for a consumption.
          if (event.type === 'LicenseCreated') seen.push(event.data.name.toUpperCase());
          else seen.push(`${event.data.units.toFixed(0)} units`);
        }
      },
      truncate: async () => {},
    });
    await projection.handle(
      [
        recorded({ type: 'LicenseCreated', data: { name: 'db' } }, 1),
        recorded({ type: 'LicenseConsumed', data: { units: 2 } }, 2),
      ],
      undefined as never,
      undefined as never,
    );
    expect(seen).toEqual(['DB', '2 units']);
    expect(projection.eventTypes).toEqual(['LicenseCreated', 'LicenseConsumed']);
  });

  it('are refused by the compiler where a type is not of the union (refusedAtCompileTime)', () => {
    // vitest does not type-check: the compiler checks this file, with the library's sources, as the
    // build would. A `@ts-expect-error` whose line compiles is itself an error (TS2578).
    const base = ts.readConfigFile(`${__dirname}/../../../tsconfig.base.json`, ts.sys.readFile).config;
    const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, __dirname);
    const program = ts.createProgram([__filename], { ...options, noEmit: true, composite: false, incremental: false });
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(__filename));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }, 120_000);
});

/**
 * What the compiler refuses (the test above has it check this file): each `@ts-expect-error`
 * fails the check if its line compiles.
 */
export function refusedAtCompileTime(): void {
  defineProjection<LicenseEvent>()({
    name: 'misspelt',
    // @ts-expect-error an event type the union does not have
    eventTypes: ['LicenceCreated'],
    handle: async () => {},
    truncate: async () => {},
  });
  defineGuard<LicenseEvent>()({
    name: 'deletions',
    eventTypes: ['LicenseDeleted'],
    async handle(events) {
      for (const event of events) {
        // @ts-expect-error a guard of deletions is given deletions only: they carry no name
        void event.data.name;
      }
    },
    truncate: async () => {},
  });
}
