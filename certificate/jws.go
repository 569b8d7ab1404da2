package certificate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// MaxJWS bounds the length of a compact JWS ParseJWS reads: a payload of
// MaxSize bytes in base64url plus room for the header and signature.
const MaxJWS = (MaxSize*4+2)/3 + 1024

// JWS returns the signed certificate as a compact JWS (RFC 7515):
// base64url(header) "." base64url(canonical bytes) "." signature, with the
// protected header {"alg":…,"kid":…} (alg EdDSA or ES256, kid the RFC 7638
// thumbprint). No signing happens here: the certificate's signature already
// covers exactly this signing input, so any JOSE library verifies the
// result with the issuer's public key. It fails with ErrUnsigned when the
// certificate is not signed.
func (c *Certificate) JWS() (string, error) {
	s := c.Signature
	if s == nil {
		return "", ErrUnsigned
	}
	in := signingInput(s.Alg, s.KeyID, c.Canonical())
	return string(in) + "." + s.Value, nil
}

// ParseJWS reads a compact JWS written by JWS back into a signed
// certificate, without verifying it (call Verify, or use VerifyJWS). It is
// strict: at most MaxJWS bytes; three base64url parts without padding;
// a protected header that is exactly the canonical {"alg","kid"} object
// (any other header parameter, such as "crit", "b64" or "jku", is
// refused); alg "none" and any algorithm but EdDSA and ES256 refused
// (ErrAlgorithm); a payload that is a certificate in canonical form
// without its signature. Errors wrap ErrTooLarge, ErrMalformed or
// ErrAlgorithm.
func ParseJWS(s string) (*Certificate, error) {
	if len(s) > MaxJWS {
		return nil, fmt.Errorf("%w: JWS of %d bytes, at most %d", ErrTooLarge, len(s), MaxJWS)
	}
	h, rest, ok1 := strings.Cut(s, ".")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sig, ".") {
		return nil, fmt.Errorf("%w: a compact JWS has three parts", ErrMalformed)
	}
	hdr, err := b64.DecodeString(h)
	if err != nil {
		return nil, fmt.Errorf("%w: header is not base64url", ErrMalformed)
	}
	if err := jcs.Check(hdr); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &fields); err != nil {
		return nil, fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	}
	var alg, kid string
	if err := json.Unmarshal(fields["alg"], &alg); err != nil || alg == "" {
		return nil, fmt.Errorf("%w: header has no alg", ErrMalformed)
	}
	if alg != EdDSA && alg != ES256 {
		return nil, fmt.Errorf("%w: %q", ErrAlgorithm, alg)
	}
	if err := json.Unmarshal(fields["kid"], &kid); err != nil || kid == "" {
		return nil, fmt.Errorf("%w: header has no kid", ErrMalformed)
	}
	if !bytes.Equal(hdr, header(alg, kid)) {
		return nil, fmt.Errorf("%w: header must be exactly {\"alg\",\"kid\"} in canonical form", ErrMalformed)
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	c, err := Parse(payload)
	if err != nil {
		return nil, err
	}
	if c.Signature != nil {
		return nil, fmt.Errorf("%w: the payload must not carry a signature", ErrMalformed)
	}
	if !bytes.Equal(payload, c.Canonical()) {
		return nil, fmt.Errorf("%w: payload is not in canonical form", ErrMalformed)
	}
	if _, err := b64.DecodeString(sig); err != nil || sig == "" {
		return nil, fmt.Errorf("%w: signature is not base64url", ErrMalformed)
	}
	c.Signature = &Signature{Alg: alg, KeyID: kid, Value: sig}
	return c, nil
}

// VerifyJWS parses a compact JWS (ParseJWS) and verifies the certificate
// it carries (Verify). It returns the certificate only when both succeed.
func VerifyJWS(s string, opts VerifyOptions) (*Certificate, error) {
	c, err := ParseJWS(s)
	if err != nil {
		return nil, err
	}
	if err := c.Verify(opts); err != nil {
		return nil, err
	}
	return c, nil
}
