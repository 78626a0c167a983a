import type { RoleNode } from '../../../rbac/role-graph';
import type { UserView } from '../../../users/user-view';
import type { UserDetail } from '../../../users/users.service';
import type { HaloRole } from './halo-role.dto';
import type { HaloUser } from './halo-user.dto';
import { deepFreeze } from '../../../common/deep-freeze';
import { toHaloRole } from '../role.mapper';
import { toHaloUser } from '../user.mapper';

/** Halo's `DetailedUser` / `ListedUser`. */
export interface DetailedUserView {
  user: HaloUser;
  roles: HaloRole[];
}

/*
 * The core hands out the same frozen user view and the same role list while nothing changes (its
 * caches), and the console asks for the caller's detail on every page: map each pair once, and
 * hand out the same answer, frozen through and through, so that its JSON can be kept as well.
 * Keyed by identity, so a changed user or role list (a new object) is mapped afresh.
 */
interface MappedDetail {
  publicUrl: string;
  roles: readonly RoleNode[];
  view: DetailedUserView;
}
const mappedDetails = new WeakMap<UserView, MappedDetail>();
const mappedRoles = new WeakMap<readonly RoleNode[], HaloRole[]>();

/** A user and its visible roles as Halo's `DetailedUser`; the answer is frozen and may be shared. */
export function toDetailedUser(detail: UserDetail, publicUrl: string): DetailedUserView {
  const mapped = mappedDetails.get(detail.user);
  if (mapped?.publicUrl === publicUrl && mapped.roles === detail.roles) {
    return mapped.view;
  }
  let roles = mappedRoles.get(detail.roles);
  if (!roles) {
    roles = deepFreeze(detail.roles.map(toHaloRole));
    mappedRoles.set(detail.roles, roles);
  }
  const view = deepFreeze({ user: toHaloUser(detail.user, publicUrl), roles });
  mappedDetails.set(detail.user, { publicUrl, roles: detail.roles, view });
  return view;
}
