import { describe, expect, it } from 'vitest';
import {
  CONVERSION_PATHS,
  conversionPathFor,
  licenseTypeOf,
  type LicenseTypeKey,
} from '../src/tasks/domain/conversion-matrix';
import { instanceFor, isRefusal, PATH_ROWS, PREREQUISITE_ROWS, type ConversionRow } from './conversion-paths';

const ID = 'i-0123456789abcdef0';

/** The row's request decided for its instance: the path it allows, or its refusal in the guide's words. */
function expectOutcome(...[, source, destination, outcome, facts]: ConversionRow) {
  const decide = () => conversionPathFor(instanceFor(ID, source, facts), source, destination);
  if (isRefusal(outcome))
    expect(decide).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException', message: outcome(ID) }));
  else expect(decide()).toEqual({ from: licenseTypeOf(source, 'source'), ...outcome });
}

describe('the conversion matrix: every path of the guide', () => {
  it.each(PATH_ROWS)('%s', (...row) => expectOutcome(...row));

  it('has a row for every pair of license types the matrix names', () => {
    const covered = new Set(
      PATH_ROWS.map(([, source, destination]) =>
        [licenseTypeOf(source, 'source'), licenseTypeOf(destination, 'destination')].join(' -> '),
      ),
    );
    const named = Object.entries(CONVERSION_PATHS).flatMap(([from, paths]) =>
      Object.keys(paths!)
        // Ubuntu Pro converts to nothing, with one refusal whatever the destination: its row is the guide's (to Ubuntu LTS).
        .filter((to) => from !== 'UBUNTU_PRO' || to === 'LINUX')
        .map((to) => `${from} -> ${to as LicenseTypeKey}`),
    );
    expect(named.filter((pair) => !covered.has(pair))).toEqual([]);
  });
});

describe("the conversion's general prerequisites, in the guide's words", () => {
  it.each(PREREQUISITE_ROWS)('refuses %s', (...row) => expectOutcome(...row));
});
