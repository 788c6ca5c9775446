// The history's one source of chance: seeded, so the same plan always writes the same bytes.

/** A seeded random source (mulberry32): fast, and the same sequence for the same seed. */
export class Random {
  constructor(private state: number) {}

  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const VARIANT = '89ab';
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** A version-4-shaped UUID from the seeded source (the gateway's ids are crypto.randomUUID()). */
export function uuidOf(r: Random): string {
  const c = r.u32();
  const s = `${hex8(r.u32())}${hex8(r.u32())}${hex8(c)}${hex8(r.u32())}`;
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${VARIANT[c >>> 30]}${s.slice(17, 20)}-${s.slice(20)}`;
}
