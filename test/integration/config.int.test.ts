import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/load.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'seis-config-'));

describe('configuration', () => {
  it('reproduces the circular with no file and no environment', () => {
    const config = loadConfig({ env: {} });
    const campaign = config.campaigns[0];
    expect(campaign.id).toBe('seis-certification');
    expect(campaign.deadline.toISOString()).toBe('2023-09-22T16:59:59.999Z');
    expect(campaign.latePolicy).toBe('accept');
    expect(campaign.checklist.map((i) => i.id)).toEqual([
      'id-card',
      'house-registration',
      'father-id',
      'father-death-certificate',
      'mother-id',
      'mother-death-certificate',
      'spouse-id',
      'child-id',
      'appointment-education',
      'highest-education',
      'professional-license',
    ]);
    expect(campaign.checklist.filter((i) => i.required).map((i) => i.id)).toEqual([
      'id-card',
      'house-registration',
      'father-id',
      'mother-id',
      'appointment-education',
      'highest-education',
    ]);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.archiveDir).toBe('./archive');
  });

  it('layers a YAML file under the environment', () => {
    const dir = tmp();
    const file = join(dir, 'seis.yaml');
    writeFileSync(file,
      'archiveDir: /data/archive\nimages: convert\ncampaigns:\n  - id: seis-certification\n    title: ทดสอบ\n    deadline: "2566-09-30"\n    latePolicy: reject\n    checklist:\n      - { id: id-card, label: บัตร, required: true }\n');
    const config = loadConfig({ configFile: file, env: { ARCHIVE_DIR: '/env/archive', IMAP_SECURE: 'false' } });
    expect(config.archiveDir).toBe('/env/archive');
    expect(config.images).toBe('convert');
    expect(config.imap.secure).toBe(false);
    expect(config.campaigns[0].latePolicy).toBe('reject');
    expect(config.campaigns[0].deadline.toISOString()).toBe('2023-09-30T16:59:59.999Z');
  });

  it('reads JSON config files and *_FILE secrets', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ smtp: { host: 'smtp.example.test', port: 2525 } }));
    writeFileSync(join(dir, 'pw'), 'hunter2\n');
    const config = loadConfig({ configFile: join(dir, 'c.json'), env: { SMTP_PASSWORD_FILE: join(dir, 'pw') } });
    expect(config.smtp.host).toBe('smtp.example.test');
    expect(config.smtp.port).toBe(2525);
    expect(config.smtp.password).toBe('hunter2');
  });

  it('does not read "false" as true', () => {
    expect(loadConfig({ env: { REPLY_REQUIRE_AUTH: 'false' } }).reply.requireAuth).toBe(false);
    expect(loadConfig({ env: { REPLY_REQUIRE_AUTH: 'true' } }).reply.requireAuth).toBe(true);
  });

  it('names every bad field, with its environment variable', () => {
    expect(() => loadConfig({ env: { IMAP_PORT: 'abc', INGEST_CONCURRENCY: '0' } })).toThrow(ConfigError);
    try {
      loadConfig({ env: { IMAP_PORT: 'abc', INGEST_CONCURRENCY: '0' } });
    } catch (err) {
      expect((err as Error).message).toMatch(/imap\.port \(IMAP_PORT\)/);
      expect((err as Error).message).toMatch(/ingestConcurrency \(INGEST_CONCURRENCY\)/);
    }
  });

  it('rejects a deadline that is not a date and a checklist that refers to unknown items', () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'campaigns:\n  - id: x\n    title: t\n    deadline: soon\n    checklist: [{ id: a, label: A }]\n');
    expect(() => loadConfig({ configFile: file, env: {} })).toThrow(/campaigns\.0\.deadline: not a date/);
    writeFileSync(file,
      'defaultCampaign: x\ncampaigns:\n  - id: x\n    title: t\n    deadline: 2566-09-22\n    checklist: [{ id: a, label: A, replacedBy: [b] }]\n');
    expect(() => loadConfig({ configFile: file, env: {} })).toThrow(/unknown item "b"/);
  });

  it('explains an unreadable or malformed file', () => {
    expect(() => loadConfig({ configFile: '/nonexistent/seis.yaml', env: {} })).toThrow(/cannot read config file/);
    const dir = tmp();
    writeFileSync(join(dir, 'x.yaml'), 'a: [unclosed');
    expect(() => loadConfig({ configFile: join(dir, 'x.yaml'), env: {} })).toThrow(/not valid YAML/);
  });
});
