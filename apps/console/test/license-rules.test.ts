import { describe, expect, it } from 'vitest';
import { parseLicenseRules } from '../../../services/licensing/src/configurations/domain/license-rules';
import { COUNTING_TYPES, RULE_TYPES, rulesFor, tenanciesFor, TENANCIES } from '../src/licensing/license-rules';

/** A value licensing takes for a rule of this kind (ranges start at 1; True for the flag). */
const sampleValue = { integer: '1', tenancy: 'EC2-DedicatedHost', boolean: 'True' } as const;

const accepted = (rule: string, countingType: (typeof COUNTING_TYPES)[number]['value']) => {
  try {
    parseLicenseRules([rule], countingType);
    return true;
  } catch {
    return false;
  }
};

/**
 * The form offers the guide's table; licensing enforces it. These tests hold the two to the same
 * table, so that the form never offers a rule the API refuses for its counting type, nor hides one it takes.
 */
describe('the console’s rule table against licensing’s', () => {
  it('names every rule licensing knows', () => {
    let message = '';
    try {
      parseLicenseRules(['#noSuchRule=1'], 'vCPU');
    } catch (error) {
      message = (error as Error).message;
    }
    const known = /Valid rules: (.+)\.$/.exec(message)![1].split(', ');
    expect(RULE_TYPES.map((rule) => rule.name).sort()).toEqual(known.sort());
  });

  for (const { value: countingType } of COUNTING_TYPES) {
    it(`offers for ${countingType} exactly the rules licensing takes for it`, () => {
      const takes = RULE_TYPES.filter((rule) => accepted(`#${rule.name}=${sampleValue[rule.kind]}`, countingType));
      expect(rulesFor(countingType).map((rule) => rule.name)).toEqual(takes.map((rule) => rule.name));
    });

    it(`offers for ${countingType} exactly the tenancies licensing takes for it`, () => {
      const takes = TENANCIES.filter((tenancy) => accepted(`#allowedTenancy=${tenancy.value}`, countingType));
      expect(tenanciesFor(countingType).map((t) => t.value)).toEqual(takes.map((t) => t.value));
    });
  }
});
