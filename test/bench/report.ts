// Prints benchmark figures in one readable block per benchmark (and as a JSON line when OBO_BENCH_JSON is set).

export type Figures = Record<string, number | string>;

function show(v: number | string): string {
  if (typeof v === 'string') {
    return v;
  }
  if (Number.isInteger(v)) {
    return v.toLocaleString('en-US');
  }
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** One benchmark's figures: no pass/fail, only numbers to compare between runs and machines. */
export function report(name: string, figures: Figures): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${show(v)}`);
  console.log(`\n== ${name}\n${lines.join('\n')}`);
  if (process.env.OBO_BENCH_JSON) {
    console.log(`BENCH ${JSON.stringify({ name, ...figures })}`);
  }
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
