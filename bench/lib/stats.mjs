// Latency histograms that merge across processes, and small number helpers.
//
// Values are milliseconds. Buckets are logarithmic with 1 % width above 10 µs, so a percentile is
// within 1 % of the true sample; the exact maximum and count are kept beside the buckets.

const FLOOR_MS = 0.01;
const LOG_STEP = Math.log(1.01);

/** Monotonic time in ms. CLOCK_MONOTONIC is system-wide on Linux, so processes can compare stamps. */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class Histogram {
  constructor() {
    this.counts = new Map();
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  record(ms) {
    const value = ms < FLOOR_MS ? FLOOR_MS : ms;
    const bucket = Math.ceil(Math.log(value / FLOOR_MS) / LOG_STEP);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other) {
    const counts = other instanceof Histogram ? other.counts : new Map(other.buckets);
    for (const [bucket, n] of counts) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n);
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  percentile(p) {
    if (this.count === 0) return null;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket);
      if (seen >= rank) return Math.min(FLOOR_MS * Math.exp(bucket * LOG_STEP), this.max);
    }
    return this.max;
  }

  summary() {
    if (this.count === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
    return {
      count: this.count,
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: round(this.max),
      mean: round(this.sum / this.count),
    };
  }

  /** A plain object that survives IPC (JSON) and merges back with `merge`. */
  toJSON() {
    return { buckets: [...this.counts], count: this.count, sum: this.sum, max: this.max };
  }
}

export function round(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
