import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { GraphQLError } from 'graphql';
import { graphQLError } from '../lib/errors.ts';
import { refuseRequest } from '../lib/http-errors.ts';

/**
 * Trusted documents (docs/security.md, "Trusted documents"): in production the gateway runs only
 * the cabinet's operations, the manifest graphql-codegen writes at build time
 * (`{"<sha256 hex of the text>": "<text>"}`). A client sends one by its hash, as Apollo Client's
 * persisted-queries link does (`extensions.persistedQuery.sha256Hash`, no `query`), or by its exact
 * text. Anything else is refused with DOCUMENT_NOT_TRUSTED before it is parsed, on every transport:
 * a manifest document is still parsed, validated and costed as any query is, by whichever path
 * serves it, since that path gets its text and not its hash.
 */

/** The manifest's documents by their hash; their texts are the keys' preimages. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Where the cabinet's build writes it (TRUSTED_DOCUMENTS_PATH says otherwise). */
export const DEFAULT_MANIFEST_PATH = new URL('../web/src/generated/persisted-documents.json', import.meta.url);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const MANIFEST_ACCEPTS = 'accepts the JSON manifest of the cabinet\'s build, {"<sha256 hex of a document>": "<document>"}; or TRUSTED_DOCUMENTS=false';

/** Reads a manifest; throws naming what is wrong with it and what would do, so the start stops with that line. */
export function readTrustedDocuments(path: string | URL): TrustedDocuments {
  const name = path instanceof URL ? path.pathname : path;
  const refused = (problem: string) => new Error(`${problem}; ${MANIFEST_ACCEPTS}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refused(code ? `"${name}" cannot be read (${code})` : `"${name}" is not JSON`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw refused(`"${name}" is not an object of hashes and documents`);
  const documents = new Map<string, string>();
  for (const [hash, text] of Object.entries(manifest)) {
    // A hash that is not its text's would never match what a client computes: a broken build.
    if (typeof text !== 'string' || sha256(text) !== hash) throw refused(`"${name}" has the key "${hash.slice(0, 80)}", which is not the SHA-256 of its document`);
    documents.set(hash, text);
  }
  return documents;
}

/** What a request names its document with: its text, its hash, or both. */
export interface SentDocument {
  query?: unknown;
  extensions?: unknown;
}

const NOT_TRUSTED_HASH = 'Запрос с таким хешем неизвестен сервису: выполняются только операции личного кабинета. Обновите страницу.';
const NOT_TRUSTED_TEXT = 'Сервис выполняет только операции личного кабинета, этот запрос к ним не относится.';

const notTrusted = (message: string) => graphQLError('DOCUMENT_NOT_TRUSTED', message, { extensions: { http: { status: 400 } } });

/**
 * The manifest text a request names, or the refusal. A hash must be a manifest key (and a text sent
 * with it exactly its document); a text alone must be exactly a manifest document, byte for byte.
 * An empty `query` is no text (a stripped document over graphql-ws, whose `query` must be a string).
 */
export function trustedText(documents: TrustedDocuments, sent: SentDocument): string | GraphQLError {
  const query = sent.query === '' || sent.query === null ? undefined : sent.query;
  const persisted = (sent.extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (persisted !== undefined) {
    const { version, sha256Hash } = (persisted ?? {}) as { version?: unknown; sha256Hash?: unknown };
    const text = version === 1 && typeof sha256Hash === 'string' ? documents.get(sha256Hash) : undefined;
    if (text === undefined) return notTrusted(NOT_TRUSTED_HASH);
    return query === undefined || query === text ? text : notTrusted(NOT_TRUSTED_TEXT);
  }
  if (typeof query !== 'string') return notTrusted(NOT_TRUSTED_TEXT);
  const text = documents.get(sha256(query));
  return text === query ? text : notTrusted(NOT_TRUSTED_TEXT);
}

/** The extensions left once the document is resolved: the hash has done its work. */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const { persistedQuery: _resolved, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length ? rest : undefined;
}

/** A GET's `extensions` parameter, JSON in the URL; one that does not parse names no hash. */
function parsedExtensions(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `/graphql`'s gate, after the JSON body parser and before every transport (SSE, multipart, Apollo
 * Server): a POST's body or a GET's URL is refused unless it names a manifest document, and is
 * rewritten to carry that document's text and no hash, so what follows never meets a hash (nor
 * Apollo Server's automatic persisted queries, off with trusted documents).
 */
export function trustedDocumentsGate(documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'POST') {
      const body = req.body as Record<string, unknown>;
      const text = trustedText(documents, body);
      if (typeof text !== 'string') return refuseRequest(res, 400, text.message, 'DOCUMENT_NOT_TRUSTED');
      const { extensions: _sent, ...rest } = body;
      const extensions = withoutPersistedQuery(body.extensions);
      // No `extensions` key rather than an undefined one, which Apollo Server refuses.
      req.body = { ...rest, query: text, ...(extensions ? { extensions } : {}) };
      return next();
    }
    if (req.method !== 'GET') return next();
    const [path, search = ''] = req.url.split('?', 2) as [string, string?];
    const params = new URLSearchParams(search);
    const extensions = parsedExtensions(params.get('extensions'));
    const text = trustedText(documents, { query: params.get('query') ?? undefined, extensions });
    if (typeof text !== 'string') return refuseRequest(res, 400, text.message, 'DOCUMENT_NOT_TRUSTED');
    params.set('query', text);
    const rest = withoutPersistedQuery(extensions);
    if (rest) params.set('extensions', JSON.stringify(rest));
    else params.delete('extensions');
    // Apollo Server, graphql-sse and Express's req.query all read the URL.
    req.url = `${path}?${params}`;
    next();
  };
}
