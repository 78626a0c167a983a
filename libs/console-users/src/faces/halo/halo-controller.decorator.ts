import { applyDecorators, Controller, UseFilters, UseGuards, ValidationPipe } from '@nestjs/common';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { PasswordChangeRequiredGuard } from '../../auth/password-change-required.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { UseValidationPipeWhereNeeded } from '../validated-routes';
import { HaloProblemFilter } from './halo-problem.filter';

/**
 * The validation policy of the Halo face: unknown fields are dropped (Halo clients send whole
 * objects and Halo ignores what it does not know), values are transformed to the DTO types.
 */
export function haloValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    stopAtFirstError: true,
  });
}

/** A controller of the Halo face: authenticated and authorized by the guard, errors as Halo problems. */
export function HaloController(prefix: string): ClassDecorator {
  return applyDecorators(
    Controller(prefix),
    UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard),
    // After authentication: it reads the principal the first guard set.
    UseGuards(PasswordChangeRequiredGuard),
    UseFilters(HaloProblemFilter),
    UseValidationPipeWhereNeeded(haloValidationPipe()),
  );
}
