// A password for `users add|passwd` and `serve --hash-password`: one line of standard input (a prompt on stderr
// when it is a terminal, so stdout keeps only the command's output).
import { createInterface } from 'node:readline';

export async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}
