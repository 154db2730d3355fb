// pipelines/documents: What one file is and whether it counts: checklist item from its name, and a real, readable PDF.
// Internals (PDF encryption) stay behind this file.
export * from './classify.ts';
export * from './validate.ts';
export * from './split.ts';
export * from './pdf-scripts.ts';
