// The staff report of a unit-scope campaign: one row per unit (units file or not) with its status and the data on
// file, the department-wide list of everyone who cannot log in (login-status) or of the appointed administrators
// with their orders (admin-appointment), and the units that have not sent what the circular asks of them.
// It reads unit manifests only; CSV/XLSX rendering lives in unit-report-formats.ts.
import { judgeUnit } from './filing.ts';
import { isExpected, type UnitKind, type UnitsDirectory } from './units.ts';
import type { ChecklistItem, UnmatchedRecord } from '../types.ts';
import type { AdminSystem, UnitManifest, UnitSubmission } from './types.ts';

export interface UnitReportRow {
  unitId?: string;
  name: string;
  kind?: UnitKind;
  /** Whether the circular asks this unit for this request; null when there is no units file. */
  expected: boolean | null;
  inUnitsFile: boolean;
  status: 'complete' | 'incomplete' | 'not-submitted';
  late: boolean;
  /** Set when an extension gives this unit a later deadline than the campaign's (ISO). */
  extendedDeadline?: string;
  missing: string[];
  /** Unit folder relative to the archive root. */
  dir?: string;
  /** Latest message from the unit, and what was wrong with it (empty when it was fine). */
  lastReceivedAt?: string;
  lastMessageId?: string;
  lastProblems: string[];
  submissions: number;
  total?: number;
  can?: number;
  cannot?: number;
  administrators?: AdminRow[];
  /** Current appointment orders; path relative to the archive root. */
  orders?: Array<{ path: string; originalName: string; pages: number; sha256: string; receivedAt: string }>;
}
export interface AdminRow {
  system?: AdminSystem;
  name: string;
  position: string;
  phone: string;
  email: string;
}
export interface CannotLoginRow {
  unitId?: string;
  unit: string;
  name: string;
  nationalId: string;
  email: string;
  note?: string;
  receivedAt: string;
}
export interface MissingUnit {
  unitId: string;
  name: string;
  kind: UnitKind;
  emails: string[];
  status: 'incomplete' | 'not-submitted';
  missing: string[];
}

export interface UnitReport {
  campaign: string;
  form: 'login-status' | 'admin-appointment';
  deadline: string;
  generatedAt: string;
  units: UnitReportRow[];
  /** login-status: everyone who cannot log in, with their unit. */
  cannotLogin?: CannotLoginRow[];
  totals?: { total: number; can: number; cannot: number; units: number };
  /** admin-appointment: every appointed administrator, with the unit's order. */
  administrators?: Array<AdminRow & { unitId?: string; unit: string; orders: string[] }>;
  missingUnits: MissingUnit[];
  /** False when there was no units file: nobody can be listed as missing. */
  unitsFile: boolean;
  unmatched: Array<{ messageId: string; from?: string; receivedAt: string; reason: string }>;
}

export interface UnitReportInput {
  campaign: { id: string; deadline: Date; checklist: ChecklistItem[]; form?: 'login-status' | 'admin-appointment'; expectedFrom: readonly string[] };
  units?: UnitsDirectory;
  entries: Array<{ dir: string; manifest: UnitManifest }>;
  unmatched: UnmatchedRecord[];
  now: Date;
  /** The deadline that applies to a unit (deadline extensions); the campaign's when not given. */
  deadlineOf?: (unit: { id?: string; name: string }) => Date;
}

const join = (dir: string, rel: string) => `${dir.replace(/\/+$/, '')}/${rel}`;

function unitRow(
  base: Pick<UnitReportRow, 'unitId' | 'name' | 'kind' | 'expected' | 'inUnitsFile'>,
  entry: { dir: string; manifest: UnitManifest } | undefined,
  input: UnitReportInput,
): UnitReportRow {
  const manifest = entry?.manifest;
  const deadline = input.deadlineOf?.({ ...(base.unitId ? { id: base.unitId } : {}), name: base.name }) ?? input.campaign.deadline;
  const j = judgeUnit(manifest, input.campaign.checklist, deadline);
  const last = manifest?.submissions.at(-1);
  const row: UnitReportRow = {
    ...base,
    status: j.status,
    late: j.late,
    missing: j.missing,
    ...(entry ? { dir: entry.dir } : {}),
    ...(deadline.getTime() !== input.campaign.deadline.getTime() ? { extendedDeadline: deadline.toISOString() } : {}),
    ...(last ? { lastReceivedAt: last.receivedAt, lastMessageId: last.messageId } : {}),
    lastProblems: last?.problems.map((p) => p.message) ?? [],
    submissions: manifest?.submissions.length ?? 0,
  };
  const data = dataSubmission(j.from)?.data;
  if (data?.form === 'login-status') Object.assign(row, { total: data.total, can: data.can, cannot: data.cannot });
  if (input.campaign.form === 'admin-appointment') {
    row.administrators = data?.form === 'admin-appointment'
      ? data.administrators.map(({ system, name, position, phone, email }) => ({ ...(system ? { system } : {}), name, position, phone, email }))
      : [];
    const order = j.from['appointment-order'];
    row.orders = order && entry ?
      order.files.filter((f) => f.role === 'order' && f.current).map((f) => ({
        path: join(entry.dir, f.path),
        originalName: f.originalName,
        pages: f.pages ?? 0,
        sha256: f.sha256,
        receivedAt: order.receivedAt,
      })) :
      [];
  }
  return row;
}

