/**
 * The project's local certificate authority: created on first use under the design
 * folder's `.topolab/` (key mode 0600, a `.gitignore` keeping keys out of commits), then
 * reused; it signs one leaf certificate per host name, kept beside it and reissued when
 * missing, no longer signed by this CA, not matching its key, or near expiry.
 *
 * Library: @peculiar/asn1-x509 gives the X.509 structures (TBSCertificate, names,
 * extensions) as typed classes with a DER encoder, for any key type, with no global
 * polyfill (@peculiar/x509, built on it, needs a `reflect-metadata` global through
 * tsyringe). Keys and signatures come from Node's own crypto (native; Node has no
 * certificate builder). The CA is RSA 2048; leaves are ECDSA P-256, whose signature (one
 * per full handshake) costs a tenth of an RSA 2048 one: Node's DER SubjectPublicKeyInfo goes
 * into the certificate as it is. Leaves read back are checked with Node's `X509Certificate`,
 * so RSA leaves made by earlier versions keep working until reissued.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_serverAuth,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
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
  const { certPem, keyPem } = createAuthority();
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
  const caX509 = new X509Certificate(authority.certPem);
  const caCert = AsnConvert.parse(caX509.raw, Certificate);
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
function createAuthority(): { certPem: string; keyPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const name = distinguishedName([
    [OID_COMMON_NAME, CA_NAME],
    [OID_ORGANIZATION, 'Topolab (local, for this project only)'],
  ]);
  const certPem = buildCertificate({
    subject: name,
    issuer: name,
    spkiDer: pair.publicKey,
    now: Date.now(),
    days: CA_DAYS,
    signerKeyPem: pair.privateKey,
    extensions: [
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(arrayBuffer(keyIdentifier(pair.publicKey)))),
    ],
  });
  return { certPem, keyPem: pair.privateKey };
}

/** Key usages of a leaf: an ECDSA key only signs (keyEncipherment is RSA key transport). */
export const LEAF_KEY_USAGE = { digitalSignature: true } as const;

/** A server certificate for one host name (SAN dNSName) with an ECDSA P-256 key, signed by the CA (RSA, SHA-256). */
function issueLeaf(caCert: Certificate, caKeyPem: string, host: string, now: number): { certPem: string; keyPem: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const caSpki = Buffer.from(AsnConvert.serialize(caCert.tbsCertificate.subjectPublicKeyInfo));
  const certPem = buildCertificate({
    subject: distinguishedName([[OID_COMMON_NAME, host]]),
    issuer: caCert.tbsCertificate.subject,
    spkiDer: pair.publicKey,
    now,
    days: LEAF_DAYS,
    signerKeyPem: caKeyPem,
    extensions: [
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
      extension(id_ce_subjectAltName, false, new SubjectAlternativeName([new GeneralName({ dNSName: host })])),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(arrayBuffer(keyIdentifier(pair.publicKey)))),
      extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(arrayBuffer(keyIdentifier(caSpki))) })),
    ],
  });
  return { certPem, keyPem: pair.privateKey };
}

/**
 * Whether a leaf on disk (RSA or ECDSA) is signed by this CA, matches its key, names `host`
 * and is not near expiry.
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

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** A Name of one attribute per RDN, in order, as UTF8String values. */
function distinguishedName(attributes: readonly (readonly [string, string])[]): Name {
  return new Name(attributes.map(([type, value]) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })])));
}

/** An extension whose value is the DER of `value` (an ASN.1 class of @peculiar/asn1-x509). */
function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits of a DER SubjectPublicKeyInfo. */
function keyIdentifier(spkiDer: Buffer): Buffer {
  return createHash('sha1').update(new Uint8Array(AsnConvert.parse(spkiDer, SubjectPublicKeyInfo).subjectPublicKey)).digest();
}

/** A v3 certificate for the DER SubjectPublicKeyInfo `spkiDer`, signed sha256WithRSAEncryption by the CA's key, as PEM. */
function buildCertificate(input: { subject: Name; issuer: Name; spkiDer: Buffer; now: number; days: number; signerKeyPem: string; extensions: Extension[] }): string {
  const algorithm = new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial(),
    signature: algorithm,
    issuer: input.issuer,
    subject: input.subject,
    // A day back, for clocks a little behind.
    validity: new Validity({ notBefore: new Date(input.now - DAY_MS), notAfter: new Date(input.now + input.days * DAY_MS) }),
    subjectPublicKeyInfo: AsnConvert.parse(input.spkiDer, SubjectPublicKeyInfo),
    extensions: new Extensions(input.extensions),
  });
  const signatureValue = arrayBuffer(sign('sha256', Buffer.from(AsnConvert.serialize(tbsCertificate)), input.signerKeyPem));
  const der = Buffer.from(AsnConvert.serialize(new Certificate({ tbsCertificate, signatureAlgorithm: algorithm, signatureValue })));
  return `-----BEGIN CERTIFICATE-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A positive 16-byte serial (the top bit cleared: DER integers are signed; a zero first byte would not be minimal DER). */
function serial(): ArrayBuffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return arrayBuffer(bytes);
}

/** A Buffer's bytes as an ArrayBuffer of their own (a small Buffer is a view into a shared pool). */
function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
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
