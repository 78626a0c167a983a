/** authentik's `Role` as embedded in a user (we put Halo role names there). */
export interface AuthentikRoleRef {
  pk: string;
  name: string;
}

/** authentik's `User` model, as `CoreApi.coreUsersList/coreUsersRetrieve` parse it. */
export interface AuthentikUser {
  pk: number;
  username: string;
  name: string;
  is_active: boolean;
  last_login: string | null;
  date_joined: string;
  is_superuser: boolean;
  groups: string[];
  groups_obj: unknown[];
  roles: string[];
  roles_obj: AuthentikRoleRef[];
  email: string;
  avatar: string;
  attributes: Record<string, unknown>;
  uid: string;
  path: string;
  type: 'internal';
  uuid: string;
  password_change_date: string;
  last_updated: string;
}
