// The bytes of one file as a PDF check reads them: by offset and length, so a large scan is never loaded whole
// to learn its page count, and the surprise that sends the check back to reading a file whole. It leaves out where
// the bytes live (a Buffer here, a temporary file elsewhere).

/** Random access to a file's bytes. `read` may return fewer bytes than asked only at the end of the file. */
export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

/** A source over bytes already in memory. */
export function bufferSource(bytes: Buffer): RandomAccessSource {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}

/** Reads `length` bytes at `offset`, clipped to the file. */
export function readClipped(source: RandomAccessSource, offset: number, length: number): Promise<Buffer> {
  const start = Math.max(0, Math.min(offset, source.size));
  return source.read(start, Math.max(0, Math.min(length, source.size - start)));
}

/** The file is not what its cross-reference data says; only a whole-file parse can tell what it is. */
export class PdfStructureSurprise extends Error {
  readonly code = 'pdf.structure_surprise';
}

export function surprise(why: string): never {
  throw new PdfStructureSurprise(why);
}
