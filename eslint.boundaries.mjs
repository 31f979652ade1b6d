// Which folder may import which (docs/architecture.md): core ← domain ← adapters ← edge ←
// composition. Each entry names the imports a folder may not make, as regular expressions over
// the import specifier, so `eslint <file>` reports a forbidden import on its own.

// A relative import reaching one of the named folders or modules.
const segment = (...names) => `^\\.\\.?/(.*/)?(${names.join('|')})(/|$)`;
const outsideSrc = {
  regex: segment('dev', 'bench', 'test'),
  message: 'src/ never imports dev/, bench/ or test/.',
};
const sdks = {
  regex: '^(@azure/|azure-iothub|azure-iot-)',
  message: 'Only adapters and the edge talk to Azure SDKs; the domain reaches them through ports.',
};
// Domain folders, each with the domains built on it, which it may not import
// (jobs ← rollouts ← schedules).
const domainFolders = [
  { folder: 'jobs', builtOnIt: ['rollouts', 'schedules'] },
  { folder: 'rollouts', builtOnIt: ['schedules'] },
  { folder: 'schedules', builtOnIt: [] },
];

function forbid(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export const boundaries = [
  forbid(['src/**/*.ts'], [outsideSrc]),
  forbid(
    ['src/core/**/*.ts'],
    [
      outsideSrc,
      sdks,
      { regex: '^\\.\\./', message: 'src/core is the kernel: it imports nothing else in src/.' },
    ],
  ),
  ...domainFolders.map(({ folder, builtOnIt }) =>
    forbid(
      [`src/${folder}/**/*.ts`],
      [
        outsideSrc,
        sdks,
        {
          regex: segment('hub', 'storage', 'functions', 'http', 'composition', 'settings', 'index'),
          message:
            'A domain folder uses ports, never an adapter (hub, storage), a trigger (functions, http) or the composition root.',
        },
        ...(builtOnIt.length === 0
          ? []
          : [
              {
                regex: segment(...builtOnIt),
                message: `src/${folder} is what ${builtOnIt.join(', ')} build on; it never imports them.`,
              },
            ]),
      ],
    ),
  ),
  forbid(
    ['src/hub/**/*.ts'],
    [
      outsideSrc,
      {
        regex: segment('storage', 'functions', 'http', 'composition', 'index'),
        message: 'The hub adapter imports neither another adapter nor the edge.',
      },
    ],
  ),
  forbid(
    ['src/storage/**/*.ts'],
    [
      outsideSrc,
      {
        regex: segment('hub', 'functions', 'http', 'composition', 'index'),
        message: 'The storage adapter imports neither another adapter nor the edge.',
      },
    ],
  ),
  forbid(
    ['src/http/**/*.ts'],
    [
      outsideSrc,
      {
        regex: segment('functions', 'composition', 'index'),
        message:
          "src/http holds the edge's helpers: it imports no trigger and not the composition root.",
      },
    ],
  ),
  forbid(
    ['dev/hub-emulator/**/*.ts'],
    [
      {
        regex: segment('src'),
        message: 'The hub emulator stands alone: it never imports src/.',
      },
    ],
  ),
];
