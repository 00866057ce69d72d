import type { ApiModel, MemberRef, Shape } from '../model';
import { isIso8601DateTime } from '../timestamps';
import { compileJavaPattern } from './java-pattern';

/**
 * One failed constraint, worded as AWS words it. `kind` tells a wrong JSON type (which AWS
 * reports as a SerializationException rather than a ValidationException) from a value of the
 * right type that breaks a modeled constraint.
 */
export interface ValidationIssue {
  /** Member path as AWS spells it: lowerCamel names joined by '.', list items as `name.N.member`. */
  path: string;
  message: string;
  kind: 'type' | 'constraint';
}

/** AWS's summary: "1 validation error detected: ..." / "N validation errors detected: a; b". */
export function validationMessage(issues: ValidationIssue[]): string {
  const count = `${issues.length} validation error${issues.length === 1 ? '' : 's'} detected`;
  return `${count}: ${issues.map((issue) => issue.message).join('; ')}`;
}

/**
 * Checks a parsed JSON value against an input shape of the model: types, required members,
 * enums, lengths, ranges, patterns and unions, recursively. Members the model does not know
 * are ignored, as AWS does. Never throws for any JSON value (the shape graphs are acyclic,
 * so recursion depth is bounded by the model, not by the input).
 */
export function validateInput(api: ApiModel, shapeName: string, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const shape = api.shapes[shapeName];
  if (shape) new Validator(api, issues).check(shape, value, '', shape.sensitive === true);
  return issues;
}

/** How many of a model's patterns this validator enforces; the others cannot be translated to JS. */
export function patternCoverage(api: ApiModel): { total: number; compiled: number; skipped: string[] } {
  const patterns = [...new Set(Object.values(api.shapes).flatMap((shape) => (shape.pattern ? [shape.pattern] : [])))];
  const skipped = patterns.filter((pattern) => !cachedPattern(pattern));
  return { total: patterns.length, compiled: patterns.length - skipped.length, skipped };
}

const compiledPatterns = new Map<string, RegExp | undefined>();

function cachedPattern(pattern: string): RegExp | undefined {
  if (!compiledPatterns.has(pattern)) compiledPatterns.set(pattern, compileJavaPattern(pattern));
  return compiledPatterns.get(pattern);
}

/** A broken rule of a scalar, before it is attributed to a path. */
interface Failure {
  kind: ValidationIssue['kind'];
  rule: string;
}

/** Integer ranges, exact: a long beyond 2 ** 53 arrives as a bigint (the gateway's exact JSON parse). */
const INT32 = { min: -(2n ** 31n), max: 2n ** 31n - 1n };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
/**
 * No string member can hold U+0000: PostgreSQL's text and jsonb, where every identifier, name and
 * tag ends up, refuse it, and no id or ARN pattern of the models matches it. Refused here, as the
 * constraint it breaks, for every string of every API (and map key), rather than answered as a
 * 500 by whichever service first stores or looks it up.
 */
const NO_NUL_RULE = 'Member must not contain the null character (U+0000)';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

class Validator {
  constructor(
    private readonly api: ApiModel,
    private readonly issues: ValidationIssue[],
  ) {}

  check(shape: Shape, value: unknown, path: string, sensitive: boolean): void {
    switch (shape.type) {
      case 'structure':
        return this.checkStructure(shape, value, path, sensitive);
      case 'list':
        return this.checkList(shape, value, path, sensitive);
      case 'map':
        return this.checkMap(shape, value, path, sensitive);
      default:
        for (const failure of scalarFailures(shape, value)) this.report(path, value, sensitive, failure);
    }
  }

  private checkStructure(shape: Shape, value: unknown, path: string, sensitive: boolean): void {
    if (!isPlainObject(value))
      return this.report(path, value, sensitive, { kind: 'type', rule: 'Member must be a structure' });
    const members = Object.entries(shape.members ?? {});
    const required = new Set(shape.required ?? []);
    if (shape.union) {
      const set = members.filter(([name]) => isSet(value, name)).length;
      if (set !== 1)
        this.report(path, value, sensitive, { kind: 'constraint', rule: 'Member must have exactly one member set' });
    }
    for (const [name, ref] of members) {
      const memberPath = path === '' ? lowerCamel(name) : `${path}.${lowerCamel(name)}`;
      if (!isSet(value, name)) {
        if (required.has(name))
          this.report(memberPath, null, false, { kind: 'constraint', rule: 'Member must not be null' });
        continue;
      }
      this.checkRef(ref, value[name], memberPath, sensitive);
    }
  }

