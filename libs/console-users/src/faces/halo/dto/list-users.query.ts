import { IsOptional, IsString, MaxLength } from 'class-validator';
import { HaloListQuery } from './halo-list.query';
import { IsUserText } from './user-field.validators';

/** Query of ListUsers: Halo's list query (paging, selectors, sort) plus `keyword` and `role`. */
export class ListUsersQuery extends HaloListQuery {
  @IsOptional()
  @IsUserText(256)
  keyword?: string;

  @IsOptional()
  @MaxLength(253)
  @IsString()
  role?: string;
}
