import { Type } from 'class-transformer';
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

  @IsOptional()
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
