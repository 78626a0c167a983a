import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { asArray } from '../halo-list-query';

/**
 * The query every Halo list takes: 1-based `page`, `size`, and repeatable `labelSelector`,
 * `fieldSelector` and `sort`. ListUsers extends it; the core ListRole (`GET /api/v1alpha1/roles`)
 * takes it as is.
 */
export class HaloListQuery {
  /** 1-based; 0 or absent with size 0 lists everything. */
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
}
