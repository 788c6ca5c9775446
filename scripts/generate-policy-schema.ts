// Writes policy.schema.json (the JSON Schema editors use for policy.json) from the zod schema in shared/policy.ts.
// `npm run schema`; a unit test fails when the committed file is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PolicySchema } from '../shared/policy.js';

export const POLICY_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'policy.schema.json',
);

/** The file's exact text: 2-space JSON and a trailing newline. */
export function policySchemaText(): string {
  const schema = z.toJSONSchema(PolicySchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = schema;
  const document = {
    $schema,
    title: 'Gatehouse policy.json',
    description:
      'Which MCP tools an agent may call through Gatehouse: allow, deny, approve, rate limits and argument rules (DESIGN.md §4).',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(POLICY_SCHEMA_FILE, policySchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), POLICY_SCHEMA_FILE)}\n`);
}
