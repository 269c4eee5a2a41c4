import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { logger } from './log.ts';
import { INTERNAL_ERROR_MESSAGE, type GraphQLErrorCode } from './errors.ts';

/**
 * Refusals of an HTTP request to `/graphql` before GraphQL starts: what a client gets is still a
 * GraphQL response, `{ errors: [{ message, extensions: { code } }] }` with a Russian message, in
 * development and production alike — never Express's HTML page, its stack or a file path
 * (docs/errors.md, "The request itself").
 */
export function refuseRequest(res: Response, status: number, message: string, code: GraphQLErrorCode, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

const NOT_JSON = 'Тело запроса — не JSON или оборвано на середине. Отправьте операцию одним JSON-объектом: {"query": "…", "variables": {…}}.';
const NOT_AN_OPERATION = 'Тело запроса — не операция: отправьте один JSON-объект {"query": "…", "variables": {…}}; несколько операций в массиве не принимаются.';
const ONLY_JSON = 'Запрос принимается только в формате JSON (Content-Type: application/json, кодировка UTF-8).';

/** body-parser's failures (its `type`), as the caller's mistakes they are. */
const BODY_FAILURES: Record<string, [status: number, message: string, code: GraphQLErrorCode]> = {
  'entity.parse.failed': [400, NOT_JSON, 'BAD_REQUEST'],
  'entity.too.large': [413, 'Запрос больше 1 МБ. Отправьте меньше данных за раз.', 'PAYLOAD_TOO_LARGE'],
  'charset.unsupported': [415, ONLY_JSON, 'UNSUPPORTED_MEDIA_TYPE'],
  'encoding.unsupported': [415, 'Тело запроса сжато так, как сервис не читает: отправьте его без Content-Encoding.', 'UNSUPPORTED_MEDIA_TYPE'],
};

/**
 * The error handler after `/graphql`'s middleware: a body that does not parse, is too large or in a
 * charset we do not read gets its status and code; any other failure is logged (its message only:
 * body-parser's errors carry the raw body) and answered as an internal error.
 */
export function graphqlBodyErrors(service: string): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    const known = typeof type === 'string' ? BODY_FAILURES[type] : undefined;
    if (known) return refuseRequest(res, ...known);
    if (typeof status === 'number' && status >= 400 && status < 500) return refuseRequest(res, status, NOT_JSON, 'BAD_REQUEST');
    // Only its class and code (lib/log.ts errorFields): body-parser's errors carry the raw body.
    logger(service).error({ err: error }, 'request failed');
    refuseRequest(res, 500, INTERNAL_ERROR_MESSAGE, 'INTERNAL_SERVER_ERROR');
  };
}

/** Before the body parser: a POST is JSON, or it is refused with 415 (a form, XML, text: none is ours). */
export const onlyJsonBodies: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || req.is('application/json')) return next();
  refuseRequest(res, 415, ONLY_JSON, 'UNSUPPORTED_MEDIA_TYPE');
};

/** After it: a POST carries one operation, an object; not an array (a batch, which is off), a string or nothing. */
export const oneOperationBodies: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  if (req.method !== 'POST' || (typeof body === 'object' && body !== null && !Array.isArray(body))) return next();
  refuseRequest(res, 400, NOT_AN_OPERATION, 'BAD_REQUEST');
};
