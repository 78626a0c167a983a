import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { isUniqueViolation } from '../database/unique-violation';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { findTemplate } from '../notifications/template-dirs';
import { TemplateRenderer } from '../notifications/template-renderer';
import type { EmailStageEntity } from './email-stage.entity';
import { EmailStageFilter, EmailStagesRepository } from './email-stages.repository';
import { assertRecoveryLifetime, LifetimeReader } from './recovery-lifetime';

/** Name of the stage created at first boot, used by the Halo face and when none is named. */
export const DEFAULT_EMAIL_STAGE_NAME = 'default-recovery-email';

/** The mail template of a stage that names none: the recovery link mail. */
export const DEFAULT_RECOVERY_MAIL_TEMPLATE = 'recovery-link';

const MAIL_TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const USES_LINK = /\{\{\{?\s*link\s*\}?\}\}/;

/** Fields of a stage as a face hands them over; field errors name these fields (faces rename them). */
export interface EmailStageInput {
  name?: string;
  /** Empty or null: the template's own localized subject. */
  subject?: string | null;
  template?: string;
  /** Empty or null: the server's MAIL_FROM. */
  fromAddress?: string | null;
  /** The link lifetime in the face's notation, stored as given; checked with `readLifetime` (5 min – 24 h). */
  tokenExpiry?: string;
  /** The face's reader of its lifetime notation; required with `tokenExpiry`. */
  readLifetime?: LifetimeReader;
  /** Only `true` is supported: every mail goes through the server's transport. */
  useGlobalSettings?: boolean;
}

/**
 * Email stages: validated when saved (a template must exist, compile and use `{{link}}`; the
 * expiry must be a valid recovery lifetime), a default one seeded at boot.
 */
