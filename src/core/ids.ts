import { createHash } from "node:crypto";

// Every id, token and fixture value derives from the seed, so a run can be replayed byte for byte.

/** sfc32: small, fast, and good enough for ids; seeded from a string. */
export class SeededRandom {
  #a: number; #b: number; #c: number; #d: number;

  constructor(seed: string | number) {
    const h = createHash("sha256").update(String(seed)).digest();
    this.#a = h.readUInt32LE(0); this.#b = h.readUInt32LE(4);
    this.#c = h.readUInt32LE(8); this.#d = h.readUInt32LE(12);
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

  /** RFC 4122 version 4 layout, from seeded bits. */
  uuid4(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = HEX[(parseInt(h[16] as string, 16) & 0x3) | 0x8] as string;
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export const HEX = "0123456789abcdef";
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Ids made while the simulator runs: the n-th source of a provider under a seed. The count
 * lives in the persisted state, so a restart with the same --data continues the sequence
 * instead of repeating ids it already handed out.
 */
export function runtimeRandom(seed: number, provider: string, n: number): SeededRandom {
  return new SeededRandom(`${seed}:${provider}:run:${n}`);
}
