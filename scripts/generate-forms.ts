// Regenerates the published blank forms in templates/forms/ (CSV and XLSX of each unit-scope form) from their one
// definition in templates/forms.ts. Run after changing a form: `npm run forms`. The unit tests check that the
// committed CSV copies are what the definition makes.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formFile, FORMS, type FormKind } from '../templates/forms.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates', 'forms');
await mkdir(dir, { recursive: true });
for (const kind of Object.keys(FORMS) as FormKind[]) {
  for (const format of ['csv', 'xlsx'] as const) {
    const file = await formFile(kind, format);
    await writeFile(path.join(dir, file.filename), file.content);
    console.log(`wrote templates/forms/${file.filename} (${file.content.length} bytes)`);
  }
}
