/**
 * Typed settings read from the environment. A service declares its own as an object of
 * settings (`{ sweepIntervalMs: milliseconds('LM_X_SWEEP_MS', 60_000) }`); the chassis reads
 * them once at start and refuses to start on a bad value, naming the variable.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One variable of the environment and how to read it. */
export interface Setting<T> {
  readonly variable: string;
  /**
   * Set on a setting whose default is only fit for development (e.g. a public key): with
   * NODE_ENV=production the service refuses to start without it, and deployments must provide it.
   */
  readonly requiredInProduction?: true;
  /** The value, or throws InvalidSettingError. Gets the whole environment for settings that depend on another. */
  read(env: Environment): T;
}

/** The settings a service declares, by the name its code uses. */
export type Settings = Record<string, Setting<unknown>>;

/** What a set of settings reads as: `{ sweepIntervalMs: number, ... }`. */
export type ConfigOf<S extends Settings> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export class InvalidSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSettingError';
  }
}

/** Every bad setting of a start-up, one per line, so that one restart fixes them all. */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigurationError';
  }
}

/** Reads every setting; throws one ConfigurationError listing each bad variable. */
export function readSettings<S extends Settings>(settings: S, env: Environment): ConfigOf<S> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings)) {
    try {
      config[name] = setting.read(env);
    } catch (error) {
      if (!(error instanceof InvalidSettingError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config as ConfigOf<S>;
}

/** A setting read by `parse` from the variable's text (undefined when unset or empty). */
export function setting<T>(variable: string, parse: (raw: string | undefined, env: Environment) => T): Setting<T> {
  return { variable, read: (env) => parse(nonEmpty(env[variable]), env) };
}

/** `<variable> must be <expectation>, not "<raw>"`: the message of every bad value. */
export function invalid(variable: string, expectation: string, raw: string): InvalidSettingError {
  return new InvalidSettingError(`${variable} must be ${expectation}, not ${JSON.stringify(raw)}`);
}

/**
 * `setting`, refused when unset while NODE_ENV=production; `expectation` says what production must
 * give ("32 random bytes, base64") and lands in the refusal.
 */
export function requiredInProduction<T>(setting: Setting<T>, expectation: string): Setting<T> {
  return {
    variable: setting.variable,
    requiredInProduction: true,
    read: (env) => {
      if (env.NODE_ENV === 'production' && nonEmpty(env[setting.variable]) === undefined)
        throw new InvalidSettingError(`${setting.variable} must be set in production (${expectation})`);
      return setting.read(env);
    },
  };
}

/** The variables of `settings` that a production deployment must set (see requiredInProduction). */
export const variablesRequiredInProduction = (settings: Settings): string[] =>
  Object.values(settings)
    .filter((setting) => setting.requiredInProduction)
    .map((setting) => setting.variable);

const nonEmpty = (raw: string | undefined) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim());

function integerAtLeast(variable: string, raw: string, min: number, expectation: string): number {
  const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw invalid(variable, expectation, raw);
  return value;
}

/** A whole number, at least 1 (quotas, counts). */
export const positiveInteger = (variable: string, fallback: number): Setting<number> =>
  setting(variable, (raw) => (raw === undefined ? fallback : integerAtLeast(variable, raw, 1, 'a positive integer')));

/** A number of at least 0, with a fraction if need be (shares of a core). */
export const nonNegativeNumber = (variable: string, fallback: number): Setting<number> =>
  setting(variable, (raw) => {
    if (raw === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw invalid(variable, 'a number of at least 0', raw);
    return Number(raw);
  });

/**
 * A TCP port to listen on (1 to 65535); `fallback` when unset, or undefined without one, for a
 * listener that is off unless asked for.
 */
export function tcpPort(variable: string, fallback: number): Setting<number>;
export function tcpPort(variable: string): Setting<number | undefined>;
export function tcpPort(variable: string, fallback?: number): Setting<number | undefined> {
  return setting(variable, (raw) => {
    if (raw === undefined) return fallback;
    const port = integerAtLeast(variable, raw, 1, 'a TCP port (1 to 65535)');
    if (port > 65_535) throw invalid(variable, 'a TCP port (1 to 65535)', raw);
    return port;
  });
}

/** A duration in whole milliseconds, at least `min` (1 unless said: an interval of 0 would spin). */
export const milliseconds = (variable: string, fallback: number, { min = 1 } = {}): Setting<number> =>
  setting(variable, (raw) => {
    if (raw === undefined) return fallback;
    const expectation =
      min === 1 ? 'a positive integer (milliseconds)' : `an integer of at least ${min} (milliseconds)`;
    return integerAtLeast(variable, raw, min, expectation);
  });

/** Free text; `fallback` when unset (a setting without fallback is optional and may be undefined). */
export function text(variable: string, fallback: string): Setting<string>;
export function text(variable: string): Setting<string | undefined>;
export function text(variable: string, fallback?: string): Setting<string | undefined> {
  return setting(variable, (raw) => raw ?? fallback);
}

/** Text separated by commas, e.g. the servers of NATS_URL. */
export const list = (variable: string, fallback: readonly string[]): Setting<string[]> =>
  setting(variable, (raw) =>
    raw === undefined
      ? [...fallback]
      : raw
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
  );

/** One of a fixed set of words. */
export const oneOf = <const V extends string>(variable: string, values: readonly V[], fallback: V): Setting<V> =>
  setting(variable, (raw) => {
    if (raw === undefined) return fallback;
    if (!(values as readonly string[]).includes(raw)) throw invalid(variable, `one of ${values.join(', ')}`, raw);
    return raw as V;
  });

/** A key given as base64 that must decode to exactly `bytes` bytes; undefined when unset. */
export const base64Key = (variable: string, bytes: number): Setting<Buffer | undefined> =>
  setting(variable, (raw) => {
    if (raw === undefined) return undefined;
    const key = /^[A-Za-z0-9+/]*={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
    // The value is a secret: the message says what is wrong with it without repeating it.
    if (key.length !== bytes) {
      throw new InvalidSettingError(`${variable} must be ${bytes} bytes, base64-encoded (it decodes to ${key.length})`);
    }
    return key;
  });
