import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.join(__dirname, '../..');
const eslintBin = path.join(root, 'node_modules/eslint/bin/eslint.js');

/** Each planted file makes exactly one import its folder may not make. */
const planted: { file: string; source: string }[] = [
  {
    file: `src/jobs/zzPlantedAdapter${process.pid}.ts`,
    source:
      "import { classifyHubError } from '../hub/classifyHubError';\nexport const planted = classifyHubError;\n",
  },
  {
    file: `src/jobs/zzPlantedRoot${process.pid}.ts`,
    source: "import { getServices } from '../composition';\nexport const planted = getServices;\n",
  },
  {
    file: `src/core/zzPlantedDomain${process.pid}.ts`,
    source:
      "import { isTerminal } from '../jobs/jobLifecycle';\nexport const planted = isTerminal;\n",
  },
  {
    file: `src/storage/zzPlantedAdapter${process.pid}.ts`,
    source:
      "import { classifyHubError } from '../hub/classifyHubError';\nexport const planted = classifyHubError;\n",
  },
  {
    file: `src/functions/zzPlantedDev${process.pid}.ts`,
    source:
      "import { startLocalHost } from '../../dev/host/startLocalHost';\nexport const planted = startLocalHost;\n",
  },
  {
    file: `dev/hub-emulator/zzPlantedSrc${process.pid}.ts`,
    source:
      "import { redactSecrets } from '../../src/core/redactSecrets';\nexport const planted = redactSecrets;\n",
  },
];

async function eslint(files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [eslintBin, '--format', 'json', ...files], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, output: failed.stdout ?? '' };
  }
}

describe('import boundaries (eslint.boundaries.mjs)', () => {
  after(async () => {
    await Promise.all(planted.map(({ file }) => rm(path.join(root, file), { force: true })));
  });

  it('fails `eslint <file>` on each planted forbidden import, and passes the real files beside them', async () => {
    await Promise.all(planted.map(({ file, source }) => writeFile(path.join(root, file), source)));
    const neighbours = [
      'src/jobs/createJob.ts',
      'src/core/logger.ts',
      'src/storage/TableJobStore.ts',
    ];
    const result = await eslint([...planted.map(({ file }) => file), ...neighbours]);
    assert.equal(result.code, 1, 'eslint should exit 1');
    const reports = JSON.parse(result.output) as {
      filePath: string;
      messages: { ruleId: string | null }[];
    }[];
    for (const report of reports) {
      const relative = path.relative(root, report.filePath);
      const restricted = report.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      const expected = planted.some(({ file }) => file === relative) ? 1 : 0;
      assert.equal(restricted.length, expected, `${relative}: ${JSON.stringify(report.messages)}`);
    }
    assert.equal(reports.length, planted.length + neighbours.length);
  });
});
