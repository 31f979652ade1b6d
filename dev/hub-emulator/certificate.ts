import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generate } from 'selfsigned';

/** The emulator's TLS identity. `caFile` is what clients trust (`ca` or NODE_EXTRA_CA_CERTS). */
export interface EmulatorCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  caFile: string;
}

const validityYears = 10;

/**
 * Loads `cert.pem` + `key.pem` from `certDir`, or creates them there when absent or unusable, so
 * that clients can keep trusting the same CA across restarts. Without a folder, a temp dir is used.
 */
export async function ensureCertificate(certDir?: string): Promise<EmulatorCertificate> {
  const dir = certDir ?? (await mkdtemp(path.join(tmpdir(), 'hub-emulator-cert-')));
  await mkdir(dir, { recursive: true });
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const existing = await readUsablePair(certFile, keyFile);
  if (existing) return { ...existing, certFile, keyFile, caFile: certFile };
  const created = await createSelfSignedPair();
  // Written beside and renamed, so a concurrent starter never reads half a file.
  await writeAtomically(keyFile, created.key);
  await writeAtomically(certFile, created.cert);
  return { ...created, certFile, keyFile, caFile: certFile };
}

async function readUsablePair(
  certFile: string,
  keyFile: string,
): Promise<{ cert: string; key: string } | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const parsed = new X509Certificate(cert);
    const stillValid = Date.parse(parsed.validTo) > Date.now();
    const matchingKey = parsed.checkPrivateKey(createPrivateKey(key));
    return stillValid && matchingKey ? { cert, key } : undefined;
  } catch {
    return undefined;
  }
}

async function createSelfSignedPair(): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + validityYears);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // A CA-style certificate, so it can sit in NODE_EXTRA_CA_CERTS as a trust anchor.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  await rename(temporary, file);
}
