// The layering of DESIGN.md §1 is enforced by lint: these imports must be refused in these folders.
import fs from 'node:fs';
import { ESLint } from 'eslint';
import { GATEWAY_LAYERS } from '../../eslint.config.js';
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
        "import { Gateway } from '../electron/gateway/app/gateway.js';\nexport const a = Gateway;\n",
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

  it('lets each folder of the gateway import only the folders it lists', async () => {
    const importing = (folder: string, target: string) =>
      restricted(
        `electron/gateway/${folder}/x.ts`,
        `import { y } from '../${target}/y.js';\nexport const a = y;\n`,
      );
    expect(await importing('policy', 'calls')).toHaveLength(1);
    expect(await importing('front', 'control')).toHaveLength(1);
    expect(await importing('calls', 'relay')).toHaveLength(1);
    expect(await importing('relay', 'calls')).toEqual([]);
    expect(await importing('app', 'control')).toEqual([]);
    // The core-wide rules still hold inside every folder.
    expect(
      await restricted(
        'electron/gateway/app/x.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).toHaveLength(1);
  });

  it('names every folder of the gateway, each importing only folders listed before it (no cycles)', () => {
    const onDisk = fs
      .readdirSync('electron/gateway', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(Object.keys(GATEWAY_LAYERS).sort()).toEqual(onDisk);
    expect(fs.readdirSync('electron/gateway').filter((f) => f.endsWith('.ts'))).toEqual([]);
    const order = Object.keys(GATEWAY_LAYERS);
    for (const [folder, allowed] of Object.entries(GATEWAY_LAYERS)) {
      for (const dep of allowed as string[])
        expect(order.indexOf(dep), `${folder} -> ${dep}`).toBeLessThan(order.indexOf(folder));
    }
  });
});
