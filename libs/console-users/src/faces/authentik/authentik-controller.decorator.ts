import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { PasswordChangeRequiredGuard } from '../../auth/password-change-required.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { AuthentikErrorFilter } from './authentik-error.filter';

/**
 * DRF's validation policy: unknown fields are ignored, each invalid field is reported under its
 * own name with a list of messages.
 */
export function authentikValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const fields: Record<string, string[]> = {};
      for (const error of errors) {
        fields[error.property] = Object.values(error.constraints ?? { invalid: 'Invalid value.' });
      }
      return new DomainError(ErrorCode.BadRequest, 'Invalid input.', { fields });
    },
  });
}

/** A controller of the authentik face: authenticated and authorized by the guard, errors in DRF shapes. */
export function AuthentikController(prefix: string): ClassDecorator {
  return applyDecorators(
    ApiTags('authentik'),
    Controller(prefix),
    UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard),
    // After authentication: it reads the principal the first guard set.
    UseGuards(PasswordChangeRequiredGuard),
    UseFilters(AuthentikErrorFilter),
    UsePipes(authentikValidationPipe()),
  );
}
