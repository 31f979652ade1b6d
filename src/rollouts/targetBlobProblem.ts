import type { TargetBlobProblem } from './ports';

/** What a producer is told about its blob: the reference and the reason, never the content. */
export function describeBlobProblem(problem: TargetBlobProblem): string {
  switch (problem.kind) {
    case 'notFound':
      return `blob ${problem.blob} does not exist`;
    case 'forbidden':
      return `blob ${problem.blob} cannot be read with hubjobs' identity (403)`;
    case 'tooLarge':
      return `blob ${problem.blob} is ${problem.bytes} bytes, over the limit of ${problem.maxBytes}`;
  }
}
