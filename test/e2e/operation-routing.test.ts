import { apiModels, LICENSE_MANAGER_API_IDS, validateInput, type ApiModel, type MemberRef } from '@lm/api-model';
import {
  BUILT_SERVICES,
  operationsOwnedBy,
  ownedOperationName,
  resolveOwner,
  SERVICE_NAMES,
  type ServiceHealth,
  type ServiceName,
} from '@lm/contracts';
import { connect, JSONCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

/** Values for the few string shapes whose pattern a placeholder would not satisfy. */
const SAMPLE_STRINGS: Record<string, string> = {
  Arn: 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef0123456789abcdef',
  ResourceArn: 'arn:aws:license-manager-user-subscriptions:us-east-1:111111111111:license-server-endpoint/lse-0123',
  SubscriptionProviderArn:
    'arn:aws:license-manager-linux-subscriptions:us-east-1:111111111111:subscription-provider/sp-0123',
  SecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:rhel-creds',
  LicenseServerEndpointArn:
    'arn:aws:license-manager-user-subscriptions:us-east-1:111111111111:license-server-endpoint/lse-0123',
  Directory: 'd-0123456789',
  SecurityGroup: 'sg-01234567',
  Subnet: 'subnet-01234567',
  IpV4: '10.0.0.1',
  ISO8601DateTime: '2026-01-01T00:00:00Z',
  LicenseConversionTaskId: 'lct-0123',
  ProductCodeId: 'abc123',
  SignedToken: 't'.repeat(4096),
};

/** A minimal input that satisfies the model: every required member, with a valid value. */
function sample(api: ApiModel, shapeName: string, memberName = ''): unknown {
  const shape = api.shapes[shapeName];
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members ?? {});
      const chosen = shape.union ? members.slice(0, 1) : members.filter(([name]) => shape.required?.includes(name));
      return Object.fromEntries(chosen.map(([name, ref]) => [name, sample(api, (ref as MemberRef).shape, name)]));
    }
    case 'list':
      return Array.from({ length: Math.max(1, shape.min ?? 0) }, () => sample(api, shape.member!.shape));
    case 'map':
      return {};
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_800_000_000;
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return Math.max(1, shape.min ?? 1);
    default: {
      if (shape.enum) return shape.enum[0];
      // A license-manager ARN that routes to a service (grants) rather than one of the subscription APIs.
      if (/ResourceArn/.test(memberName) && api.id === 'license-manager') return SAMPLE_STRINGS.Arn;
      // The subscription APIs' Arn shape wants a resource path (type/id).
      if (shapeName === 'Arn' && api.id !== 'license-manager') return SAMPLE_STRINGS.ResourceArn;
      return SAMPLE_STRINGS[shapeName] ?? 's'.repeat(Math.max(1, shape.min ?? 1));
    }
  }
}

/** The HTTP request a client sends for an operation and input, in the API's protocol. */
function requestFor(api: ApiModel, operation: string, input: Record<string, unknown>) {
  const op = api.operations[operation];
  // An operation may be signed for another service name than its API's (the extensions' ReportLicenseServers).
  const service = op.signingName ?? api.metadata.signingName ?? api.metadata.endpointPrefix;
  if (api.metadata.protocol === 'query') {
    // A flat form suffices: the sample inputs of the query API (STS) have scalar required members only.
    const form = new URLSearchParams({ Action: operation, Version: api.metadata.apiVersion });
    for (const [name, value] of Object.entries(input)) form.set(name, String(value));
    return {
      service,
      path: '/',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    };
  }
  // CloudWatch's model lists awsJson1_0 among its protocols.
  if (api.metadata.protocol === 'json' || api.metadata.protocols?.includes('json')) {
    return {
      service,
      path: '/',
      method: 'POST',
      headers: {
        'content-type': `application/x-amz-json-${api.metadata.jsonVersion ?? '1.1'}`,
        'x-amz-target': `${api.metadata.targetPrefix}.${operation}`,
      },
      body: JSON.stringify(input),
    };
  }
  const members = op.input ? (api.shapes[op.input].members ?? {}) : {};
  let path = op.http.requestUri;
  const query = new URLSearchParams();
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const ref = members[name];
    if (ref.location === 'uri') path = path.replace(`{${ref.locationName ?? name}}`, encodeURIComponent(String(value)));
    else if (ref.location === 'querystring')
      (value as unknown[]).forEach((v) => query.append(ref.locationName ?? name, String(v)));
    else body[name] = value;
  }
  const search = query.toString();
  return {
    service,
    path: search ? `${path}?${search}` : path,
    method: op.http.method,
    headers: { 'content-type': 'application/json' },
    body: op.http.method === 'GET' || op.http.method === 'DELETE' ? '' : JSON.stringify(body),
  };
}

