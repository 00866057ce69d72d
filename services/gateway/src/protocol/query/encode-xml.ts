import { parseTimestamp, type ApiModel, type MemberRef, type Shape } from '@lm/api-model';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for element content and double-quoted attributes (an apostrophe needs no escape there). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => XML_ESCAPES[char]);
}

/**
 * The XML of a query-protocol response: the output's members in model order inside
 * `<Op>Result`, and the request id, as STS answers and botocore's query parser reads them.
 * Only members the output shape declares are written.
 */
export function encodeQueryResponse(
  api: ApiModel,
  operation: string,
  output: Record<string, unknown>,
  requestId: string,
): string {
  const model = api.operations[operation];
  const result = model.output
    ? element(model.resultWrapper ?? `${operation}Result`, encodeMembers(api, api.shapes[model.output], output))
    : '';
  return (
    `<${operation}Response${namespaceAttribute(api)}>${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** The XML of a query-protocol error: `Sender` for the client's faults, `Receiver` for the server's. */
export function encodeQueryError(
  api: ApiModel,
  error: { code: string; message: string; status: number },
  requestId: string,
): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse${namespaceAttribute(api)}><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function namespaceAttribute(api: ApiModel): string {
  return api.metadata.xmlNamespace ? ` xmlns="${escapeXml(api.metadata.xmlNamespace)}"` : '';
}

function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

function encodeMembers(api: ApiModel, shape: Shape, value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  const record = value as Record<string, unknown>;
  let xml = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (!Object.hasOwn(record, name) || record[name] === undefined || record[name] === null) continue;
    xml += encodeMember(api, ref, ref.locationName ?? name, record[name]);
  }
  return xml;
}

function encodeMember(api: ApiModel, ref: MemberRef, name: string, value: unknown): string {
  const shape = api.shapes[ref.shape];
  switch (shape.type) {
    case 'structure':
      return element(name, encodeMembers(api, shape, value));
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      const itemName = shape.member!.locationName ?? (shape.flattened ? name : 'member');
      const content = items.map((item) => encodeMember(api, shape.member!, itemName, item)).join('');
      return shape.flattened ? content : element(name, content);
    }
    case 'map': {
      const entries = value !== null && typeof value === 'object' ? Object.entries(value) : [];
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const content = entries
        .map(([key, item]) =>
          element('entry', element(keyName, escapeXml(key)) + encodeMember(api, shape.value!, valueName, item)),
        )
        .join('');
      return shape.flattened ? content : element(name, content);
    }
    case 'timestamp':
      return element(name, escapeXml(iso8601(value)));
    default:
      return element(name, escapeXml(String(value)));
  }
}

/** The query protocol writes timestamps as ISO 8601 (whole seconds as AWS writes them, when they are whole). */
function iso8601(value: unknown): string {
  const date = parseTimestamp(value);
  if (!date) return String(value);
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
