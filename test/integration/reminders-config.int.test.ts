// The reminder schedule, the office calendar and extensions in the config: the circular's defaults, holidays in
// Buddhist or Common Era, and every mistake named with its path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load.ts';

const withFile = (data: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'seis-cfg-')), 'config.json');
  writeFileSync(file, JSON.stringify(data));
  return loadConfig({ configFile: file, env: {} });
};

describe('reminder configuration', () => {
  it('defaults to 7, 3 and 1 days before at 09:00 and the working day after, on weekdays 08:30–16:30', () => {
    const config = loadConfig({ env: {} });
    const cert = config.campaigns.find((c) => c.id === 'seis-certification')!;
    expect(cert.reminders).toMatchObject({ enabled: true, persons: true, unitDigests: true, lateSendDays: 7 });
    expect(cert.reminders.steps.map((s) => `${s.id} ${s.daysBefore ?? `+${s.workingDaysAfter}`} ${s.at}`)).toEqual(['d-7 7 09:00', 'd-3 3 09:00', 'd-1 1 09:00',
      'overdue +1 09:00']);
    expect(cert.extensions).toEqual([]);
    expect(config.calendar).toEqual({ weekend: [0, 6], holidays: [], hours: { start: '08:30', end: '16:30' } });
    expect(config.reminders.checkPattern).toBe('*/15 * * * *');
    expect(loadConfig({ env: { REMINDER_CHECK_PATTERN: '0 * * * *' } }).reminders.checkPattern).toBe('0 * * * *');
  });

  it('reads holidays in BE or CE and extensions with BE dates', () => {
    const config = withFile({
      calendar: { holidays: ['2566-10-13', '2023-10-23', '5/12/2566'] },
      campaigns: [{ id: 'c', title: 't', deadline: '2566-09-22', checklist: [{ id: 'a', label: 'A' }], extensions: [{ unit: '40', until: '2566-10-06' }] }],
      defaultCampaign: 'c',
    });
    expect(config.calendar.holidays).toEqual(['2023-10-13', '2023-10-23', '2023-12-05']);
    expect(config.campaigns[0].extensions[0].until.toISOString()).toBe('2023-10-06T16:59:59.999Z');
  });

  it('names a step with both or neither of daysBefore and workingDaysAfter, duplicate ids, bad times and extensions', () => {
    const bad = () =>
      withFile({
        calendar: { hours: { start: '8:30' }, holidays: ['soon'] },
        campaigns: [{
          id: 'c',
          title: 't',
          deadline: '2566-09-22',
          checklist: [{ id: 'a', label: 'A' }],
          reminders: { steps: [{ id: 'x', daysBefore: 1, workingDaysAfter: 1 }, { id: 'x', daysBefore: 2 }, { id: 'y' }] },
          extensions: [{ until: '2566-10-01' }, { nationalId: '123', until: 'later' }],
        }],
        defaultCampaign: 'c',
      });
    expect(bad).toThrow(ConfigError);
    const message = (() => {
      try {
        bad();
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    for (const path of ['calendar.hours.start', 'calendar.holidays.0', 'campaigns.0.reminders.steps.0', 'campaigns.0.reminders.steps',
      'campaigns.0.reminders.steps.2', 'campaigns.0.extensions.0', 'campaigns.0.extensions.1.nationalId', 'campaigns.0.extensions.1.until']) {
      expect(message).toContain(`${path}:`);
    }
  });
});
