import { ApiProperty } from '@nestjs/swagger';
import { IsRoleNames } from './user-field.validators';

/** Body of GrantPermission: the complete set of roles the user should hold afterwards. */
export class GrantPermissionDto {
  @ApiProperty({ type: [String], maxItems: 100, example: ['role-template-view-users'], description: 'The complete set of roles afterwards' })
  @IsRoleNames()
  roles!: string[];
}
