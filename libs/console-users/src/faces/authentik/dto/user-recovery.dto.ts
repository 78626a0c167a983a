import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** authentik's `UserRecoveryLinkRequest`. */
export class UserRecoveryLinkRequestDto {
  /** Lifetime in `unit=value;…` form, 5 min – 24 h; default 60 min. */
  @ApiPropertyOptional({ maxLength: 100, example: 'hours=3', description: 'Lifetime as unit=value;… (5 min – 24 h); default 60 min' })
  @IsOptional()
  @IsString({ message: 'Not a valid string.' })
  @MaxLength(100, { message: 'Ensure this field has no more than 100 characters.' })
  token_duration?: string;
}

/** authentik's `UserRecoveryEmailRequest`; `email_stage` may also come as a query parameter (older clients). */
export class UserRecoveryEmailRequestDto extends UserRecoveryLinkRequestDto {
  @ApiPropertyOptional({ format: 'uuid', maxLength: 100, example: '0b6e6f9c-3c55-4d4f-8f53-6f0f2d9b8c11', description: 'Email stage whose subject, template and expiry to use; default: the default stage' })
  @IsOptional()
  @IsString({ message: 'Must be a valid UUID.' })
  @MaxLength(100, { message: 'Must be a valid UUID.' })
  email_stage?: string;
}
