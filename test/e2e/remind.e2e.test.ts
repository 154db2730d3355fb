// `seis-intake remind` as staff run it: a real process over the demo's archive, and its usage errors (exit 2).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'bin/seis-intake.js');

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 20 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seis-remind-cli-'));
  expect((await cli(['demo', '--dir', join(dir, 'demo')])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = () => ['--archive', join(dir, 'demo/archive'), '--roster', join(dir, 'demo/roster.csv'), '--units', join(dir, 'demo/units.csv')];

describe('seis-intake remind', () => {
  it('refuses a missing or double mode, an unknown step, a bad time and --at with --send', async () => {
    for (const args of [[], ['--dry-run', '--send'], ['--dry-run', '--step', 'd-99'], ['--dry-run', '--at', 'tomorrow'], ['--send', '--at',
      '2566-09-19T09:00']]) {
      const out = await cli(['remind', ...args, ...demo()]);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/^seis-intake remind: /);
    }
  });

  it('previews the round due at a time over the demo archive: who gets what, who not and why', async () => {
    const out = await cli(['remind', '--dry-run', '--campaign', 'seis-certification', '--at', '2566-09-19T09:00', ...demo()]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('ณ 19 กันยายน 2566 เวลา 09:00 น. (ไม่มีการส่งจริง)');
    expect(out.stdout).toMatch(/d-3\s+บุคคล\s+นายบุญมา ยังไม่ส่ง <boonma\.demo@example\.test> ขาด 6 รายการ/);
    expect(out.stdout).toMatch(/d-3\s+หน่วยงาน สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น <kk\.office@example\.test> 2 คน/);
    expect(out.stdout).toContain('ไม่ส่ง: ส่งครบแล้ว 3');
    expect(out.stdout).toContain('รอบถัดไป: d-1 21 กันยายน 2566 เวลา 09:00 น.');
    const weekend = await cli(['remind', '--dry-run', '--campaign', 'seis-certification', '--at', '2566-09-16T10:00', ...demo()]);
    expect(weekend.stdout).toContain('ไม่มีอีเมลแจ้งเตือนที่ถึงกำหนดส่ง');
  });

  it('prints each mail as it would be sent with --json', async () => {
    const out = await cli(['remind', '--dry-run', '--json', '--campaign', 'admin-appointment', '--step', 'overdue', ...demo()]);
    expect(out.code, out.stderr).toBe(0);
    const [plan] = JSON.parse(out.stdout).campaigns;
    expect(plan.campaign).toBe('admin-appointment');
    expect(plan.due.length).toBeGreaterThan(0);
    for (const d of plan.due) {
      expect(d.messageId).toMatch(/^<remind-admin-appointment-overdue-u[0-9a-f]{20}@/);
      expect(d.headers['Auto-Submitted']).toBe('auto-generated');
      expect(d.text).toContain('เลยกำหนดส่งแล้ว');
    }
  });
});
