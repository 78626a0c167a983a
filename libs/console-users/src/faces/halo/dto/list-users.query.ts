import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { HaloListQuery } from './halo-list.query';
import { IsUserText } from './user-field.validators';

/** Query of ListUsers: Halo's list query (paging, selectors, sort) plus `keyword` and `role`. */
export class ListUsersQuery extends HaloListQuery {
  @ApiPropertyOptional({ maxLength: 256, description: 'Matches name, display name or email', example: 'jane' })
  @IsOptional()
  @IsUserText(256)
  keyword?: string;

  @ApiPropertyOptional({ maxLength: 253, description: 'Only users holding this role', example: 'super-role' })
  @IsOptional()
  @MaxLength(253)
  @IsString()
  role?: string;
}
