/** Who is calling, as the gateway established it from the SigV4 signature and the credential store. */
export interface Caller {
  accountId: string;
  /** e.g. arn:aws:iam::111111111111:root */
  principalArn: string;
  accessKeyId: string;
  region: string;
  organization?: {
    id: string;
    managementAccountId: string;
    rootId: string;
    /** The caller's OU (or the root id), followed by its ancestors up to the root. */
    organizationalUnitPath: string[];
    /** Every account of the organization (management included); only given to the management account. */
    memberAccountIds?: string[];
    /** Every account of the organization with its OU path (as organizationalUnitPath); only given to the management account. */
    memberAccounts?: { accountId: string; organizationalUnitPath: string[] }[];
  };
  /** Set when the caller uses temporary credentials that may only consume one licence. */
  restrictedToLicenseArn?: string;
}

/** What the gateway sends to a service for one operation. */
export interface OperationRequest<Input = unknown> {
  requestId: string;
  caller: Caller;
  input: Input;
  /** See RequestDeadline. */
  deadline?: number;
}

/**
 * What the gateway sends for an operation AWS serves unsigned (STS AssumeRoleWithWebIdentity):
 * there is no caller, the input itself carries the credential.
 */
export interface AnonymousOperationRequest<Input = unknown> {
  requestId: string;
  input: Input;
  /** See RequestDeadline. */
  deadline?: number;
}

/**
 * When a service must no longer start on a request (milliseconds since the epoch), set by the
 * asker's OperationClient a little before it stops waiting for the answer. A request that reaches
 * a service later (the service was stopped, or NATS held it while reconnecting) is not carried
 * out: its asker has told its client 503, and the client may have asked again, so carrying it out
 * too would apply the request twice. Requests without one (plain-JSON askers) have no deadline.
 */
export type RequestDeadline = number;

/** Whether a request's deadline has passed (false for a request without one). */
export function isPastDeadline(request: unknown, now: number = Date.now()): boolean {
  const deadline = (request as { deadline?: unknown } | null)?.deadline;
  return typeof deadline === 'number' && now > deadline;
}

/** An AWS error as it travels back from a service: the model's error shape name and a message. */
export interface OperationError {
  name: string;
  message: string;
  /** Extra members of the error shape (e.g. ErrorCode, Location). */
  fields?: Record<string, unknown>;
}