/** Every operation with the minimal input a client would send, and the service the ownership table gives it to. */
const operations = Object.values(apiModels).flatMap((api) =>
  Object.keys(api.operations).map((operation) => {
    const inputShape = api.operations[operation].input;
    const input = (inputShape ? sample(api, inputShape) : {}) as Record<string, unknown>;
    const owner = resolveOwner(api.id, operation, input);
    if ('error' in owner) throw new Error(`${api.id}:${operation} has no owner: ${owner.error}`);
    // The name the owner serves it under (its IAM action name where two of the owner's APIs share it).
    const owned = ownedOperationName(api.id, operation);
    return { key: `${api.id}:${operation}`, api, operation, owned, input, owner: owner.service };
  }),
);
const licenseManagerOperations = operations.filter(({ api }) => LICENSE_MANAGER_API_IDS.includes(api.id));

/** The services this suite starts (test/support/system.ts); every other one is not running. */
const STARTED: readonly ServiceName[] = BUILT_SERVICES;

/**
 * What each running service says it handles, as it answers its health subject (the gateway asks
 * the same way): the services that do not answer are not running.
 */
async function healthClaims(namespace: string): Promise<Map<ServiceName, ServiceHealth>> {
  const nc = await connect({ servers: process.env.NATS_URL });
  const codec = JSONCodec();
  const claims = new Map<ServiceName, ServiceHealth>();
  try {
    for (const service of SERVICE_NAMES) {
      // healthSubject() of @lm/messaging, under the system's LM_NATS_NAMESPACE rather than this process's.
      const subject = `lm.${namespace}.health.${service}`;
      const reply = await nc
        .request(subject, codec.encode({ pattern: subject, data: {}, id: 'routing-test' }), { timeout: 2_000 })
        .catch(() => undefined);
      const health = reply && (codec.decode(reply.data) as { response?: ServiceHealth }).response;
      if (health) claims.set(service, health);
    }
  } finally {
    await nc.close();
  }
  return claims;
}

describe('every operation of the AWS APIs (License Manager, the KMS and STS subsets) and of the extensions API is routed', () => {
  let system: RunningSystem;
  let claims: Map<ServiceName, ServiceHealth>;
  beforeAll(async () => {
    system = await startSystem();
    claims = await healthClaims(system.natsNamespace);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('covers the 90 operations of the License Manager APIs, the extensions, KMS and STS', () => {
    expect(licenseManagerOperations).toHaveLength(90);
    expect(operations.map(({ key }) => key)).toEqual(
      expect.arrayContaining([
        'license-manager-extensions:ReportResources',
        'license-manager-extensions:AuthorizeLaunch',
        'license-manager-extensions:ReportLicenseServers',
        'kms:CreateKey',
        'sts:AssumeRoleWithWebIdentity',
        'secretsmanager:TagResource',
      ]),
    );
  });

  it('gives every operation to a service whose owned operations list it', () => {
    for (const { key, owned, owner } of operations) {
      expect(operationsOwnedBy(owner), key).toContain(owned);
    }
  });

  it('finds the started services running, each claiming only operations it owns', () => {
    expect([...claims.keys()].sort()).toEqual([...STARTED].sort());
    for (const [service, health] of claims) {
      for (const operation of health.operations) expect(operationsOwnedBy(service), service).toContain(operation);
    }
  });

  it.each(operations.map(({ key }) => key))('%s', async (key) => {
    const { api, operation, owned, input, owner } = operations.find((o) => o.key === key)!;
    const inputShape = api.operations[operation].input;
    if (inputShape) expect(validateInput(api, inputShape, input)).toEqual([]);
    const response = await rawRequest(system, { account: accounts.management, ...requestFor(api, operation, input) });
    const health = claims.get(owner);
    if (!health) {
      expect(response.status, response.text).toBe(501);
      expect(response.text).toContain(`${operation} is served by the ${owner} service, which is not running.`);
    } else if (health.operations.includes(owned)) {
      // Claimed: served, whatever the answer to a minimal input is, but never "not implemented" nor a failure.
      expect(response.status, response.text).not.toBe(501);
      expect(response.status, response.text).toBeLessThan(500);
    } else {
      expect(response.status, response.text).toBe(501);
      expect(response.text).toContain(`${operation} is not implemented in this build.`);
    }
  });
});
