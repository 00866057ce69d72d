import { apiModels, type ApiModel } from '@lm/api-model';
import { randomUUID } from 'node:crypto';
import { stringifyExactJson } from '@lm/contracts';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCbor } from '../../services/gateway/src/protocol';
import { awsCli, boto3Batch, type Boto3Call } from '../support/clients';
import { grantedLicense } from '../support/licenses';
import { scrapeMetrics, sumOf } from '../support/metrics';
import { accounts, startSystem, type RunningSystem } from '../support/system';
import { AUTHENTICATION_TRICKS } from './authentication-tricks';
import { stringMemberInputs } from './model-inputs';
import { requestFor } from './model-requests';
import { send, sign, type WireAnswer, type WireRequest } from './signed-http';

/**
 * `npm run test:chaos` walks every string member of every operation at any depth; `npm test` (the
 * reduced form, LM_CHAOS unset) the top-level ones, a few hundred requests, enough to catch a
 * protocol or API that lets U+0000 through.
 */
const FULL = process.env.LM_CHAOS === 'full';

/** The modeled validation errors of the protocols (the query protocol's is ValidationError). */
const VALIDATION_ERRORS = ['ValidationException', 'InvalidParameterValueException', 'ValidationError'];

const management = accounts.management.accessKeys[0];

