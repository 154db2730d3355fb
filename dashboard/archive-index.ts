// The dashboard's in-memory view of the archive, so a page never re-reads 10,000 manifests. Built once, then
// kept fresh without a restart: every second a handful of stats on the folders any new mail touches
// (_state/messages, the campaign and unit folders, _unmatched) decide whether to sweep; a sweep stats every
// manifest and re-reads only the changed ones; a sweep also runs every 30 s regardless, and refreshPerson()
// runs right after a staff decision. Unit-scope campaigns (login-status, admin-appointment) get a
// UnitCampaignIndex each, kept fresh by the same signals and sweeps. `run`/`ingest` share the archive only
// through the disk. It never writes.
import path from 'node:path';
import { MANIFEST } from '../pipelines/archive-paths.ts';
import type { Person, PersonManifest } from '../pipelines/types.ts';
import type { UnitsDirectory } from '../pipelines/unit/index.ts';
import type { ArchiveStore } from '../adapters/archive-store.ts';
import { CampaignIndex, dirNames, readJsonFile, scanUnmatchedDir, stampAt, sweepFiles, type Known } from './campaign-index.ts';
import { dropPersonFolder, listPersonFolders, setPersonEntry, type EntryContext } from './person-entries.ts';
import { summarisePerson, type CampaignLike, type PersonEntry } from './person-summary.ts';
import { isUnitCampaign, UnitCampaignIndex, type UnitCampaignLike } from './unit-index.ts';

export { CampaignIndex, type UnitSummary } from './campaign-index.ts';

export interface ArchiveIndexOptions {
  store: ArchiveStore;
  /** Person-scope campaigns, and unit-scope ones (scope: 'unit'). */
  campaigns: Array<CampaignLike | UnitCampaignLike>;
  roster?: Person[];
  /** The units file: which units each unit-scope campaign expects. */
  units?: UnitsDirectory;
  clock?: () => Date;
  /** How often to check the change signals (cheap). */
  checkMs?: number;
  /** How often to sweep every manifest even without a signal (catches edits the signals miss). */
  sweepMs?: number;
  /** During a burst of mail, the pause between sweeps is at least this many times the last sweep's duration. */
  burstFactor?: number;
  /** Each person's deadline (deadline extensions), read again whenever the campaign's extensions file changes. */
  deadlinesFor?: (campaignId: string) => Promise<(person: Person) => Date>;
  onError?: (err: unknown) => void;
}

export class ArchiveIndex {
  private readonly campaigns = new Map<string, CampaignIndex>();
  private readonly unitCampaigns = new Map<string, UnitCampaignIndex>();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<number>;
  private readonly clock: () => Date;
  private signals = '';
  private lastSweep = 0;
  /** unit folder → its stamp and person folder names, so unchanged units are not listed again */
  private readonly unitListing = new Map<string, Known<string[]>>();
  /** campaign → the stamp of its extensions file and each person's deadline under it */
  private readonly deadlines = new Map<string, Known<(person: Person) => Date>>();
  lastScan = { at: new Date(0), ms: 0, changes: 0, manifests: 0 };

  constructor(private readonly opts: ArchiveIndexOptions) {
    this.clock = opts.clock ?? (() => new Date());
    for (const campaign of opts.campaigns) {
      if (isUnitCampaign(campaign)) {
        this.unitCampaigns.set(campaign.id, new UnitCampaignIndex(campaign, opts.store.root, opts.units));
        continue;
      }
      const index = new CampaignIndex(campaign, opts.roster ?? []);
      for (const person of index.roster.values()) {
        index.persons.set(person.nationalId, summarisePerson(campaign, person, undefined, { inRoster: true, now: this.clock() }));
      }
      this.campaigns.set(campaign.id, index);
    }
  }

  campaign(id: string): CampaignIndex | undefined {
    return this.campaigns.get(id);
  }

  unitCampaign(id: string): UnitCampaignIndex | undefined {
    return this.unitCampaigns.get(id);
  }

  /** What new mail changes: message records, unit and person folders, unmatched mail. A few dozen stats. */
  private readSignals(): string {
    const root = this.opts.store.root;
    const parts = [stampAt(path.join(root, '_state', 'messages'))];
    for (const id of this.campaigns.keys()) {
      parts.push(stampAt(path.join(root, id)), stampAt(path.join(root, id, '_unmatched')), stampAt(this.extensionsFile(id)));
      for (const unit of dirNames(path.join(root, id))) parts.push(stampAt(path.join(root, id, unit)));
    }
    for (const index of this.unitCampaigns.values()) parts.push(...index.signals());
    return parts.join('|');
  }

  /** Sweeps when a signal moved, when the last sweep is older than sweepMs, or when forced. */
  async check(force = false): Promise<number> {
    const signals = this.readSignals();
    const since = Date.now() - this.lastSweep;
    const due = since >= (this.opts.sweepMs ?? 30_000);
    if (!force && !due && signals === this.signals) return 0;
    // During a burst of mail, sweep at most a fifth of the time: a sweep of 10,000 manifests costs ~0.2 s.
    if (!force && !due && since < this.lastScan.ms * (this.opts.burstFactor ?? 5)) return 0;
    this.signals = signals;
    return this.rescan();
  }