  private checkList(shape: Shape, value: unknown, path: string, sensitive: boolean): void {
    if (!Array.isArray(value))
      return this.report(path, value, sensitive, { kind: 'type', rule: 'Member must be a list' });
    this.checkSize(shape, value.length, value, path, sensitive);
    if (!shape.member) return;
    const elements = value.map((element, index) => ({ path: `${path}.${index + 1}.member`, element }));
    this.checkElements(shape.member, elements, value, path, sensitive, 'Member must satisfy constraint');
  }

  private checkMap(shape: Shape, value: unknown, path: string, sensitive: boolean): void {
    if (!isPlainObject(value))
      return this.report(path, value, sensitive, { kind: 'type', rule: 'Member must be a map' });
    const entries = Object.entries(value);
    this.checkSize(shape, entries.length, value, path, sensitive);
    if (shape.key) {
      const keys = entries.map(([key]) => ({ path: `${path}.${key}`, element: key as unknown }));
      this.checkElements(shape.key, keys, value, path, sensitive, 'Map keys must satisfy constraint');
    }
    if (shape.value) {
      const values = entries.map(([key, element]) => ({ path: `${path}.${key}`, element }));
      this.checkElements(shape.value, values, value, path, sensitive, 'Map value must satisfy constraint');
    }
  }

  /**
   * Aggregate members recurse with their own paths; scalar members are reported the way AWS
   * does, once for the whole collection: "Member must satisfy constraint: [rule, rule]".
   */
  private checkElements(
    ref: MemberRef,
    elements: Array<{ path: string; element: unknown }>,
    collection: unknown,
    path: string,
    sensitive: boolean,
    summary: string,
  ): void {
    const shape = this.api.shapes[ref.shape];
    if (!shape) return;
    const elementSensitive = sensitive || shape.sensitive === true;
    if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map') {
      for (const { path: elementPath, element } of elements) {
        if (element === null || element === undefined) {
          this.report(elementPath, null, false, { kind: 'constraint', rule: 'Member must not be null' });
        } else {
          this.check(shape, element, elementPath, elementSensitive);
        }
      }
      return;
    }
    const rules = new Set<string>();
    for (const { path: elementPath, element } of elements) {
      if (element === null || element === undefined) {
        rules.add('Member must not be null');
        continue;
      }
      for (const failure of scalarFailures(shape, element)) {
        if (failure.kind === 'type') this.report(elementPath, element, elementSensitive, failure);
        else rules.add(failure.rule);
      }
    }
    if (rules.size > 0) {
      const rule = `${summary}: [${[...rules].join(', ')}]`;
      this.report(path, collection, elementSensitive, { kind: 'constraint', rule });
    }
  }

  private checkRef(ref: MemberRef, value: unknown, path: string, sensitive: boolean): void {
    const shape = this.api.shapes[ref.shape];
    if (shape) this.check(shape, value, path, sensitive || shape.sensitive === true);
  }

  /** AWS words the size limits of lists and maps as lengths too. */
  private checkSize(shape: Shape, size: number, value: unknown, path: string, sensitive: boolean): void {
    for (const rule of lengthRules(shape, size)) this.report(path, value, sensitive, { kind: 'constraint', rule });
  }

  private report(path: string, value: unknown, sensitive: boolean, failure: Failure): void {
    // Sensitive values are not echoed back, so they do not end up in client logs.
    const shown =
      value === null || value === undefined ? 'Value null' : sensitive ? 'Value' : `Value '${javaString(value)}'`;
    const where = path === '' ? '' : ` at '${path}'`;
    this.issues.push({
      path,
      message: `${shown}${where} failed to satisfy constraint: ${failure.rule}`,
      kind: failure.kind,
    });
  }
}

