/**
 * The project's local certificate authority: created on first use under the design
 * folder's `.topolab/` (key mode 0600, a `.gitignore` keeping keys out of commits), then
 * reused; it signs one leaf certificate per host name, kept beside it and reissued when
 * missing, no longer signed by this CA, not matching its key, or near expiry.
 *
 * Library: node-forge builds the X.509 certificates and their extensions (pure JavaScript,
 * no native code, no global polyfill, works on Node 20; @peculiar/x509 needs a
 * `reflect-metadata` global). Keys and signatures come from Node's own crypto: native,
 * about a hundred times faster than forge's pure-JS RSA. The CA is RSA 2048; leaves are
 * ECDSA P-256, whose signature (one per full handshake) costs a tenth of an RSA 2048 one.
 * forge only models RSA keys, so a leaf's SubjectPublicKeyInfo and key identifier are
 * spliced in as DER from Node's crypto. Leaves read back are checked with Node's
 * `X509Certificate`, so RSA leaves made by earlier versions keep working until reissued.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import forge from 'node-forge';
import { certFiles, PROJECT_DIR, TLS_FILES } from '../../model/tls-hosts.js';

/** What `.topolab/.gitignore` keeps out of commits. */
export const GITIGNORE_LINES = ['*.key', '*.pem', 'certs/'] as const;

const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
/** Leaf lifetime: under the 398 days browsers accept. */
const LEAF_DAYS = 365;
/** A leaf closer than this to expiry is reissued. */
const RENEW_BEFORE_MS = 30 * DAY_MS;
const CA_NAME = 'Topolab local CA';

/** The CA as loaded: PEM texts and where they live (absolute paths). */
export interface Authority {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  /** True when this call created it. */
  created: boolean;
}

/** One host name's certificate (leaf then CA certificate) and key, as PEM, and their files. */
export interface LeafCertificate {
  host: string;
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  /** Certificate and key in one file (HAProxy's `crt`). */
  pemPath: string;
}

/** Where the CA certificate of a project lives (whether or not it exists yet). */
export function authorityCertPath(folder: string): string {
  return join(folder, TLS_FILES.caCert);
}

/** Loads the project's CA, creating it (and the `.gitignore`) on first use. */
export async function ensureAuthority(folder: string): Promise<Authority> {
  const certPath = join(folder, TLS_FILES.caCert);
  const keyPath = join(folder, TLS_FILES.caKey);
  await ensureGitignore(folder);
  const existing = await readPair(certPath, keyPath);
  if (existing !== undefined) return { ...existing, certPath, keyPath, created: false };
  const { cert, keyPem } = createAuthority();
  const certPem = forge.pki.certificateToPem(cert);
  await mkdir(dirname(certPath), { recursive: true });
  // Key first with `wx`: two labs starting at once in one folder make one CA; the loser reads the winner's.
  try {
    await writeFile(keyPath, keyPem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await waitForPair(certPath, keyPath);
    return { ...raced, certPath, keyPath, created: false };
  }
  await writeAtomic(certPath, certPem, 0o644);
  return { certPem, keyPem, certPath, keyPath, created: true };
}

/** Certificates for `hosts` signed by the CA, reusing the ones on disk that still hold. */
export async function ensureLeaves(folder: string, authority: Authority, hosts: readonly string[], now = Date.now()): Promise<LeafCertificate[]> {
  const caCert = forge.pki.certificateFromPem(authority.certPem);
  const caX509 = new X509Certificate(authority.certPem);
  const out: LeafCertificate[] = [];
  for (const host of hosts) {
    const files = certFiles(host);
    const certPath = join(folder, files.cert);
    const keyPath = join(folder, files.key);
    const pemPath = join(folder, files.pem);
    const current = await readPair(certPath, keyPath);
    if (current !== undefined && leafHolds(current, caX509, host, now)) {
      out.push({ host, certPem: current.certPem, keyPem: current.keyPem, certPath, keyPath, pemPath });
      continue;
    }
    const { certPem, keyPem } = issueLeaf(caCert, authority.keyPem, host, now);
    const chain = certPem + authority.certPem;
    await mkdir(dirname(certPath), { recursive: true });
    await writeAtomic(keyPath, keyPem, 0o600);
    await writeAtomic(pemPath, chain + keyPem, 0o600);
    await writeAtomic(certPath, chain, 0o644);
    out.push({ host, certPem: chain, keyPem, certPath, keyPath, pemPath });
  }
  return out;
}

/** A new self-signed CA: RSA 2048, SHA-256, basicConstraints CA with path length 0. */
function createAuthority(): { cert: forge.pki.Certificate; keyPem: string } {
  const { privatePem, publicKey } = rsaKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + CA_DAYS * DAY_MS);
  const attrs = [
    { name: 'commonName', value: CA_NAME },
    { name: 'organizationName', value: 'Topolab (local, for this project only)' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, privatePem);
  return { cert, keyPem: privatePem };
}

/** Key usages of a leaf: an ECDSA key only signs (keyEncipherment is RSA key transport). */
export const LEAF_KEY_USAGE = { digitalSignature: true } as const;

/** A server certificate for one host name (SAN dNSName) with an ECDSA P-256 key, signed by the CA (RSA, SHA-256). */
function issueLeaf(caCert: forge.pki.Certificate, caKeyPem: string, host: string, now: number): { certPem: string; keyPem: string } {
  const { privatePem, spkiDer, point } = ecKeys();
  const cert = forge.pki.createCertificate();
  // forge's TBSCertificate builder only writes RSA keys: it gets the CA's as a stand-in, replaced by the leaf's own SPKI below.
  cert.publicKey = caCert.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + LEAF_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(caCert.subject.attributes);
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (forge would hash the stand-in).
  const keyId = createHash('sha1').update(point).digest().toString('binary');
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', ...LEAF_KEY_USAGE, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
    { name: 'subjectKeyIdentifier', value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, keyId) },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signCertificate(cert, caKeyPem, forge.asn1.fromDer(spkiDer.toString('binary')));
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privatePem };
}