describe('hostile input: refused with the modeled AWS error, never a 5xx, never reaching a service', () => {
  let system: RunningSystem;
  let signed: (request: WireRequest, signingName?: string) => Promise<WireAnswer>;
  /** The operation requests the gateway has sent to services (the NATS request histogram's count). */
  const operationsSent = async () =>
    sumOf(await scrapeMetrics(system), 'lm_gateway_nats_request_duration_seconds_count');

  beforeAll(async () => {
    system = await startSystem();
    signed = async (request, signingName = 'license-manager') =>
      send(
        system.endpoint,
        await sign(system.endpoint, request, { ...management, region: system.region, service: signingName }),
      );
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe('U+0000 in a string member', () => {
    const json = (operation: string, input: unknown): WireRequest => ({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSLicenseManager.${operation}` },
      body: JSON.stringify(input),
    });

    it('is refused where it was found answering 500: check-in, extension, specifications', async () => {
      const before = await operationsSent();
      const found: Array<[string, Record<string, string>, string]> = [
        ['CheckInLicense', { LicenseConsumptionToken: '\u0000' }, 'licenseConsumptionToken'],
        ['ExtendLicenseConsumption', { LicenseConsumptionToken: '\u0000' }, 'licenseConsumptionToken'],
        ['UpdateLicenseSpecificationsForResource', { ResourceArn: '\u0000' }, 'resourceArn'],
      ];
      for (const [operation, input, member] of found) {
        const answer = await signed(json(operation, input));
        expect(answer.status, operation).toBe(400);
        expect(VALIDATION_ERRORS).toContain(answer.code);
        expect(answer.message).toContain(`at '${member}' failed to satisfy constraint`);
      }
      expect(await operationsSent()).toBe(before);
    });

    it(`is refused in every ${FULL ? '' : 'top-level '}string member of every operation of every API served`, async () => {
      const before = await operationsSent();
      let sent = 0;
      for (const api of Object.values(apiModels)) {
        for (const [operation, model] of Object.entries(api.operations)) {
          if (!model.input) continue;
          for (const { input, reportedAt } of stringMemberInputs(api, model.input, 'a\u0000b')) {
            if (!sendable(api, model.input, input as Record<string, unknown>, reportedAt)) continue;
            const request = requestFor(api, operation, input as Record<string, unknown>);
            const answer = request.unsigned
              ? await send(system.endpoint, request)
              : await signed(request, request.signingName);
            sent += 1;
            const what = `${api.id} ${operation} ${reportedAt}: ${answer.status} ${answer.code} ${answer.message}`;
            expect(answer.status, what).toBe(400);
            expect(VALIDATION_ERRORS, what).toContain(answer.code);
            expect(answer.message, what).toContain(`at '${reportedAt}' failed to satisfy constraint`);
          }
        }
      }
      console.log(`U+0000 walk: ${sent} requests`);
      expect(sent).toBeGreaterThan(FULL ? 600 : 250);
      expect(await operationsSent()).toBe(before);
    });

    it("keeps every such call's audit record (reporting stores U+FFFD in its place, and redelivers nothing)", async () => {
      const client = new Client({ connectionString: system.databaseUrl });
      await client.connect();
      try {
        const deadline = Date.now() + 30_000;
        let stored = 0;
        while (Date.now() < deadline) {
          const { rows } = await client.query(
            `select count(*)::int as n from reporting.audit_events where position(chr(65533) in record::text) > 0`,
          );
          stored = rows[0].n;
          if (stored > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(stored).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
      expect(system.logs('reporting')).not.toMatch(/audit record .* not stored/);
    });
  });

  describe('documents built to break a parser', () => {
    const listLicenses = (body: string | Buffer): WireRequest => ({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' },
      body,
    });

    it('refuses nesting deeper than 64 levels, modeled member or not (a 500 before this suite)', async () => {
      const before = await operationsSent();
      for (const body of [
        `{"Unknown": ${'['.repeat(400_000)}${']'.repeat(400_000)}}`,
        `{"Filters": ${'['.repeat(65)}${']'.repeat(65)}}`,
        `{"Unknown": ${'{"a":'.repeat(150_000)}1${'}'.repeat(150_000)}}`,
      ]) {
        const answer = await signed(listLicenses(body));
        expect([answer.status, answer.code, answer.message]).toEqual([
          400,
          'SerializationException',
          'JSON nesting deeper than 64 levels.',
        ]);
      }
      expect(await operationsSent()).toBe(before);
    });

    it('reads __proto__ and constructor as plain members, the last of duplicate keys, huge numbers as numbers', async () => {
      const answers = await Promise.all(
        [
          '{"__proto__": {"MaxResults": 1}, "constructor": {"prototype": {"MaxResults": 1}}}',
          '{"MaxResults": 5, "MaxResults": "x"}',
          `{"Unknown": ${'9'.repeat(500_000)}}`,
        ].map((body) => signed(listLicenses(body))),
      );
      expect(answers.map((answer) => [answer.status, answer.code])).toEqual([
        [200, undefined],
        [400, 'ValidationException'],
        [200, undefined],
      ]);
    });

    it('refuses CBOR that is truncated, nested deeper than 64 levels or not a map, and text that is not UTF-8', async () => {
      const cbor = (body: Buffer): WireRequest => ({
        method: 'POST',
        path: '/service/GraniteServiceVersion20100801/operation/ListMetrics',
        headers: { 'content-type': 'application/cbor', accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
        body,
      });
      const valid = Buffer.from(encodeCbor({ Namespace: 'AWSLicenseManager/licenseUsage' }));
      const deep = Buffer.concat([Buffer.from([0xa1, 0x61, 0x58]), Buffer.alloc(65, 0x81), Buffer.from([0x00])]);
      for (const body of [valid.subarray(0, valid.length - 3), deep, Buffer.from([0x82, 0x01, 0x02])]) {
        const answer = await signed(cbor(body), 'monitoring');
        expect([answer.status, answer.code], answer.message).toEqual([400, 'SerializationException']);
      }
      expect((await signed(cbor(valid), 'monitoring')).status).toBe(200);
      // Bytes that are not UTF-8 are read as U+FFFD, as any text: a token no listing ever issued.
      const latin = Buffer.concat([Buffer.from('{"NextToken": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const answer = await signed(listLicenses(latin));
      expect([answer.status, answer.code]).toEqual([400, 'InvalidParameterValueException']);
    });

    it('never stores or answers 5xx for members the model does not know, U+0000 in their names and values', async () => {
      const unknown = { 'Unknown\u0000': '\u0000', Nested: { 'k\u0000': ['\u0000'] } };
      let sent = 0;
      for (const api of Object.values(apiModels)) {
        for (const [operation, model] of Object.entries(api.operations)) {
          // Only operations that take an input without required members reach their service with it.
          if (model.input && api.shapes[model.input].required?.length) continue;
          const request = requestFor(api, operation, unknown);
          const answer = request.unsigned
            ? await send(system.endpoint, request)
            : await signed(request, request.signingName);
          sent += 1;
          expect(answer.status, `${api.id} ${operation}: ${answer.text}`).toBeLessThan(500);
        }
      }
      expect(sent).toBeGreaterThan(30);
    });
  });

  describe('forged page tokens', () => {
    /** The key names the services' tokens hold (libs/service-kit pageOf), each set to one hostile value. */
    const KEY_NAMES = [
      'createdAt',
      'id',
      'arn',
      'version',
      'n',
      'taskId',
      't',
      'e',
      'sort',
      'name',
      'o',
      'm',
      'd',
      'a',
    ];
    const forgedKeys = [
      Object.fromEntries(KEY_NAMES.slice(0, 8).map((name) => [name, '\u0000'])),
      Object.fromEntries(KEY_NAMES.slice(6).map((name) => [name, '\u0000'])),
      Object.fromEntries(KEY_NAMES.map((name) => [name, { $gt: '' }])),
      Object.fromEntries(KEY_NAMES.map((name) => [name, 1e308])),
      // The right form, the wrong content: a timestamp that is none, a part missing (a 500 in 14 lists once).
      Object.fromEntries(KEY_NAMES.map((name) => [name, 'not a timestamp'])),
      {},
    ];

    it('are answered as an invalid token, never a 500, by every list operation (a 500 in most before this suite)', async () => {
      let sent = 0;
      for (const api of Object.values(apiModels)) {
        for (const [operation, model] of Object.entries(api.operations)) {
          const input = model.input ? api.shapes[model.input] : undefined;
          const tokenMember = ['NextToken', 'nextToken', 'Marker'].find((name) => name in (input?.members ?? {}));
          if (!tokenMember || input?.required?.length) continue;
          for (const k of forgedKeys) {
            const token = Buffer.from(JSON.stringify({ a: accounts.management.accountId, k })).toString('base64url');
            const request = requestFor(api, operation, { [tokenMember]: token });
            const answer = await signed(request, request.signingName);
            sent += 1;
            expect(answer.status, `${api.id} ${operation} ${JSON.stringify(k)}: ${answer.text}`).toBeLessThan(500);
          }
        }
      }
      expect(sent).toBeGreaterThan(60);
    });
  });

  describe('longs, exact', () => {
    const create = (count: string): WireRequest => ({
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSLicenseManager.CreateLicenseConfiguration',
      },
      body: `{"Name": "exact", "LicenseCountingType": "Core", "LicenseCount": ${count}}`,
    });

    const lmCall = (operation: string, input: unknown): WireRequest => ({
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSLicenseManager.${operation}`,
      },
      body: stringifyExactJson(input),
    });

    it('refuses a value beyond a long quoting the digits sent, never a double near it', async () => {
      for (const count of ['9223372036854775808', '-9223372036854775809']) {
        const beyond = await signed(create(count));
        expect(beyond.status).toBe(400);
        expect(beyond.message).toBe(
          `1 validation error detected: Value '${count}' at 'licenseCount' failed to satisfy constraint: Member must be a long integer`,
        );
      }
    });

    it('tells the AWS CLI user the value typed', async () => {
      const cli = await awsCli(system, accounts.management, [
        'license-manager',
        'create-license-configuration',
        '--name',
        'exact',
        '--license-counting-type',
        'Core',
        '--license-count',
        '9223372036854775808',
      ]);
      expect(cli.exitCode).not.toBe(0);
      expect(cli.stderr).toContain('(InvalidParameterValueException) when calling the CreateLicenseConfiguration');
      expect(cli.stderr).toContain(
        "1 validation error detected: Value '9223372036854775808' at 'licenseCount' failed to satisfy constraint: Member must be a long integer",
      );
    });

    it("stores and answers every long digit for digit: a configuration's LicenseCount", async () => {
      for (const count of ['9223372036854775807', '9007199254740993', '9007199254740991']) {
        const created = await signed(create(count));
        expect(created.status).toBe(200);
        const arn = JSON.parse(created.text).LicenseConfigurationArn as string;
        const read = await signed(lmCall('GetLicenseConfiguration', { LicenseConfigurationArn: arn }));
        expect(read.text).toContain(`"LicenseCount":${count}`);
      }
    });

    it("stores and answers every long digit for digit: a licence's MaxCount, and its usage", async () => {
      const now = Date.now();
      const created = await signed(
        lmCall('CreateLicense', {
          LicenseName: 'exact',
          ProductName: 'Exact',
          ProductSKU: 'exact',
          Issuer: { Name: 'Example ISV' },
          HomeRegion: system.region,
          Validity: { Begin: new Date(now - 86_400_000).toISOString(), End: new Date(now + 86_400_000).toISOString() },
          Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 9223372036854775807n }],
          Beneficiary: 'exact',
          ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
          ClientToken: randomUUID(),
        }),
      );
      expect(created.status).toBe(200);
      const { LicenseArn } = JSON.parse(created.text) as { LicenseArn: string };
      const read = await signed(lmCall('GetLicense', { LicenseArn }));
      expect(read.text).toContain('"MaxCount":9223372036854775807');
      const usage = await signed(lmCall('GetLicenseUsage', { LicenseArn }));
      expect(usage.text).toContain('"MaxCount":"9223372036854775807"');
    });

    it('counts a MaxCount of 2 ** 53 + 1 exactly: the (2 ** 53 + 2)th unit is refused', async () => {
      // A licence of one seat granted to the member, then a version of 2 ** 53 + 1 seats (which the JS SDK cannot send).
      const max = 9007199254740993n; // 2 ** 53 + 1
      const consumption = { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } } as const;
      const license = await grantedLicense(system, {
        issuer: accounts.management,
        grantee: accounts.member,
        productSku: 'exact-limit',
        entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1 }],
        allowedOperations: ['CheckoutLicense'],
        consumptionConfiguration: consumption,
      });
      const { Issuer, Validity, LicenseName, ProductName, HomeRegion } = license.license;
      const versioned = await signed(
        lmCall('CreateLicenseVersion', {
          LicenseArn: license.licenseArn,
          LicenseName,
          ProductName,
          Issuer: { Name: Issuer!.Name },
          HomeRegion,
          Validity,
          Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: max }],
          ConsumptionConfiguration: consumption,
          Status: 'AVAILABLE',
          SourceVersion: '1',
          ClientToken: randomUUID(),
        }),
      );
      expect(versioned.status, versioned.text).toBe(200);
      // Amounts have at most 15 digits: nine of 10 ** 15 - 1, the rest up to MaxCount, then one more.
      const chunk = 999_999_999_999_999n;
      const amounts = [...Array.from({ length: 9 }, () => chunk), max - 9n * chunk, 1n];
      const checkouts: Boto3Call[] = amounts.map((amount, index) => ({
        name: `checkout ${index}`,
        op: 'checkout_license',
        params: {
          ProductSKU: license.sku,
          KeyFingerprint: license.fingerprint,
          CheckoutType: 'PROVISIONAL',
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: String(amount) }],
          ClientToken: randomUUID(),
        },
      }));
      const answers = await boto3Batch(system, accounts.member, 'license-manager', checkouts);
      for (const index of amounts.keys())
        expect(answers[`checkout ${index}`].error?.Code, `checkout ${index}`).toBe(
          index < 10 ? undefined : 'NoEntitlementsAllowedException',
        );
      const usage = await signed(lmCall('GetLicenseUsage', { LicenseArn: license.licenseArn }));
      expect(usage.text).toContain('"ConsumedValue":"9007199254740993"');
    });
  });

  describe('one error shape per protocol', () => {
    it('answers license-manager unsigned, with or without a target, as it answers a signed call', async () => {
      const shape = (answer: WireAnswer) => ({
        contentType: String(answer.headers['content-type']).split(';')[0],
        members: Object.keys(JSON.parse(answer.text)).sort(),
        namespace: JSON.parse(answer.text).__type.split('#')[0],
      });
      const target = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSLicenseManager.ListLicenses' };
      const unsignedNoTarget = await send(system.endpoint, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: '{}',
      });
      const unsigned = await send(system.endpoint, { method: 'POST', path: '/', headers: target, body: '{}' });
      const invalid = await signed({ method: 'POST', path: '/', headers: target, body: '{"MaxResults": "x"}' });
      expect([unsignedNoTarget.status, unsigned.status, invalid.status]).toEqual([403, 403, 400]);
      for (const answer of [unsignedNoTarget, unsigned, invalid]) {
        expect(shape(answer), answer.text).toEqual({
          contentType: 'application/x-amz-json-1.1',
          members: ['Message', '__type'],
          namespace: 'com.amazonaws.licensemanager',
        });
      }
    });

    it('answers the restJson1 APIs with x-amzn-ErrorType, refused at authentication or after', async () => {
      const report: WireRequest = {
        method: 'POST',
        path: '/inventory/ReportResources',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      };
      const unsigned = await send(system.endpoint, report);
      const invalid = await signed(report);
      const tags = await send(system.endpoint, { method: 'GET', path: '/tags/x', headers: {}, body: '' });
      expect([unsigned, invalid, tags].map((answer) => [answer.status, answer.headers['x-amzn-errortype']])).toEqual([
        [403, 'MissingAuthenticationTokenException'],
        [400, 'ValidationException'],
        [403, 'MissingAuthenticationTokenException'],
      ]);
    });
  });

  describe('authentication tricks', () => {
    it.each(AUTHENTICATION_TRICKS.map((trick) => [trick.name, trick] as const))('refuses %s', async (_, trick) => {
      const before = await operationsSent();
      const answer = await trick.attempt(system);
      expect(answer.status, answer.text).toBe(trick.refusal.status);
      expect(answer.code, answer.text).toBe(trick.refusal.code);
      if (trick.refusal.message) expect(answer.message).toMatch(trick.refusal.message);
      expect(await operationsSent()).toBe(before);
    });
  });
});

/**
 * Whether an input can travel in its API's protocol: a header cannot hold U+0000 (HTTP refuses it
 * before any server sees it), and the query protocol's form here carries top-level scalars only.
 * The reduced form sends the top-level members only.
 */
function sendable(api: ApiModel, inputShape: string, input: Record<string, unknown>, reportedAt: string): boolean {
  const [member] = Object.keys(input);
  const location = api.shapes[inputShape].members?.[member]?.location;
  if (location === 'header' || location === 'headers') return false;
  const topLevel = !reportedAt.includes('.') && typeof input[member] === 'string';
  if (api.metadata.protocol === 'query') return topLevel;
  return FULL || topLevel;
}
