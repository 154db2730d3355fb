// Which units an account may see: every unit (admin, central, a viewer without units) or the units listed on the
// account, matched by units-file id, name or alias. Unmatched mail belongs to a unit only when it came from one
// of the unit's addresses in the units file. It decides membership only; routes and lists ask it (guards.ts).
import type { Unit, UnitsDirectory } from '../pipelines/unit/index.ts';

const norm = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const address = (text: string) => (/<([^>]+)>/.exec(text)?.[1] ?? text).trim().toLowerCase();

export class Scope {
  /** Normalised ids, names and aliases of the account's units. */
  private readonly names = new Set<string>();
  private readonly emails = new Set<string>();
  readonly units: Unit[] = [];

  private constructor(readonly all: boolean, entries: string[], directory?: UnitsDirectory) {
    if (all) return;
    for (const entry of entries) {
      const n = norm(entry);
      this.names.add(n);
      const unit = directory?.byId.get(entry.trim()) ?? directory?.units.find((u) => [u.id, u.name, ...u.aliases].some((x) => norm(x) === n));
      if (!unit) continue;
      this.units.push(unit);
      for (const x of [unit.id, unit.name, ...unit.aliases]) this.names.add(norm(x));
      for (const e of unit.emails) this.emails.add(address(e));
    }
  }

  static everything(): Scope {
    return new Scope(true, []);
  }

  /** admin and central see every unit; unit users their own; viewers theirs, or every unit without a list. */
  static of(account: { role: string; units: string[] }, directory?: UnitsDirectory): Scope {
    const limited = account.role === 'unit' || (account.role === 'viewer' && account.units.length > 0);
    return limited ? new Scope(false, account.units, directory) : Scope.everything();
  }

  /** A unit as a person-scope campaign names it (the roster's unit column). */
  unitName(name: string | undefined): boolean {
    return this.all || (name !== undefined && this.names.has(norm(name)));
  }

  /** A unit folder of a unit-scope campaign (its manifest's unit: units-file id when known, else its name). */
  unitRef(ref: { id?: string; name: string } | undefined): boolean {
    if (this.all) return true;
    if (!ref) return false;
    return (ref.id !== undefined && this.names.has(norm(ref.id))) || this.names.has(norm(ref.name));
  }

  /** Unmatched mail: only from an address of one of the account's units (the units file says which). */
  sender(from: string | undefined): boolean {
    return this.all || (from !== undefined && this.emails.has(address(from)));
  }
}
