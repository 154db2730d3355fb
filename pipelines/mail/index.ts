// pipelines/mail: Mail as bytes: parsing MIME of every client, mbox files, bounces, threads, and whether to answer at all.
// Internals (header repair, MIME walking) stay behind this file.
export * from './address.ts';
export * from './bounce.ts';
export * from './mbox.ts';
export * from './parse.ts';
export * from './reply-guard.ts';
export * from './thread.ts';
