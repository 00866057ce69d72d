import { describe, expect, it } from 'vitest';
import { isConstraintViolation } from '../src/constraint-violation';

describe('isConstraintViolation', () => {
  it('tells a unique or exclusion violation of the named constraint from other database errors', () => {
    expect(isConstraintViolation({ code: '23505', constraint: 'tokens_pk' }, 'tokens_pk')).toBe(true);
    expect(isConstraintViolation({ code: '23P01', constraint: 'tokens_pk' }, 'tokens_pk')).toBe(true);
    expect(isConstraintViolation({ code: '23505', constraint: 'other_pk' }, 'tokens_pk')).toBe(false);
    expect(isConstraintViolation({ code: '23503', constraint: 'tokens_pk' }, 'tokens_pk')).toBe(false);
    expect(isConstraintViolation(new Error('connection lost'), 'tokens_pk')).toBe(false);
  });
});
