import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import {
  FilterTerm,
  UserFilterField,
  UserListCriteria,
  UserSort,
  UserSortKey,
  withDefaultUserOrder,
} from '../../users/user-list-criteria';
import type { ListUsersQuery } from './dto/list-users.query';
import { parseFieldSelector, parseLabelSelector, parseSort } from './halo-list-query';

/** Halo's page size when none (or ≤ 0) is given, and the largest one served. */
export const USER_PAGE_SIZE = 1000;

/** Pages past this one cannot exist (it keeps offsets far inside safe integers). */
const MAX_PAGE = 1_000_000_000;

/** Halo's indexed user fields usable in a field selector (`name` also means `metadata.name`). */
const HALO_USER_FIELDS: Record<string, UserFilterField> = {
  'metadata.name': 'name',
  'metadata.creationTimestamp': 'createdAt',
  'metadata.deletionTimestamp': 'deletedAt',
  'spec.displayName': 'displayName',
  'spec.email': 'email',
  'spec.emailVerified': 'emailVerified',
  'spec.disabled': 'disabled',
  roles: 'roles',
};

/** Halo's user properties a list sorts on (`name` also means `metadata.name`). */
const HALO_USER_SORTS: Record<string, UserSortKey> = {
  'metadata.name': 'name',
  'metadata.creationTimestamp': 'createdAt',
  'spec.displayName': 'displayName',
  'spec.email': 'email',
  'spec.emailVerified': 'emailVerified',
  'spec.disabled': 'disabled',
};

/** A ListUsers query in the core's terms, with Halo's page and size (defaults and caps applied). */
export interface HaloUserList {
  criteria: UserListCriteria;
  page: number;
  size: number;
}

/** ListUsers (Halo's paging, field and label selectors, Spring sort, keyword, role) → core criteria. */
export function toUserListCriteria(query: ListUsersQuery): HaloUserList {
  const page = query.page !== undefined && query.page >= 1 ? Math.min(query.page, MAX_PAGE) : 1;
  const size = query.size !== undefined && query.size >= 1 ? Math.min(query.size, USER_PAGE_SIZE) : USER_PAGE_SIZE;
  const criteria: UserListCriteria = {
    fields: (query.fieldSelector ?? []).map(userFieldTerm),
    labels: (query.labelSelector ?? []).map(parseLabelSelector),
    keyword: notBlank(query.keyword),
    role: notBlank(query.role),
    sort: withDefaultUserOrder(parseSort(query.sort ?? []).map(userSort)),
    offset: (page - 1) * size,
    limit: size,
  };
  return { criteria, page, size };
}

function notBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** A field-selector term on one of Halo's indexed user fields. */
function userFieldTerm(raw: string): FilterTerm<UserFilterField> {
  const term = parseFieldSelector(raw);
  const key = term.key === 'name' ? 'metadata.name' : term.key;
  const field = Object.prototype.hasOwnProperty.call(HALO_USER_FIELDS, key) ? HALO_USER_FIELDS[key] : undefined;
  if (field === undefined) {
    throw new DomainError(
      ErrorCode.BadRequest,
      `Invalid fieldSelector "${raw}": "${term.key}" is not an indexed field (use one of name, ${Object.keys(HALO_USER_FIELDS).join(', ')}).`,
    );
  }
  return { ...term, key: field };
}

function userSort(order: { property: string; direction: 'asc' | 'desc' }): UserSort {
  const property = order.property === 'name' ? 'metadata.name' : order.property;
  const key = Object.prototype.hasOwnProperty.call(HALO_USER_SORTS, property) ? HALO_USER_SORTS[property] : undefined;
  if (key === undefined) {
    throw new DomainError(ErrorCode.BadRequest, `Invalid sort "${order.property}": sort on one of ${Object.keys(HALO_USER_SORTS).join(', ')}.`);
  }
  return { key, direction: order.direction };
}
