package certificate

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// Sign checks the certificate (Check) and signs its canonical bytes with
// key, setting c.Signature (any previous signature is replaced). The key
// may live anywhere a crypto.Signer reaches (an HSM, a KMS): its public
// half must be Ed25519 (algorithm EdDSA) or ECDSA P-256 (ES256, the
// signature converted from ASN.1 to the JWS form r||s, 64 bytes). rand is
// passed to key.Sign: Ed25519 ignores it (nil is fine; the signature is
// deterministic); ECDSA needs a source such as crypto/rand.Reader.
//
// What is signed is exactly c.Canonical(), the RFC 8785 form of the
// certificate without its signature: for EdDSA the pure Ed25519 signature
// of those bytes (RFC 8032), for ES256 the ECDSA signature of their
// SHA-256. Any Ed25519 or ECDSA implementation verifies it with the
// issuer's public key (node:crypto: crypto.verify(null, canonical, key,
// sig) for Ed25519). The algorithm and key ID name the key; they are not
// part of the signed bytes, and Verify accepts only the key's own
// algorithm. JWS exports a compact JWS, which carries its own signature.
func (c *Certificate) Sign(key crypto.Signer, rand io.Reader) error {
	alg, kid, err := signerInfo(key)
	if err != nil {
		return err
	}
	if err := c.Check(); err != nil {
		return err
	}
	canon := c.appendCanonical(make([]byte, 0, c.sizeHint()), false)
	// The signed certificate's JSON (what Parse reads) is the canonical
	// form plus the signature member; it must fit MaxSize too.
	if n := len(canon) + signatureMemberLen(alg, kid); n > MaxSize {
		return fmt.Errorf("%w: signed certificate of %d bytes, at most %d", ErrTooLarge, n, MaxSize)
	}
	sig, err := signMessage(key, alg, rand, canon)
	if err != nil {
		return err
	}
	c.Signature = &Signature{Alg: alg, KeyID: kid, Value: b64.EncodeToString(sig)}
	return nil
}

// signatureMemberLen is the length of the signature member a signature by
// alg and kid adds to the canonical form: `,"signature":{...}` with a
// 64-byte signature value (Ed25519, or ES256 as r||s) in base64url.
func signatureMemberLen(alg, kid string) int {
	return len(`,"signature":{"alg":"","kid":"","value":""}`) + len(alg) + len(kid) + b64.EncodedLen(64)
}

// CheckSigner reports whether Sign and Issue can sign with key and rand,
// as far as can be told without signing: key is not nil, its Public method
// returns (a panic in it, as from a nil or truncated key, is an error
// here, not a panic), its public half is Ed25519 or ECDSA P-256, an
// in-process ed25519.PrivateKey's public half belongs to its seed (one
// whose public half is stale would give the private key away when it
// signs), and an ECDSA key has a random source. The error wraps ErrKey. A
// signer that passes may still fail to sign (a remote KMS that is down, a
// private half that does not match the public one: a signature by any
// signer other than an in-process key is verified against the public key
// it reports, and refused with ErrKey when it does not verify).
func CheckSigner(key crypto.Signer, rand io.Reader) error {
	alg, _, err := signerInfo(key)
	if err == nil && alg == ES256 && rand == nil {
		err = fmt.Errorf("%w: ES256 signing needs a random source", ErrKey)
	}
	return err
}

// publicOf returns key.Public(), or an error wrapping ErrKey when it
// panics (a nil pointer, a truncated Ed25519 key).
func publicOf(key crypto.Signer) (pub crypto.PublicKey, err error) {
	defer func() {
		if p := recover(); p != nil {
			pub, err = nil, fmt.Errorf("%w: the %T signer's Public method panicked: %v", ErrKey, key, p)
		}
	}()
	return key.Public(), nil
}

// signerInfo returns the algorithm and key ID of a signer's public key.
func signerInfo(key crypto.Signer) (alg, kid string, err error) {
	if key == nil {
		return "", "", fmt.Errorf("%w: nil signer", ErrKey)
	}
	if k, ok := key.(ed25519.PrivateKey); ok {
		if len(k) != ed25519.PrivateKeySize {
			return "", "", fmt.Errorf("%w: Ed25519 private key of %d bytes", ErrKey, len(k))
		}
		if err := checkEd25519Private(k); err != nil {
			return "", "", err
		}
	}
	pub, err := publicOf(key)
	if err != nil {
		return "", "", err
	}
	if alg, err = algorithmOf(pub); err != nil {
		return "", "", err
	}
	if kid, err = Thumbprint(pub); err != nil {
		return "", "", err
	}
	return alg, kid, nil
}

