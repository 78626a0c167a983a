import { ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiPropertyOptional({ type: 'integer', example: 1, description: '1-based; 0 or absent with size 0 lists everything' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be an integer' })
  page?: number;

  @ApiPropertyOptional({ type: 'integer', example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'size must be an integer' })
  size?: number;

  @ApiPropertyOptional({ type: [String], maxItems: 32, description: 'key, !key, key=value, key!=value or key=(v1,v2); repeatable' })
  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  labelSelector?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 32, description: 'field=value, field!=value or field=(v1,v2); repeatable', example: ['spec.disabled=false'] })
  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  fieldSelector?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 16, description: 'property[,asc|desc]; repeatable', example: ['metadata.creationTimestamp,desc'] })
  @IsOptional()
  @Transform(({ value }) => asArray(value))
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  sort?: string[];
}
