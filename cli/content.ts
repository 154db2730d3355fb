// `seis-intake content FILE…`: what seis-intake reads in a scan, page by page (kind, confidence, IDs, names,
// flags, OCR details) and the documents the pages make. For staff checking a file and for tuning; it files nothing.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readContent, type ContentReading, type PageReading } from '../pipelines/content/index.ts';
import { formatNationalId } from '../pipelines/identity/index.ts';
import { readScan, type OcrPage, type ScanText } from '../adapters/content/ocr-engine.ts';
import { parseCommandArgs, UsageError, showHelp } from './args.ts';

const HELP = `usage: seis-intake content FILE.pdf|FILE.jpg|FILE.png … [--json] [--concurrency N] [--page-timeout SECONDS]
  Reads each file (the PDF's text layer, else Tesseract OCR in Thai and English) and prints per page the
  document kind, confidence, the IDs and names found and the flags (blank, unreadable, low-resolution,
  no-certification), then the documents the pages make. Needs tesseract-ocr, tesseract-ocr-tha, poppler-utils.
  --concurrency  pages OCRed at once (default: the number of CPUs)`;

export interface ContentReport {
  file: string;
  format: ScanText['format'];
  pageCount: number;
  ms: number;
  pages: Array<PageReading & { ocr: Omit<OcrPage, 'text' | 'page'> }>;
  segments: ContentReading['segments'];
  blankPages: number[];
}

export async function readContentFile(file: string, opts: { concurrency?: number; pageTimeoutMs?: number } = {}): Promise<ContentReport> {
  const scan = await readScan({ path: file }, opts);
  const reading = readContent(scan.pages);
  return {
    file,
    format: scan.format,
    pageCount: scan.pageCount,
    ms: scan.ms,
    pages: reading.pages.map((p, i) => {
      const { text: _text, page: _page, ...ocr } = scan.pages[i];
      return { ...p, ocr };
    }),
    segments: reading.segments,
    blankPages: reading.blankPages,
  };
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const kindLabel = (p: { kind: string; level?: string; side?: string; guess?: string }): string =>
  `${p.kind}${p.level ? ` ${p.level}` : ''}${p.side ? ` (${p.side})` : ''}${p.guess ? ` ~${p.guess}?` : ''}`;

function who(p: Pick<PageReading, 'ids' | 'names'>): string {
  const ids = p.ids.map((i) => `${formatNationalId(i.id)}${i.role ? ` (${i.role})` : ''}`);
  const names = p.names.map((n) => `${n.prefix ?? ''}${n.firstName} ${n.lastName}${n.role ? ` (${n.role})` : ''}`);
  return [...ids, ...names].join(' · ') || '-';
}

export function formatReport(r: ContentReport): string {
  const lines = [`${path.basename(r.file)}: ${r.format}, ${r.pageCount} page${r.pageCount === 1 ? '' : 's'}, read in ${(r.ms / 1000).toFixed(1)} s`];
  lines.push(`  ${pad('page', 5)} ${pad('kind', 34)} ${pad('conf', 5)} ${pad('flags', 30)} ${pad('ocr', 28)} IDs and names`);
  for (const p of r.pages) {
    const o = p.ocr;
    const ocr = o.source === 'ocr'
      ? `${o.dpi ?? '?'}dpi ${o.rotation ? `rot${o.rotation} ` : ''}c${Math.round(o.confidence ?? 0)} ${(o.ms / 1000).toFixed(1)}s`
      : o.source === 'text-layer'
      ? 'text layer'
      : `none${o.error ? ` (${o.error.code})` : ''}`;
    lines.push(
      `  ${pad(String(p.page), 5)} ${pad(kindLabel(p), 34)} ${pad(p.confidence.toFixed(2), 5)} ${pad(p.flags.join(',') || '-', 30)} ${pad(ocr, 28)} ${who(p)}`,
    );
    if (p.evidence.length) lines.push(`        evidence: ${p.evidence.slice(0, 8).join(', ')}`);
  }
  lines.push('  documents:');
  for (const s of r.segments) {
    const pages = s.firstPage === s.lastPage ? `page ${s.firstPage}` : `pages ${s.firstPage}-${s.lastPage}`;
    lines.push(`    ${pad(pages, 12)} ${pad(kindLabel(s), 34)} ${pad(s.confidence.toFixed(2), 5)} ${pad(s.flags.join(',') || '-', 30)} ${who(s)}`);
  }
  if (r.blankPages.length) lines.push(`    blank: ${r.blankPages.join(', ')}`);
  return lines.join('\n');
}

export async function contentCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    json: { type: 'boolean' },
    concurrency: { type: 'string' },
    'page-timeout': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, true);
  if (showHelp(values, HELP)) return 0;
  if (!positionals.length) throw new UsageError('give one or more files (PDF, JPEG or PNG)');
  const concurrency = values.concurrency ? Number(values.concurrency) : availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a whole number ≥ 1');
  const timeout = values['page-timeout'] ? Number(values['page-timeout']) : undefined;
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--page-timeout must be a number of seconds > 0');
  const reports: ContentReport[] = [];
  let status = 0;
  for (const file of positionals) {
    try {
      const report = await readContentFile(file, { concurrency, ...(timeout ? { pageTimeoutMs: timeout * 1000 } : {}) });
      reports.push(report);
      if (!values.json) console.log(formatReport(report));
    } catch (err) {
      status = 1;
      console.error(`seis-intake content: ${file}: ${(err as Error).message}`);
    }
  }
  if (values.json) console.log(JSON.stringify(positionals.length === 1 ? reports[0] ?? null : reports, null, 2));
  return status;
}
