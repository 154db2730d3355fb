// The one way bytes and keys are named by content in this project: SHA-256 in lower-case hex (raw message keys,
// attachment hashes, dedupe keys, short tags of mailbox names and addresses). Text is hashed as UTF-8.
import { createHash } from 'node:crypto';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
