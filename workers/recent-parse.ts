// The message the `content` queue parsed last, kept for its next job. A message's read jobs are siblings queued
// together and its `verify` parent runs right after them, so the stored original is parsed once for all of them,
// not once per job. Bounded: one message, only when its files are small, dropped after a minute.
import type { ParsedMessage } from '../pipelines/types.ts';

/** A message with more bytes of files than this is parsed again by each job instead of held. */
export const MAX_HELD_BYTES = 16 * 1024 * 1024;
export const MAX_HELD_MS = 60_000;

export class RecentParse {
  private held?: { emlPath: string; parsed: ParsedMessage; timer: NodeJS.Timeout };

  /** The parsed message at `emlPath`: the one held, else `parse()` (then held for the next job). */
  async get(emlPath: string, parse: () => Promise<ParsedMessage>): Promise<ParsedMessage> {
    if (this.held?.emlPath === emlPath) return this.held.parsed;
    this.drop();
    const parsed = await parse();
    const bytes = parsed.files.reduce((n, f) => n + f.body.size, 0);
    // Only bodies held in memory: a spooled file is removed when its job ends.
    if (bytes <= MAX_HELD_BYTES && parsed.files.every((f) => !f.body.path)) {
      const timer = setTimeout(() => this.drop(), MAX_HELD_MS);
      timer.unref();
      this.held = { emlPath, parsed, timer };
    }
    return parsed;
  }

  /** The message held for `emlPath`, if it is the one held. */
  peek(emlPath: string): ParsedMessage | undefined {
    return this.held?.emlPath === emlPath ? this.held.parsed : undefined;
  }

  drop(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
  }
}
