import { applyDecorators, Controller, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../../auth/console-auth.guard';
import { PasswordChangeRequiredGuard } from '../../auth/password-change-required.guard';
import { RequestBodyGuard } from '../../http/request-body.guard';
import { SameOriginGuard } from '../../http/same-origin.guard';
import { faceValidationPipe } from '../face-validation.pipe';
import { FresnsErrorFilter } from './fresns-error.filter';
import { FresnsHeadersInterceptor } from './fresns-headers.interceptor';

/** A controller of the Fresns face: caller identified by the guard, answers and errors as Fresns envelopes. */
export function FresnsController(prefix: string): ClassDecorator {
  return applyDecorators(
    ApiTags('Fresns'),
    Controller(prefix),
    UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard),
    // After authentication: it reads the principal the first guard set.
    UseGuards(PasswordChangeRequiredGuard),
    UseFilters(FresnsErrorFilter),
    UseInterceptors(FresnsHeadersInterceptor),
    UsePipes(faceValidationPipe()),
  );
}
