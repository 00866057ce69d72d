import { describe, expect, it } from 'vitest';
import {
  apiModels,
  apisBySigningName,
  compileJavaPattern,
  patternCoverage,
  validateInput,
  validationMessage,
  type ApiModel,
  type ValidationIssue,
} from '../src';
import { stringMemberInputs } from '../../../test/chaos/model-inputs';

const lm = apiModels['license-manager'];
const userSubscriptions = apiModels['license-manager-user-subscriptions'];
const linuxSubscriptions = apiModels['license-manager-linux-subscriptions'];
const kms = apiModels.kms;
const sts = apiModels.sts;

const messages = (issues: ValidationIssue[]) => issues.map((issue) => issue.message);

describe('validateInput on CreateLicenseConfiguration', () => {
  const validate = (value: unknown) => validateInput(lm, 'CreateLicenseConfigurationRequest', value);

  it('accepts a valid request, ignoring members the model does not know', () => {
    expect(
      validate({
        Name: 'cfg',
        LicenseCountingType: 'vCPU',
        LicenseCount: 10,
        LicenseCountHardLimit: true,
        LicenseRules: ['#minimumVcpus=2'],
        Tags: [{ Key: 'team', Value: 'a' }],
        SomethingNew: { anything: 1 },
      }),
    ).toEqual([]);
  });

  it('reports a missing Name as AWS does', () => {
    const issues = validate({ LicenseCountingType: 'Core' });
    expect(issues).toEqual([
      {
        path: 'name',
        kind: 'constraint',
        message: "Value null at 'name' failed to satisfy constraint: Member must not be null",
      },
    ]);
    expect(validationMessage(issues)).toBe(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });

  it('treats an explicit null like a missing member', () => {
    expect(messages(validate({ Name: null, LicenseCountingType: 'Core' }))).toEqual([
      "Value null at 'name' failed to satisfy constraint: Member must not be null",
    ]);
  });

  it('reports a value outside the enum', () => {
    const issues = validate({ Name: 'cfg', LicenseCountingType: 'Cores' });
    expect(validationMessage(issues)).toBe(
      "1 validation error detected: Value 'Cores' at 'licenseCountingType' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [vCPU, Instance, Core, Socket]',
    );
  });

  it('reports several errors in one message, joined by "; "', () => {
    const issues = validate({});
    expect(validationMessage(issues)).toBe(
      "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'licenseCountingType' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports wrong JSON types as type issues', () => {
    const issues = validate({
      Name: 42,
      LicenseCountingType: 'Core',
      LicenseCount: 1.5,
      LicenseCountHardLimit: 'yes',
      LicenseRules: 'not-a-list',
      Tags: [{ Key: 'k', Value: 7 }],
    });
    expect(issues.map(({ path, kind }) => ({ path, kind }))).toEqual([
      { path: 'name', kind: 'type' },
      { path: 'licenseCount', kind: 'type' },
      { path: 'licenseCountHardLimit', kind: 'type' },
      { path: 'licenseRules', kind: 'type' },
      { path: 'tags.1.member.value', kind: 'type' },
    ]);
    expect(issues[0].message).toBe("Value '42' at 'name' failed to satisfy constraint: Member must be a string");
  });

  it('checks structures nested in lists with AWS member paths', () => {
    const issues = validate({
      Name: 'cfg',
      LicenseCountingType: 'Core',
      ProductInformationList: [
        { ResourceType: 'SSM_MANAGED', ProductInformationFilterList: [] },
        {
          ResourceType: 'RDS',
          ProductInformationFilterList: [{ ProductInformationFilterName: 'Engine Edition' }],
        },
      ],
    });
    expect(messages(issues)).toEqual([
      "Value null at 'productInformationList.2.member.productInformationFilterList.1.member.productInformationFilterComparator' " +
        'failed to satisfy constraint: Member must not be null',
    ]);
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, [], 'x', 3, true]) {
      const issues = validate(body);
      expect(issues).toHaveLength(1);
      expect(issues[0].kind).toBe('type');
    }
  });
});

