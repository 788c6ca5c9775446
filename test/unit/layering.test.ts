// The layering of DESIGN.md §1 is enforced by lint: these imports must be refused in these folders.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('keeps electron out of the gateway core and the CLI', async () => {
    expect(
      await restricted('electron/gateway/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('electron/cli-x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(0);
    expect(
      await restricted('electron/cli.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
  });

  it('lets shared/ import only zod and shared/', async () => {
    expect(
      await restricted(
        'shared/x.ts',
        "import { z } from 'zod';\nimport { y } from './y.js';\nexport const a = [z, y];\n",
      ),
    ).toEqual([]);
    expect(await restricted('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(
      1,
    );
    expect(
      await restricted(
        'shared/x.ts',
        "import { Gateway } from '../electron/gateway/core/gateway.js';\nexport const a = Gateway;\n",
      ),
    ).toHaveLength(1);
  });

  it('keeps Node, electron and the core out of the dashboard', async () => {
    expect(
      await restricted('renderer/src/x.tsx', "import fs from 'node:fs';\nexport const a = fs;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('renderer/src/x.tsx', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await restricted(
        'renderer/src/x.tsx',
        "import { decide } from '../../electron/gateway/policy/decide.js';\nexport const a = decide;\n",
      ),
    ).toHaveLength(1);
  });
});
