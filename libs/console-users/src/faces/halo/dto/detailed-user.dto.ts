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

/** A user and its visible roles as Halo's `DetailedUser`. */
export function toDetailedUser(detail: UserDetail, publicUrl: string): DetailedUserView {
  return { user: toHaloUser(detail.user, publicUrl), roles: detail.roles.map(toHaloRole) };
}
