import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';

/** Halo's `EmailVerifyRequest`. The address format is checked by the service (one clear message). */
export class EmailVerifyRequestDto {
  @ApiProperty({ example: 'jane.new@example.com', format: 'email', maxLength: 254, description: 'The new address; the code goes there' })
  @IsDefined({ message: 'Email is required' })
  @IsString()
  @MaxLength(254, { message: 'The email address must be at most 254 characters.' })
  email!: string;
}
