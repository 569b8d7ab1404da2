// Package certificate issues, signs and verifies per-product carbon offset
// certificates: the signed statement that one product unit's footprint
// has been offset with specific credits. The caller stores a certificate
// however it likes (a JSON document, a database row); a customer, an
// auditor or another program verifies it offline with the issuer's
// public key.
//
// # Types
//
// Certificate holds the schema version (SchemaV1), the certificate ID, the
// issuer, the product (manufacturer, model, serial), the issue time (UTC,
// always passed in: the package reads no clock), the footprint Summary
// (total, low/high range, per-stage totals, dataset name and version, the
// footprint's input digest), the offset Lines (project, standard, type,
// country, vintage, the Credits drawn with their serial numbers and grams,
// the line amount), the total offset, the Tier if one was sold, an optional
// beneficiary, and the Signature. Decimals and quantities are JSON strings
// ("508.2 kg CO2e", "400000"). Issue builds and signs one from a
// footprint.Footprint and the offset.Plan that covers it; Build does the
// same without signing; a Certificate can also be filled in directly.
// DeriveID derives the ID from the content (a hash, no randomness).
// IssueOptions.Validate and CheckSigner check the options and the key on
// their own, for a caller that reserves credits before it issues.
//
// Key is a trusted public key with its validity window; KeySet indexes
// keys by key ID, the RFC 7638 JWK thumbprint (Thumbprint). JWK and
// ParseJWK convert public keys to and from JSON Web Keys. VerifyOptions
// carries the key set, the allowed algorithms and the caller's revocation
// list.
//
// # Canonical bytes and signatures
//
// Canonical returns the RFC 8785 (JCS) form of the certificate without its
// signature; MarshalJSON writes the whole certificate, signature included,
// in the same canonical form. The encoder writes the struct directly (it
// is about 15 times faster than encoding/json followed by a generic
// canonicalizer) and a test proves it byte-identical to that generic path
// over random certificates; an interoperability test compares it with the
// reference implementation (npm canonicalize).
//
// Sign checks the certificate (Check) and signs it through crypto.Signer,
// so the key may live in an HSM or a KMS: Ed25519 ("EdDSA", the default
// choice, deterministic) or ECDSA P-256 ("ES256", the signature in JWS
// form r||s, 64 bytes, written with s in low-S form, s ≤ n/2; Verify, like
// any ECDSA verifier, also accepts the equally valid (r, n − s), so an
// ES256 signature value is not unique and must not serve as an
// identifier: the certificate's ID is). What is signed is exactly the canonical bytes,
// Canonical(): the RFC 8785 form of the certificate without its
// "signature" member. For EdDSA the signature is the pure Ed25519
// signature of those bytes (RFC 8032), for ES256 the ECDSA signature of
// their SHA-256. Signature records the algorithm, the key ID (the RFC 7638
// thumbprint of the public key) and the value (base64url, no padding).
// Anyone can therefore verify a certificate with standard tools and no
// code of this package: parse the JSON, remove "signature", canonicalize
// with any RFC 8785 implementation, and verify the value over those bytes
// with the issuer's public key (node:crypto: crypto.verify(null, bytes,
// key, sig); Go: ed25519.Verify(pub, c.Canonical(), sig)); an
// interoperability test does exactly that with npm canonicalize and
// node:crypto. The algorithm and key ID are not part of the signed bytes:
// they select the key, and a verifier accepts only the key's own
// algorithm, so changing either makes verification fail.
//
// # Verification
//
// Verify checks, in order, and returns the first failure wrapped around a
// sentinel that names the check: schema version (ErrSchema), a signature
// is present (ErrUnsigned), the algorithm is allowed — never "none", never
// a MAC, never one the key type does not have (ErrAlgorithm) —, the key ID
// is in the key set (ErrUnknownKey), the key was valid at the issue time
// (ErrKeyNotValid), the signature (ErrSignature), the content (ErrInvalid)
// and its consistency (ErrInconsistent: every line's amount is the sum of
// its credits' grams, the lines sum to the total offset, the total offset
// is at least the footprint total, a tier lies between the two, stage
// totals sum to the footprint total, low ≤ total ≤ high), and the
// revocation list (ErrRevoked).
//
// Parse (and UnmarshalJSON) read the JSON form strictly: at most MaxSize
// (1 MiB), valid UTF-8, no duplicated member anywhere, no unknown member,
// every value in the form this package writes (a document two readers
// could read differently is refused with ErrMalformed). Member order and
// whitespace are free.
//
// # Exports
//
// JWS exports a compact JWS (RFC 7515) whose protected header is
// {"alg":…,"kid":…} (EdDSA or ES256, kid the thumbprint) and whose payload
// is the canonical certificate, so any JOSE library verifies it with the
// issuer's JWK. A JWS signature covers the JWS signing input
// base64url(header) "." base64url(payload), not the canonical bytes
// alone, so JWS signs afresh with the issuer's key (Ed25519: the same JWS
// every time); the certificate's own signature stays a signature of the
// canonical bytes. ParseJWS and VerifyJWS read a JWS back (only the exact
// {"alg","kid"} protected header is accepted; "none", HS256 and any other
// algorithm are refused); VerifyJWS runs Verify's checks with the JWS
// signature and returns the certificate, without a Signature member.
//
// Credential exports a W3C
// Verifiable Credential (VC Data Model 2.0) whose credentialSubject holds
// the signed certificate, secured with a Data Integrity proof of the
// eddsa-jcs-2022 cryptosuite: the issuer is the did:key of the Ed25519 key
// (Multikey, base58btc "z…"), the proofValue signs SHA-256(JCS(proof
// options)) ‖ SHA-256(JCS(credential without proof)). VerifyCredential
// reads it back and checks the proof and the certificate. The
// implementation reproduces the published eddsa-jcs-2022 test vector of
// the W3C specification (testdata/w3c-eddsa-jcs-2022).
//
// Badge returns an SVG badge (offset in kg, project type, product serial,
// short certificate ID and a check mark) and Page an HTML page
// (html/template) showing the certificate with the badge inline; both
// verify the certificate first, so the mark is only drawn on a verified
// certificate, and both escape every caller-supplied string. The badge of
// the reference laptop, rendered by headless Chromium:
//
//	docs/badge.png (in the repository)
//
// # Precision
//
// Figures are exact decimals; nothing is rounded in the certificate. The
// badge shows the offset exactly to the gram (a plan covers whole grams);
// a figure with a fraction of a gram is cut down to the gram and marked
// "≥", so the badge never claims more than the certificate states.
//
// # Errors
//
// Every error wraps one of the sentinels above (errors.Is); content errors
// are *footprint.FieldError values naming the field
// ("offsets[0].credits[1].grams: must be > 0, got \"0\"").
//
// # Concurrency
//
// The package has no state. Certificates are plain values: concurrent
// Verify, JWS, Credential, Badge and Page calls on a shared certificate
// are safe; Sign modifies the certificate. A KeySet is immutable after NewKeySet and
// safe for concurrent use.
package certificate
