import { IsDefined, IsString, MaxLength } from 'class-validator';

/** Halo's `EmailVerifyRequest`. The address format is checked by the service (one clear message). */
export class EmailVerifyRequestDto {
  @IsDefined({ message: 'Email is required' })
  @IsString()
  @MaxLength(254, { message: 'The email address must be at most 254 characters.' })
  email!: string;
}
