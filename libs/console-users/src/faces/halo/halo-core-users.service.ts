import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { UserPrincipal } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { UserAccountsService } from '../../users/user-accounts.service';
import type { CreateCoreUserDto } from './dto/create-core-user.dto';
import type { HaloUser } from './dto/halo-user.dto';
import { toAccountUpdate, UpdateUserDto } from './dto/update-user.dto';
import { applyJsonPatch, parseJsonPatch } from './json-patch';
import { toHaloUser } from './user.mapper';

/**
 * The core `User` endpoints beyond GET/PUT/DELETE: create and JSON-patch, on the same core
 * use-cases as the console's CreateUser and the core PUT, so the same rules hold.
 */
@Injectable()
export class HaloCoreUsersService {
  constructor(
    private readonly accounts: UserAccountsService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Create from a whole `User`: no roles (bindings are their own resource), no password. */
  async create(actor: UserPrincipal, body: CreateCoreUserDto, ip: string): Promise<HaloUser> {
    const { metadata, spec } = body;
    const created = await this.accounts.create(
      actor,
      {
        name: metadata.name,
        email: spec.email,
        emailVerified: spec.emailVerified,
        displayName: spec.displayName,
        avatar: spec.avatar,
        phone: spec.phone,
        bio: spec.bio,
        loginHistoryLimit: spec.loginHistoryLimit,
        labels: metadata.labels,
        annotations: metadata.annotations,
        roles: [],
      },
      ip,
    );
    return toHaloUser(created, this.options.publicUrl);
  }

  /**
   * RFC 6902 on the user as GET shows it, then the core PUT of the result: the same field rules,
   * and the optimistic lock on `metadata.version` (a patch may `test` or set it).
   */
  async patch(actor: UserPrincipal, name: string, body: unknown, ip: string): Promise<HaloUser> {
    const operations = parseJsonPatch(body);
    const current = toHaloUser(await this.accounts.get(name), this.options.publicUrl);
    const patched = plainToInstance(UpdateUserDto, applyJsonPatch(current, operations));
    const errors = await validate(patched, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true });
    if (errors.length > 0) {
      throw new DomainError(ErrorCode.BadRequest, firstMessage(errors));
    }
    return toHaloUser(await this.accounts.update(actor, name, toAccountUpdate(patched, name), ip), this.options.publicUrl);
  }
}

function firstMessage(errors: import('class-validator').ValidationError[]): string {
  let error = errors[0];
  while (error && !error.constraints && error.children?.length) {
    error = error.children[0];
  }
  return Object.values(error?.constraints ?? {})[0] ?? 'The patched user is not valid.';
}
