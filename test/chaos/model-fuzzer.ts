import type { ApiModel, MemberRef, Shape, WireProtocol } from '@lm/api-model';
import { Random } from '../support/seeded-random';
import { RawJson, requestFor, type OperationRequest } from './model-requests';

/**
 * Strings the system answered (ARNs, ids, names) by the member name they came under, so that
 * later requests name resources that exist: a Get, Update or Delete of a resource created earlier
 * in the run, a grant of a licence created earlier, a licence signed with a key created earlier.
 */
export class AnswerPool {
  private readonly byName = new Map<string, string[]>();

  learn(value: unknown, name = ''): void {
    if (typeof value === 'string') {
      if (name === '' || value.length > 2048) return;
      const values = this.byName.get(name) ?? [];
      if (!values.includes(value)) values.push(value);
      if (values.length > 64) values.shift();
      this.byName.set(name, values);
    } else if (Array.isArray(value)) for (const item of value) this.learn(item, name);
    else if (value !== null && typeof value === 'object')
      for (const [key, member] of Object.entries(value)) this.learn(member, key);
  }

  /** A value learnt under the member's name or one of its aliases that passes `fits`. */
  valueFor(random: Random, member: string, fits: (value: string) => boolean): string | undefined {
    const values = [member, ...(ALIASES[member] ?? [])].flatMap((name) => this.byName.get(name) ?? []).filter(fits);
    return values.length > 0 ? random.pick(values) : undefined;
  }
}

/** Members that take what an answer calls by another name. */
const ALIASES: Record<string, string[]> = {
  SignKey: ['Arn'],
  KeyId: ['Arn'],
  ResourceArn: [
    'LicenseArn',
    'LicenseConfigurationArn',
    'GrantArn',
    'LicenseManagerReportGeneratorArn',
    'IdentityProviderArn',
    'LicenseServerEndpointArn',
    'SubscriptionProviderArn',
    'LicenseAssetGroupArn',
    'LicenseAssetRulesetArn',
  ],
  SecretArn: ['ARN'],
  SecretId: ['ARN', 'Name'],
  AssociatedLicenseAssetRulesetARNs: ['LicenseAssetRulesetArn'],
  LicenseAssetGroupArns: ['LicenseAssetGroupArn'],
  ParentArn: ['LicenseArn'],
  AlarmNames: ['AlarmName'],
  licenseConfigurationArns: ['LicenseConfigurationArn'],
  LicenseConfigurationArns: ['LicenseConfigurationArn'],
  LicenseArns: ['LicenseArn'],
  LicenseServerEndpointArn: ['LicenseServerEndpointArn'],
};

