/** One `:name` (or `:...name`) in a statement's text. */
interface Placeholder {
  /** Where it starts and ends in the text. */
  start: number;
  end: number;
  key: string;
  /** `:...name`: the value is an array, bound as a comma-separated list. */
  spread: boolean;
}

/** A statement's text cut at its `:name` placeholders, once. */
interface ParsedStatement {
  sql: string;
  placeholders: Placeholder[];
  /** No `:...name`: with every name given, the text a driver gets is always the same. */
  fixed: boolean;
  /** That text per parameter writer (one per driver), kept so each call hands the driver the same string. */
  textBy: WeakMap<object, string>;
}

const PLACEHOLDER = /:(\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)/g;
/**
 * Statements are string literals in our code (plus a few shapes built from a count), so this
 * stays small; past the bound a statement is parsed each call rather than evicting anything.
 */
const MAX_PARSED = 512;
const parsed = new Map<string, ParsedStatement>();

function parse(sql: string): ParsedStatement {
  const known = parsed.get(sql);
  if (known) {
    return known;
  }
  const placeholders: Placeholder[] = [];
  for (const match of sql.matchAll(PLACEHOLDER)) {
    placeholders.push({ start: match.index, end: match.index + match[0].length, key: match[2]!, spread: match[1] !== undefined });
  }
  const statement = { sql, placeholders, fixed: placeholders.every((p) => !p.spread), textBy: new WeakMap<object, string>() };
  if (parsed.size < MAX_PARSED) {
    parsed.set(sql, statement);
  }
  return statement;
}

/**
 * Writes `sql`'s `:name` placeholders in a driver's own form (`?`, `$n`) and lists the values to
 * bind in order. A name missing from `params` is left as written (PostgreSQL's `::text` casts);
 * `:...name` expands an array. The text is scanned once per distinct statement, not per call:
 * the hot statements run on every request. `createParameter` must depend on nothing but its
 * arguments (a driver's own): the text it wrote is reused for the next call with the same one.
 */
export function bindNamedParameters(
  sql: string,
  params: Record<string, unknown>,
  createParameter: (key: string, index: number) => string,
  bindable: (value: unknown) => unknown,
): [string, unknown[]] {
  const statement = parse(sql);
  const placeholders = statement.placeholders;
  if (statement.fixed && placeholders.every((p) => Object.prototype.hasOwnProperty.call(params, p.key))) {
    // The usual case: only the values change. (A driver's statement cache is keyed by the text,
    // and looking up the same string object is cheaper than a freshly built equal one.)
    const values = placeholders.map((p) => bindable(params[p.key]));
    let text = statement.textBy.get(createParameter);
    if (text === undefined) {
      text = write(statement, params, createParameter, () => undefined)[0];
      statement.textBy.set(createParameter, text);
    }
    return [text, values];
  }
  return write(statement, params, createParameter, bindable);
}

function write(
  statement: ParsedStatement,
  params: Record<string, unknown>,
  createParameter: (key: string, index: number) => string,
  bindable: (value: unknown) => unknown,
): [string, unknown[]] {
  const sql = statement.sql;
  const values: unknown[] = [];
  const bind = (key: string, value: unknown) => {
    values.push(bindable(value));
    return createParameter(key, values.length - 1);
  };
  let query = '';
  let from = 0;
  for (const placeholder of statement.placeholders) {
    if (!Object.prototype.hasOwnProperty.call(params, placeholder.key)) {
      continue;
    }
    const value = params[placeholder.key];
    query += sql.slice(from, placeholder.start);
    query += placeholder.spread ? (value as unknown[]).map((v) => bind(placeholder.key, v)).join(', ') : bind(placeholder.key, value);
    from = placeholder.end;
  }
  return [from === 0 ? sql : query + sql.slice(from), values];
}
