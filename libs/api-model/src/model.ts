/** The compact form of an AWS service-2.json model that codegen writes to src/models/. */
export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
  timestampFormat?: 'iso8601' | 'epoch-seconds' | 'rfc822';
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'double' | 'float' | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  union?: boolean;
  exception?: boolean;
  timestampFormat?: 'iso8601' | 'epoch-seconds' | 'rfc822';
}

export interface OperationModel {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: string;
  output?: string;
  errors: string[];
}

export interface ApiModel {
  id: ApiId;
  /** Smithy namespace, e.g. com.amazonaws.licensemanager: error types are `<namespace>#<ErrorName>`. */
  namespace: string;
  metadata: {
    protocol: 'json' | 'rest-json';
    targetPrefix?: string;
    signingName?: string;
    endpointPrefix: string;
    jsonVersion?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
  /** Error shape name -> HTTP status (from the Smithy model's httpError traits). */
  errors: Record<string, number>;
}

export type ApiId =
  | 'license-manager'
  | 'license-manager-user-subscriptions'
  | 'license-manager-linux-subscriptions'
  /** This product's own integration API (inventory reports, launch admission). */
  | 'license-manager-extensions';
