/**
 * `npm run schema`: writes schemas/mxt.schema.json from the zod schema (the same JSON `mxt schema`
 * prints). A test fails when the committed file differs from this output, so run it after every
 * schema change.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { topologyJsonSchema } from '../core/schema/json-schema.js';

/** The file's exact content: 2-space JSON and a final newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`;
}

const target = new URL('../../schemas/mxt.schema.json', import.meta.url);

async function writeSchema(): Promise<void> {
  await mkdir(new URL('.', target), { recursive: true });
  await writeFile(target, schemaFileText());
  process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeSchema().catch((error: unknown) => {
    process.stderr.write(`write-schema: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
