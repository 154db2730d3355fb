// pipelines/archives: Unpacking what officers attach: ZIP and RAR archives with their folders, under size, depth and ratio limits.
// Internals (entry names, RAR headers) stay behind this file.
export * from './unpack.ts';