  /** One sweep over every campaign; concurrent callers share the sweep in progress. Returns the number of changes. */
  rescan(): Promise<number> {
    this.scanning ??= (async () => {
      const started = Date.now();
      let changes = 0;
      let manifests = 0;
      try {
        for (const index of this.campaigns.values()) {
          const result = await this.scanCampaign(index);
          changes += result.changes;
          manifests += result.manifests;
        }
        for (const index of this.unitCampaigns.values()) {
          const result = await index.scan();
          changes += result.changes;
          manifests += result.manifests;
        }
      } finally {
        this.lastSweep = Date.now();
        this.lastScan = { at: this.clock(), ms: Date.now() - started, changes, manifests };
        this.scanning = undefined;
      }
      return changes;
    })();
    return this.scanning;
  }

  start(): void {
    const interval = this.opts.checkMs ?? 1000;
    const tick = () => {
      this.check().catch((err) => this.opts.onError?.(err)).finally(() => {
        if (this.timer) this.timer = setTimeout(tick, interval).unref();
      });
    };
    this.timer = setTimeout(tick, interval).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private extensionsFile(campaignId: string): string {
    return path.join(this.opts.store.root, '_state', 'extensions', `${campaignId}.json`);
  }

  private deadlineOf(campaignId: string, person: Person): Date | undefined {
    return this.deadlines.get(campaignId)?.value(person);
  }

  private entryContext(index: CampaignIndex): EntryContext {
    return { clock: () => this.clock(), deadlineOf: (person) => this.deadlineOf(index.campaign.id, person) };
  }

  /** Reads the campaign's extensions when their file changed; then every person is summarised again. */
  private async refreshDeadlines(index: CampaignIndex): Promise<void> {
    const load = this.opts.deadlinesFor;
    const id = index.campaign.id;
    const stamp = stampAt(this.extensionsFile(id));
    const known = this.deadlines.get(id);
    if (!load || known?.stamp === stamp) return;
    this.deadlines.set(id, { stamp, value: await load(id) });
    if (!known) return;
    index.folders.clear(); // the sweep that follows reads every manifest again
    for (const person of index.roster.values()) {
      const entry = index.persons.get(person.nationalId);
      if (!entry?.dir)
        index.persons.set(person.nationalId,
          summarisePerson(index.campaign, person, undefined, { inRoster: true, now: this.clock(), deadline: this.deadlineOf(id, person) }));
    }
  }

  private async scanCampaign(index: CampaignIndex): Promise<{ changes: number; manifests: number }> {
    const root = this.opts.store.root;
    await this.refreshDeadlines(index);
    const folders = listPersonFolders(root, index.campaign.id, this.unitListing);
    let changes = await sweepFiles<PersonManifest>(folders, (dir) => path.join(root, dir, MANIFEST), index.folders, (dir, stamp, manifest) => {
      if (!manifest?.person?.nationalId) return false;
      index.folders.set(dir, { stamp, value: manifest.person.nationalId });
      setPersonEntry(index, dir, manifest, this.entryContext(index));
      return true;
    }, (dir) => dropPersonFolder(index, dir, this.entryContext(index)));
    changes += await this.scanUnmatched(index);
    if (changes) index.version++;
    return { changes, manifests: folders.length };
  }

  private scanUnmatched(index: CampaignIndex): Promise<number> {
    return scanUnmatchedDir(path.join(this.opts.store.root, index.campaign.id, '_unmatched'), index.unmatched);
  }

  /** Re-reads one person now (after a staff decision), so the next page shows it without waiting for a sweep. */
  async refreshPerson(campaignId: string, nationalId: string): Promise<PersonEntry | undefined> {
    const index = this.campaigns.get(campaignId);
    if (!index) return undefined;
    const found = await this.opts.store.readPerson(campaignId, nationalId);
    if (!found) return index.persons.get(nationalId);
    const manifestPath = path.join(this.opts.store.root, found.dir, MANIFEST);
    const stamp = stampAt(manifestPath);
    if (index.folders.get(found.dir)?.stamp === stamp && index.persons.get(nationalId)?.dir === found.dir) return index.persons.get(nationalId);
    for (const [dir, known] of index.folders) if (known.value === nationalId && dir !== found.dir) index.folders.delete(dir);
    const manifest = await readJsonFile<PersonManifest>(manifestPath) ?? found.manifest;
    // Changed again while being read: keep no stamp, so the next sweep reads it once more.
    index.folders.set(found.dir, { stamp: stampAt(manifestPath) === stamp ? stamp : '', value: nationalId });
    setPersonEntry(index, found.dir, manifest, this.entryContext(index));
    index.version++;
    return index.persons.get(nationalId);
  }

  async refreshUnmatched(campaignId: string): Promise<void> {
    const index = this.campaigns.get(campaignId);
    if (index && (await this.scanUnmatched(index))) index.version++;
    const units = this.unitCampaigns.get(campaignId);
    if (units && (await units.scanUnmatched())) units.version++;
  }
}