/** Valid strings for the few patterns a random word does not satisfy, keyed by `<api>:<shape>`. */
const PATTERN_SAMPLES: Record<string, (random: Random, account: string) => string> = {
  'license-manager:Arn': (r, account) => `arn:aws:license-manager:us-east-1:${account}:license:l-${r.hex(32)}`,
  'license-manager:ISO8601DateTime': (r) => new Date(Date.now() + r.int(-400, 400) * 86_400_000).toISOString(),
  'license-manager:LicenseConversionTaskId': (r) => `lct-${r.alnum(16)}`,
  'license-manager-user-subscriptions:Arn': (r, account) =>
    `arn:aws:license-manager-user-subscriptions:us-east-1:${account}:identity-provider/${r.alnum(12).toLowerCase()}`,
  'license-manager-user-subscriptions:ResourceArn': (r, account) =>
    `arn:aws:license-manager-user-subscriptions:us-east-1:${account}:license-server-endpoint/${r.hex(12)}`,
  'license-manager-user-subscriptions:Directory': (r) => `d-${r.hex(10)}`,
  'license-manager-user-subscriptions:IpV4': (r) => `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  'license-manager-user-subscriptions:IpV6': (r) => `fd00::${r.hex(4)}`,
  'license-manager-user-subscriptions:SecurityGroup': (r) => `sg-${r.hex(8)}`,
  'license-manager-user-subscriptions:Subnet': (r) => `subnet-${r.hex(8)}`,
  'license-manager-linux-subscriptions:SecretArn': (r, account) =>
    `arn:aws:secretsmanager:us-east-1:${account}:secret:${r.alnum(8)}`,
  'license-manager-linux-subscriptions:SubscriptionProviderArn': (r, account) =>
    `arn:aws:license-manager-linux-subscriptions:us-east-1:${account}:subscription-provider/${r.hex(12)}`,
  'secretsmanager:DurationType': (r) => `${r.int(1, 24)}h`,
  'secretsmanager:RegionType': () => 'us-east-1',
  'kms:XksKeyIdType': (r) => r.alnum(12),
};

/** Member names whose values services read for more than their shape says (a region, an account, a principal). */
const NAMED_VALUES: Array<[RegExp, (random: Random, account: string) => string]> = [
  [/Region$/, () => 'us-east-1'],
  [
    /^(Principals?|Beneficiary)$/,
    (r) => `arn:aws:iam::${r.pick(['111111111111', '222222222222', '333333333333'])}:root`,
  ],
  [/AccountId$/, (r) => r.pick(['111111111111', '222222222222', '333333333333'])],
  [/Email/, (r) => `${r.alnum(6)}@example.com`],
];

const UNICODE = [
  'é',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '\uffff',
  '\u0000',
  '\u0007\u001b[31m',
  'ﷺ',
  'a\u0301\u0301\u0301',
  '🙂'.repeat(300),
  '\r\n\t',
];
const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '%s%n%x',
  '../../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>',
];

/** The longest string member sent: in the body, and in the URI, which must stay within the gateway's 16 KiB of headers. */
const LONG_STRING = 64_000;
const URI_LENGTH = 4_000;

/** What one request tries. */
export type FuzzKind = 'valid' | 'member' | 'document';

export interface FuzzCase {
  api: ApiModel;
  operation: string;
  protocol: WireProtocol;
  kind: FuzzKind;
  /** What was done to the request, for a failure's report. */
  what: string;
  input: Record<string, unknown>;
  request: OperationRequest;
}

/** The protocols an API is served in: CloudWatch in RPC v2 CBOR, awsJson1_0 and query. */
const protocolsOf = (api: ApiModel): WireProtocol[] => api.metadata.protocols ?? [api.metadata.protocol];

/**
 * Builds requests for the operations of the given APIs from their models: valid inputs (required
 * members and some optional ones, at any depth, within each member's constraints), inputs with one
 * member anywhere set to a boundary or invalid value (lengths, ranges, types, enums, patterns,
 * unicode, huge numbers, `__proto__` and `constructor` keys), and documents built to break a parser
 * (duplicate keys, deep nesting, bytes that are not UTF-8, truncation, CBOR cut short).
 */
export class ModelFuzzer {
  constructor(
    private readonly random: Random,
    private readonly pool: AnswerPool,
    /** Valid inputs the model cannot say enough about (a licence's dates and key), by operation. */
    private readonly seeds: Partial<Record<string, (account: string) => Record<string, unknown>>> = {},
  ) {}

  next(api: ApiModel, operation: string, account: string): FuzzCase {
    const r = this.random;
    const protocol = r.pick(protocolsOf(api));
    const inputShape = api.operations[operation].input;
    const seed = this.seeds[`${api.id}:${operation}`];
    let input =
      seed && r.chance(0.7)
        ? seed(account)
        : inputShape
          ? (this.valid(api, api.shapes[inputShape], inputShape, '', account, 0) as Record<string, unknown>)
          : {};
    const roll = r.next();
    const kind: FuzzKind = roll < 0.35 ? 'valid' : roll < 0.75 ? 'member' : 'document';
    let what = 'valid input';
    if (kind === 'member' && inputShape) {
      const mutated = this.mutateMember(api, inputShape, input, account);
      input = mutated.input;
      what = mutated.what;
    }
    let request = requestFor(api, operation, input, protocol);
    if (kind === 'document') {
      const broken = this.breakDocument(request, protocol);
      request = broken.request;
      what = broken.what;
    }
    return { api, operation, protocol, kind, what, input, request };
  }

  /** A value within the shape's constraints. */
  private valid(
    api: ApiModel,
    shape: Shape,
    shapeName: string,
    member: string,
    account: string,
    depth: number,
  ): unknown {
    const r = this.random;
    switch (shape.type) {
      case 'string': {
        if (shape.enum) return r.pick(shape.enum);
        const sample = PATTERN_SAMPLES[`${api.id}:${shapeName}`];
        const fits = (value: string) =>
          value.length >= (shape.min ?? 0) && value.length <= (shape.max ?? Infinity) && matches(shape, value);
        const learnt = r.chance(0.8) ? this.pool.valueFor(r, member, fits) : undefined;
        if (learnt !== undefined) return learnt;
        const named = NAMED_VALUES.find(([name]) => name.test(member))?.[1];
        if (named) return named(r, account);
        if (sample) return sample(r, account);
        const length = Math.max(shape.min ?? 1, Math.min(shape.max ?? 12, r.int(1, 12)));
        return r.alnum(length);
      }
      case 'integer':
      case 'long': {
        const min = shape.min ?? 0;
        return r.int(min, Math.max(min, Math.min(shape.max ?? 100, min + 100)));
      }
      case 'double':
      case 'float':
        return Math.round(r.next() * 1000) / 10;
      case 'boolean':
        return r.chance(0.5);
      case 'timestamp':
        return Math.floor(Date.now() / 1000) + r.int(-86_400 * 30, 86_400 * 30);
      case 'blob':
        return Buffer.from(r.alnum(16)).toString('base64');
      case 'list': {
        const count = Math.max(shape.min ?? 0, Math.min(shape.max ?? 3, r.int(0, depth > 2 ? 1 : 3)));
        const item = api.shapes[shape.member!.shape];
        return Array.from({ length: count }, () =>
          this.valid(api, item, shape.member!.shape, member, account, depth + 1),
        );
      }
      case 'map': {
        const count = Math.max(shape.min ?? 0, Math.min(shape.max ?? 2, r.int(0, 2)));
        const key = api.shapes[shape.key!.shape];
        const value = api.shapes[shape.value!.shape];
        return Object.fromEntries(
          Array.from({ length: count }, () => [
            this.valid(api, key, shape.key!.shape, `${member}Key`, account, depth + 1),
            this.valid(api, value, shape.value!.shape, `${member}Value`, account, depth + 1),
          ]),
        );
      }
      case 'structure': {
        const members = Object.entries(shape.members ?? {}).filter(([, ref]) => !isHeader(ref));
        const chosen = shape.union
          ? [r.pick(members)].filter(Boolean)
          : members.filter(([name]) => shape.required?.includes(name) || (depth < 4 && r.chance(0.3)));
        return Object.fromEntries(
          chosen.map(([name, ref]) => [
            name,
            this.valid(api, api.shapes[ref.shape], ref.shape, name, account, depth + 1),
          ]),
        );
      }
    }
  }

  /** The input with one member somewhere below it (chosen by a random walk of the model) set to a hostile value. */
  private mutateMember(
    api: ApiModel,
    inputShape: string,
    input: Record<string, unknown>,
    account: string,
  ): { input: Record<string, unknown>; what: string } {
    const r = this.random;
    const root = structuredClone(input);
    let holder: Record<string, unknown> | unknown[] = root;
    let key: string | number = '';
    let shapeName = inputShape;
    let path = '';
    /** Whether the member travels in the URI, whose length the gateway bounds with the headers' (LM_MAX_HEADER_BYTES). */
    let inUri = false;
    // Descend: at each structure pick a member (present or not); stop at a scalar, or by chance.
    for (let depth = 0; ; depth++) {
      const shape = api.shapes[shapeName];
      const here: unknown = depth === 0 ? root : (holder as Record<string, unknown>)[key as string];
      if (depth > 0 && (!['structure', 'list', 'map'].includes(shape.type) || r.chance(0.3))) break;
      if (shape.type === 'structure') {
        const members = Object.entries(shape.members ?? {}).filter(([, ref]) => !isHeader(ref));
        if (members.length === 0) break;
        const [name, ref] = r.pick(members);
        const object: Record<string, unknown> = isObject(here) ? here : {};
        if (depth > 0) (holder as Record<string, unknown>)[key as string] = object;
        holder = object;
        key = name;
        shapeName = ref.shape;
        inUri = ref.location === 'uri' || ref.location === 'querystring';
        path += `.${name}`;
        if (!(name in object)) object[name] = this.valid(api, api.shapes[ref.shape], ref.shape, name, account, depth);
      } else if (shape.type === 'list') {
        const list =
          Array.isArray(here) && here.length > 0
            ? here
            : [this.valid(api, api.shapes[shape.member!.shape], shape.member!.shape, String(key), account, depth)];
        (holder as Record<string, unknown>)[key as string] = list;
        holder = list;
        key = 0;
        shapeName = shape.member!.shape;
        path += '[0]';
      } else if (shape.type === 'map') {
        break;
      }
    }
    const shape = api.shapes[shapeName];
    const { value, what } = this.hostile(api, shape, inUri ? URI_LENGTH : LONG_STRING);
    if (path === '')
      return {
        input: isObject(value) ? (value as Record<string, unknown>) : { Unknown: value },
        what: `input: ${what}`,
      };
    (holder as Record<string | number, unknown>)[key] = value;
    return { input: root, what: `${path.slice(1)}: ${what}` };
  }

  /** A boundary or invalid value for a member of `shape`, and what it is. */
  private hostile(api: ApiModel, shape: Shape, longest: number): { value: unknown; what: string } {
    const r = this.random;
    const wrongType = (): { value: unknown; what: string } => {
      const value = r.pick<unknown>([
        1,
        -1,
        true,
        null,
        'text',
        {},
        [],
        [[[]]],
        new RawJson('1e400'),
        { __proto__x: 1 },
      ]);
      return { value, what: `wrong type ${JSON.stringify(value)}` };
    };
    const protoKeys = (): { value: unknown; what: string } => ({
      value: Object.fromEntries([
        ['__proto__', { polluted: 'yes', isAdmin: true }],
        ['constructor', { prototype: { polluted: 'yes' } }],
        ['toString', 'x'],
        ['hasOwnProperty', 1],
      ]),
      what: '__proto__/constructor keys',
    });
    if (r.chance(0.15)) return r.chance(0.5) ? wrongType() : protoKeys();
    switch (shape.type) {
      case 'string': {
        const min = shape.min ?? 0;
        const max = shape.max ?? 1024;
        const choices: Array<() => { value: unknown; what: string }> = [
          () => ({ value: '', what: 'empty string' }),
          () => ({ value: 'a'.repeat(Math.min(max, longest)), what: `length ${Math.min(max, longest)} (max)` }),
          () => ({
            value: 'a'.repeat(Math.min(max + 1, longest)),
            what: `length ${Math.min(max + 1, longest)} (max + 1)`,
          }),
          () => ({ value: 'a'.repeat(Math.max(0, min - 1)), what: `length ${Math.max(0, min - 1)} (min - 1)` }),
          () => ({ value: 'x'.repeat(r.int(longest / 20, longest)), what: 'a long string' }),
          () => {
            const value = r.pick(UNICODE);
            return { value, what: `unicode ${JSON.stringify(value).slice(0, 40)}` };
          },
          () => {
            const value = r.pick(INJECTIONS);
            return { value, what: `injection ${value}` };
          },
          () => ({ value: ` ${r.alnum(4)} `, what: 'padded with spaces' }),
        ];
        if (shape.enum)
          choices.push(
            () => ({ value: 'NotAnEnumValue', what: 'outside the enum' }),
            () => {
              const value = r.pick(shape.enum!).toLowerCase() + ' ';
              return { value, what: `enum value altered '${value}'` };
            },
          );
        if (shape.pattern)
          choices.push(() => ({ value: `${r.alnum(5)}:/\\*`, what: `against pattern ${shape.pattern}` }));
        return r.pick(choices)();
      }
      case 'integer':
      case 'long':
      case 'double':
      case 'float': {
        const integer = shape.type === 'integer' || shape.type === 'long';
        const limit = shape.type === 'integer' ? 2 ** 31 : 2 ** 63;
        const candidates: unknown[] = [
          shape.min ?? 0,
          shape.max ?? 0,
          (shape.min ?? 0) - 1,
          (shape.max ?? 0) + 1,
          -1,
          0,
          limit - 1,
          new RawJson(String(BigInt(limit))),
          new RawJson('-9223372036854775809'),
          new RawJson('123456789012345678901234567890'),
          new RawJson('1e400'),
          new RawJson('-1e400'),
          new RawJson('-0'),
          new RawJson('1e-400'),
          1.7976931348623157e308,
          'NaN',
          '12',
          '',
        ];
        if (integer) candidates.push(1.5, -0.5, new RawJson('1.0'), new RawJson('1E2'));
        const value = r.pick(candidates);
        return { value, what: `number ${value instanceof RawJson ? value.text : JSON.stringify(value)}` };
      }
      case 'boolean': {
        const value = r.pick<unknown>(['true', 1, 0, 'yes', null]);
        return { value, what: `boolean ${JSON.stringify(value)}` };
      }
      case 'timestamp': {
        const value = r.pick<unknown>([
          -1,
          0,
          new RawJson('1e20'),
          253402300800,
          -62135596801,
          'not a date',
          '2024-02-30T00:00:00Z',
          '2024-01-01T25:61:00Z',
          '',
          1.5,
          new RawJson('1e400'),
        ]);
        return { value, what: `timestamp ${value instanceof RawJson ? value.text : JSON.stringify(value)}` };
      }
      case 'list': {
        const item = this.valid(api, api.shapes[shape.member!.shape], shape.member!.shape, '', '111111111111', 3);
        const choices: Array<() => { value: unknown; what: string }> = [
          () => ({ value: [], what: 'empty list' }),
          () => ({
            value: Array.from({ length: (shape.max ?? 100) + 1 }, () => item),
            what: `${(shape.max ?? 100) + 1} items`,
          }),
          () => ({ value: [null], what: 'a null item' }),
          () => ({ value: Array.from({ length: 2 }, () => item), what: 'a duplicate item' }),
          () => ({ value: item, what: 'an item where a list goes' }),
          () => ({ value: [[[[[[item]]]]]], what: 'nested lists' }),
        ];
        return r.pick(choices)();
      }
      case 'map': {
        const choices: Array<() => { value: unknown; what: string }> = [
          () => ({ value: {}, what: 'empty map' }),
          protoKeys,
          () => ({
            value: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v'])),
            what: '300 entries',
          }),
          () => ({ value: { '': 'v', '\u0000': 'v' }, what: 'empty and U+0000 keys' }),
          () => ({ value: ['k', 'v'], what: 'a list where a map goes' }),
        ];
        return r.pick(choices)();
      }
      case 'structure': {
        const choices: Array<() => { value: unknown; what: string }> = [
          () => ({ value: {}, what: 'empty structure' }),
          protoKeys,
          () => ({ value: [{}], what: 'a list where a structure goes' }),
          () => ({ value: { Unknown: { deeper: [1, { x: null }] } }, what: 'unknown members' }),
        ];
        return r.pick(choices)();
      }
      default:
        return wrongType();
    }
  }

  /** The encoded request with its document broken, in the protocol's own way. */
  private breakDocument(
    request: OperationRequest,
    protocol: WireProtocol,
  ): { request: OperationRequest; what: string } {
    const r = this.random;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
    const withBody = (next: string | Buffer, what: string) => ({ request: { ...request, body: next }, what });
    if (protocol === 'smithy-rpc-v2-cbor') {
      const choices: Array<() => { request: OperationRequest; what: string }> = [
        () => withBody(body.subarray(0, r.int(0, Math.max(0, body.length - 1))), 'CBOR truncated'),
        () => withBody(Buffer.concat([body, Buffer.from([r.int(0, 255)])]), 'CBOR with a trailing byte'),
        () => {
          const flipped = Buffer.from(body);
          if (flipped.length > 0) flipped[r.int(0, flipped.length - 1)] = r.int(0, 255);
          return withBody(flipped, 'CBOR with a byte changed');
        },
        () =>
          withBody(
            Buffer.concat([Buffer.from([0xa1, 0x61, 0x58]), Buffer.alloc(r.int(30, 200), 0x81), Buffer.from([0x00])]),
            'CBOR nested deep',
          ),
        () => withBody(Buffer.from([0xbf, 0x61, 0x41, 0x01]), 'CBOR indefinite map never closed'),
        () =>
          withBody(
            Buffer.from([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            'CBOR array claiming 2^64 items',
          ),
        () =>
          withBody(Buffer.from([0x7b, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00]), 'CBOR text claiming 64 GiB'),
        () => withBody(Buffer.from([0xa1, 0x61, 0x41, 0x62, 0xff, 0xfe]), 'CBOR text that is not UTF-8'),
        () => withBody('{}', 'JSON sent as CBOR'),
      ];
      return r.pick(choices)();
    }
    if (protocol === 'query') {
      const text = body.toString();
      const choices: Array<() => { request: OperationRequest; what: string }> = [
        () => withBody(`${text}&${text}`, 'every parameter twice'),
        () => withBody(`${text}&Unknown.member.99999999=x`, 'a huge list index'),
        () => withBody(`${text}&X=%zz%`, 'bad percent-encoding'),
        () => withBody(`${text}&X=%ff%fe`, 'percent-encoded bytes that are not UTF-8'),
        () => withBody(text.slice(0, r.int(0, text.length)), 'form truncated'),
        () => withBody(`${text}&${'a.'.repeat(5000)}b=1`, 'a deeply dotted name'),
        () => withBody(`${text}&__proto__.polluted=1&constructor.prototype.polluted=1`, '__proto__ parameters'),
      ];
      return r.pick(choices)();
    }
    // awsJson and restJson1: the JSON text.
    const text = body.toString();
    const open = text.startsWith('{') ? 1 : 0;
    const firstKey = /^\{\s*("(?:[^"\\]|\\.)*")\s*:/.exec(text)?.[1];
    const rest = text.slice(open).replace(/^\s*\}$/, '}');
    const insert = (member: string) => withBody(`{${member}${rest === '}' ? '' : ','}${rest}`, '');
    const choices: Array<() => { request: OperationRequest; what: string }> = [
      () => ({
        ...insert(`${firstKey ?? '"A"'}: ${r.pick(['1', '"x"', 'null', '{}', '[]'])}`),
        what: 'duplicate key, the valid value last',
      }),
      () =>
        withBody(
          text.replace(/}$/, `,${firstKey ?? '"A"'}: ${r.pick(['1', '"x"', 'null', '{}'])}}`).replace(/^\{,/, '{'),
          'duplicate key, the invalid value last',
        ),
      () => ({
        ...insert('"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}'),
        what: '__proto__ and constructor at the top',
      }),
      () => {
        const depth = r.int(20, 20_000);
        return { ...insert(`"Unknown": ${'['.repeat(depth)}${']'.repeat(depth)}`), what: `nesting ${depth} deep` };
      },
      () => {
        const depth = r.int(20, 5_000);
        return { ...insert(`"Unknown": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), what: `objects ${depth} deep` };
      },
      () => ({ ...insert(`"Unknown": ${'9'.repeat(r.int(400, 50_000))}`), what: 'a huge number' }),
      () => {
        const bytes = r.pick([
          [0xff],
          [0xc3, 0x28],
          [0xe2, 0x82],
          [0xed, 0xa0, 0x80],
          [0xf8, 0x88, 0x80, 0x80, 0x80],
          [0xc0, 0xaf],
        ]);
        const cut = text.indexOf('"', text.indexOf(':') + 1) + 1 || Math.floor(text.length / 2);
        return withBody(
          Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from(bytes), Buffer.from(text.slice(cut))]),
          `bytes ${bytes.map((b) => b.toString(16)).join(' ')} that are not UTF-8`,
        );
      },
      () => withBody(text.slice(0, r.int(0, Math.max(0, text.length - 1))), 'JSON truncated'),
      () => {
        const value = r.pick([
          '[]',
          '"x"',
          '1',
          'null',
          'true',
          '',
          ' ',
          '{"a":1}{"b":2}',
          '{,}',
          "{'a':1}",
          '\ufeff{}',
        ]);
        return withBody(value, `document ${JSON.stringify(value)}`);
      },
      () => withBody(`${text}${' '.repeat(r.int(1, 1000))}\u0000`, 'trailing U+0000'),
      () => withBody(text.replace(/"/g, r.pick(['\\"', "'"])), 'quotes altered'),
      () => ({
        request: {
          ...request,
          headers: {
            ...request.headers,
            'content-type': r.pick(['text/plain', 'application/xml', 'application/json; charset=latin1', '']),
          },
        },
        what: 'another content type',
      }),
    ];
    return r.pick(choices)();
  }
}

const isHeader = (ref: MemberRef) => ref.location === 'header' || ref.location === 'headers';
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a string satisfies the shape's pattern, where JavaScript can read it (else assumed). */
function matches(shape: Shape, value: string): boolean {
  if (!shape.pattern) return true;
  try {
    return new RegExp(shape.pattern, 'u').test(value);
  } catch {
    return true;
  }
}
