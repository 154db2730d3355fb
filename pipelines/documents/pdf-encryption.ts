// Tells an openable "secured" PDF (owner password / permissions only: every reader opens it without asking) from
// one that needs a password, and counts the pages of the openable ones. pdf-lib cannot decrypt, so this asks pdf.js
// (pdfjs-dist, the maintained reader of Firefox, which implements the standard security handler R2–R6: RC4, AES-128,
// AES-256) to open it with the empty user password. It leaves out unencrypted PDFs: pdf-inspect.ts reads those itself.
//
// pdf.js is loaded on first use only: most mail has no encrypted PDF, and its Node build polyfills a few browser
// globals and loads @napi-rs/canvas (for rendering, which we never do) when it is imported. It reads through a range
// transport over the caller's source (only the ranges it needs: xref, trailer, /Encrypt, catalog, page tree), never
// a path or a URL, so it opens no file and fetches nothing; fonts are not loaded (nothing is rendered).
import type * as PdfJs from 'pdfjs-dist';
import { readClipped, type RandomAccessSource } from './pdf-source.ts';

export type EncryptedPdf =
  | { opens: true; pages: number }
  /** password: a user password is needed; unreadable: pdf.js could not open it for another reason. */
  | { opens: false; reason: 'password' | 'unreadable' };

/** pdf.js's own default range size: what it is handed first (the header and, for a small file, everything). */
const RANGE_CHUNK = 64 * 1024;

let pdfjs: Promise<typeof PdfJs> | undefined;

function loadPdfJs(): Promise<typeof PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs') as Promise<typeof PdfJs>;
  return pdfjs;
}

/** Opens an encrypted PDF with the empty user password, reading only the byte ranges pdf.js asks for. */
export async function openEncryptedPdf(source: RandomAccessSource): Promise<EncryptedPdf> {
  const { getDocument, PDFDataRangeTransport, VerbosityLevel } = await loadPdfJs();
  // A failed read is the caller's I/O error, not a verdict on the file: it is thrown, not turned into "unreadable".
  let ioError: { err: unknown } | undefined;
  let stop: (err: unknown) => void = () => {};
  const readFailure = new Promise<never>((_, reject) => {
    stop = reject;
  });
  readFailure.catch(() => {});
  class SourceTransport extends PDFDataRangeTransport {
    override requestDataRange(begin: number, end: number): void {
      // A copy: pdf.js takes ownership of the arrays it is given (the source may hand out views of its own bytes).
      readClipped(source, begin, end - begin).then((chunk) => this.onDataRange(begin, new Uint8Array(chunk)), (err: unknown) => {
        ioError = { err };
        stop(err);
      });
    }
  }
  const initial = new Uint8Array(await readClipped(source, 0, RANGE_CHUNK));
  const task = getDocument({
    range: new SourceTransport(source.size, initial),
    length: source.size,
    rangeChunkSize: RANGE_CHUNK,
    disableAutoFetch: true,
    disableStream: true,
    password: '',
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await Promise.race([task.promise, readFailure]);
    return { opens: true, pages: doc.numPages };
  } catch (err) {
    if (ioError) throw ioError.err;
    const { name, message } = err as { name?: string; message?: string };
    // A security handler pdf.js does not know (public-key, custom) cannot be opened by staff either.
    const locked = name === 'PasswordException' || /encrypt|crypt filter/i.test(message ?? '');
    return { opens: false, reason: locked ? 'password' : 'unreadable' };
  } finally {
    await task.destroy();
  }
}
