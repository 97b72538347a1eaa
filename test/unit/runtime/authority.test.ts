import { createHash, createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureAuthority, ensureLeaves } from '../../../core/runtime/tls/authority.js';
import { TLS_FILES } from '../../../core/model/tls-hosts.js';

const DAY_MS = 86_400_000;

/** An extension's DER value (inside its OCTET STRING), read with forge's ASN.1 parser (not the code under test's). */
function extensionDer(certPem: string, oid: string): string {
  const der = new X509Certificate(certPem).raw;
  const cert = forge.asn1.fromDer(der.toString('binary'));
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
  const extensions = ((tbs.value as forge.asn1.Asn1[]).at(-1)!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  for (const ext of extensions) {
    const [id, ...rest] = ext.value as forge.asn1.Asn1[];
    if (forge.asn1.derToOid(id!.value as string) === oid) return Buffer.from(rest.at(-1)!.value as string, 'binary').toString('hex');
  }
  throw new Error(`no extension ${oid}`);
}

/** A leaf as versions before ECDSA made it: RSA 2048, signed by the CA's key (forge end to end). */
function legacyRsaLeaf(caCertPem: string, caKeyPem: string, host: string): { certPem: string; keyPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
  ]);
  const caKey = createPrivateKey(caKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(caKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert) + caCertPem, keyPem: pair.privateKey };
}

