import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** The part of Halo's `PatSpec` a caller may set. */
export class PatSpecDto {
  @ApiProperty({ example: 'deploy script', minLength: 1, maxLength: 255 })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiPropertyOptional({ example: 'CI job that lists users', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /**
   * Halo's console sends `""` when the expiry field is left empty, and Halo reads that as "never
   * expires": so do we. (`tokenId` and `username`, also sent as `""`, are server-set and dropped.)
   */
  @ApiPropertyOptional({ format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'Absent: never expires' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 100, example: ['role-template-view-users'], description: 'A subset of the caller\'s roles' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  roles?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100, example: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];
}

/** Body of GeneratePat: a `PersonalAccessToken` of which only `spec` is read. */
export class GeneratePatDto {
  @ApiProperty({ type: () => PatSpecDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PatSpecDto)
  spec!: PatSpecDto;
}
