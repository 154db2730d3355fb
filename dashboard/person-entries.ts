// How a person campaign's index follows its folders: the folders listed (each unit's listing kept until its
// stamp moves), and a person's entry set from a manifest or taken back when the folder goes.
import path from 'node:path';
import type { Person, PersonManifest } from '../pipelines/types.ts';
import { dirNames, stampAt, type CampaignIndex, type Known } from './campaign-index.ts';
import { summarisePerson } from './person-summary.ts';

/** The clock and each person's deadline (extensions) the entries are summarised with. */
export interface EntryContext {
  clock: () => Date;
  deadlineOf: (person: Person) => Date | undefined;
}

export function setPersonEntry(index: CampaignIndex, dir: string, manifest: PersonManifest | undefined, ctx: EntryContext): void {
  if (!manifest?.person?.nationalId) return;
  const rosterPerson = index.roster.get(manifest.person.nationalId);
  const person = rosterPerson ?? manifest.person;
  const entry = summarisePerson(index.campaign, person, { dir, manifest }, {
    inRoster: Boolean(rosterPerson) || manifest.inRoster,
    now: ctx.clock(),
    deadline: ctx.deadlineOf(person),
  });
  index.persons.set(entry.nationalId, entry);
}

/** A person folder that is gone: its roster person is back to "not submitted", anyone else leaves the index. */
export function dropPersonFolder(index: CampaignIndex, dir: string, ctx: EntryContext): void {
  const known = index.folders.get(dir);
  index.folders.delete(dir);
  if (!known) return;
  const entry = index.persons.get(known.value);
  if (entry?.dir !== dir) return; // already seen in its new folder
  const rosterPerson = index.roster.get(known.value);
  if (rosterPerson) {
    const deadline = ctx.deadlineOf(rosterPerson);
    index.persons.set(known.value, summarisePerson(index.campaign, rosterPerson, undefined, { inRoster: true, now: ctx.clock(), deadline }));
  }
  else index.persons.delete(known.value);
}

/** `<campaign>/<unit>/<person>` of every person folder; `unitListing` keeps each unit's listing by its stamp. */
export function listPersonFolders(root: string, campaignId: string, unitListing: Map<string, Known<string[]>>): string[] {
  const folders: string[] = [];
  for (const unit of dirNames(path.join(root, campaignId))) {
    const unitDir = path.join(root, campaignId, unit);
    const stamp = stampAt(unitDir);
    let listing = unitListing.get(unitDir);
    if (listing?.stamp !== stamp) {
      listing = { stamp, value: dirNames(unitDir) };
      unitListing.set(unitDir, listing);
    }
    for (const name of listing.value) folders.push(`${campaignId}/${unit}/${name}`);
  }
  return folders;
}
