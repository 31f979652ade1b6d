import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { hubErrors } from '../hubError';

/** A shared access policy of the hub: its name (`skn`) and its base64 key. */
export interface AccessPolicy {
  name: string;
  key: string;
}

export interface AuthorizationRules {
  policies: readonly AccessPolicy[];
  /** Accept `Authorization: Bearer <any non-empty token>` (Entra ID path, not verified locally). */
  acceptBearer: boolean;
  now?: () => number;
}

export const ownerPolicyName = 'iothubowner';

/** The hub key derives from the seed, so a restarted emulator keeps its connection string. */
export function deriveHubKey(seed: number): string {
  return createHash('sha256').update(`hubjobs-emulator/iothubowner/${seed}`).digest('base64');
}

/** Builds the header value the SDK sends: `SharedAccessSignature sr=&sig=&skn=&se=`. */
export function createSharedAccessSignature(options: {
  resource: string;
  policyName: string;
  key: string;
  expiresAtSeconds: number;
}): string {
  const signature = sign(options.key, options.resource, String(options.expiresAtSeconds));
  return (
    `SharedAccessSignature sr=${encodeURIComponent(options.resource)}` +
    `&sig=${encodeURIComponent(signature)}&skn=${encodeURIComponent(options.policyName)}` +
    `&se=${options.expiresAtSeconds}`
  );
}

/**
 * Throws 401 IotHubUnauthorizedAccess unless the header carries a valid SAS for `host` or an
 * accepted bearer token. Messages never repeat the token or the key.
 */
export function authorizeRequest(
  authorization: string | undefined,
  host: string | undefined,
  rules: AuthorizationRules,
): void {
  const header = authorization?.trim() ?? '';
  const bearer = /^Bearer\s+(\S.*)$/i.exec(header);
  if (bearer) {
    if (rules.acceptBearer) return;
    throw hubErrors.unauthorized('Bearer tokens are not accepted by this hub.');
  }
  const fields = parseSharedAccessSignature(header);
  if (!fields) throw hubErrors.unauthorized('Missing or malformed authorization header.');
  verifySignatureFields(fields, host, rules);
}

/** Fields of a `SharedAccessSignature k=v&k=v` header, any order; undefined when not a SAS. */
export function parseSharedAccessSignature(header: string): Map<string, string> | undefined {
  const match = /^SharedAccessSignature\s+(.+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const fields = new Map<string, string>();
  for (const pair of match[1].split('&')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) return undefined;
    fields.set(pair.slice(0, separator).trim().toLowerCase(), pair.slice(separator + 1).trim());
  }
  return fields;
}

function verifySignatureFields(
  fields: Map<string, string>,
  host: string | undefined,
  rules: AuthorizationRules,
): void {
  const resource = fields.get('sr');
  const signature = fields.get('sig');
  const expiry = fields.get('se');
  const policyName = fields.get('skn');
  if (!resource || !signature || !expiry || !policyName) {
    throw hubErrors.unauthorized('The shared access signature lacks sr, sig, se or skn.');
  }
  const expiresAtSeconds = Number(expiry);
  const nowSeconds = (rules.now ?? Date.now)() / 1000;
  if (!Number.isFinite(expiresAtSeconds) || expiresAtSeconds <= nowSeconds) {
    throw hubErrors.unauthorized('The shared access signature has expired.');
  }
  if (!host || normalizeHost(safeDecode(resource)) !== normalizeHost(host)) {
    throw hubErrors.unauthorized('The shared access signature is not for this hub (sr).');
  }
  const policy = rules.policies.find((candidate) => candidate.name === safeDecode(policyName));
  if (!policy) throw hubErrors.unauthorized('Unknown shared access policy (skn).');
  // The Node SDK signs the raw sr, other SDKs the URL-encoded one; either is genuine.
  const decoded = safeDecode(resource);
  const candidates = new Set([resource, decoded, encodeURIComponent(decoded)]);
  const presented = Buffer.from(safeDecode(signature));
  const genuine = [...candidates].some((sr) => sameBytes(presented, sign(policy.key, sr, expiry)));
  if (!genuine) throw hubErrors.unauthorized('The shared access signature is invalid.');
}

function sign(base64Key: string, resource: string, expiry: string): string {
  return createHmac('sha256', Buffer.from(base64Key, 'base64'))
    .update(`${resource}\n${expiry}`)
    .digest('base64');
}

function sameBytes(presented: Buffer, expected: string): boolean {
  const expectedBytes = Buffer.from(expected);
  return presented.length === expectedBytes.length && timingSafeEqual(presented, expectedBytes);
}

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\/+$/, '').replace(/:443$/, '');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
