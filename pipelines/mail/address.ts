// Mail addresses as text: the bare address of "Name <addr>" for an SMTP envelope, and the one form of an address
// that comparisons use (suppression list, hourly limit, bounce reports, our own addresses). No validation here.

/** "Name <User+tag@Example.TEST>" → "user@example.test": case-insensitive, +tags and brackets removed. */
export function normaliseAddress(text: string): string {
  const inner = /<([^<>]*)>\s*$/.exec(text)?.[1] ?? text;
  const addr = inner.trim().toLowerCase();
  const at = addr.lastIndexOf('@');
  if (at < 0) return addr;
  return `${addr.slice(0, at).replace(/\+.*$/, '')}@${addr.slice(at + 1)}`;
}

/** "SEIS Intake <intake@example.go.th>" → "intake@example.go.th" (the SMTP envelope wants the bare address). */
export function bareAddress(text: string): string {
  return (/<([^<>]+)>\s*$/.exec(text)?.[1] ?? text).trim();
}
