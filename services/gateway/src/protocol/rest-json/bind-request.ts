import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { safeDecode } from '../percent-encoding';
import { scalarFromText } from '../scalar-text';

// The output side lives in its own module; re-exported so the restJson1 surface is in one place.
export { serializeRestOutput, type RestResponse } from './serialize-output';

export interface RestOperationMatch {
  operation: string;
  /** URI label values, percent-decoded, by label name. */
  labels: Record<string, string>;
}

type TemplateSegment = { literal: string } | { label: string; greedy: boolean };

/** An operation's HTTP binding, its request URI parsed once for the API. */
interface RestRoute {
  operation: string;
  method: string;
  template: TemplateSegment[];
  literals: number;
}

/** Each API's routes, parsed on its first request: the model does not change while the gateway runs. */
const routesByApi = new WeakMap<ApiModel, RestRoute[]>();

function restRoutes(api: ApiModel): RestRoute[] {
  let routes = routesByApi.get(api);
  if (!routes) {
    routes = Object.entries(api.operations).map(([operation, { http }]) => {
      const template = parseTemplate(http.requestUri);
      const literals = template.filter((segment) => 'literal' in segment).length;
      return { operation, method: http.method, template, literals };
    });
    routesByApi.set(api, routes);
  }
  return routes;
}

/**
 * The operation whose HTTP binding matches a request. `path` is the raw path as received:
 * it is split on '/' *before* decoding, so an encoded slash (%2F) inside an ARN stays part of
 * its label. When several templates match, the one with most literal segments wins.
 */
export function matchRestOperation(api: ApiModel, method: string, path: string): RestOperationMatch | undefined {
  const decoded = path.split('/').slice(1).map(safeDecode);
  const upperMethod = method.toUpperCase();
  let best: { match: RestOperationMatch; literals: number } | undefined;
  for (const route of restRoutes(api)) {
    if (route.method !== upperMethod || (best && route.literals <= best.literals)) continue;
    const labels = matchSegments(route.template, decoded);
    if (labels) best = { match: { operation: route.operation, labels }, literals: route.literals };
  }
  return best?.match;
}

function parseTemplate(requestUri: string): TemplateSegment[] {
  // A query part in a requestUri ("/path?action") only constrains the query string.
  const pathPart = requestUri.split('?')[0];
  return pathPart
    .split('/')
    .slice(1)
    .map((segment) => {
      const label = /^\{([^}]+?)(\+)?\}$/.exec(segment);
      return label ? { label: label[1], greedy: label[2] === '+' } : { literal: segment };
    });
}

/**
 * Labels bound by matching the path's segments (each percent-decoded once, split before) from
 * `s` on against the template's from `t` on, or undefined when they do not match.
 */
function matchSegments(
  template: TemplateSegment[],
  decoded: string[],
  t = 0,
  s = 0,
): Record<string, string> | undefined {
  const head = template[t];
  if (!head) return s === decoded.length ? {} : undefined;
  if ('literal' in head) {
    if (s === decoded.length || decoded[s] !== head.literal) return undefined;
    return matchSegments(template, decoded, t + 1, s + 1);
  }
  if (!head.greedy) {
    if (s === decoded.length || decoded[s] === '') return undefined;
    const labels = matchSegments(template, decoded, t + 1, s + 1);
    return labels && { ...labels, [head.label]: decoded[s] };
  }
  // A greedy label takes one or more whole segments, leaving enough for the template after it.
  for (let take = decoded.length - s - (template.length - t - 1); take >= 1; take--) {
    const labels = matchSegments(template, decoded, t + 1, s + take);
    const value = decoded.slice(s, s + take).join('/');
    if (labels && value !== '') return { ...labels, [head.label]: value };
  }
  return undefined;
}

export interface RestRequestParts {
  labels: Record<string, string>;
  query: URLSearchParams;
  /** Header names lower-cased, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; anything but an object binds no body members. */
  body: unknown;
}

/**
 * The operation input from the parts of a request each member is bound to. Values from the
 * URI, query and headers are converted to their shapes' types (numbers, booleans, timestamps
 * in any of the protocol's forms to epoch seconds, like the JSON body); text that does not
 * convert is kept as text so that validation reports it instead of this function guessing.
 */
export function bindRestInput(api: ApiModel, operationName: string, parts: RestRequestParts): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const inputShape = api.shapes[api.operations[operationName]?.input ?? ''];
  const members = Object.entries(inputShape?.members ?? {});
  const queryNamesBound = new Set(
    members.filter(([, ref]) => ref.location === 'querystring').map(([name, ref]) => ref.locationName ?? name),
  );
  for (const [name, ref] of members) {
    const shape = api.shapes[ref.shape];
    if (!shape) continue;
    const value = bindMember(api, name, ref, shape, parts, queryNamesBound);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

function bindMember(
  api: ApiModel,
  name: string,
  ref: MemberRef,
  shape: Shape,
  parts: RestRequestParts,
  queryNamesBound: Set<string>,
): unknown {
  const wireName = ref.locationName ?? name;
  switch (ref.location) {
    case 'uri': {
      const label = parts.labels[wireName];
      return label === undefined ? undefined : scalarFromText(shape, label);
    }
    case 'querystring':
      return shape.type === 'map'
        ? queryMap(api, shape, parts.query, queryNamesBound)
        : fromTexts(api, shape, parts.query.getAll(wireName));
    case 'header': {
      const header = headerText(parts.headers, wireName);
      if (header === undefined) return undefined;
      // List headers are comma-separated values of one header (or repeats, which Node joins with ', ').
      const texts = shape.type === 'list' ? header.split(',').map((item) => item.trim()) : [header];
      return fromTexts(api, shape, texts);
    }
    case 'headers':
      return prefixedHeaders(parts.headers, wireName.toLowerCase());
    case 'statusCode':
      return undefined;
    default: {
      const body = parts.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
      return Object.hasOwn(body, wireName) ? (body as Record<string, unknown>)[wireName] : undefined;
    }
  }
}

/** One scalar from its only text, or a list from all of them; undefined when there is none. */
function fromTexts(api: ApiModel, shape: Shape, texts: string[]): unknown {
  if (texts.length === 0) return undefined;
  if (shape.type !== 'list') return scalarFromText(shape, texts[0]);
  const itemShape = shape.member && api.shapes[shape.member.shape];
  return texts.map((text) => (itemShape ? scalarFromText(itemShape, text) : text));
}

/** Query parameters no other member binds, for a member bound to the whole query string. */
function queryMap(
  api: ApiModel,
  shape: Shape,
  query: URLSearchParams,
  bound: Set<string>,
): Record<string, unknown> | undefined {
  const valueShape = shape.value && api.shapes[shape.value.shape];
  const map: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (bound.has(key)) continue;
    map[key] = valueShape?.type === 'list' ? query.getAll(key) : query.get(key);
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

function headerText(headers: RestRequestParts['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function prefixedHeaders(headers: RestRequestParts['headers'], prefix: string): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headerText(headers, name);
    if (name.startsWith(prefix) && value !== undefined) map[name.slice(prefix.length)] = value;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}
