import type { Logger } from '@nestjs/common';
import { logUnexpectedError } from './unexpected-error';

describe('logUnexpectedError', () => {
  const logger = () => ({ error: jest.fn() });

  it('logs the name, message and stack with the request id', () => {
    const log = logger();
    const error = new TypeError('no such table: audit_events');
    logUnexpectedError(log as unknown as Logger, error, { id: '0d460249-6a91-471d-826a-68de18356463' });
    expect(log.error).toHaveBeenCalledWith('TypeError: no such table: audit_events (request 0d460249-6a91-471d-826a-68de18356463)', error.stack);
  });

  it('says nothing of a request without an id, and copes with thrown non-errors', () => {
    const log = logger();
    logUnexpectedError(log as unknown as Logger, new Error('boom'), {});
    logUnexpectedError(log as unknown as Logger, 'a string', undefined);
    logUnexpectedError(log as unknown as Logger, new Error('odd id'), { id: { toString: () => 'secret' } });
    expect(log.error.mock.calls.map(([message]) => message)).toEqual(['Error: boom', 'Error: a string', 'Error: odd id']);
  });
});
