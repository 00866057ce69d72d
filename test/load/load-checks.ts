import { expect } from 'vitest';
import type { LoadResult } from './measure';
import type { CallResult } from './signed-http-client';

/** Failures tolerated before a figure is considered meaningless. */
const MAX_ERROR_RATE = 0.001;

/** The body of a successful call; anything else fails the request, so that runLoad counts it. */
export function expectOk(response: CallResult): string {
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.body}`);
  return response.body;
}

/** Sanity of a measured figure (the targets themselves are reported, not asserted). */
export function expectSane(result: LoadResult): void {
  expect(result.errors, result.firstError).toBeLessThanOrEqual(
    Math.floor((result.requests + result.errors) * MAX_ERROR_RATE),
  );
  expect(result.requests).toBeGreaterThan(0);
  expect(result.throughput).toBeGreaterThan(0);
  expect(result.p50Ms).toBeGreaterThan(0);
  expect(result.p99Ms).toBeGreaterThan(0);
}
