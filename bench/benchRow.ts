/** One line of the benchmark table. Ratios are measured side by side in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the product promises, e.g. `< 10 s` or `≤ 1.3×`. */
  target?: string;
  /** Whether the measured value meets the target (absent when there is no target). */
  met?: boolean;
}
