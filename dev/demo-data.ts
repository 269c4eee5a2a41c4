import type { AccountLevel, Role } from '../lib/auth.ts';

/**
 * The demo people every subgraph's seed refers to, so their data lines up across the graph.
 * Development only: `npm start` loads them, tests never see them.
 */
export const DEMO_PASSWORD = 'Demo2026pass';

export interface DemoUser {
  id: string;
  phone: string;
  email: string;
  level: AccountLevel;
  roles: Role[];
  lastName: string;
  firstName: string;
  middleName: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string;
  /** Checked in the profile for every level above SIMPLIFIED. */
  snils: string;
  passport: { series: string; number: string };
}

const demoId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_USERS = {
  confirmed: {
    id: demoId(1),
    phone: '+79160000001',
    email: 'ivanov@example.ru',
    level: 'CONFIRMED',
    roles: [],
    lastName: 'Иванов',
    firstName: 'Иван',
    middleName: 'Иванович',
    sex: 'MALE',
    birthDate: '1985-04-12',
    snils: '11223344595',
    passport: { series: '4510', number: '123450' },
  },
  standard: {
    id: demoId(2),
    phone: '+79160000002',
    email: 'petrova@example.ru',
    level: 'STANDARD',
    roles: [],
    lastName: 'Петрова',
    firstName: 'Анна',
    middleName: 'Сергеевна',
    sex: 'FEMALE',
    birthDate: '1992-09-30',
    snils: '11223344696',
    passport: { series: '4510', number: '123451' },
  },
  simplified: {
    id: demoId(3),
    phone: '+79160000003',
    email: 'sidorov@example.ru',
    level: 'SIMPLIFIED',
    roles: [],
    lastName: 'Сидоров',
    firstName: 'Пётр',
    middleName: 'Алексеевич',
    sex: 'MALE',
    birthDate: '2001-01-20',
    snils: '11223344797',
    passport: { series: '4510', number: '123452' },
  },
  official: {
    id: demoId(4),
    phone: '+79160000004',
    email: 'official@example.ru',
    level: 'CONFIRMED',
    roles: ['OFFICIAL'],
    lastName: 'Кузнецова',
    firstName: 'Ольга',
    middleName: 'Викторовна',
    sex: 'FEMALE',
    birthDate: '1978-06-03',
    snils: '11223344898',
    passport: { series: '4510', number: '123453' },
  },
  operator: {
    id: demoId(5),
    phone: '+79160000005',
    email: 'operator@example.ru',
    level: 'CONFIRMED',
    roles: ['OPERATOR'],
    lastName: 'Смирнов',
    firstName: 'Дмитрий',
    middleName: 'Олегович',
    sex: 'MALE',
    birthDate: '1990-11-15',
    snils: '11223344999',
    passport: { series: '4510', number: '123454' },
  },
} satisfies Record<string, DemoUser>;

/** Demo appeals of the CONFIRMED demo citizen; notifications refer to them by id. */
export const DEMO_APPEAL_IDS = {
  pothole: '00000000-0000-4000-a000-000000000001',
  yardLighting: '00000000-0000-4000-a000-000000000002',
  busSchedule: '00000000-0000-4000-a000-000000000003',
  /** Registered at the demo official's authority and not yet taken: docs/api.md walks it through review. */
  roadRepair: '00000000-0000-4000-a000-000000000004',
} as const;

/** The authority whose appeals the demo official works on. */
export const DEMO_AUTHORITY_ID = '00000000-0000-4000-b000-000000000001';
