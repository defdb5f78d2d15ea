// A small seeded PRNG (mulberry32): the same seed gives the same data set on every machine and Node version.

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `digits` lowercase hex digits. */
  hex(digits: number): string;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance: (probability) => next() < probability,
    hex: (digits) => {
      let out = '';
      while (out.length < digits)
        out += Math.floor(next() * 0x10000)
          .toString(16)
          .padStart(4, '0');
      return out.slice(0, digits);
    },
  };
}

/** Derives an independent stream's seed from a base seed and a name (FNV-1a), so streams do not overlap. */
export function deriveSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A UUID-shaped id that is unique by construction: a seeded random prefix, a per-stream tag, and the
 * item's index in the last 12 hex digits (so two items of one stream can never collide).
 */
export function uniqueUuid(random: Random, tag: number, index: number): string {
  const tail = index.toString(16).padStart(12, '0');
  const tagHex = (tag & 0xfff).toString(16).padStart(3, '0');
  return `${random.hex(8)}-${random.hex(4)}-4${tagHex}-${(8 + random.int(0, 3)).toString(16)}${random.hex(3)}-${tail}`;
}
