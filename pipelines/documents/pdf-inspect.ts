// Whether a PDF opens, how many pages it has and whether it is encrypted, reading only what that needs: the tail
// (%%EOF, startxref), the cross-reference data, the trailer, the catalog and the page tree, never the page contents
// or images. Page count and corruption mean what they meant when the whole file went through pdf-lib: pages are the
// /Type /Page leaves pdf-lib's page tree walk finds (not /Count), and a file the xref data does not explain (broken
// offsets, missing objects, no startxref) is read whole by pdf-lib as before. Encrypted files go to pdf.js
// (pdf-encryption.ts), also by ranges. It leaves out the Thai words and codes: validate.ts gives those.
import { PDFArray, PDFCatalog, PDFDocument, PDFName, PDFPageLeaf, PDFPageTree, type PDFObject } from 'pdf-lib';
import { openEncryptedPdf } from './pdf-encryption.ts';
import { checkLayout } from './pdf-layout.ts';
import { PdfStructure, PdfStructureSurprise } from './pdf-structure.ts';
import { bufferSource, readClipped, type RandomAccessSource } from './pdf-source.ts';

/** Readers (Acrobat, pdf.js) accept a header anywhere in the first 1024 bytes; so do we. */
export const HEADER_WINDOW = 1024;
/** A complete PDF ends with %%EOF; readers tolerate a little trailing junk after it. */
const TRAILER_WINDOW = 1024;
/** More page-tree visits than any real document has: a tree that shares subtrees over and over is not a scan. */
const MAX_TREE_VISITS = 200_000;

export type PdfInspection = (
  | { ok: true; pages: number; encrypted: boolean }
  /**
   * truncated: no %%EOF at the end (a download cut short); unreadable: not a PDF pdf-lib can parse;
   * password: needs a user password to open; no-pages: opens but has no page (or pdf.js cannot read it).
   */
  | { ok: false; reason: 'truncated' | 'unreadable' | 'password' | 'no-pages' }
) & {
  /** ranges: only the structure was read; whole: the file was read whole (a structure the xref data did not explain). */
  read: 'ranges' | 'whole';
};

type Verdict = { ok: true; pages: number; encrypted: boolean } | { ok: false; reason: 'unreadable' | 'password' | 'no-pages' };

function counted(pages: number, encrypted: boolean): Verdict {
  return pages < 1 ? { ok: false, reason: 'no-pages' } : { ok: true, pages, encrypted };
}

/** Owner-password-only files open in every reader without asking: they count; a user password does not. */
async function encryptedVerdict(source: RandomAccessSource): Promise<Verdict> {
  const opened = await openEncryptedPdf(source);
  if (!opened.opens && opened.reason === 'password') return { ok: false, reason: 'password' };
  return counted(opened.opens ? opened.pages : 0, true);
}

class BrokenTree extends Error {}

/** pdf-lib's PDFPageTree.traverse, over ranged reads: subtrees first, then the leaf; a cycle would overflow its stack. */
async function countLeaves(structure: PdfStructure, node: PDFPageTree, path: Set<PDFObject>, visits: { n: number }): Promise<number> {
  const kids = await structure.resolve(node.get(PDFName.of('Kids')));
  if (!(kids instanceof PDFArray)) throw new BrokenTree();
  let pages = 0;
  for (const kid of kids.asArray()) {
    if (++visits.n > MAX_TREE_VISITS) throw new BrokenTree();
    const child = await structure.resolve(kid);
    if (child instanceof PDFPageTree) {
      if (path.has(child)) throw new BrokenTree();
      path.add(child);
      pages += await countLeaves(structure, child, path, visits);
      path.delete(child);
    } else if (child instanceof PDFPageLeaf) {
      pages++;
    }
  }
  return pages;
}

async function rangedVerdict(source: RandomAccessSource, header: number): Promise<Verdict> {
  const structure = await PdfStructure.open(source, header);
  // Encrypted: pdf.js decided these before too (pdf-lib only saw /Encrypt); their object streams cannot be read here.
  if (structure.encrypt !== undefined && (await structure.resolve(structure.encrypt)) !== undefined) return encryptedVerdict(source);
  await checkLayout(structure);
  // pdf-lib looks for another /Type /Catalog when the trailer's /Root is not one: only a whole parse can do that.
  const catalog = await structure.resolve(structure.root);
  if (!(catalog instanceof PDFCatalog)) throw new PdfStructureSurprise('root is not a catalog');
  const tree = await structure.resolve(catalog.get(PDFName.of('Pages')));
  if (!(tree instanceof PDFPageTree)) return { ok: false, reason: 'no-pages' };
  try {
    return counted(await countLeaves(structure, tree, new Set([tree]), { n: 0 }), false);
  } catch (err) {
    if (err instanceof BrokenTree) return { ok: false, reason: 'no-pages' };
    throw err;
  }
}

/** The check as it was: the whole file through pdf-lib (all objects, in file order), pdf.js for encrypted ones. */
async function wholeVerdict(bytes: Buffer): Promise<Verdict> {
  let doc: PDFDocument;
  try {
    // ignoreEncryption: load even when encrypted, then decide ourselves whether a password is needed.
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (doc.isEncrypted) return encryptedVerdict(bufferSource(bytes));
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch {
    pages = 0;
  }
  return counted(pages, false);
}

/** Inspects the PDF in `source`, reading as little of it as the structure allows. */
export async function inspectPdf(source: RandomAccessSource): Promise<PdfInspection> {
  const tail = await readClipped(source, source.size - TRAILER_WINDOW - 6, TRAILER_WINDOW + 6);
  if (tail.indexOf('%%EOF') < 0) return { ok: false, reason: 'truncated', read: 'ranges' };
  const header = (await readClipped(source, 0, HEADER_WINDOW + 5)).indexOf('%PDF-');
  if (header < 0) return { ok: false, reason: 'unreadable', read: 'ranges' };
  // A failed read is the caller's I/O error and is thrown; any other failure of the ranged path (a surprise, or
  // pdf-lib's parser on an object the xref pointed to) means the structure is not what it says: read it whole.
  let ioError: { err: unknown } | undefined;
  const watched: RandomAccessSource = {
    size: source.size,
    read: (offset, length) =>
      source.read(offset, length).catch((err: unknown) => {
        ioError = { err };
        throw err;
      }),
  };
  try {
    return { ...(await rangedVerdict(watched, header)), read: 'ranges' };
  } catch {
    if (ioError) throw ioError.err;
  }
  return { ...(await wholeVerdict(await readClipped(source, 0, source.size))), read: 'whole' };
}
