// One file's pages, read: per page the kind, level, confidence and evidence, the IDs and names it prints and
// whose they are when the form says so, its flags; then the documents the pages make. Text in, decisions out:
// the engine (adapters/content/ocr-engine.ts) produced the text, identify and file decide what to do with it.
import { candidateItems, classifyPage, isCertified } from './classify-page.ts';
import { pageFlags } from './flags.ts';
import { findIdsInText } from './ids.ts';
import { findNamesInText } from './names.ts';
import { normaliseOcrText, skeleton } from './normalise.ts';
import { segmentPages } from './segment.ts';
import type { ContentReading, FoundId, PageReading, PageText, PersonRole } from './types.ts';

/** A card's one unlabelled ID is its holder's; a death certificate's, the deceased's. Names get no default:
 * the certifier's name under a relative's card must not become the card's holder. */
function defaultIdRole(kind: string): PersonRole | undefined {
  return kind === 'id-card' ? 'holder' : kind === 'death-certificate' ? 'deceased' : undefined;
}

function withDefaultRole(found: FoundId[], role: PersonRole | undefined): FoundId[] {
  if (!role || found.some((f) => f.role === role)) return found;
  const unlabelled = found.filter((f) => !f.role);
  return unlabelled.length === 1 ? found.map((f) => (f === unlabelled[0] ? { ...f, role } : f)) : found;
}

export function readPage(page: PageText): PageReading {
  const normalised = normaliseOcrText(page.text);
  const skel = skeleton(normalised);
  const certified = isCertified(skel);
  const decision = pageFlags(page, certified).includes('blank')
    ? { kind: 'unknown' as const, confidence: 0, evidence: [] } :
    classifyPage(normalised, skel);
  const flags = pageFlags(page, certified, decision.kind !== 'unknown');
  return {
    page: page.page,
    ...decision,
    items: candidateItems(decision.kind),
    ids: withDefaultRole(findIdsInText(normalised), defaultIdRole(decision.kind)),
    names: findNamesInText(normalised),
    flags,
    certified,
  };
}

export function readContent(pages: PageText[]): ContentReading {
  const read = pages.map(readPage);
  return { pages: read, ...segmentPages(read) };
}
