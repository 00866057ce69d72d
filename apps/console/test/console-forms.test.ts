import { describe, expect, it } from 'vitest';
import { describeRule, matchingRule } from '../src/assets/asset-rules';
import { licenseVersionOf } from '../src/grants/license-version-form';
import { registrationOf } from '../src/subscriptions/identity-provider-form';
import { settingsText, settingsUpdateOf } from '../src/subscriptions/identity-provider-settings';

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
};

describe('the Register identity provider form', () => {
  it('sends a directory not registered yet with its Active Directory settings, and the VPC settings with a security group', () => {
    const request = registrationOf(
      formOf({
        product: 'REMOTE_DESKTOP_SERVICES',
        directoryId: 'd-0123456789',
        directoryType: 'SELF_MANAGED',
        domainName: 'corp.example.com',
        dnsAddresses: '10.0.0.2, 10.0.0.3',
        secret: 'ad-admin',
        subnets: 'subnet-0a subnet-0b',
        securityGroup: 'sg-0c',
      }),
    );
    expect(request).toEqual({
      Product: 'REMOTE_DESKTOP_SERVICES',
      IdentityProvider: {
        ActiveDirectoryIdentityProvider: {
          DirectoryId: 'd-0123456789',
          ActiveDirectoryType: 'SELF_MANAGED',
          ActiveDirectorySettings: {
            DomainName: 'corp.example.com',
            DomainIpv4List: ['10.0.0.2', '10.0.0.3'],
            DomainCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: 'ad-admin' } },
            DomainNetworkSettings: { Subnets: ['subnet-0a', 'subnet-0b'] },
          },
        },
      },
      Settings: { Subnets: ['subnet-0a', 'subnet-0b'], SecurityGroupId: 'sg-0c' },
    });
  });

  it('sends a registered directory by its ID alone, the guide’s form for another product', () => {
    const request = registrationOf(formOf({ product: 'VISUAL_STUDIO_ENTERPRISE', directoryId: ' d-0123456789 ' }));
    expect(request.IdentityProvider).toEqual({ ActiveDirectoryIdentityProvider: { DirectoryId: 'd-0123456789' } });
    expect(request.Settings).toBeUndefined();
  });
});

describe('an identity provider’s settings form', () => {
  const current = {
    Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    SecurityGroupId: 'sg-0c0ffee0c0ffee001',
  };

  it('sends the subnets wanted as those to add and to remove, and the security group only when changed', () => {
    expect(
      settingsUpdateOf(
        current,
        formOf({
          subnets: 'subnet-0bbbbbbbbbbbbbbb2, subnet-0ccccccccccccccc3',
          securityGroup: 'sg-0c0ffee0c0ffee001',
        }),
      ),
    ).toEqual({
      AddSubnets: ['subnet-0ccccccccccccccc3'],
      RemoveSubnets: ['subnet-0aaaaaaaaaaaaaaa1'],
      SecurityGroupId: undefined,
    });
    expect(
      settingsUpdateOf(current, formOf({ subnets: current.Subnets.join(' '), securityGroup: ' sg-0decaf00decaf002 ' })),
    ).toEqual({
      AddSubnets: [],
      RemoveSubnets: [],
      SecurityGroupId: 'sg-0decaf00decaf002',
    });
  });

  it('gives a provider without settings all the subnets to add; an emptied list removes them all (for the API to refuse)', () => {
    expect(settingsUpdateOf(undefined, formOf({ subnets: 'subnet-0aaaaaaaaaaaaaaa1', securityGroup: '' }))).toEqual({
      AddSubnets: ['subnet-0aaaaaaaaaaaaaaa1'],
      RemoveSubnets: [],
      SecurityGroupId: undefined,
    });
    expect(settingsUpdateOf(current, formOf({ subnets: '', securityGroup: '' })).RemoveSubnets).toEqual(
      current.Subnets,
    );
    expect(settingsText(current)).toBe('subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2; sg-0c0ffee0c0ffee001');
    expect(settingsText({ Subnets: [], SecurityGroupId: '' })).toBe('—');
  });
});

describe('asset rules in words', () => {
  it('says what a matching statement, an and statement and a script match', () => {
    expect(
      describeRule(
        matchingRule('InstanceRuleStatement', {
          KeyToMatch: 'Platform',
          Constraint: 'EQUALS',
          ValueToMatch: ['Windows', 'Linux'],
        }),
      ),
    ).toBe('Instance: Platform is Windows or Linux');
    expect(
      describeRule({
        RuleStatement: {
          LicenseRuleStatement: {
            AndRuleStatement: {
              MatchingRuleStatements: [{ KeyToMatch: 'ProductSKU', Constraint: 'NOT_EQUALS', ValueToMatch: ['x'] }],
            },
          },
        },
      }),
    ).toBe('License: all of (ProductSKU is not x)');
    expect(
      describeRule({
        RuleStatement: {
          InstanceRuleStatement: {
            ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script: 'value startsWith "m5."' },
          },
        },
      }),
    ).toBe('Instance: InstanceType: value startsWith "m5."');
  });
});

describe('a new licence version', () => {
  it('keeps what the form does not show, takes what it does, and names the version it was made from', () => {
    const license = {
      LicenseArn: 'arn:aws:license-manager::111111111111:license:l-1',
      LicenseName: 'Design Studio',
      ProductName: 'Design',
      Issuer: { Name: 'Example ISV', KeyFingerprint: 'aws:111111111111:issuer:x' },
      HomeRegion: 'us-east-1',
      Validity: { Begin: '2026-01-01T00:00:00Z' },
      Entitlements: [
        { Name: 'Users', Unit: 'Count' as const, MaxCount: 10 },
        { Name: 'Tier', Unit: 'None' as const, Value: 'gold' },
      ],
      ConsumptionConfiguration: { RenewType: 'None' as const },
      Status: 'AVAILABLE' as const,
      Version: '3',
    };
    const request = licenseVersionOf(
      license,
      formOf({
        licenseName: 'Design Studio 2',
        productName: 'Design',
        status: 'SUSPENDED',
        endDate: '2027-01-01',
        'maxCount-0': '20',
      }),
    );
    expect(request).toMatchObject({
      LicenseArn: license.LicenseArn,
      LicenseName: 'Design Studio 2',
      Issuer: { Name: 'Example ISV' },
      Validity: { Begin: '2026-01-01T00:00:00Z', End: '2027-01-01T00:00:00Z' },
      Entitlements: [
        { Name: 'Users', Unit: 'Count', MaxCount: 20 },
        { Name: 'Tier', Unit: 'None', Value: 'gold' },
      ],
      Status: 'SUSPENDED',
      ResetUsage: false,
      SourceVersion: '3',
    });
    expect(request.Issuer).not.toHaveProperty('KeyFingerprint');
  });
});
