import { describe, expect, it } from 'vitest';
import { jetStreamReplicas } from '../src/jetstream-stream';

describe('LM_JETSTREAM_REPLICAS', () => {
  it('is one copy of each stream unless set', () => {
    expect(jetStreamReplicas({})).toBe(1);
    expect(jetStreamReplicas({ LM_JETSTREAM_REPLICAS: '' })).toBe(1);
  });

  it('is the number of servers set, from 1 to 5', () => {
    expect(jetStreamReplicas({ LM_JETSTREAM_REPLICAS: '3' })).toBe(3);
    expect(jetStreamReplicas({ LM_JETSTREAM_REPLICAS: '5' })).toBe(5);
  });

  it.each(['0', '6', '-1', '2.5', 'three', ' 3'])('refuses %j, naming the variable', (raw) => {
    expect(() => jetStreamReplicas({ LM_JETSTREAM_REPLICAS: raw })).toThrow(
      `LM_JETSTREAM_REPLICAS must be a number of servers from 1 to 5, not ${JSON.stringify(raw)}`,
    );
  });
});
