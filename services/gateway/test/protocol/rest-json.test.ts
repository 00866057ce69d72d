import { apiModels, validateInput, type ApiModel } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { bindRestInput, matchRestOperation, serializeRestOutput } from '../../src/protocol';

const userSubscriptions = apiModels['license-manager-user-subscriptions'];
const linuxSubscriptions = apiModels['license-manager-linux-subscriptions'];
const ARN = 'arn:aws:license-manager-user-subscriptions:us-east-1:123456789012:identity-provider/abc';
/** How the AWS SDKs put a label on the wire: RFC 3986-escaped, ':' and '/' included. */
const ENCODED_ARN = ARN.replace(/:/g, '%3A').replace(/\//g, '%2F');

function bind(api: ApiModel, method: string, pathAndQuery: string, body: unknown = undefined, headers = {}) {
  const [path, query = ''] = pathAndQuery.split('?');
  const match = matchRestOperation(api, method, path);
  if (!match) return undefined;
  const input = bindRestInput(api, match.operation, {
    labels: match.labels,
    query: new URLSearchParams(query),
    headers,
    body,
  });
  return { operation: match.operation, input };
}

describe('matchRestOperation', () => {
  it('tells the three tag operations apart by method', () => {
    expect(matchRestOperation(userSubscriptions, 'GET', `/tags/${ENCODED_ARN}`)).toEqual({
      operation: 'ListTagsForResource',
      labels: { ResourceArn: ARN },
    });
    expect(matchRestOperation(userSubscriptions, 'PUT', `/tags/${ENCODED_ARN}`)?.operation).toBe('TagResource');
    expect(matchRestOperation(userSubscriptions, 'delete', `/tags/${ENCODED_ARN}`)?.operation).toBe('UntagResource');
  });

  it('keeps an encoded slash inside its label and decodes literal colons alike', () => {
    expect(matchRestOperation(userSubscriptions, 'GET', `/tags/${ARN.replace('/abc', '%2Fabc')}`)?.labels).toEqual({
      ResourceArn: ARN,
    });
    // An unencoded '/' makes a third segment, which a single label does not take.
    expect(matchRestOperation(userSubscriptions, 'GET', `/tags/${ARN}`)).toBeUndefined();
  });

  it('uses each model its own label names', () => {
    expect(matchRestOperation(linuxSubscriptions, 'GET', '/tags/arn%3Aaws%3Ax')?.labels).toEqual({
      resourceArn: 'arn:aws:x',
    });
  });

  it('matches literal paths and nothing else', () => {
    expect(matchRestOperation(userSubscriptions, 'POST', '/user/ListUserAssociations')).toEqual({
      operation: 'ListUserAssociations',
      labels: {},
    });
    for (const [method, path] of [
      ['GET', '/user/ListUserAssociations'],
      ['POST', '/user/ListUserAssociations/extra'],
      ['POST', '/user'],
      ['POST', '/'],
      ['GET', '/tags/'],
      ['GET', '/tags'],
      ['PATCH', `/tags/${ENCODED_ARN}`],
    ]) {
      expect(matchRestOperation(userSubscriptions, method, path), `${method} ${path}`).toBeUndefined();
    }
  });

  it('binds greedy labels and prefers the more literal template', () => {
    const api: ApiModel = {
      ...userSubscriptions,
      operations: {
        GetObject: { http: { method: 'GET', requestUri: '/objects/{Bucket}/{Key+}' }, errors: [] },
        GetObjectAcl: { http: { method: 'GET', requestUri: '/objects/{Bucket}/{Key+}/acl?versions' }, errors: [] },
        GetBucketReadme: { http: { method: 'GET', requestUri: '/objects/{Bucket}/README' }, errors: [] },
      },
    };
    expect(matchRestOperation(api, 'GET', '/objects/b/a/b%20c/d')).toEqual({
      operation: 'GetObject',
      labels: { Bucket: 'b', Key: 'a/b c/d' },
    });
    expect(matchRestOperation(api, 'GET', '/objects/b/a/b/acl')).toEqual({
      operation: 'GetObjectAcl',
      labels: { Bucket: 'b', Key: 'a/b' },
    });
    expect(matchRestOperation(api, 'GET', '/objects/b/README')?.operation).toBe('GetBucketReadme');
    expect(matchRestOperation(api, 'GET', '/objects/b')).toBeUndefined();
  });
});

describe('bindRestInput for user subscriptions', () => {
  it('binds TagResource from the URI and the JSON body', () => {
    expect(bind(userSubscriptions, 'PUT', `/tags/${ENCODED_ARN}`, { Tags: { team: 'a', 'cost center': 'b' } })).toEqual(
      {
        operation: 'TagResource',
        input: { ResourceArn: ARN, Tags: { team: 'a', 'cost center': 'b' } },
      },
    );
  });

  it('binds UntagResource keys from repeated tagKeys parameters', () => {
    const bound = bind(userSubscriptions, 'DELETE', `/tags/${ENCODED_ARN}?tagKeys=team&tagKeys=cost%20center`);
    expect(bound).toEqual({
      operation: 'UntagResource',
      input: { ResourceArn: ARN, TagKeys: ['team', 'cost center'] },
    });
    expect(validateInput(userSubscriptions, 'UntagResourceRequest', bound!.input)).toEqual([]);
  });

  it('binds a single tagKeys parameter as a one-item list and none as absent', () => {
    expect(bind(userSubscriptions, 'DELETE', `/tags/${ENCODED_ARN}?tagKeys=team`)?.input).toEqual({
      ResourceArn: ARN,
      TagKeys: ['team'],
    });
    const withoutKeys = bind(userSubscriptions, 'DELETE', `/tags/${ENCODED_ARN}`)!.input;
    expect(withoutKeys).toEqual({ ResourceArn: ARN });
    expect(validateInput(userSubscriptions, 'UntagResourceRequest', withoutKeys).map((issue) => issue.path)).toEqual([
      'tagKeys',
    ]);
  });

  it('binds ListTagsForResource, ignoring a body a GET should not have', () => {
    expect(bind(userSubscriptions, 'GET', `/tags/${ENCODED_ARN}`, { ResourceArn: 'from-body' })?.input).toEqual({
      ResourceArn: ARN,
    });
  });

  it('binds POST /user/ListUserAssociations from the body only', () => {
    const body = {
      InstanceId: 'i-0123456789abcdef0',
      IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: 'd-1234567890' } },
      MaxResults: 10,
      Filters: [{ Attribute: 'Status', Operation: 'Equals', Value: 'ASSOCIATED' }],
      Unknown: true,
    };
    const bound = bind(userSubscriptions, 'POST', '/user/ListUserAssociations?ignored=1', body);
    const { Unknown: _, ...modeled } = body;
    expect(bound).toEqual({ operation: 'ListUserAssociations', input: modeled });
    expect(validateInput(userSubscriptions, 'ListUserAssociationsRequest', bound!.input)).toEqual([]);
  });

  it('binds nothing from a body that is not an object', () => {
    for (const body of [undefined, null, [], 'text', 5]) {
      expect(bind(userSubscriptions, 'POST', '/user/ListUserAssociations', body)?.input).toEqual({});
    }
  });
});

