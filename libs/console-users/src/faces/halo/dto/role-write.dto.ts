import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsInt, IsObject, IsOptional, IsString, MaxLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { PolicyRuleInputSchema } from '../openapi/halo-schemas';
import { IsStringMap } from './user-field.validators';

/** `metadata` of a role sent by a client; server-owned fields (creationTimestamp…) are ignored. */
export class RoleMetadataDto {
  @ApiPropertyOptional({ example: 'content-editor', maxLength: 253, description: 'The role name; empty or absent with generateName set' })
  @IsOptional()
  @IsString({ message: 'metadata.name must be a string' })
  @MaxLength(253, { message: 'metadata.name must be at most 253 characters' })
  name?: string;

  @ApiPropertyOptional({ example: 'role-', maxLength: 200, description: 'Prefix of a generated name' })
  @IsOptional()
  @IsString({ message: 'metadata.generateName must be a string' })
  @MaxLength(200, { message: 'metadata.generateName must be at most 200 characters' })
  generateName?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { 'halo.run/role-template': 'true' } })
  @IsOptional()
  @IsStringMap()
  labels?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { 'rbac.authorization.halo.run/ui-permissions': '["system:users:view"]' } })
  @IsOptional()
  @IsStringMap()
  annotations?: Record<string, string>;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 0, description: 'Optimistic lock: the version the change is based on (required by UpdateRole)' })
  @IsOptional()
  @IsInt({ message: 'metadata.version must be an integer' })
  version?: number;
}

/** A Halo `Role` as create and update take it. */
export class RoleWriteDto {
  @ApiPropertyOptional({ example: 'v1alpha1' })
  @IsOptional()
  @IsString()
  apiVersion?: string;

  @ApiPropertyOptional({ example: 'Role' })
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
  @ApiPropertyOptional({ type: () => [PolicyRuleInputSchema], maxItems: 100, description: 'PolicyRule list (each field an array of strings); absent means none' })
  @IsOptional()
  @IsArray({ message: 'rules must be an array' })
  @ArrayMaxSize(100, { message: 'rules must have at most 100 entries' })
  rules?: unknown[];
}
