import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { asArray } from '../../http/halo-list-query';
import { IsPlainText } from './user-field.validators';

/** Query of ListUsers; selector and sort parameters may be repeated. */
export class ListUsersQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be an integer' })
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'size must be an integer' })
  size?: number;

  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  labelSelector?: string[];

  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  fieldSelector?: string[];

  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  sort?: string[];

  @IsOptional()
  @IsPlainText(256)
  keyword?: string;

  @IsOptional()
  @MaxLength(253)
  @IsString()
  role?: string;
}
