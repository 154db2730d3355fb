// A multi-page PDF cut into documents: consecutive pages of the same kind stay together (an ID card's front
// and back, the pages of one house registration or transcript); a second card or certificate with another
// person's ID, or an education paper of another level, starts a new document. Blank pages belong to none.
// It does not split the PDF (the use-case copies the pages) nor decide whose each document is.
import type { DocumentSegment, FoundId, FoundName, PageReading } from './types.ts';

const idsOf = (x: { ids: FoundId[] }): Set<string> => new Set(x.ids.map((i) => i.id));
const disjoint = (a: Set<string>, b: Set<string>): boolean => a.size > 0 && b.size > 0 && ![...a].some((id) => b.has(id));

function continues(doc: DocumentSegment, sides: Set<string>, page: PageReading): boolean {
  if (page.kind !== doc.kind) return false;
  if (page.kind === 'unknown') return true;
  const pageIds = idsOf(page);
  if (page.kind === 'id-card' || page.kind === 'death-certificate') {
    if (disjoint(idsOf(doc), pageIds)) return false;
    if (page.kind === 'id-card' && page.side !== 'back' && (sides.has('front') || sides.has('both'))) {
      return pageIds.size > 0 && !disjoint(idsOf(doc), pageIds); // the same card copied twice
    }
    if (page.kind === 'id-card' && page.side === 'back' && (sides.has('back') || sides.has('both'))) return false;
    return true;
  }
  if (page.kind === 'degree' || page.kind === 'transcript') return !doc.level || !page.level || doc.level === page.level;
  return true;
}

function mergeIds(into: FoundId[], more: FoundId[]): void {
  for (const id of more) if (!into.some((x) => x.id === id.id)) into.push(id);
}

function mergeNames(into: FoundName[], more: FoundName[]): void {
  for (const n of more) if (!into.some((x) => x.firstName === n.firstName && x.lastName === n.lastName)) into.push(n);
}

export function segmentPages(pages: PageReading[]): { segments: DocumentSegment[]; blankPages: number[] } {
  const segments: DocumentSegment[] = [];
  const blankPages: number[] = [];
  let current: { doc: DocumentSegment; sides: Set<string> } | undefined;
  for (const page of pages) {
    if (page.flags.includes('blank')) {
      blankPages.push(page.page);
      continue;
    }
    if (current && continues(current.doc, current.sides, page)) {
      const doc = current.doc;
      doc.pages.push(page.page);
      doc.lastPage = page.page;
      doc.confidence = Math.min(doc.confidence, page.confidence);
      doc.level ??= page.level;
      mergeIds(doc.ids, page.ids);
      mergeNames(doc.names, page.names);
      for (const f of page.flags) if (!doc.flags.includes(f)) doc.flags.push(f);
      if (page.side) current.sides.add(page.side);
      continue;
    }
    const doc: DocumentSegment = {
      kind: page.kind,
      ...(page.level ? { level: page.level } : {}),
      firstPage: page.page,
      lastPage: page.page,
      pages: [page.page],
      confidence: page.confidence,
      items: page.items,
      ids: [...page.ids],
      names: [...page.names],
      flags: [...page.flags],
    };
    segments.push(doc);
    current = { doc, sides: new Set(page.side ? [page.side] : []) };
  }
  return { segments, blankPages };
}
