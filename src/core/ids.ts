import { createHash } from "node:crypto";

// Every id, token and fixture value derives from the seed, so a run can be replayed byte for byte.

type Words = readonly [number, number, number, number];

/** The first 128 bits of the string's sha256, as the generator's four words. */
function seedWords(seed: string): Words {
  const h = createHash("sha256").update(seed).digest();
  return [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
}

/** sfc32: small, fast, and good enough for ids; seeded from a string. */
export class SeededRandom {
  #a: number; #b: number; #c: number; #d: number;

  /** `words`: the state to start from (runtimeRandom), instead of the seed's hash. */
  constructor(seed: string | number, words?: Words) {
    const w = words ?? seedWords(String(seed));
    this.#a = w[0] | 0; this.#b = w[1] | 0;
    this.#c = w[2] | 0; this.#d = w[3] | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = ((c << 21) | (c >>> 11)) + t | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  hex(length: number): string { return this.chars(HEX, length); }
  base62(length: number): string { return this.chars(BASE62, length); }

  /**
   * RFC 4122 version 4 layout, from seeded bits: 32 hex digits drawn as `hex(32)` draws them
   * (the 13th then set to 4, the 17th to its variant bits), dashed 8-4-4-4-12.
   */
  uuid4(): string {
    let s = "";
    for (let i = 0; i < 32; i++) {
      let digit = Math.floor(this.next() * 16);
      if (i === 12) digit = 4;
      else if (i === 16) digit = (digit & 0x3) | 0x8;
      if (i === 8 || i === 12 || i === 16 || i === 20) s += "-";
      s += HEX[digit];
    }
    return s;
  }
}

export const HEX = "0123456789abcdef";
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** murmur3's finalizer: a bijection of 32-bit integers that spreads every input bit. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Per seed and provider: the hash every run-time source starts from (one sha256 each, not one per source). */
const runtimeBases = new Map<string, Words>();

/**
 * Ids made while the simulator runs: the n-th source of a provider under a seed. The count
 * lives in the persisted state, so a restart with the same --data continues the sequence
 * instead of repeating ids it already handed out. The seed and provider are hashed once; `n`
 * (up to 2^53) is folded into that state through a bijective mix, so distinct counts start
 * from distinct states: O(1) per source, with no hash per created object.
 */
export function runtimeRandom(seed: number, provider: string, n: number): SeededRandom {
  const key = `${seed}:${provider}`;
  let base = runtimeBases.get(key);
  if (!base) runtimeBases.set(key, (base = seedWords(`${key}:run`)));
  const lo = n >>> 0;
  const hi = Math.floor(n / 0x100000000) >>> 0;
  return new SeededRandom(key, [
    base[0] ^ fmix32(lo ^ 0x9e3779b9),
    base[1] ^ fmix32(hi ^ 0x7f4a7c15),
    base[2] ^ fmix32((lo + 0x632be5ab) ^ hi),
    base[3] ^ lo,
  ]);
}
