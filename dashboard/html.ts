// Server-rendered HTML without a template engine: a tagged template that escapes every interpolated value
// unless it is already Html. It leaves out layout and styling (views/layout.ts).
import { escapeHtml as escapeText } from '../templates/layout.ts';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Renderable = Html | string | number | boolean | null | undefined | Renderable[];

/**
 * Bidirectional embedding, override and isolate controls (U+202A–202E, U+2066–2069): a right-to-left override
 * would make "รายงาน\u202Efdp.exe" read as "รายงานexe.pdf". Shown as U+FFFD, so staff see that something was there.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** The mail templates' HTML escape (one for the project), plus the bidi controls shown as U+FFFD. */
export function escapeHtml(text: string): string {
  return escapeText(text).replace(BIDI_CONTROLS, '\ufffd');
}

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** A name from outside (sender, subject, file, person, unit) set apart so its direction cannot run into its neighbours. */
export function bidi(text: string | undefined): Html {
  return html`<bdi>${text ?? ''}</bdi>`;
}

/** Trusted markup made in this codebase (never from the archive or a request). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A URL built from path segments, each percent-encoded, so names from the archive cannot change its shape. */
export function url(...segments: Array<string | number>): string {
  return `/${segments.map((s) => encodeURIComponent(String(s))).join('/')}`;
}

export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Thai thousands separators for counts. */
export function num(n: number): string {
  return n.toLocaleString('th-TH');
}

export function percent(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 1000) / 10 : 0;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
