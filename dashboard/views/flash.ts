// The one-line notice a page shows after a form redirected back to it with ?done=<code>: what was done (ok) or
// why it was not (bad). Each page keeps its own table of codes; they are all built here the same way.

export interface Flash {
  kind: 'ok' | 'bad';
  text: string;
}

/** A page's notices by code: the outcomes, then the refusals. */
export function flashTable(ok: Record<string, string>, bad: Record<string, string> = {}): Record<string, Flash> {
  const entries = (kind: Flash['kind'], texts: Record<string, string>) => Object.entries(texts).map(([code, text]) => [code, { kind, text }] as const);
  return Object.fromEntries([...entries('ok', ok), ...entries('bad', bad)]);
}