// checkExternal verifies a signature made by a signer other than an
// in-process ed25519.PrivateKey or *ecdsa.PrivateKey (a KMS, an HSM, a
// wrapper) against the signer's own public key: one that signs with
// another key than it reports would otherwise have certificates issued
// that never verify. The in-process keys are not verified again (their
// public half is checked, or not used in signing).
func checkExternal(key crypto.Signer, alg string, msg, sig []byte) error {
	switch key.(type) {
	case ed25519.PrivateKey, *ecdsa.PrivateKey:
		return nil
	}
	pub, err := publicOf(key)
	if err == nil && verifyRaw(pub, alg, msg, sig) {
		return nil
	}
	return fmt.Errorf("%w: the %T signer's signature does not verify with the public key it reports (a KMS or HSM holding another key?)", ErrKey, key)
}

// signMessage signs msg: Ed25519 over msg itself, ES256 over SHA-256(msg)
// with the signature in r||s form.
func signMessage(key crypto.Signer, alg string, rand io.Reader, msg []byte) ([]byte, error) {
	switch alg {
	case EdDSA:
		if k, ok := key.(ed25519.PrivateKey); ok && len(k) == ed25519.PrivateKeySize {
			// Same signature (Ed25519 is deterministic); the crypto.Signer
			// method re-derives the public key on every call.
			return ed25519.Sign(k, msg), nil
		}
		sig, err := key.Sign(rand, msg, crypto.Hash(0))
		if err != nil {
			return nil, fmt.Errorf("certificate: signing: %w", err)
		}
		return sig, checkExternal(key, alg, msg, sig)
	case ES256:
		if rand == nil {
			return nil, fmt.Errorf("%w: ES256 signing needs a random source", ErrKey)
		}
		h := sha256.Sum256(msg)
		der, err := key.Sign(rand, h[:], crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("certificate: signing: %w", err)
		}
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
			return nil, errors.New("certificate: the signer returned a malformed ECDSA signature")
		}
		if rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.BitLen() > 256 || rs.S.BitLen() > 256 {
			return nil, errors.New("certificate: the signer returned a malformed ECDSA signature")
		}
		if rs.S.Cmp(p256HalfOrder) > 0 { // low-S form: one signature value per signature
			rs.S.Sub(elliptic.P256().Params().N, rs.S)
		}
		out := make([]byte, 64)
		rs.R.FillBytes(out[:32])
		rs.S.FillBytes(out[32:])
		return out, checkExternal(key, alg, msg, out)
	}
	return nil, fmt.Errorf("%w: %q", ErrAlgorithm, alg)
}

// signingInput returns the JWS signing input base64url(header) "."
// base64url(payload), where header is the canonical {"alg":alg,"kid":kid}.
func signingInput(alg, kid string, payload []byte) []byte {
	var tmp [128]byte
	hdr := appendHeader(tmp[:0], alg, kid)
	dst := make([]byte, 0, b64.EncodedLen(len(hdr))+1+b64.EncodedLen(len(payload)))
	dst = b64.AppendEncode(dst, hdr)
	dst = append(dst, '.')
	return b64.AppendEncode(dst, payload)
}

func header(alg, kid string) []byte { return appendHeader(nil, alg, kid) }

func appendHeader(b []byte, alg, kid string) []byte {
	b = append(b, `{"alg":`...)
	b = jcs.AppendString(b, alg)
	b = append(b, `,"kid":`...)
	b = jcs.AppendString(b, kid)
	return append(b, '}')
}

// VerifyOptions says what a verifier trusts.
type VerifyOptions struct {
	// Keys are the trusted keys with their validity windows. Required.
	Keys *KeySet
	// Algorithms lists the algorithms allowed; nil allows EdDSA and ES256.
	// "none" and any algorithm other than EdDSA and ES256 are refused
	// whatever this says.
	Algorithms []string
	// Revoked lists the IDs of revoked certificates, compared exactly:
	// the full ID as Certificate.ID holds it (not the short ID a badge
	// prints, nor another case or spacing).
	Revoked []string
}

func (o *VerifyOptions) allowed(alg string) bool {
	if alg != EdDSA && alg != ES256 {
		return false
	}
	return o.Algorithms == nil || slices.Contains(o.Algorithms, alg)
}

