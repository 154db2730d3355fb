// Person folders by national ID, from one scan of a campaign's unit folders kept in memory, instead of reading
// every unit folder for each new person (the scan is the fallback for folders without an index entry, and most
// lookups are of persons with no folder yet). Folders this process files are added as it goes; folders made by
// others carry an index entry, and the scan is redone when it is older than LISTING_MS or when asked to.
import path from 'node:path';
import { assertCampaignId } from '../../pipelines/archive-paths.ts';
import { subdirs } from '../atomic-fs.ts';
import type { ArchiveRoot } from './root.ts';

export const LISTING_MS = 30_000;

interface Listing {
  at: number;
  byId: Map<string, string>;
}

const listings = new WeakMap<ArchiveRoot, Map<string, Listing>>();

/** The folder (root-relative) whose name is the ID, or starts with the ID and a space: the first in name order. */
export async function listedPersonDir(
  archive: ArchiveRoot,
  campaignId: string,
  nationalId: string,
  opts: { rescan?: boolean; now?: number } = {},
): Promise<string | undefined> {
  const now = opts.now ?? Date.now();
  const campaigns = listings.get(archive) ?? new Map<string, Listing>();
  listings.set(archive, campaigns);
  let listing = campaigns.get(campaignId);
  if (!listing || opts.rescan || now - listing.at >= LISTING_MS) {
    listing = { at: now, byId: await scan(archive, campaignId) };
    campaigns.set(campaignId, listing);
  }
  return listing.byId.get(nationalId);
}

/** Records a folder this process is filing into, so a lookup before the next scan finds it. */
export function notePersonDir(archive: ArchiveRoot, campaignId: string, nationalId: string, dir: string): void {
  const byId = listings.get(archive)?.get(campaignId)?.byId;
  if (byId && !byId.has(nationalId)) byId.set(nationalId, dir);
}

async function scan(archive: ArchiveRoot, campaignId: string): Promise<Map<string, string>> {
  const campaignDir = archive.resolveInside(assertCampaignId(campaignId));
  const byId = new Map<string, string>();
  for (const unit of await subdirs(campaignDir)) {
    if (unit.startsWith('_')) continue;
    for (const name of await subdirs(path.join(campaignDir, unit))) {
      const id = name.split(' ', 1)[0];
      if (!byId.has(id)) byId.set(id, `${campaignId}/${unit}/${name}`);
    }
  }
  return byId;
}
