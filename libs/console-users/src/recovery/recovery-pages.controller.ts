import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ConsoleAuthGuard } from '../auth/console-auth.guard';
import { RequestBodyGuard } from '../http/request-body.guard';
import { SameOriginGuard } from '../http/same-origin.guard';
import { ClientIp } from '../auth/current-principal.decorator';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { AcceptsMediaTypes, BodyLimit } from '../http/body-rules.decorator';
import type { ConsoleRequest, ConsoleResponse } from '../http/http-types';
import { PublicRoute } from '../rbac/requires-permission.decorator';
import { IpThrottle } from '../throttling/ip-throttle.decorator';
import { messagePage } from './recovery-page';
import { RecoveryPageFilter } from './recovery-page.filter';
import { assertSameOrigin, field, pageLocale, sendPage } from './recovery-page.http';
import { RecoveryPageRenderer } from './recovery-page.renderer';
import { RecoveryPagesService } from './recovery-pages.service';

const FORM_BODY_LIMIT = 16 * 1024;

/**
 * `{PUBLIC_URL}/recovery?token=…`: the pages a recovery link leads to. HTML forms only, no
 * JavaScript; the replies are written here because their status comes from the page.
 */
@ApiExcludeController()
@Controller('recovery')
@UseGuards(SameOriginGuard, ConsoleAuthGuard, RequestBodyGuard)
@UseFilters(RecoveryPageFilter)
export class RecoveryPagesController {
  constructor(
    private readonly pages: RecoveryPagesService,
    private readonly renderer: RecoveryPageRenderer,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Get()
  @PublicRoute()
  async show(@Req() request: ConsoleRequest, @Res() response: ConsoleResponse): Promise<void> {
    const page = await this.pages.landing(field(request.query, 'token') ?? '');
    sendPage(response, this.renderer.render(page, pageLocale(request)));
  }

  @Post()
  @PublicRoute()
  @IpThrottle('verify')
  @BodyLimit(FORM_BODY_LIMIT)
  @AcceptsMediaTypes('application/x-www-form-urlencoded')
  async submit(@Req() request: ConsoleRequest, @Res() response: ConsoleResponse, @ClientIp() ip: string): Promise<void> {
    assertSameOrigin(request, this.options.publicUrl);
    const locale = pageLocale(request);
    const token = field(request.body, 'token') ?? '';
    const step = field(request.body, 'step');
    const page =
      step === 'consent'
        ? await this.pages.consent(token, ip)
        : step === 'password'
          ? await this.pages.setPassword(token, field(request.body, 'password'), field(request.body, 'password_confirm'), ip, locale)
          : messagePage(400, 'badRequest');
    sendPage(response, this.renderer.render(page, locale));
  }
}
