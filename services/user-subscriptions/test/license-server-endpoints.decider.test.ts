import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type {
  LicenseServerEndpointCommand,
  LicenseServersReport,
} from '../src/license-server-endpoints/domain/commands';
import { licenseServerEndpointDecider } from '../src/license-server-endpoints/domain/decide';
import { toLicenseServerEndpointOutput } from '../src/license-server-endpoints/domain/license-server-endpoint';
import {
  checkedServerType,
  licenseServerSecretId,
} from '../src/license-server-endpoints/domain/license-server-settings';
import { licenseServersReportOf } from '../src/license-server-endpoints/domain/report';
import { expectTagRules, tagCommandsOf } from './tag-rules';

const accountId = '111111111111';
const identityProviderArn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:identity-provider/3c1d7e1a-5b0f-4c47-9a39-2d5b0a1c9e11`;
const arn = `arn:aws:license-manager-user-subscriptions:us-east-1:${accountId}:license-server-endpoint/9f3a0c52-5c43-4b43-8e3e-6d0b6b8b2f01`;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const directory = {
  directoryId: 'sd-0123456789',
  type: 'SELF_MANAGED' as const,
  shared: false,
  domainName: 'corp.example.com',
  addresses: ['10.0.0.10'],
  ipVersion: 'IPV4' as const,
  secretId: 'license-manager-user-admin',
  subnets: ['subnet-0123456789abcdef0'],
};
const ref = { arn, accountId, identityProviderArn, serverType: 'RDS_SAL' };
const servers = [{ ipv4Address: '10.0.1.5', healthStatus: 'HEALTHY' as const }];

const create = (endpointArn = arn, now = t0): LicenseServerEndpointCommand => ({
  type: 'CreateLicenseServerEndpoint',
  arn: endpointArn,
  endpointId: endpointArn.split('/')[1],
  accountId,
  region: 'us-east-1',
  identityProviderArn,
  secretId: 'license-manager-user-rds',
  directory,
  tags: { team: 'it' },
  now,
});
const report = (r: LicenseServersReport, now = at(1), caller = accountId): LicenseServerEndpointCommand => ({
  type: 'ReportLicenseServers',
  arn,
  accountId: caller,
  report: r,
  now,
});
const remove = (now = at(2), caller = accountId): LicenseServerEndpointCommand => ({
  type: 'DeleteLicenseServerEndpoint',
  arn,
  accountId: caller,
  now,
});
const provisioned: LicenseServersReport = { status: 'PROVISIONED', endpoint: 'rds.corp.example.com', servers };

const spec = DeciderSpecification.for(licenseServerEndpointDecider);
const { given, history } = spec;

describe('license server endpoint decider', () => {
  it('requests an endpoint PROVISIONING, with what the integrator needs and no secret value', () => {
    given([])
      .when(create())
      .then([
        {
          type: 'LicenseServerEndpointRequested',
          data: {
            ...ref,
            region: 'us-east-1',
            endpointId: arn.split('/')[1],
            secretId: 'license-manager-user-rds',
            directory,
            tags: { team: 'it' },
            at: t0.toISOString(),
          },
        },
      ]);
  });

  it("is PROVISIONED by the integrator's report, with its servers; a repeated report records nothing", () => {
    const done = given(history(create()))
      .when(report(provisioned))
      .then([
        {
          type: 'LicenseServerEndpointProvisioned',
          data: { ...ref, endpoint: 'rds.corp.example.com', servers, at: at(1).toISOString() },
        },
      ]);
    const events = [...history(create()), ...done];
    given(events)
      .when(report(provisioned, at(2)))
      .then([]);
    const unhealthy = [{ ipv4Address: '10.0.1.5', healthStatus: 'UNHEALTHY' as const }];
    given(events)
      .when(report({ ...provisioned, servers: unhealthy }, at(3)))
      .then([
        {
          type: 'LicenseServersHealthReported',
          data: { ...ref, endpoint: 'rds.corp.example.com', servers: unhealthy, at: at(3).toISOString() },
        },
      ]);
  });

  it('is PROVISIONING_FAILED with the status message, and then can only be deleted', () => {
    const failed = history(create(), report({ status: 'PROVISIONING_FAILED', statusMessage: 'no capacity in subnet' }));
    expect(failed.at(-1)).toMatchObject({
      type: 'LicenseServerEndpointProvisioningFailed',
      data: { statusMessage: 'no capacity in subnet' },
    });
    given(failed)
      .when(report(provisioned, at(2)))
      .thenThrows({ name: 'ConflictException' });
    given(failed)
      .when(remove())
      .then([{ type: 'LicenseServerEndpointDeletionRequested', data: { ...ref, at: at(2).toISOString() } }]);
  });

  it('deletes DELETING then DELETED by the report, or DELETION_FAILED, which can be asked again', () => {
    const deleting = history(create(), report(provisioned), remove());
    given(deleting)
      .when(report(provisioned, at(3)))
      .thenThrows({ name: 'ConflictException' });
    given(deleting)
      .when(report({ status: 'DELETED' }, at(3)))
      .then([{ type: 'LicenseServerEndpointDeleted', data: { ...ref, at: at(3).toISOString() } }]);
    const failed = [
      ...deleting,
      ...given(deleting)
        .when(report({ status: 'DELETION_FAILED', statusMessage: 'server busy' }, at(3)))
        .decided(),
    ];
    given(failed)
      .when(remove(at(4)))
      .then([{ type: 'LicenseServerEndpointDeletionRequested', data: { ...ref, at: at(4).toISOString() } }]);
    given([
      ...deleting,
      ...given(deleting)
        .when(report({ status: 'DELETED' }, at(3)))
        .decided(),
    ])
      .when(remove(at(5)))
      .thenThrows({ name: 'ConflictException' });
  });

  it('keeps one endpoint per identity provider: another only once the first is DELETED', () => {
    const other = `${arn.split('/')[0]}/0d7e1f9a-5c43-4b43-8e3e-6d0b6b8b2f02`;
    given(history(create()))
      .when(create(other, at(1)))
      .thenThrows({ name: 'ConflictException' });
    const deleted = history(create(), remove(at(1)), report({ status: 'DELETED' }, at(2)));
    expect(
      given(deleted)
        .when(create(other, at(3)))
        .decided()[0].type,
    ).toBe('LicenseServerEndpointRequested');
  });

  it('tags and untags its endpoint; keys it does not have change nothing; 50 tags at most', () => {
    const { tag, untag } = tagCommandsOf<LicenseServerEndpointCommand>(
      { tag: 'TagLicenseServerEndpoint', untag: 'UntagLicenseServerEndpoint' },
      { arn, accountId },
      { tag: at(1), untag: at(2) },
    );
    const tagged = history(create(), tag({ env: 'prod', team: 'ops' }));
    const state = given(tagged).state;
    expect(state.endpoint!.tags).toEqual({ team: 'ops', env: 'prod' });
    expectTagRules(spec, tagged, { tag, untag }, 'team', {
      type: 'LicenseServerEndpointUntagged',
      data: { ...ref, tagKeys: ['team'], at: at(2).toISOString() },
    });
  });

  it('tells another account, and a report from it, that the endpoint does not exist', () => {
    given(history(create()))
      .when(remove(at(1), '222222222222'))
      .thenThrows({ name: 'ResourceNotFoundException' });
    given(history(create()))
      .when(report(provisioned, at(1), '222222222222'))
      .thenThrows({ name: 'ResourceNotFoundException' });
  });

  it('shows the endpoint as the model does: servers with their status and health, CreationTime in seconds', () => {
    const events = history(create(), report(provisioned));
    const state = given(events).state;
    expect(toLicenseServerEndpointOutput(state.endpoint!)).toEqual({
      IdentityProviderArn: identityProviderArn,
      ServerType: 'RDS_SAL',
      ServerEndpoint: { Endpoint: 'rds.corp.example.com' },
      StatusMessage: undefined,
      LicenseServerEndpointId: arn.split('/')[1],
      LicenseServerEndpointArn: arn,
      LicenseServerEndpointProvisioningStatus: 'PROVISIONED',
      LicenseServers: [
        { ProvisioningStatus: 'PROVISIONED', HealthStatus: 'HEALTHY', Ipv4Address: '10.0.1.5', Ipv6Address: undefined },
      ],
      CreationTime: t0.getTime() / 1000,
    });
  });
});

describe('license server settings and reports', () => {
  const settings = (secretId: string, ServerType = 'RDS_SAL') => ({
    ServerType,
    ServerSettings: {
      RdsSalSettings: { RdsSalCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: secretId } } },
    },
  });

  it("takes RDS_SAL with a secret named with the guide's prefix, by name or ARN", () => {
    expect(licenseServerSecretId(settings('license-manager-user-rds'))).toBe('license-manager-user-rds');
    const secretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:license-manager-user-rds-AbCdEf';
    expect(licenseServerSecretId(settings(secretArn))).toBe(secretArn);
    expect(() => licenseServerSecretId(settings('rds-admin'))).toThrow(/must begin with license-manager-user-/);
    expect(() => licenseServerSecretId(settings('license-manager-user-rds', 'OTHER'))).toThrow(/RDS_SAL/);
    expect(() => checkedServerType('OTHER')).toThrow(/RDS_SAL/);
  });

  it('reads a report: servers with an address and health, a message with a failure', () => {
    expect(
      licenseServersReportOf({
        LicenseServerEndpointArn: arn,
        ProvisioningStatus: 'PROVISIONED',
        LicenseServers: [{ Ipv4Address: '10.0.1.5', HealthStatus: 'HEALTHY' }],
      }),
    ).toEqual({ status: 'PROVISIONED', endpoint: '10.0.1.5', servers });
    expect(() =>
      licenseServersReportOf({ LicenseServerEndpointArn: arn, ProvisioningStatus: 'PROVISIONED', LicenseServers: [] }),
    ).toThrow(/names its LicenseServers/);
    expect(() =>
      licenseServersReportOf({
        LicenseServerEndpointArn: arn,
        ProvisioningStatus: 'PROVISIONED',
        LicenseServers: [{ Ipv4Address: '10.0.1', HealthStatus: 'HEALTHY' }],
      }),
    ).toThrow(/not an IPv4 address/);
    expect(() =>
      licenseServersReportOf({ LicenseServerEndpointArn: arn, ProvisioningStatus: 'PROVISIONING_FAILED' }),
    ).toThrow(/StatusMessage/);
  });
});
