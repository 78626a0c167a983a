/**
 * Whether the operator gave Node one of the V8 flags `names` (on the command line or in
 * NODE_OPTIONS; `-` and `_` alike, `--no-` forms included). The server changes V8 flags at run
 * time only where the operator chose nothing: what they set stays exactly as they set it.
 */
export function operatorSetV8Flag(names: readonly string[], execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const wanted = new Set(names.map((name) => name.replace(/_/g, '-')));
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => {
    const name = /^--(?:no-)?([^=\s]+)/.exec(arg)?.[1]?.replace(/_/g, '-');
    return name !== undefined && wanted.has(name);
  });
}
