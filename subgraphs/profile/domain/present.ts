import { formatSnils } from '../../../lib/format.ts';
import type { ChildRow, DocumentRow, DocumentType } from '../db/schema.ts';

/** How stored rows look in the API. */

/** GraphQL type of each document kind. */
export const DOCUMENT_TYPENAME = {
  RUSSIAN_PASSPORT: 'RussianPassport',
  SNILS: 'Snils',
  INN: 'Inn',
  FOREIGN_PASSPORT: 'ForeignPassport',
  DRIVER_LICENCE: 'DriverLicence',
  OMS_POLICY: 'OmsPolicy',
  MILITARY_ID: 'MilitaryId',
  BIRTH_CERTIFICATE: 'BirthCertificate',
} as const satisfies Record<DocumentType, string>;

/** What each kind is called, for the history and messages. */
export const DOCUMENT_NAME: Record<DocumentType, string> = {
  RUSSIAN_PASSPORT: 'Паспорт гражданина РФ',
  SNILS: 'СНИЛС',
  INN: 'ИНН',
  FOREIGN_PASSPORT: 'Заграничный паспорт',
  DRIVER_LICENCE: 'Водительское удостоверение',
  OMS_POLICY: 'Полис ОМС',
  MILITARY_ID: 'Военный билет',
  BIRTH_CERTIFICATE: 'Свидетельство о рождении',
};

/** Driving categories are stored as written on the licence (`Tm`), the API's enum is upper case (`TM`). */
export const categoryToApi = (category: string) => category.toUpperCase();
export const categoryFromApi = (category: string) => (category === 'TM' ? 'Tm' : category === 'TB' ? 'Tb' : category);

/** A stored document as the API shows it: shared columns plus the kind's own fields. */
export function presentDocument(row: DocumentRow) {
  const details = row.details as Record<string, unknown>;
  const own =
    row.type === 'SNILS'
      ? { number: formatSnils(String(details.number ?? '')) }
      : row.type === 'DRIVER_LICENCE'
        ? { ...details, categories: ((details.categories as string[] | undefined) ?? []).map(categoryToApi) }
        : details;
  return {
    ...own,
    id: row.id,
    type: row.type,
    updatedAt: row.updatedAt,
    verification: { status: row.verificationStatus, checkedAt: row.checkedAt, failureReason: row.failureReason },
  };
}

export const presentChild = (row: ChildRow) => ({ ...row, snils: row.snils ? formatSnils(row.snils) : null });
