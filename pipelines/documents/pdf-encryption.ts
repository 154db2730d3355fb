// Tells an openable "secured" PDF (owner password / permissions only: every reader opens it without asking) from
// one that needs a password, and counts the pages of the openable ones. pdf-lib cannot decrypt, so this asks pdf.js
// (pdfjs-dist, the maintained reader of Firefox, which implements the standard security handler R2–R6: RC4, AES-128,
// AES-256) to open it with the empty user password. It leaves out unencrypted PDFs: validate.ts reads those itself.
//
// pdf.js is loaded on first use only: most mail has no encrypted PDF, and its Node build polyfills a few browser
// globals and loads @napi-rs/canvas (for rendering, which we never do) when it is imported. It is given the bytes,
// never a path or a URL, so it reads no file and fetches nothing; fonts are not loaded (nothing is rendered).
import type * as PdfJs from 'pdfjs-dist';

export type EncryptedPdf =
  | { opens: true; pages: number }
  /** password: a user password is needed; unreadable: pdf.js could not open it for another reason. */
  | { opens: false; reason: 'password' | 'unreadable' };

let pdfjs: Promise<typeof PdfJs> | undefined;

function loadPdfJs(): Promise<typeof PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs') as Promise<typeof PdfJs>;
  return pdfjs;
}

/** Opens an encrypted PDF with the empty user password. */
export async function openEncryptedPdf(bytes: Buffer): Promise<EncryptedPdf> {
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  // A copy: pdf.js takes ownership of the array it is given.
  const task = getDocument({
    data: new Uint8Array(bytes), password: '', isEvalSupported: false, disableFontFace: true, useSystemFonts: false,
    stopAtErrors: false, verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    return { opens: true, pages: doc.numPages };
  } catch (err) {
    const { name, message } = err as { name?: string; message?: string };
    // A security handler pdf.js does not know (public-key, custom) cannot be opened by staff either.
    const locked = name === 'PasswordException' || /encrypt|crypt filter/i.test(message ?? '');
    return { opens: false, reason: locked ? 'password' : 'unreadable' };
  } finally {
    await task.destroy();
  }
}
