import { Body, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { BodyLimit } from '../../http/body-rules.decorator';
import { ApiGroups } from '../../rbac/rbac-labels';
import { RequiresPermission } from '../../rbac/requires-permission.decorator';
import { EmailStageInput, EmailStagesService } from '../../recovery/email-stages.service';
import { toAuthentikEmailStage } from './authentik.mapper';
import { AuthentikController } from './authentik-controller.decorator';
import { authentikPage, AuthentikPage, pageRequest } from './authentik-pagination';
import { AuthentikEmailStage, EmailStageRequestDto, PatchedEmailStageRequestDto } from './dto/email-stage.dto';

/**
 * Reading stages needs `emailstages` get/list (in role-template-recover-users, so whoever may
 * mail a recovery link may pick a stage, as authentik's view_emailstage); writing needs
 * `emailstages` create/update/patch, which no template grants: super-role only.
 */
const stages = { apiGroup: ApiGroups.console, resource: 'emailstages' };
const SMALL_BODY = 16 * 1024;

/** authentik's `/api/v3/stages/email/`: the stages a recovery mail can use. */
@AuthentikController('api/v3/stages/email')
export class AuthentikEmailStagesController {
  constructor(
    private readonly stagesService: EmailStagesService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'stages_email_list', summary: 'List email stages (authentik)' })
  @RequiresPermission({ ...stages, verb: 'list' })
  async list(@Query() query: Record<string, unknown>): Promise<AuthentikPage<AuthentikEmailStage>> {
    const page = pageRequest(query);
    const [rows, count] = await this.stagesService.list(
      { name: typeof query.name === 'string' ? query.name : undefined, search: typeof query.search === 'string' ? query.search : undefined },
      page.offset,
      page.pageSize,
    );
    return authentikPage(
      rows.map((s) => this.view(s)),
      count,
      page,
    );
  }

  @Post()
  @HttpCode(201)
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_create', summary: 'Create an email stage (authentik)' })
  @RequiresPermission({ ...stages, verb: 'create' })
  async create(@Body() body: EmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.view(await this.stagesService.create(input(body)));
  }

  @Get(':uuid')
  @ApiOperation({ operationId: 'stages_email_retrieve', summary: 'Get one email stage (authentik)' })
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'get' })
  async retrieve(@Param('uuid') uuid: string): Promise<AuthentikEmailStage> {
    return this.view(await this.stagesService.get(uuid));
  }

  @Patch(':uuid')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_partial_update', summary: 'Change some fields of an email stage (authentik)' })
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'patch' })
  async patch(@Param('uuid') uuid: string, @Body() body: PatchedEmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.view(await this.stagesService.update(uuid, input(body)));
  }

  @Put(':uuid')
  @BodyLimit(SMALL_BODY)
  @ApiOperation({ operationId: 'stages_email_update', summary: 'Replace an email stage (authentik)' })
  @RequiresPermission({ ...stages, nameParam: 'uuid', verb: 'update' })
  async update(@Param('uuid') uuid: string, @Body() body: EmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.view(await this.stagesService.update(uuid, input(body)));
  }

  private view(stage: Parameters<typeof toAuthentikEmailStage>[0]): AuthentikEmailStage {
    return toAuthentikEmailStage(stage, this.options.mail.from);
  }
}

function input(body: PatchedEmailStageRequestDto): EmailStageInput {
  return {
    name: body.name,
    subject: body.subject,
    template: body.template,
    fromAddress: body.from_address,
    tokenExpiry: body.token_expiry,
    useGlobalSettings: body.use_global_settings,
  };
}
