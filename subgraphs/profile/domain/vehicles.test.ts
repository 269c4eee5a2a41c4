import { describe, expect, it } from 'vitest';
import { VEHICLE_REGION_CODES } from './vehicle-regions.ts';
import { checkVehicle } from './vehicles.ts';

const path = ['input'];
const context = { path };
const accepted = <T>(value: T) => ({ ok: true, value, warnings: [] });
const refused = (...errors: unknown[]) => ({ ok: false, errors });
const error = (field: string, code: string, message: string) => ({ field: [...path, field], code, message });
const format = (field: string, label: string, expected: string) => error(field, 'INVALID_FORMAT', `Неверный формат поля «${label}»: ${expected}.`);

const vehicle = {
  make: 'LADA',
  model: 'Vesta',
  registrationPlate: 'А123ВС77',
  vin: 'XTA210990Y2765432',
  bodyNumber: null,
  registrationCertificate: '77УЕ123456',
};

describe('checkVehicle: registration plate', () => {
  const plate = (typed: string) => checkVehicle({ ...vehicle, registrationPlate: typed }, context);
  const withPlate = (stored: string) => accepted({ ...vehicle, registrationPlate: stored });
  const MALFORMED = format('registrationPlate', 'Госномер', 'нужны буква, 3 цифры, 2 буквы и код региона, например А123ВС77; буквы только А, В, Е, К, М, Н, О, Р, С, Т, У, Х');
  const badRegion = (code: string) => error('registrationPlate', 'INVALID_REGION', `Кода региона ${code} нет на российских номерах: проверьте последние цифры госномера.`);

  it.each(['А123ВС77', 'а123вс77', 'A123BC77', 'a123bc77', 'А 123 ВС 77', 'A123BC 77 RUS', 'А123ВС-77'])('accepts %j as А123ВС77', (typed) => {
    expect(plate(typed)).toEqual(withPlate('А123ВС77'));
  });

  it('maps every Latin look-alike to its Cyrillic letter', () => {
    expect(plate('A001BE77')).toEqual(withPlate('А001ВЕ77'));
    expect(plate('K002MH77')).toEqual(withPlate('К002МН77'));
    expect(plate('O003PC77')).toEqual(withPlate('О003РС77'));
    expect(plate('T004YX77')).toEqual(withPlate('Т004УХ77'));
  });

  it.each(['102', '116', '150', '152', '154', '159', '161', '163', '164', '173', '174', '177', '178', '186', '190', '196', '197', '199', '250', '750', '777', '790', '797', '799'])(
    'accepts the three-digit region %s',
    (region) => {
      expect(plate(`Е001КХ${region}`)).toEqual(withPlate(`Е001КХ${region}`));
    },
  );

  it('accepts every two-digit region from 01 to 99: reassigned codes stay on the road', () => {
    const twoDigit = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, '0'));
    expect(twoDigit.filter((code) => !VEHICLE_REGION_CODES.has(code))).toEqual([]);
    expect(plate('М555ОР05')).toEqual(withPlate('М555ОР05'));
  });

  it('lists only two- and three-digit codes, none starting with 0 among the three-digit ones', () => {
    expect([...VEHICLE_REGION_CODES].filter((code) => !/^(?:\d{2}|[1-9]\d{2})$/.test(code))).toEqual([]);
  });

  it.each(['00', '100', '200', '077', '999', '666'])('refuses the region %s', (region) => {
    expect(plate(`А123ВС${region}`)).toEqual(refused(badRegion(region)));
  });

  it('refuses the number 000', () => {
    expect(plate('А000ВС77')).toEqual(refused(format('registrationPlate', 'Госномер', 'номеров с цифрами 000 не выдают')));
  });

  it('reports 000 and a bad region together', () => {
    expect(plate('А000ВС00')).toEqual(refused(format('registrationPlate', 'Госномер', 'номеров с цифрами 000 не выдают'), badRegion('00')));
  });

  it.each(['Б123ВС77', 'А123ВЖ77', 'А12ВС77', 'А1234ВС77', 'А123ВС7', 'А123ВС7777', '123АВС77', 'AQ23BC77'])('refuses %j', (typed) => {
    expect(plate(typed)).toEqual(refused(MALFORMED));
  });

  it('leaves the plate out when it is not given', () => {
    expect(checkVehicle({ ...vehicle, registrationPlate: ' ' }, context)).toEqual(accepted({ ...vehicle, registrationPlate: null }));
    expect(checkVehicle({ ...vehicle, registrationPlate: null }, context)).toEqual(accepted({ ...vehicle, registrationPlate: null }));
  });
});

/** The North-American check digit (position 9), computed only to show that it is not checked. */
function northAmericanCheckDigit(vin: string): string {
  const values: Record<string, number> = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  const sum = [...vin].reduce((total, char, i) => total + (/\d/.test(char) ? Number(char) : values[char]!) * weights[i]!, 0);
  return sum % 11 === 10 ? 'X' : String(sum % 11);
}

