import { readFileSync } from 'node:fs';

/**
 * How long a process must be left quiet before its memory counts as idle: past the server's own
 * idle trim (two quiet checks of 5 s: 10–15 s after the load) and V8's memory reducer, which
 * runs ≈ 9–17 s after allocation stops when it runs at all.
 */
export const SETTLED_AFTER_MS = 30_000;

/** The resident set of process `pid` in MB, from /proc. */
export function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
