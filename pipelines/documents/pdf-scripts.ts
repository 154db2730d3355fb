// A PDF as staff may open it in the browser: every script and automatic action removed. Chromium's PDF viewer
// runs a document's JavaScript (/OpenAction, /AA, the /JavaScript name tree) even when the response carries
// `Content-Security-Policy: sandbox` (measured with Chromium 156), so the bytes themselves must be defanged.
// It leaves out whether the file is a real PDF (validate.ts) and never changes what a page shows.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, type PDFObject } from 'pdf-lib';

/** Actions that run code, open other files or send data; a link to a page (GoTo) or URI stays. */
const ACTIVE_ACTIONS = new Set(['JavaScript', 'Launch', 'SubmitForm', 'ImportData', 'ResetForm', 'GoToR', 'GoToE', 'Rendition', 'RichMediaExecute', 'Sound',
  'Movie', 'Hide', 'SetOCGState', 'Trans', 'GoTo3DView']);
/** Keys that trigger actions by themselves or hold scripts. */
const TRIGGERS = ['OpenAction', 'AA', 'JS', 'JavaScript', 'XFA', 'Next'];

/**
 * Whether the raw bytes could hold an active feature. Compressed object streams and #-escaped names hide
 * them from a byte search, so those count as "could" too.
 */
export function mayHaveScripts(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /\/(JavaScript|JS|AA|OpenAction|Launch|SubmitForm|ImportData|XFA|ObjStm|RichMedia|Rendition)\b/.test(text) || /\/[A-Za-z]*#[0-9A-Fa-f]{2}/.test(text);
}

function clean(obj: PDFObject | undefined, doc: PDFDocument, seen: Set<PDFObject>): number {
  if (!obj || seen.has(obj)) return 0;
  seen.add(obj);
  let removed = 0;
  if (obj instanceof PDFRef) return clean(doc.context.lookup(obj), doc, seen);
  if (obj instanceof PDFArray) {
    for (let i = 0; i < obj.size(); i++) removed += clean(obj.get(i), doc, seen);
    return removed;
  }
  if (!(obj instanceof PDFDict)) return 0;
  const s = obj.get(PDFName.of('S'));
  if (s instanceof PDFName && ACTIVE_ACTIONS.has(s.decodeText())) {
    for (const key of obj.keys()) obj.delete(key);
    return removed + 1;
  }
  for (const key of TRIGGERS) {
    if (obj.has(PDFName.of(key))) {
      obj.delete(PDFName.of(key));
      removed++;
    }
  }
  for (const [, value] of obj.entries()) removed += clean(value, doc, seen);
  return removed;
}

/**
 * The PDF without scripts and automatic actions, and how many it had; `undefined` when pdf-lib cannot read it
 * (the caller then offers it as a download, never inline). Bytes come back unchanged when there was nothing.
 */
export async function withoutScripts(bytes: Uint8Array): Promise<{ bytes: Uint8Array; removed: number } | undefined> {
  if (!mayHaveScripts(bytes)) return { bytes, removed: 0 };
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return undefined;
  }
  const seen = new Set<PDFObject>();
  let removed = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) removed += clean(object, doc, seen);
  removed += clean(doc.context.trailerInfo.Root, doc, seen);
  if (!removed) return { bytes, removed: 0 };
  return { bytes: await doc.save({ useObjectStreams: false }), removed };
}
