import { describe, expect, it } from 'vitest';
import {
  base64Key,
  ConfigurationError,
  list,
  milliseconds,
  oneOf,
  positiveInteger,
  readSettings,
  text,
} from '../src/config/settings';
import { readCommonConfig } from '../src/config/common-config';

const messageOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('settings read from the environment', () => {
  it('fall back when unset or blank, and read what is given', () => {
    const settings = {
      quota: positiveInteger('QUOTA', 25),
      sweepMs: milliseconds('SWEEP_MS', 60_000),
      cacheMs: milliseconds('CACHE_MS', 1_000, { min: 0 }),
      name: text('NAME', 'default'),
      optional: text('OPTIONAL'),
      kind: oneOf('KIND', ['a', 'b'], 'a'),
      servers: list('SERVERS', ['x']),
    };
    expect(readSettings(settings, { QUOTA: ' ' })).toEqual({
      quota: 25,
      sweepMs: 60_000,
      cacheMs: 1_000,
      name: 'default',
      optional: undefined,
      kind: 'a',
      servers: ['x'],
    });
    expect(
      readSettings(settings, {
        QUOTA: '7',
        SWEEP_MS: '250',
        CACHE_MS: '0',
        NAME: 'n',
        OPTIONAL: 'o',
        KIND: 'b',
        SERVERS: 'nats://a:4222, nats://b:4222',
      }),
    ).toEqual({
      quota: 7,
      sweepMs: 250,
      cacheMs: 0,
      name: 'n',
      optional: 'o',
      kind: 'b',
      servers: ['nats://a:4222', 'nats://b:4222'],
    });
  });

  it('refuse a bad value with a message naming the variable and the value', () => {
    const sweep = { sweepMs: milliseconds('LM_AFFINITY_SWEEP_MS', 3_600_000) };
    expect(messageOf(() => readSettings(sweep, { LM_AFFINITY_SWEEP_MS: 'abc' }))).toBe(
      'LM_AFFINITY_SWEEP_MS must be a positive integer (milliseconds), not "abc"',
    );
    for (const bad of ['0', '-5', '1.5', '1e3', '99999999999999999999']) {
      expect(() => readSettings(sweep, { LM_AFFINITY_SWEEP_MS: bad })).toThrow(ConfigurationError);
    }
    expect(messageOf(() => readSettings({ q: positiveInteger('Q', 1) }, { Q: '0' }))).toBe(
      'Q must be a positive integer, not "0"',
    );
    expect(messageOf(() => readSettings({ c: milliseconds('C', 1, { min: 0 }) }, { C: '-1' }))).toBe(
      'C must be an integer of at least 0 (milliseconds), not "-1"',
    );
    expect(messageOf(() => readSettings({ k: oneOf('K', ['a', 'b'], 'a') }, { K: 'c' }))).toBe(
      'K must be one of a, b, not "c"',
    );
  });

  it('list every bad variable at once', () => {
    const error = messageOf(() =>
      readSettings({ a: positiveInteger('A', 1), b: milliseconds('B', 1), c: text('C', 'c') }, { A: 'x', B: 'y' }),
    );
    expect(error.split('\n')).toEqual([
      'A must be a positive integer, not "x"',
      'B must be a positive integer (milliseconds), not "y"',
    ]);
  });

  it('read a base64 key of the right length without repeating a wrong one', () => {
    const key = Buffer.alloc(32, 7);
    const setting = { key: base64Key('LM_MASTER_KEY', 32) };
    expect(readSettings(setting, {}).key).toBeUndefined();
    expect(readSettings(setting, { LM_MASTER_KEY: key.toString('base64') }).key).toEqual(key);
    const secret = Buffer.alloc(16, 1).toString('base64');
    const message = messageOf(() => readSettings(setting, { LM_MASTER_KEY: secret }));
    expect(message).toBe('LM_MASTER_KEY must be 32 bytes, base64-encoded (it decodes to 16)');
    expect(message).not.toContain(secret);
  });
});

describe('the settings every service reads', () => {
  it('default to a local deployment', () => {
    expect(readCommonConfig('licensing', {})).toEqual({
      natsServers: ['nats://127.0.0.1:4222'],
      region: 'us-east-1',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      databasePoolSize: 20,
      consumerBatchSize: 100,
      consumerAckWaitMs: 30_000,
      relayMaxInFlight: 256,
      subscriptionLeaseIntervalMs: 1_000,
      eventStore: { kind: 'postgres', url: undefined },
      startupTimeoutMs: 15_000,
      metricsPort: undefined,
      metricsHost: '0.0.0.0',
    });
  });

  it("prefer the service's own database to DATABASE_URL", () => {
    const env = { DATABASE_URL: 'postgres://shared', USER_SUBSCRIPTIONS_DATABASE_URL: 'postgres://own' };
    expect(readCommonConfig('user-subscriptions', env).databaseUrl).toBe('postgres://own');
    expect(readCommonConfig('licensing', env).databaseUrl).toBe('postgres://shared');
  });

  it("take the durable consumers' ack wait from LM_CONSUMER_ACK_WAIT_MS, 30 s unless set, at least a second", () => {
    expect(readCommonConfig('reporting', {}).consumerAckWaitMs).toBe(30_000);
    expect(readCommonConfig('reporting', { LM_CONSUMER_ACK_WAIT_MS: '5000' }).consumerAckWaitMs).toBe(5_000);
    expect(messageOf(() => readCommonConfig('reporting', { LM_CONSUMER_ACK_WAIT_MS: '500' }))).toMatch(
      /^LM_CONSUMER_ACK_WAIT_MS must be an integer of at least 1000/,
    );
  });

  it("take the durable consumers' batch size from LM_CONSUMER_BATCH_SIZE, a positive integer", () => {
    expect(readCommonConfig('reporting', { LM_CONSUMER_BATCH_SIZE: '200' }).consumerBatchSize).toBe(200);
    expect(messageOf(() => readCommonConfig('reporting', { LM_CONSUMER_BATCH_SIZE: '0' }))).toMatch(
      /^LM_CONSUMER_BATCH_SIZE must be a positive integer/,
    );
  });

  it("take the event relay's publishes in flight from LM_RELAY_MAX_IN_FLIGHT, a positive integer", () => {
    expect(readCommonConfig('licensing', { LM_RELAY_MAX_IN_FLIGHT: '32' }).relayMaxInFlight).toBe(32);
    expect(messageOf(() => readCommonConfig('licensing', { LM_RELAY_MAX_IN_FLIGHT: '0' }))).toMatch(
      /^LM_RELAY_MAX_IN_FLIGHT must be a positive integer/,
    );
  });

  it('refuse an unknown event store, and EventStoreDB without its URL', () => {
    expect(messageOf(() => readCommonConfig('licensing', { EVENT_STORE: 'mongo' }))).toBe(
      'EVENT_STORE must be one of postgres, eventstoredb, not "mongo"',
    );
    expect(messageOf(() => readCommonConfig('licensing', { EVENT_STORE: 'eventstoredb' }))).toBe(
      'EVENT_STORE=eventstoredb needs EVENTSTORE_URL',
    );
    expect(
      readCommonConfig('licensing', { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://x' }).eventStore,
    ).toEqual({ kind: 'eventstoredb', url: 'esdb://x' });
  });
});
