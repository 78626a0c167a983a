import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of our Halo-style `POST …/users/{name}/recovery-email`; optional as a whole. */
export class SendRecoveryEmailDto {
  /** Link lifetime in authentik's `unit=value;…` form (5 min – 24 h); default: the default stage's expiry (60 min). */
  @ApiPropertyOptional({ example: 'hours=3', maxLength: 100, description: 'Link lifetime as unit=value;… (5 min – 24 h); default 60 min' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tokenDuration?: string;
}
