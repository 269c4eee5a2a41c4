import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../lib/config.ts';
import { gatewayConfig } from './config.ts';
import { readTrustedDocuments, trustedText } from './trusted-documents.ts';

const FIXTURE = new URL('../test/trusted-documents.json', import.meta.url).pathname;
const base = { GATEWAY_SECRET: 'x'.repeat(32) };

function problems(env: Record<string, string>): string[] {
  try {
    readConfig({ ...base, ...env }, gatewayConfig);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

function manifestFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'persisted-documents.json');
  writeFileSync(path, text);
  return path;
}

describe('Which documents the gateway runs, as configured', () => {
  it('production wants the manifest: trusted documents by default, automatic persisted queries off', () => {
    const config = readConfig({ ...base, NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: FIXTURE }, gatewayConfig);
    expect([config.trustedDocuments?.size, config.automaticPersistedQueries]).toEqual([3, false]);
  });

  it('development runs any document, with automatic persisted queries, unless told otherwise', () => {
    const config = readConfig({ ...base, NODE_ENV: 'development' }, gatewayConfig);
    expect([config.trustedDocuments, config.automaticPersistedQueries]).toEqual([undefined, true]);
    expect(readConfig({ ...base, TRUSTED_DOCUMENTS: 'true', TRUSTED_DOCUMENTS_PATH: FIXTURE }, gatewayConfig).trustedDocuments?.size).toBe(3);
    expect(readConfig({ ...base, NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'false' }, gatewayConfig).automaticPersistedQueries).toBe(true);
  });

  it('stops the start on a missing or broken manifest, or with automatic persisted queries beside it', () => {
    const missing = problems({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: '/nowhere/persisted-documents.json' });
    expect(missing).toEqual([expect.stringMatching(/^TRUSTED_DOCUMENTS_PATH: "\/nowhere\/persisted-documents.json" cannot be read \(ENOENT\); accepts the JSON manifest/)]);
    expect(problems({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: manifestFile('{"abc": "query { me { id } }"}') })).toEqual([expect.stringContaining('has the key "abc", which is not the SHA-256 of its document')]);
    expect(problems({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: manifestFile('[]') })).toEqual([expect.stringContaining('is not an object of hashes and documents')]);
    expect(problems({ NODE_ENV: 'production', TRUSTED_DOCUMENTS_PATH: FIXTURE, AUTOMATIC_PERSISTED_QUERIES: 'true' })).toEqual([
      'AUTOMATIC_PERSISTED_QUERIES: true with TRUSTED_DOCUMENTS=true (it would register any document); accepts false while TRUSTED_DOCUMENTS is true',
    ]);
  });
});

describe('trustedText', () => {
  const documents = readTrustedDocuments(FIXTURE);
  const [[hash, text]] = [...documents] as [[string, string]];
  const codeOf = (result: ReturnType<typeof trustedText>) => (typeof result === 'string' ? result : result.extensions.code);

  it('gives the manifest text for its hash, its exact text, or both together', () => {
    expect([
      trustedText(documents, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      trustedText(documents, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
      trustedText(documents, { query: text }),
      trustedText(documents, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    ]).toEqual([text, text, text, text]);
  });

  it('refuses anything else: another text, the same text reformatted, a text under another hash, an unknown hash, no document', () => {
    expect(
      [
        { query: `${text} ` },
        { query: text.replace(/\n\s*/g, ' ') },
        { query: 'query { me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
        { extensions: { persistedQuery: null } },
        { query: { kind: 'Document' } },
        {},
      ].map((sent) => codeOf(trustedText(documents, sent))),
    ).toEqual(Array(7).fill('DOCUMENT_NOT_TRUSTED'));
  });
});
