import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { maskAddress } from './addresses';
import { holds } from './password-reset.service';
import { tagVerifyLimit } from './verify-errors';

/** A login with a code sent to an account's address. */
export interface CodeLoginRequest {
  channel: VerificationChannel;
  /** The normalized address the code was sent to. */
  target: string;
  code: string;
  ip: string;
  userAgent: string | null;
}

/** The account logged in, and the session cookie value (only ever sent to the client). */
export interface CodeLogin {
  user: UserEntity;
  sessionToken: string;
}

/**
 * Logging in with a `login` code (Fresns templateId 7): the code is used up, must still belong to
 * an enabled account holding the address, and the failure budget of codes applies (the code
 * engine's per-account and per-code limits). One answer for every failure.
 */
@Injectable()
export class CodeLoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly verification: VerificationService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async login(request: CodeLoginRequest): Promise<CodeLogin> {
    let userId: number | null;
    try {
      const verified = await this.verification.verifyCode({
        purpose: VerificationPurpose.Login,
        channel: request.channel,
        target: request.target,
        code: request.code,
        accountKey: `address:${request.target}`,
      });
      userId = verified.userId;
    } catch (error) {
      await this.failed(request);
      throw tagVerifyLimit(error);
    }
    const user = userId === null ? null : await this.users.findById(userId);
    if (!user || user.disabled || !holds(user, request.channel, request.target)) {
      await this.failed(request);
      throw new DomainError(ErrorCode.VerificationFailed, 'Invalid verification code.');
    }
    const sessionToken = await this.sessions.start(user.id, request.ip || null, request.userAgent);
    await this.audit.record({ actor: user.name, action: 'login', target: user.name, ip: request.ip, outcome: 'success', details: { method: 'code', channel: request.channel } });
    return { user, sessionToken };
  }

  private async failed(request: CodeLoginRequest): Promise<void> {
    await this.audit.record({
      actor: null,
      action: 'login',
      target: maskAddress(request.channel, request.target),
      ip: request.ip,
      outcome: 'failure',
      details: { method: 'code' },
    });
  }
}