describe('checkVehicle: VIN', () => {
  const withVin = (typed: string) => checkVehicle({ ...vehicle, vin: typed }, context);
  const stored = (vin: string) => accepted({ ...vehicle, vin });

  it('accepts a VIN in lower case, with spaces, or typed with the Russian layout on', () => {
    for (const typed of ['XTA210990Y2765432', 'xta210990y2765432', 'XTA 21099 0Y2765432', 'ХТА210990У2765432']) {
      expect(withVin(typed)).toEqual(stored('XTA210990Y2765432'));
    }
  });

  it('accepts a VIN whose North-American check digit is wrong: Russian rules do not use it', () => {
    expect(northAmericanCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(withVin('1M8GDM9AXKP042788')).toEqual(stored('1M8GDM9AXKP042788'));
    expect(northAmericanCheckDigit('1M8GDM9A1KP042788')).not.toBe('1');
    expect(withVin('1M8GDM9A1KP042788')).toEqual(stored('1M8GDM9A1KP042788'));
  });

  it.each(['XTA21099OY2765432', 'XTA2I0990Y2765432', 'XTA210990Y276543Q', 'XTA21099ОY2765432'])('refuses %j: no I, O or Q in a VIN', (typed) => {
    expect(withVin(typed)).toEqual(refused(format('vin', 'VIN', 'в VIN не бывает букв I, O и Q, вместо них, скорее всего, цифры 1 и 0')));
  });

  it.each(['XTA210990Y276543', 'XTA210990Y27654321', 'XTA210990Y276543Ж', 'XTA210990Y27654-2'])('refuses %j: not 17 Latin letters and digits', (typed) => {
    expect(withVin(typed)).toEqual(refused(format('vin', 'VIN', 'нужно 17 латинских букв и цифр, например XTA210990Y2765432')));
  });
});

describe('checkVehicle: body number instead of a VIN', () => {
  const noVin = { ...vehicle, vin: null };

  it('accepts a body number when there is no VIN, keeping its hyphens', () => {
    expect(checkVehicle({ ...noVin, bodyNumber: 'gx110-6012345' }, context)).toEqual(accepted({ ...noVin, bodyNumber: 'GX110-6012345' }));
    expect(checkVehicle({ ...noVin, bodyNumber: ' 2101 1234567 ' }, context)).toEqual(accepted({ ...noVin, bodyNumber: '21011234567' }));
    expect(checkVehicle({ ...noVin, bodyNumber: 'АЕ86–000123' }, context)).toEqual(accepted({ ...noVin, bodyNumber: 'AE86-000123' }));
  });

  it('accepts 1 to 20 characters', () => {
    expect(checkVehicle({ ...noVin, bodyNumber: '7' }, context)).toEqual(accepted({ ...noVin, bodyNumber: '7' }));
    expect(checkVehicle({ ...noVin, bodyNumber: 'A'.repeat(20) }, context)).toEqual(accepted({ ...noVin, bodyNumber: 'A'.repeat(20) }));
  });

  it.each(['A'.repeat(21), 'GX110--6012345', '-GX110', 'GX110-', 'GX_110', 'ЖХ110'])('refuses %j', (typed) => {
    expect(checkVehicle({ ...noVin, bodyNumber: typed }, context)).toEqual(refused(format('bodyNumber', 'Номер кузова (шасси)', 'нужно до 20 латинских букв, цифр и дефисов, например GX110-6012345')));
  });

  it('refuses a vehicle with neither a VIN nor a body number', () => {
    expect(checkVehicle({ ...noVin, bodyNumber: '  ' }, context)).toEqual(refused(error('vin', 'ONE_OF_REQUIRED', 'Укажите VIN, а если его нет — номер кузова или шасси.')));
  });

  it('refuses a vehicle with both', () => {
    expect(checkVehicle({ ...vehicle, bodyNumber: 'GX110-6012345' }, context)).toEqual(
      refused(error('bodyNumber', 'ONE_OF_REQUIRED', 'Номер кузова или шасси указывают, только когда у машины нет VIN: оставьте что-то одно.')),
    );
  });
});

describe('checkVehicle: registration certificate (СТС)', () => {
  const certificate = (typed: string) => checkVehicle({ ...vehicle, registrationCertificate: typed }, context);
  const stored = (number: string) => accepted({ ...vehicle, registrationCertificate: number });

  it('accepts 2 digits, 2 Cyrillic letters and 6 digits, with spaces, in any case or with Latin look-alikes', () => {
    for (const typed of ['77 УЕ 123456', '77уе123456', '77 YE 123456']) expect(certificate(typed)).toEqual(stored('77УЕ123456'));
  });

  it('accepts 10 digits', () => {
    expect(certificate('99 00 123456')).toEqual(stored('9900123456'));
    expect(certificate('9900123456')).toEqual(stored('9900123456'));
  });

  it.each(['77 УЕ 12345', '77 УЕ 1234567', 'УЕ 77 123456', '77 QE 123456'])('refuses %j', (typed) => {
    expect(certificate(typed)).toEqual(refused(format('registrationCertificate', 'Номер СТС', 'нужно 10 знаков: 2 цифры, 2 цифры или русские буквы, 6 цифр, например 77 УЕ 123456 или 99 00 123456')));
  });
});

describe('checkVehicle: make and model', () => {
  it('tidies spaces', () => {
    expect(checkVehicle({ ...vehicle, make: '  Mercedes-Benz ', model: 'E  200' }, context)).toEqual(accepted({ ...vehicle, make: 'Mercedes-Benz', model: 'E 200' }));
  });

  it('refuses a make over 50 characters and a model over 100', () => {
    expect(checkVehicle({ ...vehicle, make: 'M'.repeat(51), model: 'M'.repeat(101) }, context)).toEqual(
      refused(error('make', 'TOO_LONG', 'Поле «Марка» может содержать не более 50 символов.'), error('model', 'TOO_LONG', 'Поле «Модель» может содержать не более 100 символов.')),
    );
  });

  it('reports every missing field of an empty form at once', () => {
    expect(checkVehicle({}, context)).toEqual(
      refused(error('make', 'REQUIRED', 'Заполните поле «Марка».'), error('model', 'REQUIRED', 'Заполните поле «Модель».'), error('vin', 'ONE_OF_REQUIRED', 'Укажите VIN, а если его нет — номер кузова или шасси.')),
    );
  });
});
