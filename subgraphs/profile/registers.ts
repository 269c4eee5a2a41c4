/**
 * The state registers the data check asks (through СМЭВ in reality). Each is an interface a real
 * client fills; the development implementations below answer by fixed, documented rules
 * (docs/profile.md) after a configurable delay, so a demo shows a check that takes a while and
 * tests get every outcome on demand.
 */

export type RegisterAnswer = { confirmed: true } | { confirmed: false; reason: string };

export interface SocialFundRegister {
  /** Whether the SNILS belongs to a person with these names, sex and birth date (Социальный фонд). */
  checkSnils(query: { snils: string; lastName: string; firstName: string; middleName: string | null; sex: string; birthDate: string }): Promise<RegisterAnswer>;
}

export interface InteriorMinistryRegister {
  /** Whether the passport is valid and was issued to this person (МВД). */
  checkPassport(query: { series: string; number: string; issuedOn: string; lastName: string; firstName: string; birthDate: string }): Promise<RegisterAnswer>;
}

export interface StateRegisters {
  socialFund: SocialFundRegister;
  interiorMinistry: InteriorMinistryRegister;
}

const wait = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/**
 * Development registers. The Social Fund knows no SNILS whose serial part (the first 9 digits) ends
 * in `999`, and answers "does not match" for a last name starting with `Несовпад`; the Interior
 * Ministry treats passports whose number starts with `000` as invalid. Everything else is confirmed.
 */
export function devRegisters({ delayMs }: { delayMs: number }): StateRegisters {
  return {
    socialFund: {
      async checkSnils({ snils, lastName }) {
        await wait(delayMs);
        if (snils.slice(0, 9).endsWith('999')) return { confirmed: false, reason: 'Социальный фонд не нашёл сведений о таком СНИЛС.' };
        if (lastName.startsWith('Несовпад')) return { confirmed: false, reason: 'Данные не совпадают со сведениями Социального фонда: проверьте ФИО, пол и дату рождения.' };
        return { confirmed: true };
      },
    },
    interiorMinistry: {
      async checkPassport({ number }) {
        await wait(delayMs);
        if (number.startsWith('000')) return { confirmed: false, reason: 'МВД России сообщает, что паспорт недействителен.' };
        return { confirmed: true };
      },
    },
  };
}
