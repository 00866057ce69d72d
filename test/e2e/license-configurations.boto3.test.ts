import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Script } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('license configurations through boto3', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('creates, reads, pages, tags, refuses bad rules and deletes', async () => {
    const stdout = await boto3Script(system, accounts.member, join(__dirname, 'boto3-client.py'));
    const observed = JSON.parse(stdout);
    expect(observed.arn).toMatch(
      /^arn:aws:license-manager:us-east-1:222222222222:license-configuration:lic-[0-9a-f]{32}$/,
    );
    expect(observed.get).toEqual({
      Name: 'boto3',
      LicenseCountingType: 'Instance',
      LicenseCount: 3,
      LicenseRules: ['#maximumVcpus=8'],
      Status: 'AVAILABLE',
      Tags: [{ Key: 'sdk', Value: 'python' }],
    });
    expect(observed.pages).toEqual([['boto3', 'boto3-0'], ['boto3-1', 'boto3-2'], ['boto3-3']]);
    expect(observed.tags).toEqual(['sdk', 'team']);
    expect(observed.error).toMatchObject({ code: 'InvalidParameterValueException', status: 400 });
    expect(observed.error.message).toMatch(/EC2-DedicatedHost/);
    expect(observed.after_delete).toBe('InvalidParameterValueException');
  });
});
