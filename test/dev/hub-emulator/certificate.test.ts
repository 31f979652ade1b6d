import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureCertificate } from '../../../dev/hub-emulator/certificate';

describe('ensureCertificate', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-cert-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('creates a CA-style certificate for localhost and 127.0.0.1, valid for about ten years', async () => {
    const created = await ensureCertificate(dir);
    assert.equal(created.caFile, path.join(dir, 'cert.pem'));
    assert.equal(await readFile(created.certFile, 'utf8'), created.cert);
    const parsed = new X509Certificate(created.cert);
    assert.equal(parsed.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
    assert.equal(parsed.ca, true);
    const years = (Date.parse(parsed.validTo) - Date.now()) / (365.25 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1, `valid for ${years} years`);
    assert.equal(parsed.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('reuses the stored certificate on the next start', async () => {
    const first = await ensureCertificate(dir);
    const second = await ensureCertificate(dir);
    assert.equal(second.cert, first.cert);
    assert.equal(second.key, first.key);
  });

  it('creates a new certificate when the stored one is unreadable', async () => {
    const first = await ensureCertificate(dir);
    await writeFile(path.join(dir, 'cert.pem'), 'not a certificate');
    const replaced = await ensureCertificate(dir);
    assert.notEqual(replaced.cert, first.cert);
    assert.ok(
      new X509Certificate(replaced.cert).checkPrivateKey(
        (await import('node:crypto')).createPrivateKey(replaced.key),
      ),
    );
  });

  it('uses a fresh temp folder when no folder is given', async () => {
    const created = await ensureCertificate();
    assert.ok(created.certFile.startsWith(tmpdir()));
    await rm(path.dirname(created.certFile), { recursive: true, force: true });
  });
});
