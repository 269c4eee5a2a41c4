import { describe, expect, it } from 'vitest';
import { connectionFailure, maskedError } from './errors.ts';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('Telling an outage from a bug (issue 15, defect 11)', () => {
  // Guards lib/errors.ts, connectionFailure: the codes of a lost connection, found through drizzle's wrapper.
  it('finds a lost or refused connection, also as the cause of a failed query or inside an AggregateError', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', '57P01', '57P03', '08006', '53300']) {
      expect(connectionFailure(coded(code))?.message).toBe(code);
    }
    // drizzle's DrizzleQueryError ("Failed query: … params: …") carries the driver's error as its cause.
    expect(connectionFailure(new Error('Failed query: select 1', { cause: coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432') }))?.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(connectionFailure(new AggregateError([coded('ECONNREFUSED', '::1'), coded('ECONNREFUSED', '127.0.0.1')]))?.message).toBe('::1');
  });

  // Guards lib/errors.ts, maskedError: only a connection failure is SERVICE_UNAVAILABLE.
  it('keeps a bug INTERNAL_SERVER_ERROR: a unique violation, a syntax error, a TypeError', () => {
    for (const error of [coded('23505'), coded('42601'), new TypeError('x is undefined'), new Error('Failed query', { cause: coded('23505') })]) {
      expect(connectionFailure(error)).toBeNull();
      expect(maskedError(error)).toEqual({ message: 'Внутренняя ошибка сервиса. Попробуйте позже.', extensions: { code: 'INTERNAL_SERVER_ERROR' }, cause: error });
    }
    const refused = coded('ECONNREFUSED');
    // Only the connection error is logged for an outage, never the failed query around it.
    expect(maskedError(new Error('Failed query: insert … params: …', { cause: refused }))).toEqual({ message: 'Сервис временно недоступен. Повторите попытку позже.', extensions: { code: 'SERVICE_UNAVAILABLE' }, cause: refused });
  });
});
