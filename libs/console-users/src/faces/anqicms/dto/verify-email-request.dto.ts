import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsString, MaxLength } from 'class-validator';

/** Body of AnqiCMS' `POST /api/verify/email`. There is no `exist` state: it was an existence oracle. */
export class VerifyEmailRequestDto {
  @ApiProperty({ format: 'email', example: 'jane@example.com' })
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email!: string;

  @ApiProperty({ enum: ['verify', 'reset'], example: 'verify', description: 'verify: confirm the address; reset: a password reset link' })
  @IsDefined({ message: 'state is required' })
  @IsIn(['verify', 'reset'], { message: 'state must be verify or reset' })
  state!: 'verify' | 'reset';
}
