import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { randomToken, sha256Hex } from '../common/crypto';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { PatDraft, PersonalAccessTokenView, toPersonalAccessTokenView } from './personal-access-token-view';
import { PersonalAccessTokensRepository } from './personal-access-tokens.repository';
import type { UserPrincipal } from './principal';
import { PrincipalInvalidationService } from './principal-invalidation.service';
import { PAT_PREFIX } from './principal-resolver.service';

/** The caller's own personal access tokens (Halo's uc PAT API translates into these). */
@Injectable()
export class PersonalAccessTokensService {
  constructor(
    private readonly pats: PersonalAccessTokensRepository,
    private readonly roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    private readonly principals: PrincipalInvalidationService,
  ) {}

  /** Creates a token; the value is in the answer and nowhere else, ever. */
  async generate(owner: UserPrincipal, spec: PatDraft): Promise<PersonalAccessTokenView> {
    if (owner.method === 'pat') {
      // A token must not mint tokens: it would outlive its own revocation.
      throw new DomainError(ErrorCode.Forbidden, 'Personal access tokens cannot be created with a personal access token.');
    }
    const now = this.clock.now();
    const roles = [...new Set(spec.roles)];
    const graph = await this.roleGraph.graph();
    for (const role of roles) {
      if (!graph.has(role)) {
        throw new DomainError(ErrorCode.BadRequest, `Role [${role}] is not found.`);
      }
      if (!graph.contains(owner.boundRoles, role)) {
        throw new DomainError(ErrorCode.BadRequest, `Role [${role}] is not held by the current user.`);
      }
    }
    const expiresAt = spec.expiresAt ?? null;
    if (expiresAt !== null && !(expiresAt > now)) {
      throw new DomainError(ErrorCode.BadRequest, 'The expiration time must be in the future.');
    }
    const token = `${PAT_PREFIX}${randomToken(32)}`;
    const pat = await this.pats.insert({
      name: `pat-${randomBytes(6).toString('hex')}`,
      userId: owner.userId,
      username: owner.name,
      displayName: spec.name,
      description: spec.description ?? null,
      roles,
      scopes: [...new Set(spec.scopes)],
      tokenHash: sha256Hex(token),
      expiresAt,
      revoked: false,
      revokesAt: null,
      lastUsed: null,
      version: 0,
      createdAt: now,
    });
    return toPersonalAccessTokenView(pat, token);
  }

  async list(owner: UserPrincipal): Promise<PersonalAccessTokenView[]> {
    return (await this.pats.listOfUser(owner.userId)).map((pat) => toPersonalAccessTokenView(pat));
  }

  async get(owner: UserPrincipal, name: string): Promise<PersonalAccessTokenView> {
    return toPersonalAccessTokenView(await this.owned(owner, name));
  }

  async revoke(owner: UserPrincipal, name: string): Promise<PersonalAccessTokenView> {
    const pat = await this.owned(owner, name);
    await this.pats.setRevoked(pat.id, true, this.clock.now());
    this.principals.userChanged(owner.userId);
    return toPersonalAccessTokenView(await this.owned(owner, name));
  }

  async restore(owner: UserPrincipal, name: string): Promise<PersonalAccessTokenView> {
    const pat = await this.owned(owner, name);
    await this.pats.setRevoked(pat.id, false, null);
    return toPersonalAccessTokenView(await this.owned(owner, name));
  }

  async delete(owner: UserPrincipal, name: string): Promise<PersonalAccessTokenView> {
    const pat = await this.owned(owner, name);
    await this.pats.delete(pat.id);
    this.principals.userChanged(owner.userId);
    return toPersonalAccessTokenView(pat);
  }

  /** Another user's token is reported as missing, not forbidden: no oracle on token names. */
  private async owned(owner: UserPrincipal, name: string) {
    const pat = await this.pats.findByName(name);
    if (!pat || pat.userId !== owner.userId) {
      throw new DomainError(ErrorCode.NotFound, `Extension security.halo.run/v1alpha1/PersonalAccessToken/${name} was not found.`);
    }
    return pat;
  }
}
