/**
 * A small seeded random generator and generators of hostile input for the attack suite. No
 * dependencies: a failing run prints its seed, and `SWITCHBOARD_FUZZ_SEED=<seed>` replays it.
 */

/** mulberry32: tiny, fast, good enough to explore input shapes; the same seed gives the same run. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed to run with: SWITCHBOARD_FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(): number {
  const configured = process.env.SWITCHBOARD_FUZZ_SEED;
  if (configured && /^\d+$/.test(configured)) return Number(configured) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** Strings that have broken parsers, stores, maps and renderers somewhere. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\udbff\udfff\ud800',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  'zero\u200bwidth\u200d',
  '\ufeffbom',
  '\uffff\ufffe',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%',
  "' OR '1'='1' --",
  '"; drop table users; --',
  '<script>window.__pwned=1</script>',
  '<img src=x onerror=window.__pwned=1>',
  'javascript:window.__pwned=1',
  '${7*7}{{7*7}}',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '0x10',
  '9007199254740993',
  'true',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '12345678-1234-1234-1234-12345678901',
  '12345678-1234-1234-1234-1234567890123',
  ' 12345678-1234-4234-8234-123456789012',
  '12345678-1234-4234-8234-123456789012\u0000',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧨👩‍👩‍👧',
  'ﷺ‮‭',
  'Ａｄｍｉｎ',
];

/** Keys that reach Object.prototype (or shadow its methods) when an object is used as a map. */
export const PROTO_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__lookupGetter__'];

/** A random string: a nasty one, random code units (lone surrogates included), or a long run. */
export function nastyString(rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
    case 1:
      return rng.pick(NASTY_STRINGS);
    case 2: {
      let text = '';
      const length = rng.int(40);
      for (let index = 0; index < length; index += 1) text += String.fromCharCode(rng.chance(0.3) ? rng.int(0x10000) : rng.int(0x80));
      return text;
    }
    case 3:
      return rng.pick(NASTY_STRINGS) + rng.pick(NASTY_STRINGS);
    default:
      return rng.pick(['x', '\u0000', '\ud800', '字', '<']).repeat(rng.pick([65, 121, 257, 8001, 20_000]));
  }
}

/** A random JSON-able value of any shape: wrong types, nested containers, prototype keys. */
export function nastyValue(rng: Rng, depth = 0): unknown {
  const kinds = depth > 3 ? 6 : 9;
  switch (rng.int(kinds)) {
    case 0:
    case 1:
      return nastyString(rng);
    case 2:
      return rng.pick([0, -1, -0, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MIN_VALUE, 4000, 999_999_999_999]);
    case 3:
      return rng.pick([true, false]);
    case 4:
      return null;
    case 5:
      return rng.pick([[], {}, [null], [''], { '': '' }]);
    case 6:
      return Array.from({ length: rng.int(4) }, () => nastyValue(rng, depth + 1));
    case 7:
    case 8: {
      const object: Record<string, unknown> = {};
      const size = rng.int(4);
      for (let index = 0; index < size; index += 1) {
        const key = rng.chance(0.4) ? rng.pick(PROTO_KEYS) : nastyString(rng).slice(0, 40);
        Object.defineProperty(object, key, { value: nastyValue(rng, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    default:
      return null;
  }
}

/** JSON text, with `__proto__` written as an own key (JSON.stringify of a literal would drop it). */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Text that is not a JSON document, or a JSON document built to hurt a parser. */
export function malformedText(rng: Rng): string {
  const depth = rng.pick([100, 1000, 5000]);
  switch (rng.int(12)) {
    case 0:
      return '';
    case 1:
      return rng.pick(['{', '}', '[', '"', '{"type":', '{"type":"send"', "{'type':'ping'}", '{type:ping}', 'undefined', 'NaN', '01', '.5', '+1']);
    case 2:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 3:
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    case 4:
      return '['.repeat(depth);
    case 5:
      return `{"type":"ping","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`;
    case 6:
      return `{"__proto__":{"polluted":"yes"},"type":"${rng.pick(['send', 'hello', 'sync', 'x'])}"}`;
    case 7:
      return `{"type":"ping","type":"send","type":${rng.pick(['1', 'null', '"ping"'])}}`;
    case 8:
      return '\ufeff{"type":"ping"}';
    case 9:
      return `{"n":${'9'.repeat(rng.pick([20, 400, 5000]))}}`;
    case 10:
      return `{"s":"${'\\u'.repeat(3)}"}`;
    default:
      return nastyString(rng);
  }
}

/**
 * A hostile variant of a well-formed object (a frame or a request body), as JSON text: a field
 * given a value of the wrong kind, a required field dropped, an unknown or prototype key added,
 * the whole thing replaced or wrapped. It may by chance still be valid; callers that need an
 * invalid input check it against the schema.
 */
export function mutate(rng: Rng, template: Record<string, unknown>): string {
  const copy: Record<string, unknown> = { ...template };
  const keys = Object.keys(copy);
  const key = keys.length > 0 ? rng.pick(keys) : 'x';
  switch (rng.int(9)) {
    case 0:
    case 1:
      copy[key] = nastyValue(rng);
      return toJson(copy);
    case 2:
      delete copy[key];
      return toJson(copy);
    case 3: {
      const extra = rng.chance(0.5) ? rng.pick(PROTO_KEYS) : nastyString(rng).slice(0, 30);
      Object.defineProperty(copy, extra, { value: nastyValue(rng), enumerable: true, writable: true, configurable: true });
      return toJson(copy);
    }
    case 4: {
      // A prototype key as raw JSON text, so it arrives as an own "__proto__" property.
      const body = toJson(copy);
      const poison = rng.pick(['"__proto__":{"polluted":"yes","isAdmin":true}', '"constructor":{"prototype":{"polluted":"yes"}}', '"__proto__":null']);
      return body === '{}' ? `{${poison}}` : `{${poison},${body.slice(1)}`;
    }
    case 5:
      return toJson(rng.chance(0.5) ? [copy] : { frame: copy });
    case 6:
      return toJson(nastyValue(rng));
    case 7: {
      for (const field of keys) if (rng.chance(0.5)) copy[field] = nastyString(rng);
      return toJson(copy);
    }
    default:
      return malformedText(rng);
  }
}
