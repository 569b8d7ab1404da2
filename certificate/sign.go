package certificate

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
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
// What is signed is the JWS signing input
// base64url({"alg":…,"kid":…}) "." base64url(c.Canonical()), so the signed
// certificate is also a compact JWS (see JWS).
func (c *Certificate) Sign(key crypto.Signer, rand io.Reader) error {
	if key == nil {
		return fmt.Errorf("%w: nil signer", ErrKey)
	}
	pub := key.Public()
	alg, err := algorithmOf(pub)
	if err != nil {
		return err
	}
	kid, err := Thumbprint(pub)
	if err != nil {
		return err
	}
	if err := c.Check(); err != nil {
		return err
	}
	canon, input := c.canonicalSigningInput(alg, kid)
	if len(canon) > MaxSize {
		return fmt.Errorf("%w: canonical form of %d bytes, at most %d", ErrTooLarge, len(canon), MaxSize)
	}
	sig, err := signInput(key, alg, rand, input)
	if err != nil {
		return err
	}
	c.Signature = &Signature{Alg: alg, KeyID: kid, Value: b64.EncodeToString(sig)}
	return nil
}

func signInput(key crypto.Signer, alg string, rand io.Reader, input []byte) ([]byte, error) {
	switch alg {
	case EdDSA:
		if k, ok := key.(ed25519.PrivateKey); ok && len(k) == ed25519.PrivateKeySize {
			// Same signature (Ed25519 is deterministic); the crypto.Signer
			// method re-derives the public key on every call.
			return ed25519.Sign(k, input), nil
		}
		sig, err := key.Sign(rand, input, crypto.Hash(0))
		if err != nil {
			return nil, fmt.Errorf("certificate: signing: %w", err)
		}
		return sig, nil
	case ES256:
		if rand == nil {
			return nil, fmt.Errorf("%w: ES256 signing needs a random source", ErrKey)
		}
		h := sha256.Sum256(input)
		der, err := key.Sign(rand, h[:], crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("certificate: signing: %w", err)
		}
		var rs struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
			return nil, errors.New("certificate: the signer returned a malformed ECDSA signature")
		}
		out := make([]byte, 64)
		rs.R.FillBytes(out[:32])
		rs.S.FillBytes(out[32:])
		return out, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrAlgorithm, alg)
}

// signingInput returns base64url(header) "." base64url(payload) where
// header is the canonical {"alg":alg,"kid":kid}.
func signingInput(alg, kid string, payload []byte) []byte {
	return appendSigningInput(nil, alg, kid, payload)
}

func appendSigningInput(dst []byte, alg, kid string, payload []byte) []byte {
	var tmp [128]byte
	hdr := appendHeader(tmp[:0], alg, kid)
	dst = b64.AppendEncode(dst, hdr)
	dst = append(dst, '.')
	return b64.AppendEncode(dst, payload)
}

// canonicalSigningInput returns the canonical bytes and the signing input
// for them, built in a single allocation when the size estimate holds.
func (c *Certificate) canonicalSigningInput(alg, kid string) (canon, input []byte) {
	n := c.sizeHint()
	buf := make([]byte, 0, n+b64.EncodedLen(n)+200)
	canon = c.appendCanonical(buf[:0:n], false)
	rest := buf[n:n]
	if need := b64.EncodedLen(len(canon)) + 200; cap(rest) < need {
		rest = make([]byte, 0, need)
	}
	return canon, appendSigningInput(rest, alg, kid, canon)
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
	// Revoked lists the IDs of revoked certificates.
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
		return fmt.Errorf("%w: %q (this package verifies %q)", ErrSchema, c.Schema, SchemaV1)
	}
	s := c.Signature
	if s == nil {
		return ErrUnsigned
	}
	if err := verifySignature(opts, c, s.Alg, s.KeyID, s.Value, nil); err != nil {
		return err
	}
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

// verifySignature runs the algorithm, key and signature checks for a
// signature over signingInput(alg, kid, canon).
func verifySignature(opts VerifyOptions, c *Certificate, alg, kid, value string, canon []byte) error {
	if !opts.allowed(alg) {
		return fmt.Errorf("%w: %q", ErrAlgorithm, alg)
	}
	e, ok := opts.Keys.entry(kid)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownKey, kid)
	}
	if e.alg != alg {
		return fmt.Errorf("%w: %q with a key for %q", ErrAlgorithm, alg, e.alg)
	}
	if !e.ValidAt(c.IssuedAt) {
		return fmt.Errorf("%w: key %s, issued %s", ErrKeyNotValid, kid, c.IssuedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	sig, err := b64.DecodeString(value)
	if err != nil {
		return fmt.Errorf("%w: signature value is not base64url", ErrSignature)
	}
	var input []byte
	if canon == nil {
		_, input = c.canonicalSigningInput(alg, kid)
	} else {
		input = signingInput(alg, kid, canon)
	}
	if !verifyRaw(e.Public, alg, input, sig) {
		return ErrSignature
	}
	return nil
}

func (s *KeySet) entry(kid string) (keyEntry, bool) {
	if s == nil {
		return keyEntry{}, false
	}
	e, ok := s.byID[kid]
	return e, ok
}

func verifyRaw(pub crypto.PublicKey, alg string, input, sig []byte) bool {
	switch alg {
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		return ok && len(sig) == ed25519.SignatureSize && ed25519.Verify(k, input, sig)
	case ES256:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || len(sig) != 64 {
			return false
		}
		h := sha256.Sum256(input)
		r := new(big.Int).SetBytes(sig[:32])
		s := new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(k, h[:], r, s)
	}
	return false
}
