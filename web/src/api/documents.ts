/**
 * The cabinet's operations as the gateway's trusted-documents manifest holds them
 * (web/src/generated/persisted-documents.json, made by `npm run codegen`): printed the way the
 * client preset prints them (`printExecutableGraphQLDocument`: sorted, one line), hashed with
 * SHA-256. Whatever the cabinet sends as text is this text, so its hash is the manifest's key.
 */
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import type { DocumentNode } from 'graphql';
import { parse } from 'graphql';

export const manifestText = (document: DocumentNode): string => printExecutableGraphQLDocument(document);

/** The manifest's key of a generated document (`__meta__.hash`, set by the client preset). */
export function manifestHash(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error(`An operation outside the manifest: ${manifestText(document).slice(0, 80)}`);
  return hash;
}

/** graphql-ws gets the operation already printed (GraphQLWsLink): the same text, from that. */
export const manifestTextOf = (printed: string): string => printExecutableGraphQLDocument(parse(printed));