/**
 * Whether a leaf on disk (RSA or ECDSA) is signed by this CA, matches its key, names `host`
 * and is not near expiry. Node's X509Certificate reads any key type (forge reads only RSA).
 */
function leafHolds(pair: { certPem: string; keyPem: string }, ca: X509Certificate, host: string, now: number): boolean {
  try {
    const leaf = new X509Certificate(pair.certPem);
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return false;
    if (!leaf.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    if (Date.parse(leaf.validTo) - now < RENEW_BEFORE_MS) return false;
    return (leaf.subjectAltName ?? '').split(', ').includes(`DNS:${host}`);
  } catch {
    return false;
  }
}

/** An RSA 2048 key pair: the private key as PKCS#8 PEM (what nginx, HAProxy and Node read), the public one for forge. */
function rsaKeys(): { privatePem: string; publicKey: forge.pki.rsa.PublicKey } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return { privatePem: pair.privateKey, publicKey: forge.pki.publicKeyFromPem(pair.publicKey) as forge.pki.rsa.PublicKey };
}

/** An ECDSA P-256 key pair: the private key as PKCS#8 PEM, the public one as SPKI DER and as its uncompressed point. */
function ecKeys(): { privatePem: string; spkiDer: Buffer; point: Buffer } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const jwk = createPrivateKey(pair.privateKey).export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return { privatePem: pair.privateKey, spkiDer: pair.publicKey, point };
}

/** Index of SubjectPublicKeyInfo in a v3 TBSCertificate: version, serial, signature, issuer, validity, subject, SPKI. */
const TBS_SPKI_INDEX = 6;

/**
 * What forge's `cert.sign` does, with the signature from Node's crypto: sha256WithRSAEncryption
 * over the DER TBSCertificate; `spki` replaces the subject's public key (a non-RSA key).
 */
function signCertificate(cert: forge.pki.Certificate, signerKeyPem: string, spki?: forge.asn1.Asn1): void {
  const oid = forge.pki.oids['sha256WithRSAEncryption']!;
  const target = cert as forge.pki.Certificate & { signatureOid: string; siginfo: { algorithmOid: string }; tbsCertificate: forge.asn1.Asn1; signature: string; md: forge.md.MessageDigest };
  target.signatureOid = oid;
  target.siginfo.algorithmOid = oid;
  target.md = forge.md.sha256.create();
  // Typed by @types/node-forge only as a method of Certificate's internals: it is a pki function.
  target.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  if (spki !== undefined) (target.tbsCertificate.value as forge.asn1.Asn1[])[TBS_SPKI_INDEX] = spki;
  const tbs = Buffer.from(forge.asn1.toDer(target.tbsCertificate).getBytes(), 'binary');
  target.signature = sign('sha256', tbs, signerKeyPem).toString('binary');
}

/** A positive 16-byte serial (the top bit cleared: DER integers are signed). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

async function readPair(certPath: string, keyPath: string): Promise<{ certPem: string; keyPem: string } | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return certPem.includes('BEGIN CERTIFICATE') && keyPem.includes('PRIVATE KEY') ? { certPem, keyPem } : undefined;
  } catch {
    return undefined;
  }
}

/** The other creator's pair, once both of its files are written (bounded: 5 s). */
async function waitForPair(certPath: string, keyPath: string): Promise<{ certPem: string; keyPem: string }> {
  const until = Date.now() + 5000;
  for (;;) {
    const pair = await readPair(certPath, keyPath);
    if (pair !== undefined) return pair;
    if (Date.now() > until) throw new Error(`${keyPath} exists but ${certPath} does not: remove the half-made CA folder and start again`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes through a temporary file and a rename, so no reader sees half a key; then sets the mode (umask-proof). */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** Writes `.topolab/.gitignore`, or adds the lines it lacks to the user's own. */
async function ensureGitignore(folder: string): Promise<void> {
  const path = join(folder, TLS_FILES.gitignore);
  await mkdir(join(folder, PROJECT_DIR), { recursive: true });
  const text = await readFile(path, 'utf8').catch(() => '# Written by Topolab: private keys of the local certificate authority stay out of commits.\n');
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line));
  if (missing.length === 0) return;
  await writeFile(path, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${missing.join('\n')}\n`);
}
