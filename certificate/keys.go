package certificate

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

var b64 = base64.RawURLEncoding.Strict()

// Key is a public key the verifier trusts, with its validity window.
// Public is an ed25519.PublicKey or an *ecdsa.PublicKey on P-256.
// NotBefore and NotAfter bound the issue times of the certificates the key
// may sign, both inclusive; a zero time leaves that side open. The issue
// time is the certificate's own, signed with it, so a window only retires
// a key in good standing: whoever holds a compromised key can date a
// certificate inside its window. Remove a compromised key from the set.
type Key struct {
	Public    crypto.PublicKey
	NotBefore time.Time
	NotAfter  time.Time
}

// ValidAt reports whether t lies in the key's validity window.
func (k Key) ValidAt(t time.Time) bool {
	if !k.NotBefore.IsZero() && t.Before(k.NotBefore) {
		return false
	}
	if !k.NotAfter.IsZero() && t.After(k.NotAfter) {
		return false
	}
	return true
}

// KeySet is the set of keys a verifier trusts, indexed by key ID (the RFC
// 7638 thumbprint). It is immutable after NewKeySet and safe for
// concurrent use.
type KeySet struct {
	byID map[string]keyEntry
}

type keyEntry struct {
	Key
	alg string
}

// NewKeySet builds a key set. It fails with ErrKey for an unsupported key,
// for an Ed25519 key anyone could sign for (a point of small order, or an
// encoding that is not canonical), and refuses the same key twice.
func NewKeySet(keys []Key) (*KeySet, error) {
	s := &KeySet{byID: make(map[string]keyEntry, len(keys))}
	for i, k := range keys {
		kid, err := Thumbprint(k.Public)
		if err != nil {
			return nil, fmt.Errorf("keys[%d]: %w", i, err)
		}
		if pub, ok := k.Public.(ed25519.PublicKey); ok {
			if err := checkEd25519Public(pub); err != nil {
				return nil, fmt.Errorf("keys[%d]: %w", i, err)
			}
		}
		if _, dup := s.byID[kid]; dup {
			return nil, fmt.Errorf("%w: keys[%d] repeats key %s", ErrKey, i, kid)
		}
		alg, _ := algorithmOf(k.Public)
		s.byID[kid] = keyEntry{k, alg}
	}
	return s, nil
}

// Key returns the key with ID kid.
func (s *KeySet) Key(kid string) (Key, bool) {
	if s == nil {
		return Key{}, false
	}
	e, ok := s.byID[kid]
	return e.Key, ok
}

// IDs returns the key IDs in the set, in no particular order.
func (s *KeySet) IDs() []string {
	if s == nil {
		return nil
	}
	out := make([]string, 0, len(s.byID))
	for id := range s.byID {
		out = append(out, id)
	}
	return out
}

// algorithmOf returns the one JWS algorithm a public key signs with.
func algorithmOf(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrKey, len(k))
		}
		return EdDSA, nil // trusted keys are checked further by checkEd25519Public
	case *ecdsa.PublicKey:
		if k == nil || k.Curve != elliptic.P256() {
			return "", fmt.Errorf("%w: ECDSA keys must be on P-256", ErrKey)
		}
		if k.X == nil || k.Y == nil {
			return "", fmt.Errorf("%w: ECDSA public key without a point", ErrKey)
		}
		if _, err := k.ECDH(); err != nil {
			return "", fmt.Errorf("%w: ECDSA public key: %v", ErrKey, err)
		}
		return ES256, nil
	default:
		return "", fmt.Errorf("%w: %T (use Ed25519 or ECDSA P-256)", ErrKey, pub)
	}
}

// JWK returns the public key as a JSON Web Key (RFC 7517; RFC 8037 for
// Ed25519) in canonical form, with "kid" (the thumbprint), "alg" and
// "use":"sig".
func JWK(pub crypto.PublicKey) ([]byte, error) {
	m, err := jwkMembers(pub)
	if err != nil {
		return nil, err
	}
	kid, _ := Thumbprint(pub)
	alg, _ := algorithmOf(pub)
	m["kid"] = kid
	m["alg"] = alg
	m["use"] = "sig"
	return jcs.Marshal(m)
}

