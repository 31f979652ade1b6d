import { z } from 'zod';

export const containerNamePattern = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
export const maxBlobNameLength = 1024;

/** `"<container>/<blob name>"` split at the first slash. */
export interface BlobReference {
  container: string;
  blobName: string;
}

export function splitBlobReference(reference: string): BlobReference | undefined {
  const slash = reference.indexOf('/');
  if (slash < 0) return undefined;
  return { container: reference.slice(0, slash), blobName: reference.slice(slash + 1) };
}

/**
 * Why a blob reference is malformed, or undefined. It never quotes the reference: a pasted blob
 * URL may carry a SAS token.
 */
export function blobReferenceProblem(reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) {
    return 'must be "<container>/<blob name>" in the app\'s storage account, not a URL';
  }
  const parts = splitBlobReference(reference);
  if (parts === undefined) return 'must be "<container>/<blob name>"';
  if (!containerNamePattern.test(parts.container)) {
    return 'names an invalid container (before the first /): 3 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit';
  }
  if (parts.blobName.length === 0 || parts.blobName.length > maxBlobNameLength) {
    return `needs a blob name (after the first /) of 1 to ${maxBlobNameLength} characters`;
  }
  return undefined;
}

export const deviceIdsBlobSchema = z
  .string()
  .superRefine((reference, context) => {
    const problem = blobReferenceProblem(reference);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      'A blob in the app\'s storage account, "<container>/<blob name>", holding a JSON array of device ids or one id per line (UTF-8).',
    examples: ['meter-lists/tariff-b.txt'],
  });

/** Which containers a producer's blob reference may not name. */
export interface ContainerRules {
  isReservedContainer(name: string): boolean;
}

/**
 * The Functions host's containers (`azure-webjobs-*`, the deployment package's) and hubjobs' own:
 * the app's identity can read them all, so a blob reference must not reach them.
 */
export function reservedContainerRule(options: {
  ownContainers: readonly string[];
  deploymentContainer?: string;
}): ContainerRules {
  const reserved = new Set(
    [...options.ownContainers, options.deploymentContainer ?? '']
      .filter((name) => name !== '')
      .map((name) => name.toLowerCase()),
  );
  return {
    isReservedContainer: (name) => {
      const lower = name.toLowerCase();
      return lower.startsWith('azure-webjobs-') || reserved.has(lower);
    },
  };
}

export function reservedContainerMessage(container: string): string {
  return `names container "${container}", which belongs to the Functions host or to hubjobs and cannot hold device ids; upload them to a container of your own`;
}
