package certificate

import (
	"bytes"
	"crypto"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// MaxJWS bounds the length of a compact JWS ParseJWS reads: a payload of
// MaxSize bytes in base64url plus room for the header and signature.
const MaxJWS = (MaxSize*4+2)/3 + 1024

// JWS exports the certificate as a compact JWS (RFC 7515) signed with key:
// base64url(header) "." base64url(canonical bytes) "." signature, with the
// protected header {"alg":…,"kid":…} (alg EdDSA or ES256 after the key,
// kid its RFC 7638 thumbprint). The payload is c.Canonical(), the
// certificate without its signature, so any JOSE library verifies the
// result with the issuer's JWK and returns the canonical certificate.
//
// The JWS signature covers the JWS signing input (header and payload, as
// RFC 7515 requires), so it is not the certificate's own signature, which
// covers the canonical bytes alone: JWS signs afresh (Ed25519 gives the
// same JWS every time; ES256 needs rand). The certificate is checked first
// (Check) and need not carry a signature; when it does, key must be the
// key that made it (ErrKey otherwise), so that both name the same issuer
// key.
func (c *Certificate) JWS(key crypto.Signer, rand io.Reader) (string, error) {
	alg, kid, err := signerInfo(key)
	if err != nil {
		return "", err
	}
	if s := c.Signature; s != nil && (s.KeyID != kid || s.Alg != alg) {
		return "", fmt.Errorf("%w: the certificate is signed by key %s (%s), not by %s (%s)", ErrKey, s.KeyID, s.Alg, kid, alg)
	}
	if err := c.Check(); err != nil {
		return "", err
	}
	canon := c.appendCanonical(make([]byte, 0, c.sizeHint()), false)
	if len(canon) > MaxSize {
		return "", fmt.Errorf("%w: canonical form of %d bytes, at most %d", ErrTooLarge, len(canon), MaxSize)
	}
	input := signingInput(alg, kid, canon)
	sig, err := signMessage(key, alg, rand, input)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(input)+1+b64.EncodedLen(len(sig)))
	out = append(append(out, input...), '.')
	return string(b64.AppendEncode(out, sig)), nil
}

// ParseJWS reads a compact JWS written by JWS back into a certificate,
// without verifying it (use VerifyJWS). The certificate returned carries
// no Signature: the JWS signature covers the signing input, not the
// canonical bytes, so it cannot become the certificate's own. ParseJWS is
// strict: at most MaxJWS bytes; three base64url parts without padding;
// a protected header that is exactly the canonical {"alg","kid"} object
// (any other header parameter, such as "crit", "b64" or "jku", is
// refused); alg "none" and any algorithm but EdDSA and ES256 refused
// (ErrAlgorithm); a payload that is a certificate in canonical form
// without its signature; a signature of the algorithm's length (64
// bytes). Errors wrap ErrTooLarge, ErrMalformed or ErrAlgorithm.
func ParseJWS(s string) (*Certificate, error) {
	j, err := parseJWS(s)
	if err != nil {
		return nil, err
	}
	return j.cert, nil
}

// jws is a parsed compact JWS.
type jws struct {
	cert     *Certificate
	alg, kid string
	input    string // the signing input, header "." payload
	sig      []byte
}

func parseJWS(s string) (*jws, error) {
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
	raw, err := b64.DecodeString(sig)
	if err != nil || len(raw) != 64 { // Ed25519 and ES256 (r||s) alike
		return nil, fmt.Errorf("%w: signature is not 64 bytes of base64url", ErrMalformed)
	}
	return &jws{cert: c, alg: alg, kid: kid, input: s[:len(h)+1+len(p)], sig: raw}, nil
}

// VerifyJWS parses a compact JWS (ParseJWS) and verifies it with the
// checks and the order of Verify: the schema version; the header's
// algorithm is allowed and is the algorithm of the key its kid names in
// opts.Keys; the key was valid at the certificate's issue time; the JWS
// signature verifies over the signing input; the content passes Check;
// the ID is not revoked. It returns the certificate (without a Signature,
// see ParseJWS) only when all succeed.
func VerifyJWS(s string, opts VerifyOptions) (*Certificate, error) {
	j, err := parseJWS(s)
	if err != nil {
		return nil, err
	}
	c := j.cert
	if c.Schema != SchemaV1 {
		return nil, schemaError(c.Schema)
	}
	e, err := c.verifyKey(opts, j.alg, j.kid)
	if err != nil {
		return nil, err
	}
	if !verifyRaw(e.Public, j.alg, []byte(j.input), j.sig) {
		return nil, ErrSignature
	}
	if err := c.verifyContent(opts); err != nil {
		return nil, err
	}
	return c, nil
}
