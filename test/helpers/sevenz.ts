// 7z archives for tests, written by real 7-Zip (the 7z-wasm package the pipeline unpacks with), in memory.
import sevenZipPackage from '7z-wasm';

// The package is CommonJS: Node's default import is module.exports, which also carries itself as `.default`
// (the only form its typings describe).
const SevenZip = sevenZipPackage.default;

export interface SevenZEntrySpec {
  /** Path inside the archive with "/" separators. */
  name: string;
  content: Buffer | string;
}

export interface SevenZOptions {
  /** `-p`: entries encrypted with AES-256. */
  password?: string;
  /** `-mhe=on` (with a password): the header, names included, is encrypted too. */
  encryptHeaders?: boolean;
  /** Solid (the default of 7-Zip) or one block per file. */
  solid?: boolean;
  /** `-m0=Copy`: stored, no compression. */
  store?: boolean;
}

export async function build7z(entries: SevenZEntrySpec[], opts: SevenZOptions = {}): Promise<Buffer> {
  const log: string[] = [];
  const sz = await SevenZip({ print: (l: string) => log.push(l), printErr: (l: string) => log.push(l) });
  const made = new Set<string>(['/in']);
  sz.FS.mkdir('/in');
  for (const e of entries) {
    const parts = e.name.split('/');
    let dir = '/in';
    for (const p of parts.slice(0, -1)) {
      dir += `/${p}`;
      if (!made.has(dir)) sz.FS.mkdir(dir);
      made.add(dir);
    }
    sz.FS.writeFile(`/in/${e.name}`, typeof e.content === 'string' ? Buffer.from(e.content) : e.content);
  }
  sz.FS.chdir('/in');
  const args = ['a', '-bd', '-y', '/out.7z', ...new Set(entries.map((e) => e.name.split('/')[0]))];
  if (opts.password) args.push(`-p${opts.password}`);
  if (opts.encryptHeaders) args.push('-mhe=on');
  args.push(`-ms=${opts.solid === false ? 'off' : 'on'}`);
  if (opts.store) args.push('-m0=Copy');
  const exitCode = process.exitCode;
  const code = sz.callMain(args) as unknown as number;
  process.exitCode = exitCode;
  if (code !== 0) throw new Error(`7-Zip could not build the archive: ${log.join('\n')}`);
  return Buffer.from(sz.FS.readFile('/out.7z'));
}
