/**
 * What a person signs in with: an access key pair, or temporary credentials with their session
 * token. Held in memory only (a React state of the session), for the lifetime of the tab.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where requests go and which Region their signatures are scoped to (the gateway refuses another). */
export interface Endpoint {
  /** The gateway's origin, e.g. http://localhost:8080: the console is served by the gateway it calls. */
  origin: string;
  region: string;
}
