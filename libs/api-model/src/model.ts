/** The compact form of an AWS service-2.json model that codegen writes to src/models/. */
export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
  timestampFormat?: 'iso8601' | 'epoch-seconds' | 'rfc822';
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'boolean'
    | 'timestamp'
    | 'double'
    | 'float'
    | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  /** The owning service refuses values outside `enum` with an error of its own (see codegen). */
  serviceCheckedEnum?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  union?: boolean;
  /** Query protocol: list items and map entries repeat the member's name instead of nesting under it. */
  flattened?: boolean;
  exception?: boolean;
  timestampFormat?: 'iso8601' | 'epoch-seconds' | 'rfc822';
}

export interface OperationModel {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  /** Query protocol: the element the output's members are wrapped in (`<Op>Result`). */
  resultWrapper?: string;
  /** 'none' for an operation AWS serves unsigned (STS AssumeRoleWithWebIdentity). */
  authtype?: 'none';
  /**
   * This product's own: the SigV4 service name the operation is signed for when it is not the
   * API's (the extensions API's ReportLicenseServers is signed for license-manager-user-subscriptions).
   */
  signingName?: string;
  errors: string[];
}

export interface ApiModel {
  id: ApiId;
  /** Smithy namespace, e.g. com.amazonaws.licensemanager: error types are `<namespace>#<ErrorName>`. */
  namespace: string;
  metadata: {
    /** The protocol clients default to; `protocols` lists every one the API accepts (CloudWatch: CBOR, JSON, query). */
    protocol: WireProtocol;
    protocols?: WireProtocol[];
    /** JSON and CBOR errors also carry the query-protocol code (`x-amzn-query-error`). */
    awsQueryCompatible?: Record<string, never>;
    apiVersion: string;
    targetPrefix?: string;
    signingName?: string;
    endpointPrefix: string;
    jsonVersion?: string;
    /** Query protocol: the XML namespace of responses and errors. */
    xmlNamespace?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  /**
   * Error code -> HTTP status (from the Smithy model's httpError traits, or the service-2 model's
   * error traits). The code is the shape name except in the query protocol (STS).
   */
  errors: Record<string, number>;
  /** Query-compatible APIs: error shape name -> the code the query protocol answers it under. */
  queryErrorCodes?: Record<string, string>;
}

export type WireProtocol = 'json' | 'rest-json' | 'query' | 'smithy-rpc-v2-cbor';

export type ApiId =
  | 'license-manager'
  | 'license-manager-user-subscriptions'
  | 'license-manager-linux-subscriptions'
  /** This product's own integration API (inventory reports, launch admission). */
  | 'license-manager-extensions'
  /** The AWS KMS subset that holds licence signing keys. */
  | 'kms'
  /** The AWS STS subset that exchanges access tokens for temporary credentials. */
  | 'sts'
  /** The Amazon CloudWatch subset that serves the usage metrics (SigV4 service monitoring). */
  | 'monitoring'
  /** The AWS CloudTrail subset that looks up the audit trail (LookupEvents). */
  | 'cloudtrail'
  /** The AWS Secrets Manager subset that holds the credentials of user-based subscriptions' directories. */
  | 'secretsmanager';