describe('validateInput on enums the service checks itself', () => {
  it('leaves DigitalSignatureMethod to grants, which answers UnsupportedDigitalSignatureMethodException', () => {
    const borrow = (method: unknown) =>
      validateInput(lm, 'CheckoutBorrowLicenseRequest', {
        LicenseArn: 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef0123456789abcdef',
        Entitlements: [{ Name: 'Seats', Unit: 'Count' }],
        DigitalSignatureMethod: method,
        ClientToken: 'token',
      });
    expect(borrow('JWT_PS256')).toEqual([]);
    expect(messages(borrow(7))).toHaveLength(1);
  });
});

describe('validateInput on list operations', () => {
  it('reports nested Filters of ListLicenseConfigurations', () => {
    const issues = validateInput(lm, 'ListLicenseConfigurationsRequest', {
      Filters: [
        { Name: 'licenseCountingType', Values: ['Core'] },
        { Name: 3, Values: 'Core' },
      ],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['filters.2.member.name', 'filters.2.member.values']);
  });

  it('reports a MaxResults out of range', () => {
    expect(messages(validateInput(lm, 'ListLicensesRequest', { MaxResults: 0 }))).toEqual([
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
    expect(messages(validateInput(lm, 'ListLicensesRequest', { MaxResults: 101 }))).toEqual([
      "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    ]);
    expect(validateInput(lm, 'ListLicensesRequest', { MaxResults: 100 })).toEqual([]);
    expect(validateInput(lm, 'ListLicensesRequest', { MaxResults: 2 ** 31 })[0].kind).toBe('type');
  });

  it('requires ResourceArn for ListTagsForResource', () => {
    expect(messages(validateInput(lm, 'ListTagsForResourceRequest', {}))).toEqual([
      "Value null at 'resourceArn' failed to satisfy constraint: Member must not be null",
    ]);
    expect(validateInput(lm, 'ListTagsForResourceRequest', { ResourceArn: 'arn:aws:license-manager:x' })).toEqual([]);
  });
});

describe('validateInput constraints', () => {
  it('checks string lengths in code points', () => {
    const name = (value: string) =>
      validateInput(lm, 'CreateLicenseManagerReportGeneratorRequest', {
        ReportGeneratorName: value,
        Type: ['LicenseConfigurationSummaryReport'],
        ReportContext: {
          licenseConfigurationArns: ['arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-1'],
        },
        ReportFrequency: { value: 1, period: 'DAY' },
        ClientToken: 't',
      });
    expect(name('x'.repeat(100))).toEqual([]);
    expect(name('😀'.repeat(100))).toEqual([]);
    expect(messages(name('x'.repeat(101)))).toEqual([
      `Value '${'x'.repeat(101)}' at 'reportGeneratorName' failed to satisfy constraint: Member must have length less than or equal to 100`,
    ]);
    expect(messages(name(''))).toEqual([
      "Value '' at 'reportGeneratorName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  });

  it('checks list sizes and aggregates the rules broken by scalar items, as AWS does', () => {
    const token = (TokenProperties: unknown) =>
      validateInput(lm, 'CreateTokenRequest', {
        LicenseArn: 'arn:aws:license-manager::1:license:l-1',
        ClientToken: 'c',
        TokenProperties,
      });
    expect(messages(token(['a', 'b', 'c', 'd']))).toEqual([
      "Value '[a, b, c, d]' at 'tokenProperties' failed to satisfy constraint: Member must have length less than or equal to 3",
    ]);
    expect(messages(token(['a', null]))).toEqual([
      "Value '[a, null]' at 'tokenProperties' failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]",
    ]);
  });

  it('checks patterns against the whole value', () => {
    const grant = (LicenseArn: string) =>
      validateInput(lm, 'CreateGrantRequest', {
        ClientToken: 'token',
        GrantName: 'g',
        LicenseArn,
        Principals: ['arn:aws:iam::123456789012:root'],
        HomeRegion: 'us-east-1',
        AllowedOperations: ['CheckoutLicense'],
      });
    expect(grant('arn:aws:license-manager::123456789012:license:l-1')).toEqual([]);
    expect(grant('prefix-arn:aws:license-manager::123456789012:license:l-1')[0].message).toContain(
      'Member must satisfy regular expression pattern: ^arn:aws',
    );
    const clientToken = validateInput(lm, 'CreateGrantRequest', {
      ClientToken: 'has space',
      GrantName: 'g',
      LicenseArn: 'arn:aws:license-manager::123456789012:license:l-1',
      Principals: ['arn:aws:iam::123456789012:root'],
      HomeRegion: 'us-east-1',
      AllowedOperations: ['CheckoutLicense'],
    });
    expect(messages(clientToken)).toEqual([
      "Value 'has space' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\S+",
    ]);
  });

  it('checks list items against enums with the aggregated form', () => {
    const issues = validateInput(lm, 'CreateGrantRequest', {
      ClientToken: 'token',
      GrantName: 'g',
      LicenseArn: 'arn:aws:license-manager::123456789012:license:l-1',
      Principals: ['arn:aws:iam::123456789012:root'],
      HomeRegion: 'us-east-1',
      AllowedOperations: ['CheckoutLicense', 'Fly'],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('allowedOperations');
    expect(issues[0].message).toMatch(
      /^Value '\[CheckoutLicense, Fly\]' at 'allowedOperations' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[/,
    );
  });

  it('accepts timestamps as epoch seconds or ISO-8601, nothing else', () => {
    const usage = (value: unknown) => validateInput(lm, 'ReportContext', { reportStartDate: value });
    expect(usage(1714564800)).toEqual([]);
    expect(usage(1714564800.25)).toEqual([]);
    expect(usage('2024-05-01T12:00:00Z')).toEqual([]);
    expect(usage('2024-05-01T12:00:00.123+02:00')).toEqual([]);
    expect(usage('yesterday')[0]).toMatchObject({ path: 'reportStartDate', kind: 'type' });
    expect(usage(true)[0]).toMatchObject({ path: 'reportStartDate', kind: 'type' });
  });

  it('refuses epoch seconds beyond what a date holds (GetMetricData with a StartTime of 1e20 answered 500)', () => {
    const usage = (value: unknown) => validateInput(lm, 'ReportContext', { reportStartDate: value });
    expect(usage(8.64e12)).toEqual([]);
    expect(usage(-8.64e12)).toEqual([]);
    for (const beyond of [8.64e12 + 1, -8.64e12 - 1, 1e20, 10n ** 20n])
      expect(usage(beyond)[0], String(beyond)).toMatchObject({ path: 'reportStartDate', kind: 'type' });
  });

  it('requires exactly one member of a union', () => {
    const associate = (IdentityProvider: unknown) =>
      validateInput(userSubscriptions, 'AssociateUserRequest', { Username: 'u', InstanceId: 'i-1', IdentityProvider });
    expect(associate({ ActiveDirectoryIdentityProvider: { DirectoryId: 'd-1234567890' } })).toEqual([]);
    expect(messages(associate({}))).toEqual([
      "Value '{}' at 'identityProvider' failed to satisfy constraint: Member must have exactly one member set",
    ]);
  });

  it('does not echo values of sensitive members', () => {
    const issues = validateInput(userSubscriptions, 'TagResourceRequest', {
      ResourceArn: 'arn:aws:license-manager-user-subscriptions:us-east-1:123456789012:identity-provider/abc',
      Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`secret-key-${i}`, 'secret-value'])),
    });
    expect(messages(issues)).toEqual([
      "Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    ]);
  });

  it('validates map values and keys', () => {
    const issues = validateInput(userSubscriptions, 'TagResourceRequest', {
      ResourceArn: 'arn:aws:license-manager-user-subscriptions:us-east-1:123456789012:identity-provider/abc',
      Tags: { team: 5 },
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'tags.team', kind: 'type' })]);
  });

  it('checks blobs are base64 and integers are integers on a synthetic model', () => {
    const api: ApiModel = {
      ...lm,
      shapes: {
        Input: {
          type: 'structure',
          members: { Data: { shape: 'Data' }, Count: { shape: 'Count' }, Ratio: { shape: 'Ratio' } },
        },
        Data: { type: 'blob', max: 3 },
        Count: { type: 'long' },
        Ratio: { type: 'double', min: 0 },
      },
    };
    expect(validateInput(api, 'Input', { Data: 'AAEC', Count: 2 ** 40, Ratio: 0.5 })).toEqual([]);
    expect(validateInput(api, 'Input', { Ratio: 'NaN' })).toEqual([]);
    expect(messages(validateInput(api, 'Input', { Data: 'AAECAw==' }))).toEqual([
      "Value 'AAECAw==' at 'data' failed to satisfy constraint: Member must have length less than or equal to 3",
    ]);
    expect(validateInput(api, 'Input', { Data: 'not base64!' })[0].kind).toBe('type');
    expect(validateInput(api, 'Input', { Count: 1.5 })[0].kind).toBe('type');
    expect(messages(validateInput(api, 'Input', { Ratio: -1 }))).toEqual([
      "Value '-1' at 'ratio' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ]);
  });
});

describe('the KMS and STS subsets', () => {
  it('are found by their signing names, with the errors AWS sends', () => {
    expect(apisBySigningName('kms')).toEqual([kms]);
    expect(apisBySigningName('sts')).toEqual([sts]);
    expect(kms.metadata).toMatchObject({ protocol: 'json', jsonVersion: '1.1', targetPrefix: 'TrentService' });
    expect(kms.errors).toMatchObject({
      NotFoundException: 400,
      KMSInvalidStateException: 400,
      KMSInternalException: 500,
    });
    // The query protocol's error codes, not the shape names.
    expect(sts.errors).toMatchObject({
      InvalidIdentityToken: 400,
      IDPRejectedClaim: 403,
      ValidationError: 400,
      AccessDenied: 403,
    });
    expect(sts.operations.AssumeRoleWithWebIdentity).toMatchObject({
      resultWrapper: 'AssumeRoleWithWebIdentityResult',
      authtype: 'none',
    });
  });

  it('validate a KMS CreateKey and ScheduleKeyDeletion as KMS does', () => {
    expect(
      validateInput(kms, 'CreateKeyRequest', {
        KeySpec: 'RSA_3072',
        KeyUsage: 'SIGN_VERIFY',
        Tags: [{ TagKey: 'a', TagValue: '' }],
      }),
    ).toEqual([]);
    expect(messages(validateInput(kms, 'CreateKeyRequest', { KeySpec: 'RSA_1024' }))).toEqual([
      expect.stringMatching(
        /^Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[RSA_2048, /,
      ),
    ]);
    expect(messages(validateInput(kms, 'ScheduleKeyDeletionRequest', { KeyId: 'k', PendingWindowInDays: 5 }))).toEqual([
      "Value '5' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    ]);
  });

  it('validates an STS AssumeRoleWithWebIdentity without echoing the token', () => {
    const valid = {
      RoleArn: 'arn:aws:iam::111111111111:role/consumer',
      RoleSessionName: 'app-1',
      WebIdentityToken: 'token',
    };
    expect(validateInput(sts, 'AssumeRoleWithWebIdentityRequest', { ...valid, DurationSeconds: 3600 })).toEqual([]);
    expect(
      messages(
        validateInput(sts, 'AssumeRoleWithWebIdentityRequest', {
          ...valid,
          WebIdentityToken: 'abc',
          DurationSeconds: 60,
        }),
      ),
    ).toEqual([
      "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
      "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ]);
  });
});

describe('Java pattern translation', () => {
  it('compiles every pattern of the three models', () => {
    for (const api of [lm, userSubscriptions, linuxSubscriptions, kms, sts]) {
      const coverage = patternCoverage(api);
      console.info(`${api.id}: ${coverage.compiled}/${coverage.total} patterns enforced`);
      expect(coverage.skipped).toEqual([]);
      expect(coverage.total).toBeGreaterThan(0);
    }
  });

  it.each([
    ['\\p{Alpha}+', 'abcXYZ', 'abc1'],
    ['[\\p{Alnum}_]+', 'a_1', 'a-1'],
    ['\\p{L}+', 'héllo', 'hello!'],
    ['\\p{IsAlphabetic}+', 'Ωmega', 'x y'],
    ['\\QA.B\\E', 'A.B', 'AxB'],
    ['\\Aabc\\z', 'abc', 'abcd'],
    ['a++b', 'aab', 'b'],
    ['(?i)abc', 'ABC', 'abd'],
    ['[a-z\\-]+', 'a-b', 'a_b'],
    ['\\-\\@', '-@', '@'],
    ['x{2}+', 'xx', 'xxx'],
    ['\\x{41}', 'A', 'B'],
  ])('translates %s', (pattern, matching, notMatching) => {
    const regex = compileJavaPattern(pattern);
    expect(regex).toBeDefined();
    expect(regex!.test(matching)).toBe(true);
    expect(regex!.test(notMatching)).toBe(false);
  });

  it.each(['(?>a)', '[a-z&&[^aeiou]]', 'a(?i)b', '\\p{InGreek}', '[unclosed', '\\G', '\\p{NoSuchProperty}'])(
    'skips %s, which has no JS equivalent',
    (pattern) => {
      expect(compileJavaPattern(pattern)).toBeUndefined();
    },
  );
});

describe('validateInput robustness', () => {
  const apis = [lm, userSubscriptions, linuxSubscriptions, kms, sts];

  it('validates every operation input of the three models against {} without throwing', () => {
    let operations = 0;
    for (const api of apis) {
      for (const [name, operation] of Object.entries(api.operations)) {
        if (!operation.input) continue;
        operations += 1;
        const issues = validateInput(api, operation.input, {});
        for (const issue of issues) expect(issue.message, `${api.id} ${name}`).toMatch(/must not be null$/);
      }
    }
    expect(operations).toBe(Object.values(apis).reduce((n, api) => n + Object.keys(api.operations).length, 0));
  });

  /** A deterministic generator, so a failure reproduces. */
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }

  function arbitraryJson(next: () => number, depth: number, memberNames: string[]): unknown {
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    const kind =
      depth > 4
        ? pick(['string', 'number', 'null', 'boolean'])
        : pick(['string', 'number', 'null', 'boolean', 'array', 'object', 'object']);
    switch (kind) {
      case 'string':
        return pick([
          '',
          'Core',
          'x'.repeat(300),
          '\u{1F600}',
          '\ud800',
          'arn:aws:license-manager::1:license:l',
          '2024-05-01T00:00:00Z',
          '__proto__',
        ]);
      case 'number':
        return pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, 101]);
      case 'null':
        return null;
      case 'boolean':
        return next() < 0.5;
      case 'array':
        return Array.from({ length: Math.floor(next() * 5) }, () => arbitraryJson(next, depth + 1, memberNames));
      default:
        return Object.fromEntries(
          Array.from({ length: Math.floor(next() * 6) }, () => [
            pick([...memberNames, 'constructor', '__proto__', 'toString', 'unknown']),
            arbitraryJson(next, depth + 1, memberNames),
          ]),
        );
    }
  }

  it('never throws on arbitrary JSON for any operation', () => {
    const next = random(42);
    for (const api of apis) {
      const memberNames = [...new Set(Object.values(api.shapes).flatMap((shape) => Object.keys(shape.members ?? {})))];
      for (const operation of Object.values(api.operations)) {
        if (!operation.input) continue;
        for (let i = 0; i < 40; i++) {
          // Through JSON text, so the inputs are exactly what a parsed body can be (including "__proto__" keys).
          const body = JSON.parse(JSON.stringify(arbitraryJson(next, 0, memberNames)) ?? 'null');
          const issues = validateInput(api, operation.input, body);
          expect(Array.isArray(issues)).toBe(true);
          if (issues.length > 0) expect(validationMessage(issues)).toMatch(/^\d+ validation errors? detected: /);
        }
      }
    }
  });
});

describe('U+0000 in any string member', () => {
  it.each(Object.values(apiModels).map((api) => [api.id, api] as const))(
    'is refused by validation in every string member of every %s operation',
    (_, api) => {
      let strings = 0;
      for (const [name, operation] of Object.entries(api.operations)) {
        if (!operation.input) continue;
        for (const { input, reportedAt } of stringMemberInputs(api, operation.input, 'a\u0000b')) {
          strings += 1;
          const refusals = validateInput(api, operation.input, input).filter(
            (issue) => issue.path === reportedAt && !issue.message.endsWith('Member must not be null'),
          );
          expect(refusals, `${name} ${reportedAt} ${JSON.stringify(input)}`).not.toEqual([]);
        }
      }
      expect(strings).toBeGreaterThan(0);
    },
  );

  it('is refused in AWS words, naming the rule it breaks when no other rule already refused it', () => {
    const checkIn = validateInput(lm, 'CheckInLicenseRequest', { LicenseConsumptionToken: '\u0000' });
    expect(messages(checkIn)).toEqual([
      "Value '\u0000' at 'licenseConsumptionToken' failed to satisfy constraint: Member must not contain the null character (U+0000)",
    ]);
    const arn = validateInput(lm, 'UpdateLicenseSpecificationsForResourceRequest', { ResourceArn: '\u0000' });
    expect(arn).toHaveLength(1);
    expect(arn[0].path).toBe('resourceArn');
    // A value its pattern refuses already is reported once, under the pattern.
    const enumValue = validateInput(lm, 'CreateLicenseConfigurationRequest', {
      Name: 'n',
      LicenseCountingType: 'Core\u0000',
    });
    expect(messages(enumValue)).toEqual([expect.stringContaining('Member must satisfy enum value set')]);
  });
});

describe('longs, compared exactly', () => {
  const validate = (count: unknown) =>
    messages(
      validateInput(lm, 'CreateLicenseConfigurationRequest', {
        Name: 'n',
        LicenseCountingType: 'Core',
        LicenseCount: count,
      }),
    );

  it('accepts every long, as a number or a bigint', () => {
    for (const count of [
      0,
      9007199254740991,
      9007199254740993n,
      9223372036854775807n,
      -9223372036854775808n,
      -9007199254740991n,
    ])
      expect(validate(count)).toEqual([]);
  });

  it('quotes the digits sent, refusing anything beyond a long', () => {
    const at = (value: string, rule: string) => [
      `Value '${value}' at 'licenseCount' failed to satisfy constraint: ${rule}`,
    ];
    expect(validate(9223372036854775808n)).toEqual(at('9223372036854775808', 'Member must be a long integer'));
    expect(validate(-9223372036854775809n)).toEqual(at('-9223372036854775809', 'Member must be a long integer'));
    expect(validate(2147483648n)).toEqual([]);
  });

  it('keeps the model bounds of a long that has them', () => {
    const rotation = (days: unknown) =>
      messages(validateInput(apiModels.secretsmanager, 'RotationRulesType', { AutomaticallyAfterDays: days }));
    expect(rotation(9223372036854775807n)).toEqual([
      "Value '9223372036854775807' at 'automaticallyAfterDays' failed to satisfy constraint: Member must have value less than or equal to 1000",
    ]);
    expect(rotation(1000)).toEqual([]);
  });
});
