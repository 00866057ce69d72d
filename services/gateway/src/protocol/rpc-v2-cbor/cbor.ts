/**
 * CBOR (RFC 8949) as the Smithy RPC v2 CBOR protocol uses it: every major type, indefinite-length
 * strings, arrays and maps, tag 1 (epoch-seconds timestamps, read as Dates), and half, single and
 * double floats. Pure functions; a malformed item is a CborError (the gateway answers it as a
 * SerializationException), never a crash.
 */

export class CborError extends Error {}

/** Nesting deeper than this is refused: a request body must not exhaust the stack. */
const MAX_DEPTH = 64;
const BREAK = Symbol('break');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The single item `bytes` hold: maps become objects (text keys only, as Smithy's are), byte strings Uint8Arrays. */
export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (value === BREAK) throw new CborError('Unexpected break code outside an indefinite-length item.');
  if (reader.offset !== bytes.length) throw new CborError('Unexpected data after the CBOR item.');
  return value;
}

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new CborError(`CBOR nesting deeper than ${MAX_DEPTH} levels.`);
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major, depth);
    const argument = this.argument(info);
    switch (major) {
      case 0:
        return toNumber(argument);
      case 1:
        return typeof argument === 'bigint' ? toNumber(-1n - argument) : -1 - argument;
      case 2:
        return Uint8Array.from(this.take(this.length(argument)));
      case 3:
        return this.text(this.take(this.length(argument)));
      case 4: {
        const count = this.length(argument);
        const items: unknown[] = [];
        for (let i = 0; i < count; i++) items.push(this.defined(depth));
        return items;
      }
      case 5: {
        const count = this.length(argument);
        const map: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) this.entry(map, this.defined(depth), depth);
        return map;
      }
      default:
        return this.tagged(toNumber(argument), depth);
    }
  }

  /** Strings are chunks of their own major type; arrays and maps run until the break code. */
  private indefinite(major: number, depth: number): unknown {
    switch (major) {
      case 2:
      case 3: {
        const chunks: Uint8Array[] = [];
        for (;;) {
          const initial = this.byte();
          if (initial === 0xff) break;
          if (initial >> 5 !== major || (initial & 0x1f) === 31)
            throw new CborError('An indefinite-length string may only hold definite strings of its own type.');
          chunks.push(this.take(this.length(this.argument(initial & 0x1f))));
        }
        const joined = Buffer.concat(chunks);
        return major === 2 ? new Uint8Array(joined) : this.text(joined);
      }
      case 4: {
        const items: unknown[] = [];
        for (let value = this.item(depth + 1); value !== BREAK; value = this.item(depth + 1)) items.push(value);
        return items;
      }
      case 5: {
        const map: Record<string, unknown> = {};
        for (let key = this.item(depth + 1); key !== BREAK; key = this.item(depth + 1)) this.entry(map, key, depth);
        return map;
      }
      default:
        throw new CborError(`Major type ${major} has no indefinite length.`);
    }
  }

  private entry(map: Record<string, unknown>, key: unknown, depth: number): void {
    if (typeof key !== 'string') throw new CborError('Map keys must be text strings.');
    // defineProperty keeps a key such as __proto__ a plain key.
    Object.defineProperty(map, key, {
      value: this.defined(depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  private defined(depth: number): unknown {
    const value = this.item(depth + 1);
    if (value === BREAK) throw new CborError('Unexpected break code inside a definite-length item.');
    return value;
  }

  private tagged(tag: number, depth: number): unknown {
    const value = this.defined(depth);
    if (tag !== 1) return value;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new CborError('A tag 1 timestamp must hold a finite number of seconds.');
    return new Date(Math.round(value * 1000));
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        return halfToNumber(this.view.getUint16(this.advance(2)));
      case 26:
        return this.view.getFloat32(this.advance(4));
      case 27:
        return this.view.getFloat64(this.advance(8));
      case 31:
        return BREAK;
      default:
        throw new CborError(`Unsupported simple value ${info}.`);
    }
  }

  private argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24:
        return this.byte();
      case 25:
        return this.view.getUint16(this.advance(2));
      case 26:
        return this.view.getUint32(this.advance(4));
      case 27:
        return this.view.getBigUint64(this.advance(8));
      default:
        throw new CborError(`Reserved additional information ${info}.`);
    }
  }

  /** A length the remaining bytes can hold (each item takes at least one byte), so that no huge allocation is attempted. */
  private length(argument: number | bigint): number {
    if (typeof argument === 'bigint' || argument > this.bytes.length - this.offset)
      throw new CborError('A length runs past the end of the data.');
    return argument;
  }

  private text(bytes: Uint8Array): string {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new CborError('A text string is not valid UTF-8.');
    }
  }

  private byte(): number {
    return this.bytes[this.advance(1)];
  }

  private take(length: number): Uint8Array {
    const start = this.advance(length);
    return this.bytes.subarray(start, start + length);
  }

  private advance(length: number): number {
    const start = this.offset;
    if (start + length > this.bytes.length) throw new CborError('The CBOR data ends in the middle of an item.');
    this.offset += length;
    return start;
  }
}

