import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../../auth/principal';
import type { UserEntity } from '../../users/user.entity';
import { TargetAccessPolicy, TargetRule } from '../../users/target-access.policy';
import { zitadelErrors } from './zitadel-errors';

/**
 * What a caller wants to do to a user through the ZITADEL face:
 * - `read`: GetUserByID — yourself, or `users` get (view-users);
 * - `send`: send/resend a code or a reset mail — yourself, or `users` update (manage-users);
 * - `return-code`: hand a secret to the caller — `users/verification-code` create
 *   (role-template-issue-recovery-links), yourself included: manage-users is not enough;
 * - `mark-verified`: SetEmail `isVerified` — `users` update, yourself included (ZITADEL's
 *   self-verify bypass, CVE-2026-27946, is exactly this check missing);
 * - `change-password`: SetPassword with the current password — yourself, or `users/password` update;
 * - `set-password`: SetPassword with no proof — `users/password` update, yourself included.
 */
export type ZitadelAction = 'read' | 'send' | 'return-code' | 'mark-verified' | 'change-password' | 'set-password';

const RULES: Record<ZitadelAction, TargetRule> = {
  read: { selfAllowed: true, resource: 'users', verb: 'get', changesTarget: false },
  send: { selfAllowed: true, resource: 'users', verb: 'update', changesTarget: true },
  'return-code': { selfAllowed: false, resource: 'users', subresource: 'verification-code', verb: 'create', changesTarget: true },
  'mark-verified': { selfAllowed: false, resource: 'users', verb: 'update', changesTarget: true },
  'change-password': { selfAllowed: true, resource: 'users', subresource: 'password', verb: 'update', changesTarget: true },
  'set-password': { selfAllowed: false, resource: 'users', subresource: 'password', verb: 'update', changesTarget: true },
};

const USER_ID = /^[1-9][0-9]{0,15}$/;

/**
 * Finds the user a `/v2/users/{userId}` path names and decides whether the caller may act on
 * it. The route guard only makes sure the caller is signed in; the rest needs the target.
 */
@Injectable()
export class ZitadelAccessPolicy {
  constructor(private readonly targets: TargetAccessPolicy) {}

  /**
   * The user with this id, or null. Ids are our integer ids; anything else (ZITADEL's long
   * string ids, negative or huge numbers) names nobody. Halo's system users are nobody too.
   */
  async findTarget(userId: string): Promise<UserEntity | null> {
    if (!USER_ID.test(userId) || Number(userId) > Number.MAX_SAFE_INTEGER) {
      return null;
    }
    return this.targets.findTarget(Number(userId));
  }

  /** The target for an authenticated call: 5 NotFound when there is none. */
  async requireTarget(userId: string): Promise<UserEntity> {
    const user = await this.findTarget(userId);
    if (!user) {
      throw zitadelErrors.userNotFound();
    }
    return user;
  }

  /**
   * 7 PermissionDenied unless the caller may do `action` to `target`. Acting on someone else
   * also needs every role the target holds (so a user manager cannot take over an admin).
   */
  async assertMay(actor: UserPrincipal, action: ZitadelAction, target: Pick<UserEntity, 'id' | 'name'>): Promise<void> {
    const verdict = await this.targets.decide(actor, RULES[action], target);
    if (verdict === 'missing-permission') {
      throw zitadelErrors.permissionDenied();
    }
    if (verdict === 'lacks-target-roles') {
      throw zitadelErrors.permissionDenied('The user holds roles you do not hold.');
    }
  }
}
