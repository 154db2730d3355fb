import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ParsedMessage } from '../../../pipelines/types.ts';
import { memoryBody } from '../../../pipelines/body.ts';
import { parsedMessage } from '../../helpers/parsed-message.ts';
import { MAX_HELD_BYTES, MAX_HELD_MS, RecentParse } from '../../../workers/recent-parse.ts';

function message(fileBytes: number[]): ParsedMessage {
  return parsedMessage({
    files: fileBytes.map((n, i) => ({
      name: `f${i}.pdf`,
      folders: [],
      origin: 'attachment',
      contentType: 'application/pdf',
      size: n,
      sha256: `s${i}`,
      body: memoryBody(Buffer.alloc(n)),
    })),
  });
}

afterEach(() => vi.useRealTimers());

describe('the content queue\'s last parsed message', () => {
  it('parses a message once for the jobs that follow one another on it', async () => {
    const recent = new RecentParse();
    const parse = vi.fn(async () => message([10, 20]));
    const first = await recent.get('a.eml', parse);
    expect(await recent.get('a.eml', parse)).toBe(first);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('parses again for another message, after drop, and after a minute', async () => {
    vi.useFakeTimers();
    const recent = new RecentParse();
    const parse = vi.fn(async () => message([10]));
    await recent.get('a.eml', parse);
    await recent.get('b.eml', parse);
    await recent.get('a.eml', parse);
    expect(parse).toHaveBeenCalledTimes(3);
    recent.drop();
    await recent.get('a.eml', parse);
    expect(parse).toHaveBeenCalledTimes(4);
    vi.advanceTimersByTime(MAX_HELD_MS);
    await recent.get('a.eml', parse);
    expect(parse).toHaveBeenCalledTimes(5);
  });

  it('does not hold a message whose files are large', async () => {
    const recent = new RecentParse();
    const parse = vi.fn(async () => message([MAX_HELD_BYTES, 1]));
    await recent.get('big.eml', parse);
    await recent.get('big.eml', parse);
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
