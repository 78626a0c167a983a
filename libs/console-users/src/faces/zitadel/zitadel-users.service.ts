import { Inject, Injectable } from '@nestjs/common';
import { Principal, requireUser } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import type { ZitadelGetUserResponse } from './dto/zitadel-responses.dto';
import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { toZitadelDetails, toZitadelUser } from './zitadel-user.mapper';

/** ZITADEL's GetUserByID. */
@Injectable()
export class ZitadelUsersService {
  constructor(
    private readonly access: ZitadelAccessPolicy,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Yourself, or anyone with `users` get (view-users). */
  async getUser(principal: Principal, userId: string): Promise<ZitadelGetUserResponse> {
    const actor = requireUser(principal);
    const target = await this.access.requireTarget(userId);
    await this.access.assertMay(actor, 'read', target);
    const owner = this.options.zitadel.resourceOwner;
    return { details: toZitadelDetails(target, owner), user: toZitadelUser(target, owner) };
  }
}