@Injectable()
export class EmailStagesService implements OnApplicationBootstrap {
  constructor(
    private readonly stages: EmailStagesRepository,
    private readonly renderer: TemplateRenderer,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    await this.stages.insertIfAbsent({
      id: randomUUID(),
      name: DEFAULT_EMAIL_STAGE_NAME,
      subject: null,
      template: DEFAULT_RECOVERY_MAIL_TEMPLATE,
      fromAddress: null,
      tokenExpiry: 'minutes=60',
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
  }

  list(filter: EmailStageFilter, offset: number, limit: number): Promise<[EmailStageEntity[], number]> {
    return this.stages.page(filter, offset, limit);
  }

  async get(id: string): Promise<EmailStageEntity> {
    const stage = UUID.test(id) ? await this.stages.findById(id.toLowerCase()) : null;
    if (!stage) {
      throw new DomainError(ErrorCode.NotFound, 'Not found.');
    }
    return stage;
  }

  /** The stage a recovery mail uses: the named one, or the default. Unknown → 400, as authentik answers. */
  async forRecovery(id: string | undefined): Promise<EmailStageEntity> {
    const stage =
      id === undefined
        ? await this.stages.findByName(DEFAULT_EMAIL_STAGE_NAME)
        : UUID.test(id)
          ? await this.stages.findById(id.toLowerCase())
          : null;
    if (!stage) {
      throw stageNotFound();
    }
    return stage;
  }

  async create(input: EmailStageInput): Promise<EmailStageEntity> {
    if (input.name === undefined) {
      throw fieldError('name', 'This field is required.');
    }
    const now = this.clock.now();
    const stage: EmailStageEntity = {
      id: randomUUID(),
      name: '',
      subject: null,
      template: DEFAULT_RECOVERY_MAIL_TEMPLATE,
      fromAddress: null,
      tokenExpiry: 'minutes=60',
      version: 0,
      createdAt: now,
      updatedAt: now,
      ...this.validated(input),
    };
    try {
      await this.stages.insert(stage);
    } catch (error) {
      throw isUniqueViolation(error) ? duplicateName() : error;
    }
    return stage;
  }

  async update(id: string, input: EmailStageInput): Promise<EmailStageEntity> {
    const current = await this.get(id);
    const changes = this.validated(input);
    try {
      if (!(await this.stages.update(current.id, changes, current.version, this.clock.now()))) {
        throw new DomainError(ErrorCode.Conflict, 'The stage was changed by someone else; reload it and try again.');
      }
    } catch (error) {
      throw isUniqueViolation(error) ? duplicateName() : error;
    }
    return this.get(current.id);
  }

  /** The mail template a stage sends. */
  mailTemplateOf(stage: EmailStageEntity): string {
    return stage.template;
  }

  private validated(input: EmailStageInput): Partial<EmailStageEntity> {
    const out: Partial<EmailStageEntity> = {};
    if (input.useGlobalSettings === false) {
      throw fieldError('useGlobalSettings', "Only the server's mail settings are supported: use_global_settings must be true.");
    }
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (name.length === 0 || name.length > 255) {
        throw fieldError('name', 'Ensure this field has 1 to 255 characters.');
      }
      out.name = name;
    }
    if (input.subject !== undefined) {
      const subject = (input.subject ?? '').trim();
      // eslint-disable-next-line no-control-regex
      if (subject.length > 255 || /[\u0000-\u001f\u007f]/.test(subject)) {
        throw fieldError('subject', 'Ensure this field is one line of at most 255 characters.');
      }
      out.subject = subject === '' ? null : subject;
    }
    if (input.template !== undefined) {
      this.checkTemplate(input.template);
      out.template = input.template;
    }
    if (input.fromAddress !== undefined) {
      const from = (input.fromAddress ?? '').trim();
      if (from !== '' && !isSenderAddress(from)) {
        throw fieldError('fromAddress', 'Enter one address, optionally with a name: "Support <help@example.com>".');
      }
      out.fromAddress = from === '' ? null : from;
    }
    if (input.tokenExpiry !== undefined) {
      try {
        if (!input.readLifetime) {
          throw new DomainError(ErrorCode.BadRequest, 'The token duration cannot be read.');
        }
        assertRecoveryLifetime(input.readLifetime(input.tokenExpiry));
      } catch (error) {
        throw error instanceof DomainError ? fieldError('tokenExpiry', error.message) : error;
      }
      out.tokenExpiry = input.tokenExpiry.trim();
    }
    return out;
  }

  /**
   * A template is accepted when every part (subject, text, HTML) exists for English (the
   * fallback locale), compiles, and the bodies place the link: a stage that mails no link would
   * make every recovery mail useless.
   */
  private checkTemplate(template: string): void {
    const mailName = template;
    if (!MAIL_TEMPLATE_NAME.test(template)) {
      throw fieldError('template', 'Unknown template: use the name of a mail template.');
    }
    for (const part of ['subject', 'text', 'html']) {
      const file = findTemplate(this.renderer.templateDirs, 'en', `${mailName}.${part}.hbs`);
      if (!file) {
        throw fieldError('template', `Unknown template: en/${mailName}.${part}.hbs does not exist.`);
      }
      const source = readFileSync(file, 'utf8');
      try {
        this.renderer.compileCheck(source);
      } catch {
        throw fieldError('template', `The ${part} part of the template does not compile.`);
      }
      if (part !== 'subject' && !USES_LINK.test(source)) {
        throw fieldError('template', `The ${part} part of the template must place the link ({{link}}).`);
      }
    }
  }
}

/** authentik's answer for an unknown stage, or one the caller may not see (no oracle). */
export function stageNotFound(): DomainError {
  return new DomainError(ErrorCode.BadRequest, 'Email stage not found.');
}

function fieldError(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.BadRequest, message, { fields: { [field]: [message] } });
}

function duplicateName(): DomainError {
  return fieldError('name', 'stage with this name already exists.');
}

function isSenderAddress(value: string): boolean {
  if (value.length > 320 || /[\r\n]/.test(value)) {
    return false;
  }
  const named = /^([^<>"]*)<([^<>\s]+)>$/.exec(value);
  return named ? ADDRESS.test(named[2]!) : ADDRESS.test(value);
}
