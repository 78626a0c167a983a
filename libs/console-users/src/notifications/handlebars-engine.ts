import type Handlebars from 'handlebars';

/** A Handlebars environment of its own (helpers and partials are not shared with anyone else). */
export type HandlebarsEngine = typeof Handlebars;

/**
 * A getter for a Handlebars environment that loads Handlebars on its first call. A server that
 * renders no mail and no recovery page does not hold the template compiler: with its parser and
 * source-map library it is ≈ 2 MB of heap, a sizeable share of an idle server's memory.
 */
export function lazyHandlebarsEngine(): () => HandlebarsEngine {
  let engine: HandlebarsEngine | undefined;
  return () => (engine ??= (require('handlebars') as HandlebarsEngine).create());
}
