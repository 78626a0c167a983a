import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import type { Role } from '../../rbac/roles.service';
import {
  HaloListResult,
  labelsMatch,
  listResult,
  parseFieldSelector,
  parseLabelSelector,
  parseSort,
  SelectorTerm,
  SortOrder,
  withDefaultOrder,
} from './halo-list-query';
import type { HaloRole } from './dto/halo-role.dto';
import type { HaloListQuery } from './dto/halo-list.query';
import { toHaloRole } from './role.mapper';

const DEFAULT_ROLE_ORDER: SortOrder[] = [
  { property: 'metadata.creationTimestamp', direction: 'desc' },
  { property: 'metadata.name', direction: 'asc' },
];

/**
 * Halo's generic list semantics over every role (`/api/v1alpha1/roles`): `size` 0 (the default)
 * lists everything. There are few roles, so they are filtered in memory.
 */
export function listHaloRoles(roles: Role[], query: HaloListQuery): HaloListResult<HaloRole> {
  const page = Math.max(query.page ?? 0, 0);
  const size = Math.max(query.size ?? 0, 0);
  const labels = (query.labelSelector ?? []).map(parseLabelSelector);
  const fields = (query.fieldSelector ?? []).map(roleFieldTerm);
  const sort = withDefaultOrder(parseSort(query.sort ?? []).map(sortableRoleProperty), DEFAULT_ROLE_ORDER);
  const matching = roles
    .filter((role) => labels.every((term) => labelsMatch(role.labels, term)))
    .filter((role) => fields.every((term) => labelsMatch({ name: role.name }, { ...term, key: 'name' })))
    .sort(comparator(sort));
  const items = size === 0 ? matching : matching.slice((Math.max(page, 1) - 1) * size, Math.max(page, 1) * size);
  return listResult(items.map(toHaloRole), page, size, matching.length);
}

function roleFieldTerm(raw: string): SelectorTerm {
  const term = parseFieldSelector(raw);
  if (term.key !== 'name' && term.key !== 'metadata.name') {
    throw new DomainError(ErrorCode.BadRequest, `Invalid fieldSelector "${raw}": roles can be selected by metadata.name only.`);
  }
  return term;
}

function sortableRoleProperty(order: SortOrder): SortOrder {
  const property = order.property === 'name' ? 'metadata.name' : order.property;
  if (property !== 'metadata.name' && property !== 'metadata.creationTimestamp') {
    throw new DomainError(ErrorCode.BadRequest, `Invalid sort "${order.property}": sort on metadata.name or metadata.creationTimestamp.`);
  }
  return { ...order, property };
}

function comparator(orders: SortOrder[]): (a: Role, b: Role) => number {
  return (a, b) => {
    for (const { property, direction } of orders) {
      const [x, y] =
        property === 'metadata.name' ? [a.name, b.name] : [a.createdAt.getTime(), b.createdAt.getTime()];
      const result = x < y ? -1 : x > y ? 1 : 0;
      if (result !== 0) {
        return direction === 'asc' ? result : -result;
      }
    }
    return 0;
  };
}
