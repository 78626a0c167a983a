import type { RoleNode } from '../../../rbac/role-graph';
import type { UserView } from '../../../users/user-view';
import type { UserDetail } from '../../../users/users.service';
import type { HaloRole } from './halo-role.dto';
import type { HaloUser } from './halo-user.dto';
import { toHaloRole } from '../role.mapper';
import { toHaloUser } from '../user.mapper';

/** Halo's `DetailedUser` / `ListedUser`. */
export interface DetailedUserView {
  user: HaloUser;
  roles: HaloRole[];
}

/*
 * The core hands out the same frozen user view and the same role list while nothing changes (its
 * caches), and the console asks for the caller's detail on every page: map each of them once.
 * Keyed by identity, so a changed user (a new view object) is mapped afresh.
 */
const mappedUsers = new WeakMap<UserView, { publicUrl: string; user: HaloUser }>();
const mappedRoles = new WeakMap<readonly RoleNode[], HaloRole[]>();

/** A user and its visible roles as Halo's `DetailedUser`; the answer may be shared: do not change it. */
export function toDetailedUser(detail: UserDetail, publicUrl: string): DetailedUserView {
  let user = mappedUsers.get(detail.user);
  if (user?.publicUrl !== publicUrl) {
    user = { publicUrl, user: toHaloUser(detail.user, publicUrl) };
    mappedUsers.set(detail.user, user);
  }
  let roles = mappedRoles.get(detail.roles);
  if (!roles) {
    roles = detail.roles.map(toHaloRole);
    mappedRoles.set(detail.roles, roles);
  }
  return { user: user.user, roles };
}
