import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { ConsoleRequest } from '../http/http-types';
import { readSingleFile } from '../http/multipart-file';
import type { UserPrincipal } from '../auth/principal';
import { detectAvatarImage } from './avatar-image';
import { AvatarStorage } from './avatar-storage';
import { SYSTEM_USER_NAMES } from './system-users';
import { AVATAR_ANNOTATION } from './user-annotations';
import { extensionNotFound, systemUserReadOnly } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** Largest avatar accepted (Halo's 2 MB limit). */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/**
 * UploadUserAvatar and DeleteUserAvatar. Unlike Halo (which stores an attachment and lets a
 * reconciler set `spec.avatar` later), the file is stored and `spec.avatar` points at it when the
 * request returns; a failed request leaves no file and no reference behind.
 */
@Injectable()
export class UserAvatarsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly storage: AvatarStorage,
    private readonly policy: UserManagementPolicy,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async upload(actor: UserPrincipal, name: string, request: ConsoleRequest, ip: string): Promise<UserView> {
    const target = await this.checkTarget(actor, name);
    const file = await readSingleFile(request, {
      field: 'file',
      maxBytes: AVATAR_MAX_BYTES,
      tooLargeMessage: 'The avatar file needs to be smaller than 2 MB.',
    });
    const type = detectAvatarImage(file.data);
    if (!type) {
      throw new DomainError(ErrorCode.BadRequest, 'Only PNG, JPEG and GIF images are accepted as avatars.');
    }
    const fileName = await this.storage.save(file.data, type);
    let previous: string | undefined;
    try {
      const user = await this.tx.run(async (manager) => {
        const current = await this.users.findForUpdate(manager, target, this.tx.supportsLocking);
        if (!current) {
          throw extensionNotFound('User', target);
        }
        previous = current.annotations[AVATAR_ANNOTATION];
        await this.users.update(
          manager,
          current,
          { avatar: this.storage.urlFor(fileName), annotations: { ...current.annotations, [AVATAR_ANNOTATION]: fileName } },
          this.clock.now(),
        );
        await this.audit.record({ actor: actor.name, action: 'user.avatar.upload', target, ip, outcome: 'success' }, manager);
        return (await this.users.findByName(target, manager))!;
      });
      if (previous !== fileName) {
        await this.storage.remove(previous);
      }
      return toUserView(user);
    } catch (error) {
      await this.storage.remove(fileName);
      throw error;
    }
  }

  async remove(actor: UserPrincipal, name: string, ip: string): Promise<UserView> {
    const target = await this.checkTarget(actor, name);
    let previous: string | undefined;
    const user = await this.tx.run(async (manager) => {
      const current = await this.users.findForUpdate(manager, target, this.tx.supportsLocking);
      if (!current) {
        throw extensionNotFound('User', target);
      }
      previous = current.annotations[AVATAR_ANNOTATION];
      const annotations = { ...current.annotations };
      delete annotations[AVATAR_ANNOTATION];
      await this.users.update(manager, current, { avatar: null, annotations }, this.clock.now());
      await this.audit.record({ actor: actor.name, action: 'user.avatar.delete', target, ip, outcome: 'success' }, manager);
      return (await this.users.findByName(target, manager))!;
    });
    await this.storage.remove(previous);
    return toUserView(user);
  }

  /** Resolves `-`, and refuses unknown users (404), system users and users the actor may not change. */
  private async checkTarget(actor: UserPrincipal, name: string): Promise<string> {
    const target = name === '-' ? actor.name : name;
    if (!(await this.users.findByName(target))) {
      throw extensionNotFound('User', target);
    }
    if (SYSTEM_USER_NAMES.includes(target)) {
      throw systemUserReadOnly(target);
    }
    await this.policy.assertMayManage(actor, target);
    return target;
  }
}
