import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

// The fields the Fresns account bodies share, one decorator each. Decorators rather than a base
// class: the face reports the first failing field, and class-validator checks a subclass's own
// fields before inherited ones, which would change which error a body with several gets.

/**
 * Decorators written top to bottom as they would be stacked on the property; applied bottom-up
 * like stacked ones, so constraints (and the first message a face reports) keep their order.
 */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...decorators.reverse());
}

/** `type`: how the account is named (`email` or `phone`). */
export const FresnsAccountType = (): PropertyDecorator =>
  stacked(
    ApiProperty({ enum: ['email', 'phone'], example: 'email' }),
    IsDefined({ message: 'type is required' }),
    IsIn(['email', 'phone'], { message: 'type must be email or phone' }),
  );

/** `account`: the email address or phone number. */
export const FresnsAccount = (): PropertyDecorator =>
  stacked(
    ApiProperty({ maxLength: 254, example: 'jane@example.com', description: 'Email address, or phone number without the calling code' }),
    IsDefined({ message: 'account is required' }),
    IsString({ message: 'account must be a string' }),
    MaxLength(254, { message: 'account must be at most 254 characters' }),
  );

/** `countryCode`: the calling code of a phone account (86, 1, …). */
export const FresnsCountryCode = (description?: string): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({ maxLength: 5, example: '1', ...(description ? { description } : {}) }),
    IsOptional(),
    Type(() => String),
    IsString({ message: 'countryCode must be a calling code' }),
    MaxLength(5, { message: 'countryCode must be a calling code' }),
  );

/** `verifyCode`: the code sent to the account. */
export const FresnsVerifyCode = (): PropertyDecorator =>
  stacked(
    ApiProperty({ maxLength: 20, example: '042917' }),
    IsDefined({ message: 'verifyCode is required' }),
    IsString({ message: 'verifyCode must be a string' }),
    MaxLength(20, { message: 'verifyCode must be at most 20 characters' }),
  );

/** A base64 password field named `name`. */
export const FresnsPassword = (name: string, description: string): PropertyDecorator =>
  stacked(
    ApiProperty({ description, maxLength: 1024, example: 'YS1uZXctbG9uZy1wYXNzd29yZA==' }),
    IsDefined({ message: `${name} is required` }),
    IsString({ message: `${name} must be a string` }),
    MaxLength(1024, { message: `${name} is too long` }),
  );
