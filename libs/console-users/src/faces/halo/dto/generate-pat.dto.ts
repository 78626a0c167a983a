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
  @IsString()
  @Length(1, 255)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /**
   * Halo's console sends `""` when the expiry field is left empty, and Halo reads that as "never
   * expires": so do we. (`tokenId` and `username`, also sent as `""`, are server-set and dropped.)
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  roles?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];
}

/** Body of GeneratePat: a `PersonalAccessToken` of which only `spec` is read. */
export class GeneratePatDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => PatSpecDto)
  spec!: PatSpecDto;
}
