package certificate

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Ed25519 public keys anyone can sign for: the eight points of small
// order (identity; order 2; order 4, two signs; order 8, two y values
// with two signs each) and non-canonical encodings (y ≥ 2^255 − 19). The
// test shows each is dangerous with go's own ed25519.Verify (a signature
// R = identity, S = 0 verifies over some message within 64 tries, for a
// key of order dividing 8), then that NewKeySet and ParseJWK refuse it.
var weakKeys = []string{
	"0100000000000000000000000000000000000000000000000000000000000000", // identity
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
	"0000000000000000000000000000000000000000000000000000000000000000", // order 4
	"0000000000000000000000000000000000000000000000000000000000000080", // order 4
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p: not canonical
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1: not canonical
}

func TestWeakEd25519KeysRefused(t *testing.T) {
	forged := make([]byte, 64)
	forged[0] = 1 // R = identity, S = 0
	for _, h := range weakKeys[:8] {
		pub, _ := hex.DecodeString(h)
		ok := false
		for i := 0; i < 64 && !ok; i++ {
			ok = ed25519.Verify(pub, []byte("any certificate "+strconv.Itoa(i)), forged)
		}
		if !ok {
			t.Fatalf("%s: no forged signature verified: the list is wrong", h)
		}
	}
	for _, h := range weakKeys {
		pub, _ := hex.DecodeString(h)
		if _, err := NewKeySet([]Key{{Public: ed25519.PublicKey(pub)}}); !errors.Is(err, ErrKey) {
			t.Errorf("NewKeySet(%s): %v, want ErrKey", h, err)
		}
		jwk := `{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(pub) + `"}`
		if _, err := ParseJWK([]byte(jwk)); !errors.Is(err, ErrKey) {
			t.Errorf("ParseJWK(%s): %v, want ErrKey", h, err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var seed [32]byte
		for i := range seed {
			seed[i] = byte(r.Uint32())
		}
		pub := ed25519.NewKeyFromSeed(seed[:]).Public().(ed25519.PublicKey)
		if err := checkEd25519Public(pub); err != nil {
			t.Fatalf("a real key %x: %v", pub, err)
		}
	}
}

// An Ed25519 private key whose public half is not its seed's is refused
// before anything is signed: with it, the same message signed under two
// public halves gives away the private scalar, and its signatures do not
// verify anyway.
func TestCorruptEd25519PrivateKeyRefused(t *testing.T) {
	k := ed25519.PrivateKey(bytes.Clone(testKey()))
	k[40] ^= 1
	if err := CheckSigner(k, nil); !errors.Is(err, ErrKey) || !strings.Contains(err.Error(), "public half") {
		t.Errorf("CheckSigner: %v, want ErrKey", err)
	}
	fp, plan := referenceLaptop(t)
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	if _, err := Issue(fp, plan, opts, k, nil); !errors.Is(err, ErrKey) {
		t.Errorf("Issue: %v, want ErrKey", err)
	}
	if err := CheckSigner(testKey(), nil); err != nil {
		t.Errorf("the real key: %v", err)
	}
}

// A JWK with a private member is refused, whatever its value.
func TestJWKWithPrivateMemberRefused(t *testing.T) {
	x := b64.EncodeToString(testKey().Public().(ed25519.PublicKey))
	for _, d := range []string{`null`, `""`, `"AAAA"`} {
		jwk := `{"crv":"Ed25519","d":` + d + `,"kty":"OKP","x":"` + x + `"}`
		if _, err := ParseJWK([]byte(jwk)); !errors.Is(err, ErrKey) {
			t.Errorf("d = %s: %v, want ErrKey", d, err)
		}
	}
}

// Build refuses to certify one unit's footprint under another unit's
// serial (IssueOptions.Serial must be the footprint's, as documented).
func TestBuildSerialMustBeTheFootprints(t *testing.T) {
	fp, plan := referenceLaptop(t)
	plan.Serial = "SOMEONE-ELSES-UNIT"
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC), Serial: "SOMEONE-ELSES-UNIT"}
	if _, err := Build(fp, plan, opts); !errors.Is(err, ErrInvalid) {
		t.Errorf("Build: %v, want ErrInvalid", err)
	}
}

// Check refuses more stages than a footprint has (it compared every stage
// with every other: 27,782 stages took 1.9 s).
func TestCheckBoundsStages(t *testing.T) {
	c := sampleCertificate()
	for i := range maxStages + 1 {
		c.Footprint.Stages = append(c.Footprint.Stages, StageTotal{Stage: "s" + strconv.Itoa(i), Total: co2("1 kg")})
	}
	if err := c.Check(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "footprint.stages") {
		t.Errorf("Check: %v, want an error naming footprint.stages", err)
	}
}

// wrongKeySigner reports one key's public half and signs with another, as
// a KMS or HSM configured with the wrong key would.
type wrongKeySigner struct {
	reports crypto.Signer
	signs   crypto.Signer
}

func (w wrongKeySigner) Public() crypto.PublicKey { return w.reports.Public() }
func (w wrongKeySigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return w.signs.Sign(r, d, o)
}

// A signer whose signatures do not verify with the public key it reports
// is refused when it signs (Sign, JWS, Credential), instead of issuing
// certificates that never verify; a wrapper that signs with its own key
// still works.
func TestExternalSignerVerified(t *testing.T) {
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	ecA, _ := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	ecB, _ := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	fp, plan := referenceLaptop(t)
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	for name, s := range map[string]crypto.Signer{
		"Ed25519": wrongKeySigner{reports: testKey(), signs: other},
		"ES256":   wrongKeySigner{reports: ecA, signs: ecB},
	} {
		if _, err := Issue(fp, plan, opts, s, crand.Reader); !errors.Is(err, ErrKey) {
			t.Errorf("%s: Issue with the wrong key: %v, want ErrKey", name, err)
		}
	}
	good := wrongKeySigner{reports: testKey(), signs: testKey()}
	c, err := Issue(fp, plan, opts, good, nil)
	if err != nil {
		t.Fatalf("a wrapper with the right key: %v", err)
	}
	if _, err := c.JWS(wrongKeySigner{reports: testKey(), signs: other}, nil); !errors.Is(err, ErrKey) {
		t.Errorf("JWS with the wrong key: %v, want ErrKey", err)
	}
	if _, err := c.Credential(wrongKeySigner{reports: testKey(), signs: other}, opts.IssuedAt); !errors.Is(err, ErrKey) {
		t.Errorf("Credential with the wrong key: %v, want ErrKey", err)
	}
	if _, err := c.Credential(good, opts.IssuedAt); err != nil {
		t.Errorf("Credential with the right key: %v", err)
	}
}
