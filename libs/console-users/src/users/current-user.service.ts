import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { withServerManagedAnnotations } from './user-annotations';
import { userNotFound } from './user-errors';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** What a user may change about itself; an omitted field is cleared, `annotations` only replace when given. */
export interface ProfileUpdate {
  displayName: string;
  bio?: string;
  phone?: string;
  twoFactorAuthEnabled?: boolean;
  annotations?: Record<string, string>;
}

/** A user edits its own profile. */
@Injectable()
export class CurrentUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /**
   * Copies display name, bio, phone and the 2FA flag (an omitted one is cleared), and the
   * annotations when there are any, the server-managed ones excepted. Email, avatar, password
   * and `disabled` are not changed here.
   */
  async update(principal: UserPrincipal, change: ProfileUpdate, ip: string): Promise<UserView> {
    const displayName = change.displayName;
    const user = await this.tx.run(async (manager) => {
      const current = await this.users.findForUpdate(manager, principal.name, this.tx.supportsLocking);
      if (!current) {
        throw userNotFound(principal.name);
      }
      if (displayName !== current.displayName && this.options.protectedDisplayNames.includes(displayName.trim().toLowerCase())) {
        throw new DomainError(
          ErrorCode.RestrictedName,
          `The display name ${displayName} is a reserved name, please change it and retry.`,
        );
      }
      const incoming = change.annotations;
      await this.users.update(
        manager,
        current,
        {
          displayName,
          bio: change.bio ?? null,
          phone: change.phone ?? null,
          twoFactorAuthEnabled: change.twoFactorAuthEnabled ?? null,
          ...(incoming && Object.keys(incoming).length > 0
            ? { annotations: withServerManagedAnnotations(incoming, current.annotations) }
            : {}),
        },
        this.clock.now(),
      );
      await this.audit.record({ actor: principal.name, action: 'user.profile.update', target: principal.name, ip, outcome: 'success' }, manager);
      return (await this.users.findByName(principal.name, manager))!;
    });
    return toUserView(user);
  }
}
