// Recognises a message that answers one of our own replies (its References carry <reply-KEY@…>), so an
// officer who replies "here is the missing file" without repeating the ID still reaches the right person.
// It only reads ids; whether the earlier message had exactly one person is decided by the caller.

const OUR_REPLY_ID = /^reply-([0-9a-f]{32})@/i;

/** Message keys of our replies this message answers, newest first. */
export function answeredReplyKeys(references: string[]): string[] {
  const keys: string[] = [];
  for (const ref of [...references].reverse()) {
    const key = OUR_REPLY_ID.exec(ref.replace(/^</, ''))?.[1]?.toLowerCase();
    if (key && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
