import { compactCode, formatMessage, optionalCode, report, requiredText, startCheck, textOf, toCyrillic, toLatin, type Check, type Checked, type Path, type Raw } from './fields.ts';
import { VEHICLE_REGION_CODES } from './vehicle-regions.ts';

/**
 * A person's vehicle: make and model, the registration plate, the VIN (or, on a vehicle without one,
 * the body or chassis number), and the registration certificate (СТС). Stored in the normalised
 * shape below, whatever way the person typed it.
 */

export type Vehicle = {
  make: string;
  model: string;
  /** Type 1 plate (ГОСТ Р 50577-2018) in Cyrillic capitals without spaces: `А123ВС777`. */
  registrationPlate: string | null;
  /** 17 Latin capitals and digits; null when the vehicle has none and `bodyNumber` stands instead. */
  vin: string | null;
  /** Up to 20 Latin capitals, digits and hyphens: `GX110-6012345`. */
  bodyNumber: string | null;
  /** СТС number, 10 characters without spaces: `77УЕ123456`. */
  registrationCertificate: string | null;
};

/** What a form sends: each field a string, null or left out. */
export type VehicleInput = { [K in keyof Vehicle]?: Raw };

export function checkVehicle(input: VehicleInput, context: { path: Path }): Checked<Vehicle> {
  const check = startCheck(context.path);
  const make = requiredText(check, check.at('make'), input.make, { label: 'Марка', max: 50 });
  const model = requiredText(check, check.at('model'), input.model, { label: 'Модель', max: 100 });
  const registrationPlate = plate(check, check.at('registrationPlate'), input.registrationPlate);
  const { vin, bodyNumber } = vinOrBodyNumber(check, input);
  const registrationCertificate = optionalCode(check, check.at('registrationCertificate'), input.registrationCertificate, {
    label: 'Номер СТС',
    pattern: /^\d{2}[\dА-ЯЁ]{2}\d{6}$/,
    expected: 'нужно 10 знаков: 2 цифры, 2 цифры или русские буквы, 6 цифр, например 77 УЕ 123456 или 99 00 123456',
    normalise: toCyrillic,
  });
  return check.result({ make, model, registrationPlate, vin, bodyNumber, registrationCertificate });
}

// ---------------------------------------------------------------------------------------------------
// Registration plate

const PLATE = /^([АВЕКМНОРСТУХ])(\d{3})([АВЕКМНОРСТУХ]{2})(\d{2,3})$/;

/**
 * A plate as people type it: `a123bc77`, `А 123 ВС 777`, Latin letters for Cyrillic ones (only the 12
 * letters that look alike in both alphabets are used on plates), with the `RUS` of the flag or not.
 */
function plate(check: Check, field: string[], raw: Raw): string | null | undefined {
  const compact = compactCode(raw)?.replace(/RUS$/, '');
  if (!compact) return null;
  const value = toCyrillic(compact);
  const match = PLATE.exec(value);
  if (!match) {
    return check.error(field, 'INVALID_FORMAT', formatMessage('Госномер', 'нужны буква, 3 цифры, 2 буквы и код региона, например А123ВС77; буквы только А, В, Е, К, М, Н, О, Р, С, Т, У, Х'));
  }
  const [, , digits = '', , region = ''] = match;
  return report(check, field, value, [
    digits === '000' && ['INVALID_FORMAT', formatMessage('Госномер', 'номеров с цифрами 000 не выдают')],
    !VEHICLE_REGION_CODES.has(region) && ['INVALID_REGION', `Кода региона ${region} нет на российских номерах: проверьте последние цифры госномера.`],
  ]);
}

// ---------------------------------------------------------------------------------------------------
// VIN or body number

/**
 * Exactly one of the two: a VIN, or on an older or imported vehicle without one, the body or chassis
 * number. Cyrillic look-alikes typed with the Russian layout (`ХТА…`, the AvtoVAZ prefix) become Latin.
 */
function vinOrBodyNumber(check: Check, input: VehicleInput): { vin: string | null | undefined; bodyNumber: string | null | undefined } {
  const vinField = check.at('vin');
  const bodyField = check.at('bodyNumber');
  const vinGiven = compactCode(input.vin) !== null;
  const bodyGiven = compactCode(input.bodyNumber) !== null;
  if (!vinGiven && !bodyGiven) {
    return { vin: check.error(vinField, 'ONE_OF_REQUIRED', 'Укажите VIN, а если его нет — номер кузова или шасси.'), bodyNumber: null };
  }
  if (vinGiven && bodyGiven) {
    return {
      vin: null,
      bodyNumber: check.error(bodyField, 'ONE_OF_REQUIRED', 'Номер кузова или шасси указывают, только когда у машины нет VIN: оставьте что-то одно.'),
    };
  }
  return vinGiven ? { vin: vin(check, vinField, input.vin), bodyNumber: null } : { vin: null, bodyNumber: bodyNumber(check, bodyField, input.bodyNumber) };
}

/**
 * 17 characters without I, O and Q. Position 9 is a check digit only in North America: Russian and
 * EAEU rules do not require it, so it is never checked.
 */
function vin(check: Check, field: string[], raw: Raw): string | undefined {
  const value = toLatin(compactCode(raw) ?? '');
  if (/^[A-HJ-NPR-Z0-9]{17}$/.test(value)) return value;
  const expected = /^[A-Z0-9]{17}$/.test(value) ? 'в VIN не бывает букв I, O и Q, вместо них, скорее всего, цифры 1 и 0' : 'нужно 17 латинских букв и цифр, например XTA210990Y2765432';
  return check.error(field, 'INVALID_FORMAT', formatMessage('VIN', expected));
}

/** Letters and digits in groups joined by hyphens, as stamped: `GX110-6012345`; the hyphens are part of it. */
function bodyNumber(check: Check, field: string[], raw: Raw): string | undefined {
  const value = toLatin(textOf(raw).normalize('NFC').replace(/\s+/gu, '').toUpperCase()).replace(/[‐‑‒–—−]/gu, '-');
  if (value.length <= 20 && /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/.test(value)) return value;
  return check.error(field, 'INVALID_FORMAT', formatMessage('Номер кузова (шасси)', 'нужно до 20 латинских букв, цифр и дефисов, например GX110-6012345'));
}
