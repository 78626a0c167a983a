import { Inject, Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { UserAccountsService } from '../../users/user-accounts.service';
import type { CreateCoreUserDto } from './dto/create-core-user.dto';
import type { HaloUser } from './dto/halo-user.dto';
import { toAccountUpdate, UpdateUserDto } from './dto/update-user.dto';
import { patchedBody } from './patched-body';
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
    const patched = await patchedBody(UpdateUserDto, body, async () => toHaloUser(await this.accounts.get(name), this.options.publicUrl), 'user');
    return toHaloUser(await this.accounts.update(actor, name, toAccountUpdate(patched, name), ip), this.options.publicUrl);
  }
}
