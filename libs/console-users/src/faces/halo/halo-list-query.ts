import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';

/** One term of a Halo label or field selector. */
export type SelectorTerm =
  | { key: string; operator: 'exists' | 'notExists' }
  | { key: string; operator: 'equals' | 'notEquals'; value: string }
  | { key: string; operator: 'in'; values: string[] };

/** One sort key (Spring Data's `property[,asc|desc]`). */
export interface SortOrder {
  property: string;
  direction: 'asc' | 'desc';
}

/** Halo's paged list shape (`ListResult`), shared by console and core lists. */
export interface HaloListResult<T> {
  page: number;
  size: number;
  total: number;
  items: T[];
  first: boolean;
  last: boolean;
  hasNext: boolean;
  hasPrevious: boolean;
  totalPages: number;
}

const MAX_TERM_LENGTH = 1024;

/**
 * Parses one field-selector term: `field=value`, `field!=value` or `field=(v1,v2)`. As in Halo,
 * the key ends at the first `!=` or `=`, so `metadata.name==halo` means the value `=halo`.
 */
export function parseFieldSelector(raw: string): SelectorTerm {
  const term = parseTerm(raw, 'fieldSelector');
  if (term.operator === 'exists' || term.operator === 'notExists') {
    throw badSelector('fieldSelector', raw, 'expected field=value, field!=value or field=(v1,v2)');
  }
  return term;
}

/** Parses one label-selector term: `key`, `!key`, `key=value`, `key!=value` or `key=(v1,v2)`. */
export function parseLabelSelector(raw: string): SelectorTerm {
  return parseTerm(raw, 'labelSelector');
}

function parseTerm(raw: string, parameter: string): SelectorTerm {
  if (raw.length > MAX_TERM_LENGTH) {
    throw badSelector(parameter, raw.slice(0, 40) + '…', 'term too long');
  }
  const notEquals = raw.indexOf('!=');
  const equals = raw.indexOf('=');
  if (notEquals !== -1 && notEquals < equals) {
    return { key: key(raw.slice(0, notEquals), parameter, raw), operator: 'notEquals', value: raw.slice(notEquals + 2) };
  }
  if (equals !== -1) {
    const name = key(raw.slice(0, equals), parameter, raw);
    const value = raw.slice(equals + 1);
    if (value.startsWith('(') && value.endsWith(')')) {
      const values = value
        .slice(1, -1)
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: name, operator: 'in', values };
    }
    return { key: name, operator: 'equals', value };
  }
  if (raw.startsWith('!')) {
    return { key: key(raw.slice(1), parameter, raw), operator: 'notExists' };
  }
  return { key: key(raw, parameter, raw), operator: 'exists' };
}

function key(candidate: string, parameter: string, raw: string): string {
  const trimmed = candidate.trim();
  if (trimmed === '') {
    throw badSelector(parameter, raw, 'the key is empty');
  }
  return trimmed;
}

function badSelector(parameter: string, raw: string, why: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, `Invalid ${parameter} "${raw}": ${why}.`);
}

/**
 * Parses Spring Data sort parameters: each is `property[,property…][,asc|desc]`, the direction
 * applying to the properties before it.
 */
export function parseSort(raw: readonly string[]): SortOrder[] {
  const orders: SortOrder[] = [];
  for (const entry of raw) {
    const parts = entry.split(',').map((p) => p.trim()).filter((p) => p !== '');
    if (parts.length === 0) {
      continue;
    }
    const last = parts[parts.length - 1]!.toLowerCase();
    const direction = last === 'asc' || last === 'desc' ? last : 'asc';
    const properties = last === 'asc' || last === 'desc' ? parts.slice(0, -1) : parts;
    if (properties.length === 0) {
      throw new DomainError(ErrorCode.BadRequest, `Invalid sort "${entry}": no property.`);
    }
    for (const property of properties) {
      orders.push({ property, direction });
    }
  }
  return orders;
}

/** Appends fallback orders for properties not already sorted on. */
export function withDefaultOrder(orders: SortOrder[], defaults: SortOrder[]): SortOrder[] {
  const seen = new Set(orders.map((o) => o.property));
  return [...orders, ...defaults.filter((d) => !seen.has(d.property))];
}

/** Builds Halo's `ListResult` fields (`totalPages = size == 0 ? 1 : ceil(total / size)`). */
export function listResult<T>(items: T[], page: number, size: number, total: number): HaloListResult<T> {
  const totalPages = size === 0 ? 1 : Math.ceil(total / size);
  const hasPrevious = page > 1;
  const hasNext = page > 0 && page < totalPages;
  return { page, size, total, items, first: !hasPrevious, last: !hasNext, hasNext, hasPrevious, totalPages };
}

/** Whether a label map satisfies one selector term (for lists filtered in memory). */
export function labelsMatch(labels: Record<string, string>, term: SelectorTerm): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, term.key);
  const value = has ? labels[term.key] : undefined;
  switch (term.operator) {
    case 'exists':
      return has;
    case 'notExists':
      return !has;
    case 'equals':
      return value === term.value;
    case 'notEquals':
      return value !== term.value;
    case 'in':
      return value !== undefined && term.values.includes(value);
  }
}

/** A query parameter that may be sent once or repeated, as an array (or undefined). */
export function asArray(value: unknown): unknown {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  return Array.isArray(value) ? value : [value];
}
