import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { isUniqueViolation, TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleNames } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { AVATAR_ANNOTATION, withServerManagedAnnotations } from './user-annotations';
import { AvatarStorage } from './avatar-storage';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from './password-hasher';
import { PASSWORD_CHANGE_REQUIRED_ANNOTATION } from './password-change-required';
import { SYSTEM_USER_NAMES } from './system-users';
import { duplicateName, extensionNotFound, systemUserReadOnly, versionConflict } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toUserView, UserView } from './user-view';
import { newUser } from './new-user';
import { UsersRepository } from './users.repository';
import { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';


/** A user to create: its profile, an optional password, annotations and role names. */
export interface NewAccount {
  name: string;
  /** Optional for the core `User` endpoint (Halo's schema does not require one). */
  email?: string;
  displayName?: string;
  avatar?: string;
  phone?: string;
  password?: string;
  /** A ready stored hash (an imported one) instead of `password`. */
  passwordHash?: string;
  /** The password was given on condition that the user replaces it at first login. */
  passwordChangeRequired?: boolean;
  /** The creator vouches for the address (ZITADEL's `isVerified`); false by default. */
  emailVerified?: boolean;
  bio?: string;
  /** Halo's `spec.loginHistoryLimit` (the core `User` endpoint). */
  loginHistoryLimit?: number;
  /** `metadata.labels` (the core `User` endpoint). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  roles?: string[];
}

/** The writable fields of a user, replaced as a whole when `version` still matches. */
export interface AccountUpdate {
  version: number;
  displayName: string;
  email?: string;
  emailVerified?: boolean;
  avatar?: string;
  phone?: string;
  bio?: string;
  loginHistoryLimit?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A deleted user as it was, and when it went. */
export interface DeletedAccount {
  user: UserView;
  deletedAt: Date;
}

/**
 * Creating users (console CreateUser) and the core `User` extension endpoints the console uses to
 * edit and delete them.
 */
@Injectable()
export class UserAccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly policy: UserManagementPolicy,
    private readonly revocation: CredentialRevocationService,
    private readonly avatars: AvatarStorage,
    private readonly audit: AuditService,
    private readonly verification: VerificationService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  /** CreateUser: the user and its role bindings in one transaction; always answers with the `User`. */
  async create(actor: UserPrincipal, body: NewAccount, ip: string): Promise<UserView> {
    if (await this.users.findByName(body.name)) {
      throw duplicateName(body.name);
    }
    const roles = [...new Set(body.roles ?? [])].filter((r) => r.trim() !== '');
    await this.policy.assertMayGrant(actor, roles);
    const passwordHash = body.passwordHash ?? (body.password !== undefined ? await this.hasher.hash(body.password) : null);
    const annotations = withServerManagedAnnotations(body.annotations ?? {}, {});
    if (body.passwordChangeRequired && passwordHash) {
      annotations[PASSWORD_CHANGE_REQUIRED_ANNOTATION] = 'true';
    }
    const now = this.clock.now();
    try {
      const user = await this.tx.run(async (manager) => {
        const created = await this.users.insert(
          newUser({
            name: body.name,
            displayName: body.displayName && body.displayName.trim() !== '' ? body.displayName : body.name,
            email: body.email || null,
            emailVerified: body.emailVerified === true && Boolean(body.email),
            avatar: body.avatar || null,
            phone: body.phone ?? null,
            bio: body.bio ?? null,
            loginHistoryLimit: body.loginHistoryLimit ?? null,
            passwordHash,
            labels: body.labels ?? {},
            annotations,
          }),
          now,
          manager,
        );
        await this.bindings.replaceRoles(manager, created.name, roles, now);
        await this.audit.record(
          { actor: actor.name, action: 'user.create', target: created.name, ip, outcome: 'success', details: { roles: roles.join(',') } },
          manager,
        );
        return created;
      });
      return toUserView(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw duplicateName(body.name);
      }
      throw error;
    }
  }

  /** Core GET: the `User` (without secrets). */
  async get(name: string): Promise<UserView> {
    const user = await this.users.findByName(name);
    if (!user) {
      throw extensionNotFound('User', name);
    }
    return toUserView(user);
  }

  /**
   * Core PUT: replaces the writable fields when `metadata.version` still matches (409 otherwise).
   * A changed email is no longer verified, whatever the body says: an admin cannot carry a
   * verification over to an address nobody proved.
   */
  async update(actor: UserPrincipal, name: string, change: AccountUpdate, ip: string): Promise<UserView> {
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    const expectedVersion = change.version;
    try {
      const user = await this.tx.run(async (manager) => {
        const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
        if (!current) {
          throw extensionNotFound('User', name);
        }
        await this.policy.assertMayManage(actor, name, manager);
        if (current.version !== expectedVersion) {
          throw versionConflict();
        }
        const spec = change;
        const email = spec.email && spec.email !== '' ? spec.email : null;
        const emailChanged = (email?.toLowerCase() ?? null) !== (current.email?.toLowerCase() ?? null);
        const updated = await this.users.update(
          manager,
          current,
          {
            displayName: spec.displayName,
            email,
            emailVerified: emailChanged || email === null ? false : (spec.emailVerified ?? false),
            avatar: spec.avatar || null,
            phone: spec.phone ?? null,
            bio: spec.bio ?? null,
            loginHistoryLimit: spec.loginHistoryLimit ?? null,
            labels: change.labels ?? {},
            annotations: withServerManagedAnnotations(change.annotations ?? {}, current.annotations),
          },
          this.clock.now(),
          expectedVersion,
        );
        if (!updated) {
          throw versionConflict();
        }
        if (emailChanged) {
          // Recovery links and reset codes went to the old address: they die with it.
          await this.revocation.revokeRecoverySecrets(current.id, manager);
        }
        await this.audit.record(
          { actor: actor.name, action: 'user.update', target: name, ip, outcome: 'success', details: { emailChanged: String(emailChanged) } },
          manager,
        );
        return (await this.users.findByName(name, manager))!;
      });
      return toUserView(user);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.BadRequest, 'The email has been used, please change the email and retry.');
      }
      throw error;
    }
  }

  /**
   * Core DELETE: removes the user, its role bindings, sessions, tokens and avatar at once (Halo
   * marks it and lets a reconciler clean up). Answers with the user as it was.
   */
  async delete(actor: UserPrincipal, name: string, ip: string): Promise<DeletedAccount> {
    if (name === actor.name) {
      throw new DomainError(ErrorCode.BadRequest, "The user is the current user, can't delete it.");
    }
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    const now = this.clock.now();
    const deleted = await this.tx.run(async (manager) => {
      await this.users.lockAdministratorSet(manager, this.tx.supportsLocking);
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current) {
        throw extensionNotFound('User', name);
      }
      await this.policy.assertMayManage(actor, name, manager);
      const roles = await this.bindings.roleNamesOf(name, manager);
      if (
        roles.includes(RoleNames.superRole) &&
        !current.disabled &&
        (await this.users.countEnabledWithRole(manager, RoleNames.superRole, name)) === 0
      ) {
        throw new DomainError(ErrorCode.BadRequest, "The user is the last enabled super-role user, can't delete it.");
      }
      await this.bindings.deleteAllOf(manager, name);
      await this.revocation.forgetUser(current.id, manager);
      await this.verification.revokeForUser(current.id, Object.values(VerificationPurpose), manager);
      await this.users.deleteById(manager, current.id);
      await this.audit.record({ actor: actor.name, action: 'user.delete', target: name, ip, outcome: 'success' }, manager);
      return current;
    });
    await this.avatars.remove(deleted.annotations[AVATAR_ANNOTATION]);
    return { user: toUserView(deleted), deletedAt: now };
  }
}