// Verify checks a signed certificate, in this order, and returns the first
// failure wrapped around its sentinel: the schema version (ErrSchema); a
// signature is present (ErrUnsigned); its algorithm is allowed
// (ErrAlgorithm); its key ID names a key in opts.Keys (ErrUnknownKey); the
// algorithm is the key's own (ErrAlgorithm); the key was valid at
// IssuedAt (ErrKeyNotValid); the signature verifies over the canonical
// bytes (ErrSignature); the content passes Check (ErrInvalid,
// ErrInconsistent); the ID is not in opts.Revoked (ErrRevoked). Verify
// does not modify c and is safe for concurrent use on a shared
// certificate.
func (c *Certificate) Verify(opts VerifyOptions) error {
	if c.Schema != SchemaV1 {
		return schemaError(c.Schema)
	}
	s := c.Signature
	if s == nil {
		return ErrUnsigned
	}
	e, err := c.verifyKey(opts, s.Alg, s.KeyID)
	if err != nil {
		return err
	}
	var buf [ed25519.SignatureSize]byte
	sig, err := b64.AppendDecode(buf[:0], []byte(s.Value))
	if err != nil {
		return fmt.Errorf("%w: signature value is not base64url", ErrSignature)
	}
	var canon [2048]byte // most certificates fit; larger ones grow on the heap
	if !verifyRaw(e.Public, s.Alg, c.appendCanonical(canon[:0], false), sig) {
		return ErrSignature
	}
	return c.verifyContent(opts)
}

func schemaError(schema string) error {
	return fmt.Errorf("%w: %q (this package verifies %q)", ErrSchema, schema, SchemaV1)
}

// verifyKey runs the algorithm and key checks for a signature made with
// algorithm alg by the key kid, and returns the key.
func (c *Certificate) verifyKey(opts VerifyOptions, alg, kid string) (keyEntry, error) {
	if !opts.allowed(alg) {
		return keyEntry{}, fmt.Errorf("%w: %q", ErrAlgorithm, alg)
	}
	e, ok := opts.Keys.entry(kid)
	if !ok {
		return keyEntry{}, fmt.Errorf("%w: %q%s", ErrUnknownKey, kid, opts.noKeys())
	}
	if e.alg != alg {
		return keyEntry{}, fmt.Errorf("%w: %q with a key for %q", ErrAlgorithm, alg, e.alg)
	}
	if !e.ValidAt(c.IssuedAt) {
		return keyEntry{}, fmt.Errorf("%w: key %s, issued %s", ErrKeyNotValid, kid, c.IssuedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	return e, nil
}

// verifyContent runs the checks that follow the signature: Check and the
// revocation list.
func (c *Certificate) verifyContent(opts VerifyOptions) error {
	if err := c.Check(); err != nil {
		return err
	}
	for _, id := range opts.Revoked {
		if id == c.ID {
			return fmt.Errorf("%w: %s", ErrRevoked, c.ID)
		}
	}
	return nil
}

// noKeys explains an unknown key when opts holds no keys at all (a zero
// VerifyOptions), and is "" otherwise.
func (o *VerifyOptions) noKeys() string {
	if o.Keys == nil || len(o.Keys.byID) == 0 {
		return ": VerifyOptions.Keys holds no keys (it is required: the issuer's public keys, see NewKeySet)"
	}
	return ""
}

func (s *KeySet) entry(kid string) (keyEntry, bool) {
	if s == nil {
		return keyEntry{}, false
	}
	e, ok := s.byID[kid]
	return e, ok
}

// p256HalfOrder is ⌊n/2⌋ for P-256's group order n: Sign writes an ES256
// signature's s at most this (the low-S form).
var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// verifyRaw verifies sig over msg: Ed25519 over msg itself, ES256 (r||s)
// over SHA-256(msg).
func verifyRaw(pub crypto.PublicKey, alg string, msg, sig []byte) bool {
	switch alg {
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(sig) == ed25519.SignatureSize && ed25519.Verify(k, msg, sig)
	case ES256:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(sig) != 64 {
			return false
		}
		h := sha256.Sum256(msg)
		r := new(big.Int).SetBytes(sig[:32])
		s := new(big.Int).SetBytes(sig[32:])
		// Both (r, s) and (r, n − s) verify, as in every ECDSA verifier:
		// Sign writes the low-S form, but certificates signed before it
		// did, or by other ES256 implementations, must keep verifying.
		return ecdsa.Verify(k, h[:], r, s)
	}
	return false
}
