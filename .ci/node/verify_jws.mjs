// Reads {"jwk": <public JWK>, "jws": [<compact JWS>...]} on stdin and, for
// each JWS, verifies it twice, independently of the Go code:
//   1. with npm "jose" (compactVerify, algorithms EdDSA and ES256 only);
//   2. with node:crypto directly: the Ed25519 (or P-256, IEEE P1363 r||s)
//      signature over the JWS signing input.
// Writes a JSON array of {ok, payload, header, error} results.
import { compactVerify, importJWK } from 'jose';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const alg = input.jwk.alg;
const key = await importJWK(input.jwk, alg);
const nodeKey = createPublicKey({ key: input.jwk, format: 'jwk' });
const out = [];
for (const jws of input.jws) {
  const r = { ok: false };
  try {
    const { payload, protectedHeader } = await compactVerify(jws, key, { algorithms: ['EdDSA', 'ES256'] });
    const [h, p, s] = jws.split('.');
    const input = Buffer.from(h + '.' + p, 'ascii');
    const sig = Buffer.from(s, 'base64url');
    const raw = alg === 'EdDSA'
      ? verify(null, input, nodeKey, sig)
      : verify('sha256', input, { key: nodeKey, dsaEncoding: 'ieee-p1363' }, sig);
    r.ok = raw;
    r.payload = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    r.header = protectedHeader;
    if (!raw) r.error = 'node:crypto refused the signature';
  } catch (e) {
    r.error = String(e && e.code ? e.code + ': ' + e.message : e);
  }
  out.push(r);
}
process.stdout.write(JSON.stringify(out));