/** A model exercising the bindings the License Manager APIs do not use: headers, typed labels, query maps. */
const bindingsApi: ApiModel = {
  ...userSubscriptions,
  operations: {
    PutThing: {
      http: { method: 'PUT', requestUri: '/things/{Id}', responseCode: 201 },
      input: 'PutThingRequest',
      output: 'PutThingResponse',
      errors: [],
    },
    Empty: { http: { method: 'POST', requestUri: '/empty' }, errors: [] },
  },
  shapes: {
    PutThingRequest: {
      type: 'structure',
      members: {
        Id: { shape: 'Integer', location: 'uri', locationName: 'Id' },
        Verbose: { shape: 'Boolean', location: 'querystring', locationName: 'verbose' },
        Since: { shape: 'Timestamp', location: 'querystring', locationName: 'since' },
        Extra: { shape: 'StringMap', location: 'querystring' },
        Token: { shape: 'String', location: 'header', locationName: 'X-Amz-Token' },
        Modified: { shape: 'Timestamp', location: 'header', locationName: 'If-Modified-Since' },
        Labels: { shape: 'StringList', location: 'header', locationName: 'X-Labels' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        Name: { shape: 'String', locationName: 'name' },
      },
    },
    PutThingResponse: {
      type: 'structure',
      members: {
        Status: { shape: 'Integer', location: 'statusCode' },
        ETag: { shape: 'String', location: 'header', locationName: 'ETag' },
        Expires: { shape: 'Timestamp', location: 'header', locationName: 'Expires' },
        Labels: { shape: 'StringList', location: 'header', locationName: 'X-Labels' },
        Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
        CreatedAt: { shape: 'Timestamp' },
        UpdatedAt: { shape: 'Timestamp', timestampFormat: 'iso8601' },
        Payload: { shape: 'Blob' },
        Child: { shape: 'Child', locationName: 'child' },
        Children: { shape: 'ChildList' },
      },
    },
    Child: { type: 'structure', members: { At: { shape: 'Timestamp' }, Note: { shape: 'String' } } },
    ChildList: { type: 'list', member: { shape: 'Child' } },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Timestamp: { type: 'timestamp' },
    String: { type: 'string' },
    Blob: { type: 'blob' },
    StringList: { type: 'list', member: { shape: 'String' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  },
};

describe('bindRestInput member locations', () => {
  it('converts labels, query and headers to their types', () => {
    const match = matchRestOperation(bindingsApi, 'PUT', '/things/42')!;
    const input = bindRestInput(bindingsApi, match.operation, {
      labels: match.labels,
      query: new URLSearchParams('verbose=true&since=2024-05-01T12:00:00Z&a=1&b=2'),
      headers: {
        'x-amz-token': 't',
        'if-modified-since': 'Wed, 01 May 2024 12:00:00 GMT',
        'x-labels': 'red, green',
        'x-meta-owner': 'me',
        'x-meta-team': ['a', 'b'],
      },
      body: { name: 'thing', Name: 'not the wire name' },
    });
    expect(input).toEqual({
      Id: 42,
      Verbose: true,
      Since: 1714564800,
      Extra: { a: '1', b: '2' },
      Token: 't',
      Modified: 1714564800,
      Labels: ['red', 'green'],
      Meta: { owner: 'me', team: 'a, b' },
      Name: 'thing',
    });
  });

  it('keeps text that does not convert, for validation to report', () => {
    const input = bindRestInput(bindingsApi, 'PutThing', {
      labels: { Id: 'forty-two' },
      query: new URLSearchParams('verbose=yes&since=soon'),
      headers: {},
      body: {},
    });
    expect(input).toEqual({ Id: 'forty-two', Verbose: 'yes', Since: 'soon' });
    expect(validateInput(bindingsApi, 'PutThingRequest', input).map((issue) => issue.path)).toEqual([
      'id',
      'verbose',
      'since',
    ]);
  });
});

describe('serializeRestOutput', () => {
  it('writes ListTagsForResource tags in the body with the operation status', () => {
    const response = serializeRestOutput(userSubscriptions, 'ListTagsForResource', {
      Tags: { team: 'a' },
      internal: 'x',
    });
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"Tags":{"team":"a"}}',
    });
  });

  it('writes an empty object for outputs without members', () => {
    expect(serializeRestOutput(userSubscriptions, 'TagResource', {}).body).toBe('{}');
    expect(serializeRestOutput(bindingsApi, 'Empty', undefined)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  });

  it('puts header and status members out of the body and formats timestamps', () => {
    const created = new Date('2024-05-01T12:00:00.500Z');
    const response = serializeRestOutput(bindingsApi, 'PutThing', {
      Status: 202,
      ETag: '"abc"',
      Expires: created,
      Labels: ['red', 'green'],
      Meta: { owner: 'me' },
      CreatedAt: created,
      UpdatedAt: 1714564800,
      Payload: Buffer.from([0, 1, 2]),
      Child: { At: '2024-05-01T12:00:00Z', Note: null, Secret: 's' },
      Children: [{ At: 0 }],
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      etag: '"abc"',
      expires: 'Wed, 01 May 2024 12:00:00 GMT',
      'x-labels': 'red, green',
      'x-meta-owner': 'me',
    });
    expect(JSON.parse(response.body)).toEqual({
      CreatedAt: 1714564800.5,
      UpdatedAt: '2024-05-01T12:00:00.000Z',
      Payload: 'AAEC',
      child: { At: 1714564800 },
      Children: [{ At: 0 }],
    });
  });

  it('uses the modeled responseCode when no member sets the status', () => {
    expect(serializeRestOutput(bindingsApi, 'PutThing', {}).statusCode).toBe(201);
  });
});