/** A CA as versions before @peculiar/asn1-x509 made it: forge end to end (its own SKI, PrintableString names). */
function legacyCa(): { certPem: string; keyPem: string } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  const attrs = [
    { name: 'commonName', value: 'Topolab local CA' },
    { name: 'organizationName', value: 'Topolab (local, for this project only)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const keyPem = createPrivateKey(forge.pki.privateKeyToPem(keys.privateKey)).export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

describe('project certificate authority leaves', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'topolab-ca-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('issues ECDSA P-256 leaves signed by the RSA CA, with the SAN, serverAuth, digitalSignature only and an RFC 5280 key id', async () => {
    const authority = await ensureAuthority(dir);
    const [leaf] = await ensureLeaves(dir, authority, ['*.api.example']);
    const x509 = new X509Certificate(leaf!.certPem);
    const ca = new X509Certificate(authority.certPem);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ca.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x509.checkIssued(ca) && x509.verify(ca.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(leaf!.keyPem))).toBe(true);
    expect(x509.subjectAltName).toBe('DNS:*.api.example');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    // Method 1: SHA-1 of the public key's bits (04 || X || Y).
    const jwk = x509.publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    expect(extensionDer(leaf!.certPem, '2.5.29.14')).toBe(`0414${createHash('sha1').update(point).digest('hex')}`);
    // keyUsage BIT STRING: digitalSignature (bit 0) alone.
    expect(extensionDer(leaf!.certPem, '2.5.29.15')).toBe('03020780');
    // The chain file is leaf then CA, as nginx and HAProxy want it.
    expect(leaf!.certPem.endsWith(authority.certPem)).toBe(true);
  });

  it('makes a CA with critical basicConstraints (CA, path length 0) and keyUsage keyCertSign + cRLSign, whose key id its leaves name', async () => {
    const authority = await ensureAuthority(dir);
    const [leaf] = await ensureLeaves(dir, authority, ['shop.example']);
    const ca = new X509Certificate(authority.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca) && ca.verify(ca.publicKey)).toBe(true);
    expect(ca.subject).toBe('CN=Topolab local CA\nO=Topolab (local\\, for this project only)');
    // SEQUENCE { BOOLEAN TRUE, INTEGER 0 }; BIT STRING keyCertSign (bit 5) and cRLSign (bit 6).
    expect(extensionDer(authority.certPem, '2.5.29.19')).toBe('30060101ff020100');
    expect(extensionDer(authority.certPem, '2.5.29.15')).toBe('03020106');
    const caKeyId = extensionDer(authority.certPem, '2.5.29.14').slice(4);
    expect(extensionDer(leaf!.certPem, '2.5.29.35')).toBe(`30168014${caKeyId}`);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(3600 * DAY_MS);
  });

  it('issues leaves from a CA made by an earlier version (forge), naming its key id and its subject', async () => {
    const legacy = legacyCa();
    await mkdir(dirname(join(dir, TLS_FILES.caCert)), { recursive: true });
    await writeFile(join(dir, TLS_FILES.caCert), legacy.certPem);
    await writeFile(join(dir, TLS_FILES.caKey), legacy.keyPem);
    const authority = await ensureAuthority(dir);
    expect(authority.created).toBe(false);
    const [leaf] = await ensureLeaves(dir, authority, ['shop.example']);
    const x509 = new X509Certificate(leaf!.certPem);
    const ca = new X509Certificate(legacy.certPem);
    expect(x509.checkIssued(ca) && x509.verify(ca.publicKey)).toBe(true);
    expect(x509.issuer).toBe(ca.subject);
    expect(extensionDer(leaf!.certPem, '2.5.29.35')).toBe(`30168014${extensionDer(legacy.certPem, '2.5.29.14').slice(4)}`);
  });

  it('keeps an RSA leaf made by an earlier version while it holds, and reissues it (as ECDSA) when it does not', async () => {
    const authority = await ensureAuthority(dir);
    const [first] = await ensureLeaves(dir, authority, ['shop.example']);
    const legacy = legacyRsaLeaf(authority.certPem, authority.keyPem, 'shop.example');
    await writeFile(first!.certPath, legacy.certPem);
    await writeFile(first!.keyPath, legacy.keyPem);
    const [kept] = await ensureLeaves(dir, authority, ['shop.example']);
    expect(kept!.certPem).toBe(legacy.certPem);
    expect(new X509Certificate(kept!.certPem).publicKey.asymmetricKeyType).toBe('rsa');
    // Twenty days before the legacy leaf expires (inside the 30-day renewal window): a new ECDSA one.
    const [renewed] = await ensureLeaves(dir, authority, ['shop.example'], Date.now() + 345 * DAY_MS);
    expect(renewed!.certPem).not.toBe(legacy.certPem);
    expect(new X509Certificate(renewed!.certPem).publicKey.asymmetricKeyType).toBe('ec');
  });

  it('reissues a leaf whose key file does not match it, or that names another host, or is not a certificate', async () => {
    const authority = await ensureAuthority(dir);
    const [a, b] = await ensureLeaves(dir, authority, ['a.example', 'b.example']);
    await writeFile(a!.keyPath, b!.keyPem);
    await writeFile(b!.certPath, a!.certPem);
    const [a2, b2] = await ensureLeaves(dir, authority, ['a.example', 'b.example']);
    expect(a2!.certPem).not.toBe(a!.certPem);
    expect(new X509Certificate(a2!.certPem).checkPrivateKey(createPrivateKey(a2!.keyPem))).toBe(true);
    expect(new X509Certificate(b2!.certPem).subjectAltName).toBe('DNS:b.example');
    await writeFile(a2!.certPath, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    const [a3] = await ensureLeaves(dir, authority, ['a.example']);
    expect(new X509Certificate(a3!.certPem).subjectAltName).toBe('DNS:a.example');
  });

  it('reissues a leaf signed by another CA', async () => {
    const other = await mkdtemp(join(tmpdir(), 'topolab-ca-other-'));
    try {
      const foreign = await ensureAuthority(other);
      const [leaf] = await ensureLeaves(other, foreign, ['shop.example']);
      const authority = await ensureAuthority(dir);
      const [mine] = await ensureLeaves(dir, authority, ['shop.example']);
      await writeFile(mine!.certPath, leaf!.certPem);
      await writeFile(mine!.keyPath, leaf!.keyPem);
      const [again] = await ensureLeaves(dir, authority, ['shop.example']);
      expect(new X509Certificate(again!.certPem).verify(new X509Certificate(authority.certPem).publicKey)).toBe(true);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
