import { describe, expect, it } from 'vitest';
import type { DocumentRow, PersonalDataRow } from '../db/schema.ts';
import { checkRequest } from './data-check.ts';

const at = new Date('2026-06-15T09:00:00Z');
const person: PersonalDataRow = {
  userId: '00000000-0000-4000-8000-000000000001',
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: 'Иванович',
  sex: 'MALE',
  birthDate: '1985-04-12',
  birthPlace: null,
  citizenship: 'RUS',
  registrationAddress: null,
  actualAddress: null,
  verificationStatus: 'NOT_CHECKED',
  checkedAt: null,
  failureReason: null,
  accountLevel: 'SIMPLIFIED',
  createdAt: at,
  updatedAt: at,
};
const document = (id: string, type: DocumentRow['type'], details: Record<string, unknown>): DocumentRow => ({
  id,
  userId: person.userId,
  type,
  details,
  verificationStatus: 'NOT_CHECKED',
  checkedAt: null,
  failureReason: null,
  createdAt: at,
  updatedAt: at,
});
const snils = document('00000000-0000-4000-8000-00000000000a', 'SNILS', { number: '11223344595' });
const passport = document('00000000-0000-4000-8000-00000000000b', 'RUSSIAN_PASSPORT', { series: '4509', number: '123456', issuedOn: '2005-05-20', issuedBy: 'ОВД' });

describe('checkRequest: what a data check sends the registers', () => {
  it('the names, sex and birth date with the SNILS and the passport, whose ids it locks', () => {
    expect(checkRequest(person, [passport, snils])).toEqual({
      snapshot: {
        lastName: 'Иванов',
        firstName: 'Иван',
        middleName: 'Иванович',
        sex: 'MALE',
        birthDate: '1985-04-12',
        snils: '11223344595',
        passport: { series: '4509', number: '123456', issuedOn: '2005-05-20' },
      },
      documentIds: [snils.id, passport.id],
    });
  });

  it('nothing while something is missing, and names every gap in the refusal’s words', () => {
    expect(checkRequest(null, [])).toEqual({ missing: ['ФИО', 'пол', 'дату рождения', 'СНИЛС', 'паспорт'] });
    expect(checkRequest({ ...person, sex: null, birthDate: null }, [snils, passport])).toEqual({ missing: ['пол', 'дату рождения'] });
    expect(checkRequest(person, [snils])).toEqual({ missing: ['паспорт'] });
  });
});
