import { Logger } from '@nestjs/common';
import type { ApiModel } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { splitUrl, type HttpRequest } from '../protocol';
import { attemptedOperation } from './attempted-operation';

/** A request the gateway has answered, as its log line tells it. */
export interface AnsweredRequest {
  /** The x-amzn-RequestId of the answer, which the services log with what they do for it. */
  requestId: string;
  api?: ApiModel;
  /** `unknown` when the request was refused before its operation was resolved: it is then worked out from the request. */
  operation: string;
  /** Who called, once authenticated. */
  caller?: Caller;
  status: number;
  /** The AWS error code of an error response. */
  errorCode?: string;
  /** The request's `process.hrtime.bigint()` when it arrived. */
  started: bigint;
}

/**
 * The fields of a request's log line: what was asked, by which account, how and how fast it was
 * answered. Never a credential: no header is copied (Authorization carries the access key and
 * signature, X-Amz-Security-Token the session token), the query string is left out (a presigned
 * request carries both there) and no body either.
 */
export function requestLogFields(request: HttpRequest, answered: AnsweredRequest) {
  const { api, operation } = answered.operation === 'unknown' ? attemptedOperation(request) : answered;
  const durationMs = Math.round(Number(process.hrtime.bigint() - answered.started) / 1e5) / 10;
  return {
    msg: `${operation} answered ${answered.status}${answered.errorCode ? ` ${answered.errorCode}` : ''}`,
    requestId: answered.requestId,
    method: request.method,
    path: splitUrl(request.url)[0],
    api: api?.id,
    operation,
    accountId: answered.caller?.accountId,
    status: answered.status,
    errorCode: answered.errorCode,
    durationMs,
  };
}

const logger = new Logger('request');

/** One line for each answered request: info, or error when the gateway or a service failed (5xx). */
export function logRequest(request: HttpRequest, answered: AnsweredRequest): void {
  const fields = requestLogFields(request, answered);
  if (answered.status >= 500) logger.error(fields);
  else logger.log(fields);
}
