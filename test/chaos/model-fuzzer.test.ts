import { randomInt } from 'node:crypto';
import { Agent } from 'node:http';
import { apiModels, type ApiId, type ApiModel } from '@lm/api-model';
import { BUILT_SERVICES } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCbor } from '../../services/gateway/src/protocol';
import { seatLicenceInput } from '../support/licenses';
import { accounts, type ProcessName, type RunningSystem, startSystem } from '../support/system';
import { expectViewsEqualRebuild } from '../support/view-rebuild';
import { allStrings, FUZZED_RESOURCES, pageTokenOf, SERVICE_VIEWS, stringsUnder } from './fuzz-resources';
import { Random } from '../support/seeded-random';
import { AnswerPool, ModelFuzzer, type FuzzCase } from './model-fuzzer';
import { requestFor, type OperationRequest } from './model-requests';
import { send, sign, type WireAnswer } from './signed-http';

/**
 * Issue 15's model-driven fuzzer: LM_FUZZ_REQUESTS requests (10,000 with LM_CHAOS=full, 1,500 in
 * the reduced form `npm test` runs) over every operation of the APIs below, valid, boundary and
 * invalid, from the seed LM_FUZZ_SEED (random unless told, printed first). The requests drawn are
 * the seed's; the identities they name come from earlier answers, so a replay names others.
 */
const FULL = process.env.LM_CHAOS === 'full';
const REQUESTS = Number(process.env.LM_FUZZ_REQUESTS ?? (FULL ? 10_000 : 1_500));
const SEED = Number(process.env.LM_FUZZ_SEED ?? randomInt(2 ** 31));
/** Requests in flight at once, each on a connection of its own. */
const CONCURRENCY = 16;
/**
 * A request unanswered for this long is a hang: the gateway answers 503 once a service has not
 * answered in its 30 s operation timeout (which this test counts as a 5xx), so an answer later
 * than that is none. A KMS CreateKey of an RSA_4096 key takes seconds on a loaded machine.
 */
const TIMEOUT_MS = 35_000;

const FUZZED_APIS: ApiId[] = [
  'license-manager',
  'license-manager-user-subscriptions',
  'license-manager-linux-subscriptions',
  'kms',
  'sts',
  'secretsmanager',
  'monitoring',
];

/** The two accounts that fuzz: the organization's management account, and an account outside it. */
const FUZZERS = [accounts.management, accounts.outsider];

/**
 * The errors every operation of an AWS API may answer besides its modeled ones: a body or input
 * it cannot read, a failed authentication, a throttled account (and their query-protocol codes).
 */
const COMMON_ERRORS = new Set([
  'ValidationException',
  'ValidationError',
  'SerializationException',
  'MissingAuthenticationTokenException',
  'MissingAuthenticationToken',
  'IncompleteSignatureException',
  'IncompleteSignature',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'ThrottlingException',
  'Throttling',
]);

/** Why an answer breaks the contract (a 5xx, an error the operation does not model, an error in another shape), or nothing. */
function problemOf(fuzz: FuzzCase, answer: WireAnswer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return undefined;
  const { api, operation } = fuzz;
  const modeled = api.operations[operation].errors.flatMap((name) => [name, api.queryErrorCodes?.[name] ?? name]);
  const common =
    COMMON_ERRORS.has(answer.code ?? '') || isThrottling(api, answer.code ?? '') || namesNoOperation(fuzz, answer.code);
  if (!answer.code || !(modeled.includes(answer.code) || common))
    return `answered ${answer.status} ${answer.code ?? '(no code)'}, not an error of ${operation}`;
  return shapeProblem(fuzz, answer);
}

/**
 * A request that names no operation of its API is answered as such: a restJson1 path with an empty
 * label (`GET /tags/`: the SDKs refuse to send one), an unknown query Action.
 */
function namesNoOperation(fuzz: FuzzCase, code: string | undefined): boolean {
  if (code === 'UnknownOperationException')
    return fuzz.protocol === 'rest-json' && /\/\/|\/$|\/\?/.test(fuzz.request.path);
  return code === 'InvalidAction' && fuzz.protocol === 'query' && fuzz.kind === 'document';
}

