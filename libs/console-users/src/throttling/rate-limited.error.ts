import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** The 429 every limit raises, with the seconds until its window ends. */
export function rateLimitedError(resetAt: Date, now: Date): DomainError {
  return new DomainError(ErrorCode.RateLimited, 'API rate limit exceeded, please try again later.', {
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  });
}
