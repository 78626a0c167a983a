import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsInt, IsObject, IsOptional, IsString, MaxLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { IsStringMap } from '../../users/dto/user-field.validators';

/** `metadata` of a role sent by a client; server-owned fields (creationTimestamp…) are ignored. */
export class RoleMetadataDto {
  @ApiPropertyOptional({ description: 'The role name; empty or absent with generateName set' })
  @IsOptional()
  @IsString({ message: 'metadata.name must be a string' })
  @MaxLength(253, { message: 'metadata.name must be at most 253 characters' })
  name?: string;

  @ApiPropertyOptional({ description: 'Prefix of a generated name, e.g. "role-"' })
  @IsOptional()
  @IsString({ message: 'metadata.generateName must be a string' })
  @MaxLength(200, { message: 'metadata.generateName must be at most 200 characters' })
  generateName?: string;

  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;

  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Optimistic lock: the version the change is based on' })
  @IsOptional()
  @IsInt({ message: 'metadata.version must be an integer' })
  version?: number;
}

/** A Halo `Role` as create and update take it. */
export class RoleWriteDto {
  @IsOptional()
  @IsString()
  apiVersion?: string;

  @IsOptional()
  @IsString()
  kind?: string;

  @ApiProperty({ type: RoleMetadataDto })
  @IsDefined({ message: 'metadata is required' })
  @IsObject({ message: 'metadata must be an object' })
  @ValidateNested()
  @Type(() => RoleMetadataDto)
  metadata!: RoleMetadataDto;

  /** Checked rule by rule in the service (every field an array of strings). */
  @ApiPropertyOptional({ description: 'PolicyRule list; absent means none' })
  @IsOptional()
  @IsArray({ message: 'rules must be an array' })
  @ArrayMaxSize(100, { message: 'rules must have at most 100 entries' })
  rules?: unknown[];
}
