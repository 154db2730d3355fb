// pipelines/documents: What one file is and whether it counts: checklist item from its name, and a real, readable PDF.
// Internals (PDF structure, encryption) stay behind this file; inspectPdf reads a PDF by ranges from any source.
export * from './classify.ts';
export * from './validate.ts';
export * from './split.ts';
export * from './pdf-scripts.ts';
export { inspectPdf, type PdfInspection } from './pdf-inspect.ts';
export { bufferSource, type RandomAccessSource } from './pdf-source.ts';
