import { describe, expect, it } from 'vitest';
import { emailMessage, planFor, reachableChannels, SMS_LENGTH, smsText } from './deliveries.ts';
import { effectivePreferences } from './preferences.ts';

const everything = { phone: '+79161234567', email: 'ivanov@example.ru', hasPushDevice: true };

describe('reachableChannels', () => {
  it('uses PUSH when the app is on a device', () => {
    expect(reachableChannels(['EMAIL', 'PUSH'], everything)).toEqual(['EMAIL', 'PUSH']);
  });

  it('sends SMS instead of PUSH without a device, or e-mail without a phone, each channel once', () => {
    expect(reachableChannels(['EMAIL', 'PUSH'], { ...everything, hasPushDevice: false })).toEqual(['EMAIL', 'SMS']);
    expect(reachableChannels(['PUSH', 'SMS'], { ...everything, hasPushDevice: false })).toEqual(['SMS']);
    expect(reachableChannels(['PUSH'], { phone: null, email: 'ivanov@example.ru', hasPushDevice: false })).toEqual(['EMAIL']);
    expect(reachableChannels(['EMAIL', 'PUSH'], { phone: null, email: 'ivanov@example.ru', hasPushDevice: false })).toEqual(['EMAIL']);
  });

  it('leaves out a channel without its contact, and everything when nothing reaches the person', () => {
    expect(reachableChannels(['EMAIL', 'SMS'], { phone: '+79161234567', email: null, hasPushDevice: false })).toEqual(['SMS']);
    expect(reachableChannels(['EMAIL', 'SMS', 'PUSH'], { phone: null, email: null, hasPushDevice: false })).toEqual([]);
  });
});

describe('planFor', () => {
  const now = new Date('2026-11-25T19:00:00Z'); // 22:00 in Moscow
  const evening = effectivePreferences({ userId: 'u', channels: {}, windowStartsAt: '09:00', windowEndsAt: '21:00', timeZone: 'Europe/Moscow', updatedAt: now });

  it('makes deliveries due now without a window', () => {
    expect(planFor('DEBTS_AND_FINES', effectivePreferences(null), everything, now)).toEqual([
      { channel: 'EMAIL', status: 'PENDING', dueAt: now },
      { channel: 'PUSH', status: 'PENDING', dueAt: now },
    ]);
  });

  it('schedules them for the window’s next start outside it, except security notices', () => {
    const morning = new Date('2026-11-26T06:00:00Z');
    expect(planFor('SERVICE_STAGES', evening, everything, now)).toEqual([
      { channel: 'EMAIL', status: 'SCHEDULED', dueAt: morning },
      { channel: 'PUSH', status: 'SCHEDULED', dueAt: morning },
    ]);
    expect(planFor('SECURITY', evening, everything, now)).toEqual([
      { channel: 'EMAIL', status: 'PENDING', dueAt: now },
      { channel: 'SMS', status: 'PENDING', dueAt: now },
    ]);
  });

  it('makes none for a kind the person keeps in the feed only', () => {
    expect(planFor('PORTAL_CHANGES', effectivePreferences(null), everything, now)).toEqual([]);
  });
});

describe('channel texts', () => {
  it('puts the headline and as much of the text as fits two SMS parts, cut at a word', () => {
    const text = smsText({
      title: 'Новый штраф ГИБДД: 500 ₽',
      body: 'Превышение скорости на 20–40 км/ч, постановление 18810177260000000001 от 20 ноября. Оплатите со скидкой 50 % до 10 декабря в разделе «Штрафы».',
      link: null,
    });
    expect(text).toBe('Новый штраф ГИБДД: 500 ₽. Превышение скорости на 20–40 км/ч, постановление 18810177260000000001 от 20 ноября. Оплатите со скидкой 50…');
    expect(text.length).toBeLessThanOrEqual(SMS_LENGTH);
    expect(smsText({ title: 'Вход в личный кабинет!', body: 'С нового устройства.', link: null })).toBe('Вход в личный кабинет! С нового устройства.');
  });

  it('makes the headline the subject and links the portal page in the e-mail', () => {
    expect(emailMessage({ title: 'Обращение ПОС-2026-000101: получен ответ', body: 'Министерство ответило на обращение.', link: '/appeals/42' }, 'https://www.gosuslugi.ru')).toEqual({
      subject: 'Обращение ПОС-2026-000101: получен ответ',
      text:
        'Министерство ответило на обращение.\n\nПодробнее в личном кабинете: https://www.gosuslugi.ru/appeals/42\n\n' +
        '—\nЭто автоматическое уведомление портала Госуслуг, отвечать на него не нужно. Какие уведомления и когда получать, можно выбрать в настройках личного кабинета.',
    });
  });
});
