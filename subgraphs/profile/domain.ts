import type { Role } from '../../lib/auth.ts';
import { formatSnils } from '../../lib/format.ts';
import type { DocumentRow } from './db/schema.ts';

/** The rules of the profile, free of GraphQL and SQL. */

/** Staff who may read another person's personal data: an operator, an official answering an appeal. */
export const MAY_READ_PERSONAL_DATA: readonly Role[] = ['OPERATOR', 'OFFICIAL'];
/** Documents are narrower: only an operator checking the identity document in person. */
export const MAY_READ_DOCUMENTS: readonly Role[] = ['OPERATOR'];

/** A stored document as the API shows it: shared columns plus the kind's own fields. */
export function presentDocument(row: DocumentRow) {
  const own = row.type === 'SNILS' ? { number: formatSnils(row.details.number ?? '') } : row.details;
  return {
    ...own,
    id: row.id,
    type: row.type,
    updatedAt: row.updatedAt,
    verification: { status: row.verificationStatus, checkedAt: row.checkedAt, failureReason: row.failureReason },
  };
}

/** GraphQL type of each document kind. */
export const DOCUMENT_TYPENAME = { RUSSIAN_PASSPORT: 'RussianPassport', SNILS: 'Snils' } as const;