const isThrottling = (api: ApiModel, code: string) => code === 'RateLimitExceededException' && code in api.errors;

/** The error in the one shape of the protocol the request spoke. */
function shapeProblem(fuzz: FuzzCase, answer: WireAnswer): string | undefined {
  const type = String(answer.headers['content-type'] ?? '').split(';')[0];
  switch (fuzz.protocol) {
    case 'json': {
      const parsed = parseOr(() => JSON.parse(answer.text));
      if (!type.startsWith('application/x-amz-json-') || typeof parsed?.__type !== 'string')
        return `an awsJson error as ${type}: ${answer.text.slice(0, 200)}`;
      return undefined;
    }
    case 'rest-json':
      if (!answer.headers['x-amzn-errortype'] || type !== 'application/json')
        return `a restJson1 error without x-amzn-ErrorType, as ${type}`;
      return undefined;
    case 'query':
      if (type !== 'text/xml' || !answer.text.includes('<ErrorResponse'))
        return `a query error as ${type}: ${answer.text.slice(0, 200)}`;
      return undefined;
    case 'smithy-rpc-v2-cbor': {
      const parsed = parseOr(() => decodeCbor(new Uint8Array(answer.bytes)) as Record<string, unknown>);
      if (type !== 'application/cbor' || typeof parsed?.__type !== 'string') return `a CBOR error as ${type}`;
      return undefined;
    }
  }
}

/** String.prototype.toWellFormed: each lone surrogate U+FFFD. */
const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