/** The submission whose data (not the order) is on file. */
function dataSubmission(from: Record<string, UnitSubmission>): UnitSubmission | undefined {
  return Object.entries(from).filter(([item]) => item !== 'appointment-order').map(([, s]) => s)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).at(-1);
}

export function buildUnitReport(input: UnitReportInput): UnitReport {
  const { campaign, units } = input;
  const entries = input.entries.filter((e) => !e.manifest.campaign || e.manifest.campaign === campaign.id);
  const byId = new Map(entries.filter((e) => e.manifest.unit.id).map((e) => [e.manifest.unit.id as string, e]));
  const rows: UnitReportRow[] = [];
  const used = new Set<string>();
  for (const unit of units?.units ?? []) {
    const entry = byId.get(unit.id);
    if (entry) used.add(entry.dir);
    rows.push(unitRow({ unitId: unit.id, name: unit.name, kind: unit.kind, expected: isExpected(unit, campaign), inUnitsFile: true }, entry, input));
  }
  for (const entry of entries) {
    if (used.has(entry.dir)) continue;
    const u = entry.manifest.unit;
    rows.push(unitRow({
      ...(u.id ? { unitId: u.id } : {}),
      name: u.name,
      ...(u.kind ? { kind: u.kind } : {}),
      expected: units ? false : null,
      inUnitsFile: false,
    }, entry, input));
  }
  rows.sort((a, b) => (a.kind ?? '').localeCompare(b.kind ?? '') || a.name.localeCompare(b.name, 'th'));

  const missingUnits: MissingUnit[] = (units?.units ?? []).flatMap((unit) => {
    const row = rows.find((r) => r.inUnitsFile && r.unitId === unit.id);
    if (!row || !isExpected(unit, campaign) || row.status === 'complete') return [];
    return [{ unitId: unit.id, name: unit.name, kind: unit.kind, emails: unit.emails, status: row.status, missing: row.missing }];
  });

  const report: UnitReport = {
    campaign: campaign.id,
    form: campaign.form ?? 'login-status',
    deadline: campaign.deadline.toISOString(),
    generatedAt: input.now.toISOString(),
    units: rows,
    missingUnits,
    unitsFile: Boolean(units),
    unmatched: input.unmatched.filter((u) => !u.resolved).map((u) => ({
      messageId: u.messageId,
      ...(u.from ? { from: u.from } : {}),
      receivedAt: u.receivedAt,
      reason: u.reason,
    })),
  };
  if (campaign.form === 'admin-appointment') {
    report.administrators = rows.flatMap((r) =>
      (r.administrators ?? []).map((a) => ({
        ...(r.unitId ? { unitId: r.unitId } : {}),
        unit: r.name,
        ...a,
        orders: (r.orders ?? []).map((o) => o.path),
      }))
    );
  } else {
    report.cannotLogin = rows.flatMap((r) => {
      const entry = entries.find((e) => e.dir === r.dir);
      const s = entry ? dataSubmission(judgeUnit(entry.manifest, campaign.checklist).from) : undefined;
      return s?.data.form === 'login-status'
        ? s.data.people.map((p) => ({
          ...(r.unitId ? { unitId: r.unitId } : {}),
          unit: r.name,
          name: p.name,
          nationalId: p.nationalId,
          email: p.email,
          ...(p.note ? { note: p.note } : {}),
          receivedAt: s.receivedAt,
        }))
        : [];
    });
    const sum = (k: 'total' | 'can' | 'cannot') => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
    report.totals = { total: sum('total'), can: sum('can'), cannot: sum('cannot'), units: rows.filter((r) => r.total !== undefined).length };
  }
  return report;
}
