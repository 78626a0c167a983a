// The performance targets as data: each benchmark records the verdicts it can judge under
// `targets` in its key of bench/results.json, and `npm run bench` prints them all in one table.

/** One judged target: which of the numbered targets, what exactly, the figure, and the verdict. */
export interface TargetVerdict {
  /** The target's number (1–6) in the performance goals README's benchmark section lists. */
  target: number;
  /** What was judged, with its threshold, e.g. "sqlite, GET users/- (session): ≥ 0.5 × Nest hello, p99 ≤ 10 ms". */
  what: string;
  /** The measured figure, in words, e.g. "×0.10, p99 9.71 ms". */
  figure: string;
  met: boolean;
}

/** "met" or a bold "missed", for RESULTS.md. */
export function verdictWord(met: boolean): string {
  return met ? 'met' : '**missed**';
}

/** A markdown table of verdicts, target by target. */
export function verdictTable(verdicts: TargetVerdict[]): string[] {
  const lines = ['| # | what | figure | verdict |', '|---:|---|---|---|'];
  for (const v of [...verdicts].sort((a, b) => a.target - b.target)) {
    lines.push(`| ${v.target} | ${v.what} | ${v.figure} | ${verdictWord(v.met)} |`);
  }
  return lines;
}