/** The rules a scalar value breaks: first its JSON type, then (if that is right) its constraints. */
function scalarFailures(shape: Shape, value: unknown): Failure[] {
  const typeRule = typeFailure(shape, value);
  if (typeRule) return [{ kind: 'type', rule: typeRule }];
  const rules: string[] = [];
  if (typeof value === 'string' && shape.type === 'string') {
    if (shape.enum && !shape.serviceCheckedEnum && !shape.enum.includes(value))
      rules.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    rules.push(...lengthRules(shape, [...value].length));
    const pattern = shape.pattern ? cachedPattern(shape.pattern) : undefined;
    if (pattern && !pattern.test(value)) rules.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (rules.length === 0 && value.includes('\u0000')) rules.push(NO_NUL_RULE);
  }
  if (typeof value === 'string' && shape.type === 'blob')
    rules.push(...lengthRules(shape, Buffer.from(value, 'base64').length));
  if ((typeof value === 'number' || typeof value === 'bigint') && isNumeric(shape)) {
    // Compared exactly: a long beyond 2 ** 53 - 1 is a bigint, kept by every service (@lm/contracts exact-json).
    const { min, max } = shape;
    if (min !== undefined && value < min) rules.push(`Member must have value greater than or equal to ${min}`);
    if (max !== undefined && value > max) rules.push(`Member must have value less than or equal to ${max}`);
  }
  return rules.map((rule) => ({ kind: 'constraint', rule }));
}

function typeFailure(shape: Shape, value: unknown): string | undefined {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'Member must be a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Member must be a boolean';
    case 'integer':
      return isIntegerIn(value, INT32) ? undefined : 'Member must be an integer';
    case 'long':
      return isIntegerIn(value, INT64) ? undefined : 'Member must be a long integer';
    case 'double':
    case 'float':
      // The JSON protocols send the non-finite values as strings.
      return (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'bigint' && Number.isFinite(Number(value))) ||
        ['NaN', 'Infinity', '-Infinity'].includes(value as string)
        ? undefined
        : 'Member must be a number';
    case 'timestamp':
      return (typeof value === 'number' && isDateSeconds(value)) ||
        (typeof value === 'bigint' && isDateSeconds(Number(value))) ||
        (typeof value === 'string' && isIso8601DateTime(value))
        ? undefined
        : 'Member must be a timestamp (epoch seconds or ISO-8601 date-time)';
    case 'blob':
      return typeof value === 'string' && BASE64.test(value) ? undefined : 'Member must be a base64-encoded string';
    default:
      return undefined;
  }
}

function lengthRules(shape: Shape, length: number): string[] {
  const rules: string[] = [];
  if (shape.max !== undefined && length > shape.max)
    rules.push(`Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined && length < shape.min)
    rules.push(`Member must have length greater than or equal to ${shape.min}`);
  return rules;
}

const isNumeric = (shape: Shape): boolean => ['integer', 'long', 'double', 'float'].includes(shape.type);

function isIntegerIn(value: unknown, range: { min: bigint; max: bigint }): boolean {
  const exact = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value as number) : undefined;
  return exact !== undefined && exact >= range.min && exact <= range.max;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own members only: a member named like an Object.prototype property must not read the prototype. */
function isSet(object: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(object, name) && object[name] !== null && object[name] !== undefined;
}

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** Values as Java's toString renders them in AWS messages: lists as [a, b], maps as {k=v}. */
function javaString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${javaString(item)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/**
 * Epoch seconds a date can hold (±8.64e12, 275,760 years either side of 1970): beyond, a service's
 * `new Date(seconds * 1000)` is an invalid date that throws where it is written out (GetMetricData
 * with a StartTime of 1e20 answered 500; found by test/chaos/model-fuzzer.test.ts).
 */
function isDateSeconds(seconds: number): boolean {
  return Number.isFinite(seconds) && Math.abs(seconds) <= MAX_DATE_SECONDS;
}

const MAX_DATE_SECONDS = 8.64e12;