// ParseJWK reads a public JWK of type OKP/Ed25519 or EC/P-256 (other
// members, such as kid, are ignored; a private member "d" is refused,
// whatever its value, as is an Ed25519 key of small order or not
// canonically encoded). Member names are case-sensitive, as in RFC 7517:
// "X" is not "x".
func ParseJWK(data []byte) (crypto.PublicKey, error) {
	if len(data) > 64<<10 {
		return nil, fmt.Errorf("%w: JWK too large", ErrKey)
	}
	if err := jcs.Check(data); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	// Member names are matched exactly, as JOSE reads them (RFC 7517):
	// encoding/json would also take "X" for "x", and a JWK holding both
	// would name one key here and another in other libraries.
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var j struct{ Kty, Crv, X, Y, D string }
	for name, dst := range map[string]*string{"kty": &j.Kty, "crv": &j.Crv, "x": &j.X, "y": &j.Y, "d": &j.D} {
		if v, ok := members[name]; ok {
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, fmt.Errorf("%w: JWK member %q must be a string", ErrMalformed, name)
			}
		}
	}
	if _, ok := members["d"]; ok || j.D != "" { // even "d": null or ""
		return nil, fmt.Errorf("%w: the JWK holds a private key member (d)", ErrKey)
	}
	x, err := b64.DecodeString(j.X)
	if err != nil {
		return nil, fmt.Errorf("%w: bad x", ErrKey)
	}
	switch {
	case j.Kty == "OKP" && j.Crv == "Ed25519":
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 x of %d bytes", ErrKey, len(x))
		}
		if err := checkEd25519Public(x); err != nil {
			return nil, err
		}
		return ed25519.PublicKey(x), nil
	case j.Kty == "EC" && j.Crv == "P-256":
		y, err := b64.DecodeString(j.Y)
		if err != nil || len(x) != 32 || len(y) != 32 {
			return nil, fmt.Errorf("%w: bad P-256 coordinates", ErrKey)
		}
		// Let crypto/ecdh validate that the point is on the curve.
		pt := append(append([]byte{4}, x...), y...)
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pt)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		return pk, nil
	default:
		return nil, fmt.Errorf("%w: kty %q crv %q", ErrKey, j.Kty, j.Crv)
	}
}

func jwkMembers(pub crypto.PublicKey) (map[string]string, error) {
	if _, err := algorithmOf(pub); err != nil {
		return nil, err
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return map[string]string{"crv": "Ed25519", "kty": "OKP", "x": b64.EncodeToString(k)}, nil
	case *ecdsa.PublicKey:
		pt, err := k.Bytes() // 0x04 || x || y
		if err != nil || len(pt) != 65 {
			return nil, fmt.Errorf("%w: invalid P-256 public key", ErrKey)
		}
		return map[string]string{"crv": "P-256", "kty": "EC",
			"x": b64.EncodeToString(pt[1:33]), "y": b64.EncodeToString(pt[33:])}, nil
	}
	panic("unreachable")
}

// Thumbprint returns the key ID of a public key: its RFC 7638 JWK
// thumbprint, base64url (no padding) of the SHA-256 of the canonical JWK
// holding only the required members ({"crv","kty","x"} for Ed25519,
// {"crv","kty","x","y"} for P-256).
func Thumbprint(pub crypto.PublicKey) (string, error) {
	if _, err := algorithmOf(pub); err != nil {
		return "", err
	}
	// The required members in RFC 8785 order; base64url needs no escaping.
	b := make([]byte, 0, 160)
	switch k := pub.(type) {
	case ed25519.PublicKey:
		b = append(b, `{"crv":"Ed25519","kty":"OKP","x":"`...)
		b = b64.AppendEncode(b, k)
	case *ecdsa.PublicKey:
		pt, err := k.Bytes() // 0x04 || x || y
		if err != nil || len(pt) != 65 {
			return "", fmt.Errorf("%w: invalid P-256 public key", ErrKey)
		}
		b = append(b, `{"crv":"P-256","kty":"EC","x":"`...)
		b = b64.AppendEncode(b, pt[1:33])
		b = append(b, `","y":"`...)
		b = b64.AppendEncode(b, pt[33:])
	}
	b = append(b, `"}`...)
	sum := sha256.Sum256(b)
	return b64.EncodeToString(sum[:]), nil
}
