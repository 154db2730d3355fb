// What kind of document a page is, from the words it prints (lexicon.ts), with a confidence and the words
// seen; the degree level of education papers; the side of an ID card; whether it carries "สำเนาถูกต้อง".
// It does not decide whose document it is, nor which checklist item among the candidates: identify does.
import { CERTIFICATION_WORDS, KIND_LEXICON, LEVEL_WORDS, THRESHOLDS, type KindLexicon, type PatternSignal } from './lexicon.ts';
import { compileTerm, findTerm, hitQuality, type CompiledTerm } from './match.ts';
import type { CardSide, DegreeLevel, KindDecision, PageKind } from './types.ts';

interface CompiledKind {
  lexicon: KindLexicon;
  /** Longest first, so a word inside a longer one already seen ("transcript" in "transcript of records") is skipped. */
  terms: Array<CompiledTerm & { weight: number; side?: 'front' | 'back' }>;
  patterns: PatternSignal[];
}

const KINDS: CompiledKind[] = KIND_LEXICON.map((lexicon) => ({
  lexicon,
  terms: lexicon.signals.map((sig) => ({ ...compileTerm(sig.text), weight: sig.weight, ...(sig.side ? { side: sig.side } : {}) }))
    .sort((a, b) => b.skel.length - a.skel.length),
  patterns: lexicon.patterns ?? [],
}));
const LEVELS = LEVEL_WORDS.map(({ level, tolerant, exact }) => ({
  level,
  terms: [...tolerant.map(compileTerm), ...exact.map((w) => ({ ...compileTerm(w), maxEdits: 0 }))],
}));
const CERTIFICATION = CERTIFICATION_WORDS.map(compileTerm);

interface KindScore {
  kind: Exclude<PageKind, 'unknown'>;
  score: number;
  evidence: string[];
  front: number;
  back: number;
}

function scoreKind(k: CompiledKind, skel: string, normalised: string): KindScore {
  const out: KindScore = { kind: k.lexicon.kind, score: 0, evidence: [], front: 0, back: 0 };
  const seen: string[] = [];
  for (const term of k.terms) {
    if (seen.some((longer) => longer.includes(term.skel))) continue;
    const hit = findTerm(skel, term);
    if (!hit) continue;
    const points = term.weight * hitQuality(hit);
    seen.push(term.skel);
    out.score += points;
    out.evidence.push(term.text);
    if (term.side) out[term.side] += points;
  }
  for (const p of k.patterns) {
    if (!p.pattern.test(normalised)) continue;
    out.score += p.weight;
    out.evidence.push(p.name);
    if (p.side) out[p.side] += p.weight;
  }
  return out;
}

/** The degree level an education paper names most; a tie goes to the higher level. Undefined if none. */
export function degreeLevel(skel: string): DegreeLevel | undefined {
  let rest = skel;
  let best: { level: DegreeLevel; count: number } | undefined;
  for (const { level, terms } of LEVELS) {
    let count = 0;
    for (const term of terms) {
      for (let hit = findTerm(rest, term), n = 0; hit && n < 50; hit = findTerm(rest, term), n++) {
        count++;
        // blank it out so บัณฑิต is not counted again inside มหาบัณฑิต
        const start = Math.max(0, hit.end - term.skel.length);
        rest = rest.slice(0, start) + '#'.repeat(hit.end - start) + rest.slice(hit.end);
      }
    }
    if (count && (!best || count > best.count)) best = { level, count };
  }
  return best?.level;
}

export function isCertified(skel: string): boolean {
  return CERTIFICATION.some((term) => findTerm(skel, term) !== undefined);
}

function cardSide(s: KindScore): CardSide {
  if (s.front > 0 && s.back >= 3) return 'both';
  return s.front >= s.back ? 'front' : 'back';
}

/**
 * Classifies one page. Confidence grows with the score (a title and a field or two is full strength) and with
 * the margin over the next kind; one word alone, or two kinds alike, stays below the threshold: 'unknown'.
 */
export function classifyPage(normalised: string, skel: string): KindDecision {
  const scores = KINDS.map((k) => scoreKind(k, skel, normalised)).sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score === 0) return { kind: 'unknown', confidence: 0, evidence: [] };
  const strength = Math.min(1, best.score / THRESHOLDS.strongScore);
  const margin = (best.score - (second?.score ?? 0)) / best.score;
  let confidence = strength * (0.4 + 0.6 * margin);
  if (best.evidence.length < 2) confidence *= 0.7;
  confidence = Math.round(confidence * 100) / 100;
  const decided: KindDecision = { kind: best.kind, confidence, evidence: best.evidence };
  if (best.kind === 'degree' || best.kind === 'transcript') {
    const level = degreeLevel(skel);
    if (level) decided.level = level;
  }
  if (best.kind === 'id-card') decided.side = cardSide(best);
  if (confidence < THRESHOLDS.classify) return { kind: 'unknown', confidence, evidence: best.evidence, guess: best.kind };
  return decided;
}

export function candidateItems(kind: PageKind): string[] {
  return KIND_LEXICON.find((k) => k.kind === kind)?.items ?? [];
}
