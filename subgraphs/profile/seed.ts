import { DEMO_USERS } from '../../dev/demo-data.ts';
import { insertDocumentsIfMissing, insertPersonalDataIfMissing, type ProfileDatabase } from './db/queries.ts';
import type { documents } from './db/schema.ts';

/** Demo personal data for every demo person, and checked documents for those above SIMPLIFIED. */
export async function seedDemoData({ db }: ProfileDatabase): Promise<void> {
  const people = Object.values(DEMO_USERS);
  await insertPersonalDataIfMissing(
    db,
    people.map(({ id, lastName, firstName, middleName, sex, birthDate }) => ({
      userId: id, lastName, firstName, middleName, sex, birthDate, birthPlace: 'г. Москва', citizenship: 'RUS',
    })),
  );
  await insertDocumentsIfMissing(
    db,
    people.flatMap((person): (typeof documents.$inferInsert)[] => {
      const status = person.level === 'SIMPLIFIED' ? 'NOT_CHECKED' : 'CHECKED';
      const checkedAt = status === 'CHECKED' ? new Date('2026-01-15T10:00:00Z') : null;
      const docId = (kind: number) => person.id.replace(/^00000000/, `0000000${kind}`);
      return [
        {
          id: docId(1), userId: person.id, type: 'RUSSIAN_PASSPORT', verificationStatus: status, checkedAt,
          details: { ...person.passport, issuedOn: '2020-05-14', issuedBy: 'ГУ МВД России по г. Москве', divisionCode: '770-001' },
        },
        { id: docId(2), userId: person.id, type: 'SNILS', verificationStatus: status, checkedAt, details: { number: person.snils } },
      ];
    }),
  );
}