function parseOr(read: () => Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

describe(`model-driven fuzzing: ${REQUESTS} requests over every operation (LM_FUZZ_SEED=${SEED})`, () => {
  let system: RunningSystem;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  /** Sends a request as an account, signed unless its operation is served unsigned. */
  const call = async (request: OperationRequest, account = accounts.management) => {
    const key = account.accessKeys[0];
    const signed = request.unsigned
      ? request
      : await sign(system.endpoint, request, { ...key, region: system.region, service: request.signingName });
    return send(system.endpoint, signed, { agent, timeoutMs: TIMEOUT_MS });
  };
  /**
   * What the accepted requests did, by account and resource: every identity a create answered (or
   * named), with the other strings of its answer (a secret's name, which deletes may name it by),
   * and every string an accepted delete named.
   */
  const created = new Map<string, Map<string, string[]>>();
  const deleted = new Map<string, Set<string>>();
  /** The resources (by account) an accepted create named in a broken document, which may hold U+FFFD where its bytes were not UTF-8. */
  const garbled = new Set<string>();
  const problems: string[] = [];
  const answeredByOperation = new Map<string, number[]>();

  beforeAll(async () => {
    console.log(`model fuzzer: LM_FUZZ_SEED=${SEED} LM_FUZZ_REQUESTS=${REQUESTS}`);
    system = await startSystem();
  });
  afterAll(async () => {
    agent.destroy();
    await system?.stop();
  });

  it('answers every request within the timeout, none 5xx, every 4xx an error of its operation in its protocol’s shape', async () => {
    const random = new Random(SEED);
    const pool = new AnswerPool();
    const fuzzer = new ModelFuzzer(random, pool, {
      'license-manager:CreateLicense': (account) => ({
        ...seatLicenceInput({
          name: `fuzz-${random.alnum(6)}`,
          sku: random.alnum(8),
          signKey: pool.valueFor(random, 'SignKey', (arn) => arn.includes(`:kms:us-east-1:${account}:`)) ?? 'none',
          region: 'us-east-1',
        }),
        ClientToken: random.alnum(20),
      }),
      'kms:CreateKey': () => ({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
      // An alarm on the one namespace served, over a configuration of the account's.
      'monitoring:PutMetricAlarm': (account) => ({
        AlarmName: `fuzz-${random.alnum(6)}`,
        Namespace: 'AWSLicenseManager/licenseUsage',
        MetricName: 'LicenseConfigurationUsagePercentage',
        Dimensions: [
          {
            Name: 'LicenseConfigurationArn',
            Value: pool.valueFor(random, 'LicenseConfigurationArn', (arn) => arn.includes(`:${account}:`)) ?? 'none',
          },
          { Name: 'LicenseConfigurationType', Value: 'vCPU' },
        ],
        Statistic: 'Maximum',
        Period: 60 * random.int(1, 5),
        EvaluationPeriods: random.int(1, 3),
        Threshold: random.int(1, 100),
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    });
    const operations = FUZZED_APIS.flatMap((id) =>
      Object.keys(apiModels[id].operations).map((op) => [apiModels[id], op] as const),
    );
    const started = Date.now();
    let next = 0;
    /** One request: drawn, sent, and its answer checked and recorded. */
    const fuzzOne = async (index: number) => {
      const [api, operation] = random.pick(operations);
      const account = random.pick(FUZZERS);
      const fuzz = fuzzer.next(api, operation, account.accountId);
      const replay = `#${index} ${api.id} ${operation} (${fuzz.protocol}, ${fuzz.what}) as ${account.accountId}`;
      let answer: WireAnswer;
      try {
        answer = await call(fuzz.request, account);
      } catch (error) {
        // Unanswered: a hang, or a connection the gateway cut.
        problems.push(`${replay}: ${(error as Error).message}`);
        return;
      }
      const counts = answeredByOperation.get(`${api.id}:${operation}`) ?? [0, 0];
      counts[answer.status < 300 ? 0 : 1] += 1;
      answeredByOperation.set(`${api.id}:${operation}`, counts);
      const problem = problemOf(fuzz, answer);
      if (problem) problems.push(`${replay}: ${problem} — ${answer.message ?? answer.text.slice(0, 300)}`);
      if (answer.status < 300) record(fuzz, answer, account.accountId, pool);
    };
    const worker = async () => {
      while (next < REQUESTS) {
        const index = next++;
        // A worker that threw would leave the others sending while the later tests read the stores.
        await fuzzOne(index).catch((error: Error) => problems.push(`#${index}: the test failed: ${error.stack}`));
      }
    };
    const record = (fuzz: FuzzCase, answer: WireAnswer, account: string, learnt: AnswerPool) => {
      const output = parseOr(() =>
        fuzz.protocol === 'smithy-rpc-v2-cbor'
          ? (decodeCbor(new Uint8Array(answer.bytes)) as Record<string, unknown>)
          : JSON.parse(answer.text),
      );
      learnt.learn(output);
      for (const resource of FUZZED_RESOURCES) {
        const key = `${account} ${resource.api}:${resource.create}`;
        if (fuzz.api.id !== resource.api) continue;
        if (fuzz.operation === resource.create) {
          // A name sent with a lone surrogate is stored with U+FFFD in its place, as the gateway reads it.
          // A broken document may name another resource than the input (a duplicate key's last value
          // is the one read): the names the sent JSON holds, as the service parsed it, count too.
          const sent = fuzz.kind === 'document' ? parseOr(() => JSON.parse(fuzz.request.body.toString())) : undefined;
          const ids = resource.idFromInput
            ? [...stringsUnder(fuzz.input, resource.id), ...stringsUnder(sent, resource.id)].map(wellFormed)
            : stringsUnder(output, resource.id);
          const into = created.get(key) ?? new Map<string, string[]>();
          for (const id of ids) into.set(id, [id, ...allStrings(output)]);
          created.set(key, into);
          if (resource.idFromInput) learnt.learn(fuzz.input);
          if (resource.idFromInput && fuzz.kind === 'document') garbled.add(key);
        }
        // A document broken on the way may name another resource than the input: any string it holds may be gone.
        if (
          resource.deletes.includes(fuzz.operation) ||
          (resource.idFromInput && fuzz.operation === resource.create && fuzz.kind === 'document')
        ) {
          const into = deleted.get(key) ?? new Set();
          for (const text of allStrings(fuzz.input)) into.add(text);
          deleted.set(key, into);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    const accepted = [...answeredByOperation.values()].reduce((sum, [ok]) => sum + ok, 0);
    console.log(
      `model fuzzer: ${REQUESTS} requests in ${seconds.toFixed(1)} s (${(REQUESTS / seconds).toFixed(0)}/s), ${accepted} accepted, ` +
        `${problems.length} problems; creates accepted: ${[...created].map(([key, ids]) => `${key} ${ids.size}`).join(', ')}`,
    );
    if (problems.length > 0) {
      // What the processes said of the failures (a 5xx is a service's or the gateway's error, logged with its stack).
      for (const name of ['gateway', ...BUILT_SERVICES] as ProcessName[]) {
        const errors = system
          .logs(name)
          .split('\n')
          .filter((line) => line.includes('"level":"error"'));
        if (errors.length > 0) console.log(`${name} errors:\n${errors.slice(-5).join('\n')}`);
      }
    }
    expect(problems.slice(0, 40), `LM_FUZZ_SEED=${SEED}: ${problems.length} problems`).toEqual([]);
    const missed = operations.filter(([api, op]) => !answeredByOperation.has(`${api.id}:${op}`));
    // A thousand requests or more reach every operation (about nine each at the least).
    if (REQUESTS >= 1_000) expect(missed.map(([api, op]) => `${api.id}:${op}`)).toEqual([]);
  });

  it('stores what the accepted requests alone produce: the lists show exactly the resources created and not deleted', async () => {
    const listAll = async (resource: (typeof FUZZED_RESOURCES)[number], account: (typeof FUZZERS)[number]) => {
      const api = apiModels[resource.api];
      const token = pageTokenOf(resource.api, resource.list);
      const ids: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 500; page++) {
        const answer = await call(requestFor(api, resource.list, after ? { [token.input]: after } : {}), account);
        expect(answer.status, `${resource.list}: ${answer.text}`).toBe(200);
        const output = JSON.parse(answer.text) as Record<string, unknown>;
        ids.push(...stringsUnder(output, resource.id));
        after = output[token.output] as string | undefined;
        if (!after) break;
      }
      return new Set(ids);
    };
    const mismatches = async () => {
      const found: string[] = [];
      for (const account of FUZZERS) {
        for (const resource of FUZZED_RESOURCES) {
          const key = `${account.accountId} ${resource.api}:${resource.create}`;
          const made = created.get(key) ?? new Map<string, string[]>();
          const gone = deleted.get(key) ?? new Set<string>();
          const listed = await listAll(resource, account);
          for (const id of listed) {
            // A broken document's bytes that are not UTF-8 are read as U+FFFD: a create sent so stores its name so.
            if (made.has(id) || (id.includes('\ufffd') && garbled.has(key))) continue;
            if (resource.api === 'kms' && (await isManagedKey(id, account))) continue;
            found.push(`${key}: ${resource.list} shows ${id}, which no accepted request created`);
          }
          for (const [id, names] of made)
            if (!listed.has(id) && !names.some((name) => gone.has(name)))
              found.push(`${key}: ${resource.list} misses ${id}`);
        }
      }
      return found;
    };
    // The account's AWS managed key (alias/aws/license-manager), which a licence created without a key of its own made.
    const isManagedKey = async (KeyId: string, account: (typeof FUZZERS)[number]) => {
      const answer = await call(requestFor(apiModels.kms, 'DescribeKey', { KeyId }), account);
      return answer.status === 200 && JSON.parse(answer.text).KeyMetadata.KeyManager === 'AWS';
    };
    // The lists read views that follow the events a moment later.
    const deadline = Date.now() + 30_000;
    let found = await mismatches();
    while (found.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      found = await mismatches();
    }
    expect(found.slice(0, 40), `LM_FUZZ_SEED=${SEED}`).toEqual([]);
  });

  it('keeps views equal to a rebuild from the event store', async () => {
    for (const views of SERVICE_VIEWS) await expectViewsEqualRebuild(system.databaseUrl, views);
  });
});