function toNumber(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(value) : value;
}

function halfToNumber(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * The CBOR of a JSON-like value: integers in their shortest head, other numbers as single floats
 * when that is exact and doubles otherwise, Dates as tag 1 epoch seconds, Uint8Arrays as byte
 * strings; undefined members are left out of maps, as absent members are.
 */
export function encodeCbor(value: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  write(chunks, value);
  return Buffer.concat(chunks);
}

function write(chunks: Uint8Array[], value: unknown): void {
  if (value === null || value === undefined) chunks.push(Uint8Array.of(0xf6));
  else if (typeof value === 'boolean') chunks.push(Uint8Array.of(value ? 0xf5 : 0xf4));
  else if (typeof value === 'number') writeNumber(chunks, value);
  else if (typeof value === 'bigint') writeHead(chunks, value < 0n ? 1 : 0, value < 0n ? -1n - value : value);
  else if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    writeHead(chunks, 3, bytes.length);
    chunks.push(bytes);
  } else if (value instanceof Uint8Array) {
    writeHead(chunks, 2, value.length);
    chunks.push(value);
  } else if (value instanceof Date) {
    writeHead(chunks, 6, 1);
    writeNumber(chunks, value.getTime() / 1000);
  } else if (Array.isArray(value)) {
    writeHead(chunks, 4, value.length);
    for (const item of value) write(chunks, item);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    writeHead(chunks, 5, entries.length);
    for (const [key, item] of entries) {
      write(chunks, key);
      write(chunks, item);
    }
  } else {
    throw new CborError(`Cannot encode a ${typeof value} as CBOR.`);
  }
}

function writeNumber(chunks: Uint8Array[], value: number): void {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
    writeHead(chunks, value < 0 ? 1 : 0, value < 0 ? -1 - value : value);
    return;
  }
  if (Number.isNaN(value) || Math.fround(value) === value) {
    const bytes = new Uint8Array(5);
    bytes[0] = 0xfa;
    new DataView(bytes.buffer).setFloat32(1, value);
    chunks.push(bytes);
    return;
  }
  const bytes = new Uint8Array(9);
  bytes[0] = 0xfb;
  new DataView(bytes.buffer).setFloat64(1, value);
  chunks.push(bytes);
}

function writeHead(chunks: Uint8Array[], major: number, argument: number | bigint): void {
  const type = major << 5;
  const n = BigInt(argument);
  if (n < 24n) chunks.push(Uint8Array.of(type | Number(n)));
  else if (n < 0x100n) chunks.push(Uint8Array.of(type | 24, Number(n)));
  else if (n < 0x10000n) chunks.push(Uint8Array.of(type | 25, Number(n >> 8n), Number(n & 0xffn)));
  else if (n < 0x100000000n) {
    const bytes = new Uint8Array(5);
    bytes[0] = type | 26;
    new DataView(bytes.buffer).setUint32(1, Number(n));
    chunks.push(bytes);
  } else {
    const bytes = new Uint8Array(9);
    bytes[0] = type | 27;
    new DataView(bytes.buffer).setBigUint64(1, n);
    chunks.push(bytes);
  }
}
