import { readFileSync } from 'node:fs';

/**
 * How long a process must be left quiet before its memory counts as idle: past V8's memory
 * reducer, which runs ≈ 9–17 s after allocation stops and hands back the heap the load grew.
 */
export const SETTLED_AFTER_MS = 30_000;

/** The resident set of process `pid` in MB, from /proc. */
export function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}
