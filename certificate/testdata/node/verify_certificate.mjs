// Verifies certificates in their JSON form the way a third party without
// the Go code would: JSON.parse, remove the "signature" member, RFC 8785
// canonicalization with npm "canonicalize", then node:crypto verify of the
// signature over those bytes: Ed25519 as is (crypto.verify(null, bytes,
// key, sig)), ES256 as ECDSA P-256 with SHA-256, signature r||s
// (IEEE P1363). The kid is compared with the key's RFC 7638 thumbprint
// computed by npm "jose".
//
// Reads {"nodeModules": <dir>, "jwk": <public JWK>, "certs": [<JSON text>...]}
// on stdin; writes a JSON array of {ok, canonical, kid, error}. The npm
// packages are the pinned ones .ci/node/setup.sh installs in nodeModules.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const input = JSON.parse(readFileSync(0, 'utf8'));

// Imports an installed ESM package by its package.json entry point.
async function load(name) {
  const dir = join(input.nodeModules, name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const dot = pkg.exports && pkg.exports['.'];
  const entry = (dot && (dot.import || dot.default)) || pkg.main;
  return import(pathToFileURL(join(dir, entry)).href);
}
const canonicalize = (await load('canonicalize')).default;
const { calculateJwkThumbprint } = await load('jose');

const key = createPublicKey({ key: input.jwk, format: 'jwk' });
const thumbprint = await calculateJwkThumbprint(input.jwk, 'sha256');
const out = [];
for (const text of input.certs) {
  const r = { ok: false };
  try {
    const doc = JSON.parse(text);
    const sig = doc.signature;
    delete doc.signature;
    r.canonical = canonicalize(doc);
    r.kid = sig.kid;
    const bytes = Buffer.from(r.canonical, 'utf8');
    const value = Buffer.from(sig.value, 'base64url');
    if (sig.kid !== thumbprint) {
      r.error = `kid ${sig.kid} is not the key's thumbprint ${thumbprint}`;
    } else if (sig.alg === 'EdDSA') {
      r.ok = verify(null, bytes, key, value);
    } else if (sig.alg === 'ES256') {
      r.ok = verify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, value);
    } else {
      r.error = `alg ${sig.alg}`;
    }
    if (!r.ok && !r.error) r.error = 'node:crypto refused the signature';
  } catch (e) {
    r.error = String(e);
  }
  out.push(r);
}
process.stdout.write(JSON.stringify(out));
