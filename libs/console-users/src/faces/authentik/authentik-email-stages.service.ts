import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import type { EmailStageEntity } from '../../recovery/email-stage.entity';
import { EmailStageInput, EmailStagesService } from '../../recovery/email-stages.service';
import { toAuthentikEmailStage } from './authentik.mapper';
import { authentikPage, AuthentikPage, PageRequest } from './authentik-pagination';
import type { AuthentikEmailStage, PatchedEmailStageRequestDto } from './dto/email-stage.dto';
import { parseDuration } from './token-duration';
import { toMailTemplate } from './email-stage-template';
import { DomainError } from '../../errors/domain-error';

/** Email stages in authentik's shapes, over the core {@link EmailStagesService}. */
@Injectable()
export class AuthentikEmailStagesService {
  constructor(
    private readonly stages: EmailStagesService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async list(filter: { name?: string; search?: string }, page: PageRequest): Promise<AuthentikPage<AuthentikEmailStage>> {
    const [rows, count] = await this.stages.list(filter, page.offset, page.pageSize);
    return authentikPage(
      rows.map((s) => this.view(s)),
      count,
      page,
    );
  }

  async get(id: string): Promise<AuthentikEmailStage> {
    return this.view(await this.stages.get(id));
  }

  async create(body: PatchedEmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.view(await withAuthentikFieldNames(this.stages.create(input(body))));
  }

  async update(id: string, body: PatchedEmailStageRequestDto): Promise<AuthentikEmailStage> {
    return this.view(await withAuthentikFieldNames(this.stages.update(id, input(body))));
  }

  private view(stage: EmailStageEntity): AuthentikEmailStage {
    return toAuthentikEmailStage(stage, this.options.mail.from);
  }
}

/** authentik's snake_case fields → the core's input. */
function input(body: PatchedEmailStageRequestDto): EmailStageInput {
  return {
    name: body.name,
    subject: body.subject,
    template: toMailTemplate(body.template),
    fromAddress: body.from_address,
    tokenExpiry: body.token_expiry,
    readLifetime: parseDuration,
    useGlobalSettings: body.use_global_settings,
  };
}

/** The core's field names → authentik's snake_case ones, for field errors (the rest are the same). */
const AUTHENTIK_FIELD_NAMES: Record<string, string> = {
  fromAddress: 'from_address',
  tokenExpiry: 'token_expiry',
  useGlobalSettings: 'use_global_settings',
};

async function withAuthentikFieldNames<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof DomainError) || !error.options.fields) {
      throw error;
    }
    const fields = error.options.fields;
    const renamed = Object.fromEntries(Object.entries(fields).map(([field, messages]) => [AUTHENTIK_FIELD_NAMES[field] ?? field, messages]));
    throw new DomainError(error.code, error.message, { ...error.options, fields: renamed });
  }
}
