import type { Role } from '../../lib/auth.ts';
import type { DocumentRow } from './db/schema.ts';

/** The rules of the profile, free of GraphQL and SQL. */

/** Staff who may read another person's personal data: an operator, an official answering an appeal. */
export const MAY_READ_PERSONAL_DATA: readonly Role[] = ['OPERATOR', 'OFFICIAL'];
/** Documents are narrower: only an operator checking the identity document in person. */
export const MAY_READ_DOCUMENTS: readonly Role[] = ['OPERATOR'];

/** SNILS as printed on the card: `112-233-445 95`. */
export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9, 11)}`;
}

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
