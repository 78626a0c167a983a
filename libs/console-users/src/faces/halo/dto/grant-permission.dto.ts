import { IsRoleNames } from './user-field.validators';

/** Body of GrantPermission: the complete set of roles the user should hold afterwards. */
export class GrantPermissionDto {
  @IsRoleNames()
  roles!: string[];
}
