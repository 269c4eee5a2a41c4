import { DEMO_USERS } from '../../dev/demo-data.ts';
import { insertDocumentsIfMissing, type NewDocument } from './db/documents.ts';
import { insertPersonalDataIfMissing } from './db/personal-data.ts';
import { insertChildrenIfMissing, insertVehiclesIfMissing } from './db/records.ts';
import type { ProfileDatabase } from './db/store.ts';

const checkedAt = new Date('2026-01-15T10:00:00Z');
const khimki = { postcode: '141400', region: 'Московская область', municipality: 'городской округ Химки', street: 'ул. Молодёжная', house: '8', flat: '12' };

/**
 * Demo profiles: personal data with addresses for everyone, SNILS and passport (checked above
 * SIMPLIFIED, matching identity's seed), and for the CONFIRMED citizen a full cabinet: INN, ОМС,
 * driver licence, two children and a car.
 */
export async function seedDemoData({ db }: ProfileDatabase): Promise<void> {
  const people = Object.values(DEMO_USERS);
  await insertPersonalDataIfMissing(
    db,
    people.map(({ id, lastName, firstName, middleName, sex, birthDate, level }) => ({
      userId: id,
      lastName,
      firstName,
      middleName,
      sex,
      birthDate,
      birthPlace: 'г. Москва',
      citizenship: 'RUS',
      registrationAddress: khimki,
      actualAddress: khimki,
      accountLevel: level,
      verificationStatus: level === 'SIMPLIFIED' ? ('NOT_CHECKED' as const) : ('CHECKED' as const),
      checkedAt: level === 'SIMPLIFIED' ? null : checkedAt,
    })),
  );
  const docId = (person: { id: string }, kind: number) => person.id.replace(/^00000000/, `0000000${kind}`);
  await insertDocumentsIfMissing(
    db,
    people.flatMap((person): NewDocument[] => {
      const verification = person.level === 'SIMPLIFIED' ? {} : { verificationStatus: 'CHECKED' as const, checkedAt };
      return [
        { id: docId(person, 1), userId: person.id, type: 'RUSSIAN_PASSPORT', ...verification, details: { ...person.passport, issuedOn: '2020-05-14', issuedBy: 'ГУ МВД России по г. Москве', divisionCode: '770-001' } },
        { id: docId(person, 2), userId: person.id, type: 'SNILS', ...verification, details: { number: person.snils } },
      ];
    }),
  );
  const citizen = DEMO_USERS.confirmed;
  await insertDocumentsIfMissing(db, [
    { id: docId(citizen, 3), userId: citizen.id, type: 'INN', details: { number: '500100732259' } },
    { id: docId(citizen, 4), userId: citizen.id, type: 'OMS_POLICY', details: { number: '5096810854000136' } },
    { id: docId(citizen, 5), userId: citizen.id, type: 'DRIVER_LICENCE', details: { series: '9916', number: '482913', issuedOn: '2019-07-02', expiresOn: '2029-07-02', categories: ['B', 'B1', 'M'] } },
  ]);
  await insertChildrenIfMissing(db, [
    {
      id: docId(citizen, 6),
      userId: citizen.id,
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Ивановна',
      sex: 'FEMALE',
      birthDate: '2015-03-08',
      birthCertificate: { series: 'IV-МЮ', number: '512345', issuedOn: '2015-03-20', issuedBy: 'Отдел ЗАГС г. Химки' },
    },
    { id: docId(citizen, 7), userId: citizen.id, lastName: 'Иванов', firstName: 'Алексей', middleName: 'Иванович', sex: 'MALE', birthDate: '2019-11-21' },
  ]);
  await insertVehiclesIfMissing(db, [{ id: docId(citizen, 8), userId: citizen.id, make: 'Lada', model: 'Vesta', registrationPlate: 'А123ВС750', vin: 'XTAGFL110KY123456', registrationCertificate: '9900123456' }]);
}
