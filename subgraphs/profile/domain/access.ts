import { hasRole, requireSelfOrRole, type Role, type Viewer } from '../../../lib/auth.ts';
import type { DocumentRow, PersonalDataRow } from '../db/schema.ts';

/**
 * Who reads what of a profile. The person reads everything. Staff read only what their work needs:
 * an official answering an appeal, and an operator, may see the name; an operator confirming an
 * identity sees the passport, and only while the account waits for confirmation (STANDARD).
 */
export const MAY_READ_NAME: readonly Role[] = ['OPERATOR', 'OFFICIAL'];

/** Staff who may resolve another person's User here at all; each field then applies its own rule. */
export const MAY_RESOLVE: readonly Role[] = MAY_READ_NAME;

export const requireOwner = (viewer: Viewer | null, userId: string) => requireSelfOrRole(viewer, userId);

/** The documents the viewer may see of `userId`'s. */
export function visibleDocuments(viewer: Viewer, userId: string, owner: Pick<PersonalDataRow, 'accountLevel'> | null, documents: DocumentRow[]): DocumentRow[] {
  if (viewer.userId === userId) return documents;
  if (hasRole(viewer, 'OPERATOR') && owner?.accountLevel === 'STANDARD') return documents.filter((document) => document.type === 'RUSSIAN_PASSPORT');
  return [];
}
