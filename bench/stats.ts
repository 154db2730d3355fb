// Small statistics for the benchmark report: nearest-rank percentiles and a median.

/** Nearest-rank percentile (p in 0–100) of the values; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export const median = (values: number[]) => percentile(values, 50);

/** Keeps at most `max` evenly spaced items (for the JSON file: curves, not every sample). */
export function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}
