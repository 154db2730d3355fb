// What content reading said about a document, shown beside it: the first-page thumbnail, who decided its item
// (file name, pages or both) with the pages' confidence, the words seen, the page flags, and the pages of the
// combined PDF it was cut from; and the combined originals themselves. Wording only: pipelines/content decides.
import type { DocumentReading, ManifestCombinedFile, ManifestDocument } from '../../pipelines/types.ts';
import { bidi, fileSize, html, type Html } from '../html.ts';
import { flagTh, SOURCE_TH } from './labels.ts';

/** Evidence words shown per document: enough to see why, short enough for a table cell. */
const EVIDENCE_SHOWN = 6;

/** 1-based page numbers as Thai readers write them: [1, 2, 3, 5] → "1–3, 5". */
export function pageRanges(pages: number[]): string {
  const sorted = [...new Set(pages)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j;
  }
  return runs.join(', ');
}

/** The first page, small, opening the file itself; the route answers a placeholder picture when it cannot draw one. */
export function thumbnail(thumbHref: string, fileHref: string, name: string): Html {
  return html`<a class="thumb" href="${fileHref}" target="_blank" rel="noopener"><img src="${thumbHref}" alt="หน้าแรกของ ${name}" width="80" loading="lazy" decoding="async"></a>`;
}

export function flagBadges(flags: string[] | undefined): Html {
  if (!flags?.length) return html``;
  return html`${flags.map((f) => html`<span class="badge flag" data-flag="${f}">${flagTh(f)}</span> `)}`;
}

/** The reading's lines under a document's item; nothing for documents read by name alone before content reading. */
export function readingView(reading: DocumentReading | undefined): Html {
  if (!reading) return html``;
  const confidence = reading.confidence !== undefined ? html` · ความมั่นใจ <span data-confidence>${Math.round(reading.confidence * 100)}%</span>` : '';
  const evidence = reading.evidence.slice(0, EVIDENCE_SHOWN);
  const more = reading.evidence.length - evidence.length;
  const split = reading.splitFrom;
  return html`<div class="reading small" data-source="${reading.source}">ระบุจาก: <strong>${SOURCE_TH[reading.source] ?? reading.source}</strong>${confidence}
${evidence.length ? html`<div class="muted" data-evidence>คำที่พบ: ${evidence.join(', ')}${more > 0 ? ` และอีก ${more} คำ` : ''}</div>` : ''}
${reading.flags.length ? html`<div data-flags>${flagBadges(reading.flags)}</div>` : ''}
${split ? html`<div class="muted" data-split>แยกจากไฟล์ ${bidi(split.originalName)} หน้า ${pageRanges(split.pages)}</div>` : ''}</div>`;
}

export interface CombinedModel {
  combined: ManifestCombinedFile[];
  /** Every document of the folder (current or not): the parts are found by the original's sha256. */
  documents: ManifestDocument[];
  label: (doc: ManifestDocument) => string;
  fileHref: (path: string) => string;
  thumbHref: (path: string) => string;
  when: (iso: string) => string;
}

/** Combined PDFs kept as they came, each with the documents cut from it and their pages. */
export function combinedView(m: CombinedModel): Html {
  if (!m.combined.length) return html``;
  return html`<h2>ไฟล์รวมต้นฉบับที่แยกเป็นเอกสารแล้ว (${m.combined.length})</h2>
<table data-combined><thead><tr><th>หน้าแรก</th><th>ไฟล์ (ชื่อเดิม)</th><th>แยกเป็น</th><th>ได้รับเมื่อ</th></tr></thead><tbody>
${
    m.combined.map((c) => {
      const parts = m.documents.filter((d) => d.reading?.splitFrom?.sha256 === c.sha256);
      return html`<tr data-combined-file="${c.path}"><td>${thumbnail(m.thumbHref(c.path), m.fileHref(c.path), c.originalName)}</td>
<td><a href="${m.fileHref(c.path)}" target="_blank" rel="noopener">${bidi(c.originalName)}</a><div class="small muted">${fileSize(c.size)} · <a href="${
        m.fileHref(c.path)
      }" download="${c.originalName}">ดาวน์โหลดไฟล์รวม</a></div></td>
<td class="small">${
        parts.length
          ? html`<ul class="parts">${
            parts.map((d) => html`<li>${m.label(d)} — หน้า ${pageRanges(d.reading!.splitFrom!.pages)}${d.current ? '' : ' (ถูกแทนที่แล้ว)'}</li>`)
          }</ul>`
          : `${c.parts} เอกสาร`
      }</td>
<td class="small">${m.when(c.receivedAt)}</td></tr>`;
    })
  }
</tbody></table>`;
}
