import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '../..');

/** Each planted source makes exactly one import its folder may not make. */
const planted: { file: string; source: string }[] = [
  {
    file: 'src/jobs/planted.ts',
    source: "import { classifyHubError } from '../hub/classifyHubError';",
  },
  {
    file: 'src/jobs/planted.ts',
    source: "import { TableJobStore } from '../storage/TableJobStore';",
  },
  { file: 'src/jobs/planted.ts', source: "import { getServices } from '../composition';" },
  {
    file: 'src/jobs/planted.ts',
    source: "import { createJobFunction } from '../functions/createJob';",
  },
  { file: 'src/jobs/planted.ts', source: "import { toProblem } from '../http/problem';" },
  { file: 'src/jobs/planted.ts', source: "import { TableClient } from '@azure/data-tables';" },
  { file: 'src/core/planted.ts', source: "import { isTerminal } from '../jobs/jobLifecycle';" },
  { file: 'src/jobs/planted.ts', source: "import { chunkJobId } from '../rollouts/rollout';" },
  {
    file: 'src/rollouts/planted.ts',
    source: "import { TableJobStore } from '../storage/TableJobStore';",
  },
  {
    file: 'src/storage/planted.ts',
    source: "import { classifyHubError } from '../hub/classifyHubError';",
  },
  {
    file: 'src/hub/planted.ts',
    source: "import { TableJobStore } from '../storage/TableJobStore';",
  },
  {
    file: 'src/functions/planted.ts',
    source: "import { startLocalHost } from '../../dev/host/startLocalHost';",
  },
  { file: 'src/planted.ts', source: "import { benchRows } from '../bench/run';" },
  {
    file: 'dev/hub-emulator/planted.ts',
    source: "import { redactSecrets } from '../../src/core/redactSecrets';",
  },
];

/** Imports each folder may make, from the same files' point of view. */
const allowed: { file: string; source: string }[] = [
  { file: 'src/jobs/planted.ts', source: "import { DomainError } from '../core/errors';" },
  { file: 'src/rollouts/planted.ts', source: "import { createJob } from '../jobs/createJob';" },
  { file: 'src/storage/planted.ts', source: "import type { JobStore } from '../jobs/ports';" },
  { file: 'src/functions/planted.ts', source: "import { getServices } from '../composition';" },
  {
    file: 'dev/host/planted.ts',
    source: "import { redactSecrets } from '../../src/core/redactSecrets';",
  },
];

/**
 * The project's own eslint.config.mjs, with type information off so that sources which exist only
 * in this test can be linted (a file planted on disk would leak into builds running beside it).
 */
async function restrictedImports(file: string, source: string): Promise<string[]> {
  const { ESLint } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });
  const [report] = await eslint.lintText(`${source}\nexport {};\n`, {
    filePath: path.join(root, file),
  });
  assert.ok(report, `no report for ${file}`);
  return report.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('import boundaries (eslint.boundaries.mjs)', () => {
  for (const { file, source } of planted) {
    it(`refuses in ${file}: ${source}`, async () => {
      const messages = await restrictedImports(file, source);
      assert.equal(messages.length, 1, JSON.stringify(messages));
    });
  }
  for (const { file, source } of allowed) {
    it(`allows in ${file}: ${source}`, async () => {
      assert.deepEqual(await restrictedImports(file, source), []);
    });
  }
});
