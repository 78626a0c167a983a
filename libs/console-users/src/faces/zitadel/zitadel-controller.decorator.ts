import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes, ValidationError, ValidationPipe } from '@nestjs/common';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { PasswordChangeRequiredGuard } from '../../auth/password-change-required.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { ZitadelErrorFilter } from './zitadel-error.filter';
import { zitadelErrors } from './zitadel-errors';

/**
 * The validation policy of the ZITADEL face: like grpc-gateway, unknown fields are an error, and
 * every violation comes out as `InvalidArgument` in ZITADEL's error format.
 */
export function zitadelValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors: ValidationError[]) => zitadelErrors.invalidArgument(describe(errors)),
  });
}

/** A controller of the ZITADEL face: authenticated and authorized by the guard, errors in ZITADEL's format. */
export function ZitadelController(prefix: string): ClassDecorator {
  return applyDecorators(
    Controller(prefix),
    UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard),
    // After authentication: it reads the principal the first guard set.
    UseGuards(PasswordChangeRequiredGuard),
    UseFilters(ZitadelErrorFilter),
    UsePipes(zitadelValidationPipe()),
  );
}

function describe(errors: ValidationError[], path = ''): string {
  const messages: string[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const error of list) {
      const field = prefix ? `${prefix}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) {
        messages.push(message.startsWith(error.property) ? `${field}${message.slice(error.property.length)}` : `${field}: ${message}`);
      }
      walk(error.children ?? [], field);
    }
  };
  walk(errors, path);
  return messages.length > 0 ? `invalid request: ${messages.join('; ')}` : 'invalid request';
}
