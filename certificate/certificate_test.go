package certificate

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/jcs"
	"github.com/shopspring/decimal"
)

func TestGolden(t *testing.T) {
	c := signedSample(t)
	golden(t, "canonical.golden", c.Canonical())
	var ind bytes.Buffer
	if err := json.Indent(&ind, must(c.MarshalJSON()), "", "  "); err != nil {
		t.Fatal(err)
	}
	js := append(ind.Bytes(), '\n')
	golden(t, "certificate.golden.json", js)
	jws, err := c.JWS(testKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "certificate.golden.jws", []byte(jws+"\n"))
	// The golden JSON reads back to the same certificate, which verifies.
	back, err := Parse(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(VerifyOptions{Keys: testKeys(t)}); err != nil {
		t.Fatal(err)
	}
}

// TestCanonicalMatchesGeneric proves the hand-written encoder identical to
// the generic path (encoding/json, then RFC 8785 canonicalization) over
// random certificates with hostile strings, with and without optional
// members and signature.
func TestCanonicalMatchesGeneric(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(7, 11))
	for i := 0; i < 500; i++ {
		c := randomCertificate(rng)
		for _, withSig := range []bool{false, true} {
			cc := *c
			if !withSig {
				cc.Signature = nil
			}
			generic, err := jcs.Marshal((*plain)(&cc))
			if err != nil {
				t.Fatal(err)
			}
			direct := cc.appendCanonical(nil, true)
			if !bytes.Equal(direct, generic) {
				t.Fatalf("direct encoder differs from generic JCS:\n%s\n%s", direct, generic)
			}
			// And it reads back to the same bytes.
			back, err := Parse(direct)
			if err != nil {
				t.Fatalf("%v\n%s", err, direct)
			}
			if again, _ := back.MarshalJSON(); !bytes.Equal(again, direct) {
				t.Fatalf("round trip changed the document:\n%s\n%s", direct, again)
			}
		}
	}
}

var hostile = []string{"", "a", "<script>alert(1)</script>", `"quoted" & 'single'`, "]]>", "Grüße", "北京市", "🌱🌍",
	"\u2028\u2029", "tab\tnew\nline", "\u0000\u001f\u007f", `back\slash`, "\uFB33", "é", "x\u0301"}

func randomCertificate(rng *mrand.Rand) *Certificate {
	str := func() string { return hostile[rng.IntN(len(hostile))] + hostile[rng.IntN(len(hostile))] }
	q := func() footprint.CO2e {
		return footprint.KgCO2e(decimal.New(rng.Int64N(10_000_000), -int32(rng.IntN(6))))
	}
	c := &Certificate{
		Schema: SchemaV1, ID: str(),
		Issuer:   Issuer{Name: str()},
		Product:  Product{Manufacturer: str(), Model: str(), Serial: str()},
		IssuedAt: time.Unix(rng.Int64N(4e9), rng.Int64N(2)*rng.Int64N(1e9)).UTC(),
		Footprint: Summary{Total: q(), Low: q(), High: q(), Dataset: Dataset{str(), str()}, InputDigest: str(),
			Stages: []StageTotal{}},
		Offsets:     []Line{},
		TotalOffset: q(),
	}
	if rng.IntN(2) == 0 {
		c.Issuer.URL = str()
	}
	for j := rng.IntN(4); j > 0; j-- {
		c.Footprint.Stages = append(c.Footprint.Stages, StageTotal{str(), q()})
	}
	for j := rng.IntN(3); j > 0; j-- {
		l := Line{Project: str(), Standard: str(), Type: str(), Country: str(), Vintage: rng.IntN(3000), Amount: q(), Credits: []Credit{}}
		if rng.IntN(2) == 0 {
			l.ProjectName = str()
		}
		for k := rng.IntN(3); k > 0; k-- {
			l.Credits = append(l.Credits, Credit{str(), decimal.New(rng.Int64N(1e9), -int32(rng.IntN(4)))})
		}
		c.Offsets = append(c.Offsets, l)
	}
	if rng.IntN(2) == 0 {
		c.Tier = &Tier{Name: str(), Amount: q()}
	}
	if rng.IntN(2) == 0 {
		c.Beneficiary = str()
	}
	c.Signature = &Signature{Alg: str(), KeyID: str(), Value: str()}
	return c
}

func TestSignVerifyEd25519(t *testing.T) {
	c := signedSample(t)
	if c.Signature.Alg != EdDSA {
		t.Errorf("alg %q", c.Signature.Alg)
	}
	kid, _ := Thumbprint(testKey().Public())
	if c.Signature.KeyID != kid {
		t.Errorf("kid %q, want %q", c.Signature.KeyID, kid)
	}
	if err := c.Verify(VerifyOptions{Keys: testKeys(t)}); err != nil {
		t.Fatal(err)
	}
	// The signature is the bare Ed25519 signature of the canonical bytes.
	sig := must(b64.DecodeString(c.Signature.Value))
	if !ed25519.Verify(testKey().Public().(ed25519.PublicKey), c.Canonical(), sig) {
		t.Error("the signature does not verify over the canonical bytes with crypto/ed25519")
	}
	if want := ed25519.Sign(testKey(), c.Canonical()); !bytes.Equal(sig, want) {
		t.Error("the signature is not ed25519.Sign(key, Canonical())")
	}
	// Deterministic: signing again gives the same bytes.
	d := signedSample(t)
	if a, b := must(c.MarshalJSON()), must(d.MarshalJSON()); !bytes.Equal(a, b) {
		t.Error("Ed25519 signing is not deterministic")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestSignVerifyES256(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := sampleCertificate()
	if err := c.Sign(k, rand.Reader); err != nil {
		t.Fatal(err)
	}
	if c.Signature.Alg != ES256 || len(must(b64.DecodeString(c.Signature.Value))) != 64 {
		t.Fatalf("signature %+v", c.Signature)
	}
	ks, _ := NewKeySet([]Key{{Public: k.Public()}, {Public: testKey().Public()}})
	if err := c.Verify(VerifyOptions{Keys: ks}); err != nil {
		t.Fatal(err)
	}
	// The signature is ECDSA P-256 over SHA-256 of the canonical bytes,
	// r||s.
	sig := must(b64.DecodeString(c.Signature.Value))
	h := sha256.Sum256(c.Canonical())
	if !ecdsa.Verify(&k.PublicKey, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the signature does not verify over the canonical bytes with crypto/ecdsa")
	}
	jws, _ := c.JWS(k, rand.Reader)
	if _, err := VerifyJWS(jws, VerifyOptions{Keys: ks}); err != nil {
		t.Fatal(err)
	}
	if err := c.Sign(k, nil); !errors.Is(err, ErrKey) {
		t.Errorf("ES256 without randomness: %v", err)
	}
	// Low-S: over many signatures s ≤ n/2 every time; the twin (r, n − s)
	// is as valid a signature and verifies too (certificates signed by
	// other ES256 implementations keep verifying).
	n := elliptic.P256().Params().N
	half := new(big.Int).Rsh(n, 1)
	for range 32 {
		if err := c.Sign(k, rand.Reader); err != nil {
			t.Fatal(err)
		}
		sig := must(b64.DecodeString(c.Signature.Value))
		s := new(big.Int).SetBytes(sig[32:])
		if s.Cmp(half) > 0 {
			t.Fatalf("s = %x is above n/2", s)
		}
		twin := bytes.Clone(sig)
		new(big.Int).Sub(n, s).FillBytes(twin[32:])
		if !ecdsa.Verify(&k.PublicKey, h[:], new(big.Int).SetBytes(twin[:32]), new(big.Int).SetBytes(twin[32:])) {
			t.Fatal("the twin should be a valid ECDSA signature")
		}
		tc := *c
		tc.Signature = &Signature{Alg: ES256, KeyID: c.Signature.KeyID, Value: b64.EncodeToString(twin)}
		if err := tc.Verify(VerifyOptions{Keys: ks}); err != nil {
			t.Fatalf("high-S twin: %v, want it to verify", err)
		}
	}
	// A P-256 key without a point is refused, not a panic.
	if _, err := Thumbprint(&ecdsa.PublicKey{Curve: elliptic.P256()}); !errors.Is(err, ErrKey) {
		t.Errorf("empty P-256 key: %v", err)
	}
	if _, err := NewKeySet([]Key{{Public: &ecdsa.PublicKey{Curve: elliptic.P256()}}}); !errors.Is(err, ErrKey) {
		t.Errorf("empty P-256 key in a key set: %v", err)
	}
	// An ES256-only policy refuses an EdDSA certificate.
	if err := signedSample(t).Verify(VerifyOptions{Keys: ks, Algorithms: []string{ES256}}); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("EdDSA under an ES256-only policy: %v", err)
	}
}

// TestThumbprint checks RFC 7638 against the example of RFC 8037 appendix
// A.3: the Ed25519 key x = 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo has
// thumbprint kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k.
func TestThumbprint(t *testing.T) {
	x, _ := b64.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	got, err := Thumbprint(ed25519.PublicKey(x))
	if err != nil {
		t.Fatal(err)
	}
	if want := "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	j, _ := JWK(ed25519.PublicKey(x))
	if want := `{"alg":"EdDSA","crv":"Ed25519","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k","kty":"OKP","use":"sig","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`; string(j) != want {
		t.Errorf("JWK %s", j)
	}
	back, err := ParseJWK(j)
	if err != nil || !bytes.Equal(back.(ed25519.PublicKey), x) {
		t.Errorf("ParseJWK: %v", err)
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ej, _ := JWK(ek.Public())
	eback, err := ParseJWK(ej)
	if err != nil || !eback.(*ecdsa.PublicKey).Equal(ek.Public()) {
		t.Errorf("ParseJWK P-256: %v", err)
	}
	if _, err := Thumbprint("not a key"); !errors.Is(err, ErrKey) {
		t.Errorf("bad key: %v", err)
	}
	if _, err := ParseJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`)); !errors.Is(err, ErrKey) {
		t.Errorf("private JWK accepted: %v", err)
	}
	// Member names are case-sensitive (RFC 7517): with "x" and "X" the key
	// is "x"'s, as JOSE libraries read it; with only "X" there is no x.
	other := b64.EncodeToString(ek.X.Bytes()) // any 32 bytes
	both, err := ParseJWK([]byte(`{"X":"` + other + `","crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	if err != nil || !bytes.Equal(both.(ed25519.PublicKey), x) {
		t.Errorf("JWK with x and X: %v, key %x, want x's", err, both)
	}
	if _, err := ParseJWK([]byte(`{"CRV":"Ed25519","KTY":"OKP","X":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)); err == nil {
		t.Error("JWK with upper-case member names accepted")
	}
}

// TestTamperFields changes each field of a signed certificate in turn; the
// signature must no longer verify, or an earlier check must catch it.
func TestTamperFields(t *testing.T) {
	ks := testKeys(t)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherKid, _ := Thumbprint(other.Public())
	ks2, _ := NewKeySet([]Key{{Public: testKey().Public()}, {Public: other.Public()}})
	cases := []struct {
		name   string
		change func(c *Certificate)
		keys   *KeySet
		want   error
	}{
		{"schema", func(c *Certificate) { c.Schema = "lifecarbon.certificate.v2" }, ks, ErrSchema},
		{"id", func(c *Certificate) { c.ID += "x" }, ks, ErrSignature},
		{"issuer.name", func(c *Certificate) { c.Issuer.Name = "Other" }, ks, ErrSignature},
		{"issuer.url", func(c *Certificate) { c.Issuer.URL = "" }, ks, ErrSignature},
		{"product.manufacturer", func(c *Certificate) { c.Product.Manufacturer = "Dell" }, ks, ErrSignature},
		{"product.model", func(c *Certificate) { c.Product.Model += " " }, ks, ErrSignature},
		{"product.serial", func(c *Certificate) { c.Product.Serial = "PF-3X7Y2Y" }, ks, ErrSignature},
		{"issuedAt", func(c *Certificate) { c.IssuedAt = c.IssuedAt.Add(time.Nanosecond) }, ks, ErrSignature},
		{"footprint.total", func(c *Certificate) { c.Footprint.Total = co2("508.1 kg") }, ks, ErrSignature},
		{"footprint.low", func(c *Certificate) { c.Footprint.Low = co2("413.7 kg") }, ks, ErrSignature},
		{"footprint.high", func(c *Certificate) { c.Footprint.High = co2("602.9 kg") }, ks, ErrSignature},
		{"footprint.stages[0].stage", func(c *Certificate) { c.Footprint.Stages[0].Stage = "x" }, ks, ErrSignature},
		{"footprint.stages[1].total", func(c *Certificate) { c.Footprint.Stages[1].Total = co2("35.7 kg") }, ks, ErrSignature},
		{"footprint.stages dropped", func(c *Certificate) { c.Footprint.Stages = c.Footprint.Stages[:3] }, ks, ErrSignature},
		{"footprint.dataset.name", func(c *Certificate) { c.Footprint.Dataset.Name = "x" }, ks, ErrSignature},
		{"footprint.dataset.version", func(c *Certificate) { c.Footprint.Dataset.Version = "x" }, ks, ErrSignature},
		{"footprint.inputDigest", func(c *Certificate) { c.Footprint.InputDigest = "sha256:00" }, ks, ErrSignature},
		{"offsets[0].project", func(c *Certificate) { c.Offsets[0].Project = "x" }, ks, ErrSignature},
		{"offsets[0].projectName", func(c *Certificate) { c.Offsets[0].ProjectName = "" }, ks, ErrSignature},
		{"offsets[0].standard", func(c *Certificate) { c.Offsets[0].Standard = "VCS" }, ks, ErrSignature},
		{"offsets[0].type", func(c *Certificate) { c.Offsets[0].Type = "solar" }, ks, ErrSignature},
		{"offsets[0].country", func(c *Certificate) { c.Offsets[0].Country = "CN" }, ks, ErrSignature},
		{"offsets[0].vintage", func(c *Certificate) { c.Offsets[0].Vintage++ }, ks, ErrSignature},
		{"offsets[0].amount", func(c *Certificate) { c.Offsets[0].Amount = co2("601 kg") }, ks, ErrSignature},
		{"offsets[0].credits[0].serial", func(c *Certificate) { c.Offsets[0].Credits[0].Serial += "0" }, ks, ErrSignature},
		{"offsets[0].credits[0].grams", func(c *Certificate) { c.Offsets[0].Credits[0].Grams = decimal.NewFromInt(1) }, ks, ErrSignature},
		{"offsets[1] dropped", func(c *Certificate) { c.Offsets = c.Offsets[:1] }, ks, ErrSignature},
		{"totalOffset", func(c *Certificate) { c.TotalOffset = co2("999 kg") }, ks, ErrSignature},
		{"tier.name", func(c *Certificate) { c.Tier.Name = "500 kg" }, ks, ErrSignature},
		{"tier.amount", func(c *Certificate) { c.Tier.Amount = co2("500 kg") }, ks, ErrSignature},
		{"tier removed", func(c *Certificate) { c.Tier = nil }, ks, ErrSignature},
		{"beneficiary", func(c *Certificate) { c.Beneficiary = "Mallory" }, ks, ErrSignature},
		{"signature.value", func(c *Certificate) { c.Signature.Value = strings.Repeat("A", 86) }, ks, ErrSignature},
		{"signature.value not base64url", func(c *Certificate) { c.Signature.Value = "!!" }, ks, ErrSignature},
		{"signature.kid unknown", func(c *Certificate) { c.Signature.KeyID = "AAAA" }, ks, ErrUnknownKey},
		{"signature.kid of another (P-256) key", func(c *Certificate) { c.Signature.KeyID = otherKid }, ks2, ErrAlgorithm},
		{"signature.alg none", func(c *Certificate) { c.Signature.Alg = "none" }, ks, ErrAlgorithm},
		{"signature.alg HS256", func(c *Certificate) { c.Signature.Alg = "HS256" }, ks, ErrAlgorithm},
		{"signature.alg ES256 on an Ed25519 key", func(c *Certificate) { c.Signature.Alg = ES256 }, ks, ErrAlgorithm},
		{"signature removed", func(c *Certificate) { c.Signature = nil }, ks, ErrUnsigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := signedSample(t)
			// Deep copy through JSON so slices are not shared.
			tc.change(c)
			err := c.Verify(VerifyOptions{Keys: tc.keys})
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTamperBytes changes every byte of the signed JSON form in turn (to
// two other values); no variant may both parse and verify.
func TestTamperBytes(t *testing.T) {
	js := must(signedSample(t).MarshalJSON())
	opts := VerifyOptions{Keys: testKeys(t)}
	for i := range js {
		for _, delta := range []byte{1, 0x20} {
			b := bytes.Clone(js)
			b[i] ^= delta
			c, err := Parse(b)
			if err == nil {
				err = c.Verify(opts)
			}
			if err == nil {
				t.Fatalf("byte %d (%q → %q) changed and the certificate still verifies", i, js[i], b[i])
			}
		}
	}
}

func TestVerifyChecks(t *testing.T) {
	key := testKey()
	issued := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)
	window := func(nb, na time.Time) *KeySet {
		ks, err := NewKeySet([]Key{{Public: key.Public(), NotBefore: nb, NotAfter: na}})
		if err != nil {
			t.Fatal(err)
		}
		return ks
	}
	c := signedSample(t)
	cases := []struct {
		name string
		opts VerifyOptions
		want error
	}{
		{"valid, open window", VerifyOptions{Keys: window(time.Time{}, time.Time{})}, nil},
		{"valid, window bounds inclusive", VerifyOptions{Keys: window(issued, issued)}, nil},
		{"key not yet valid", VerifyOptions{Keys: window(issued.Add(time.Second), time.Time{})}, ErrKeyNotValid},
		{"key expired", VerifyOptions{Keys: window(time.Time{}, issued.Add(-time.Second))}, ErrKeyNotValid},
		{"no key set", VerifyOptions{}, ErrUnknownKey},
		{"revoked", VerifyOptions{Keys: window(time.Time{}, time.Time{}), Revoked: []string{"other", c.ID}}, ErrRevoked},
		{"other revoked", VerifyOptions{Keys: window(time.Time{}, time.Time{}), Revoked: []string{"other"}}, nil},
		{"EdDSA not in the allowed list", VerifyOptions{Keys: window(time.Time{}, time.Time{}), Algorithms: []string{ES256}}, ErrAlgorithm},
		{"none listed as allowed is still refused", VerifyOptions{Keys: window(time.Time{}, time.Time{}), Algorithms: []string{"none", EdDSA}}, nil},
	}
	for _, tc := range cases {
		err := c.Verify(tc.opts)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// "none" in the allowed list never admits an alg "none" signature.
	d := signedSample(t)
	d.Signature.Alg = "none"
	if err := d.Verify(VerifyOptions{Keys: testKeys(t), Algorithms: []string{"none"}}); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("alg none admitted: %v", err)
	}
}

// signUnchecked signs without Check, to build signed but inconsistent
// certificates that Verify must still refuse.
func signUnchecked(t *testing.T, c *Certificate) {
	kid, _ := Thumbprint(testKey().Public())
	sig := ed25519.Sign(testKey(), c.Canonical())
	c.Signature = &Signature{Alg: EdDSA, KeyID: kid, Value: b64.EncodeToString(sig)}
}

func TestConsistency(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *Certificate)
		want   error
		field  string
	}{
		{"total offset below the footprint (lines 300 + 200 = 500 < 508.2)", func(c *Certificate) {
			c.Offsets[0].Amount, c.Offsets[0].Credits[0].Grams, c.Offsets[0].Credits[1].Grams = co2("300 kg"), decimal.NewFromInt(200000), decimal.NewFromInt(100000)
			c.Offsets[1].Amount, c.Offsets[1].Credits[0].Grams = co2("200 kg"), decimal.NewFromInt(200000)
			c.TotalOffset, c.Tier = co2("500 kg"), nil
		}, ErrInconsistent, "totalOffset"},
		{"lines 600 + 400 = 1000 but total says 1001", func(c *Certificate) { c.TotalOffset = co2("1001 kg") }, ErrInconsistent, "totalOffset"},
		{"line amount 600 kg but credits 400000 + 200001 g", func(c *Certificate) { c.Offsets[0].Credits[1].Grams = decimal.NewFromInt(200001) }, ErrInconsistent, "offsets[0].amount"},
		{"stages sum 508.3 ≠ 508.2", func(c *Certificate) { c.Footprint.Stages[3].Total = co2("3.6 kg") }, ErrInconsistent, "footprint.stages"},
		{"low above total", func(c *Certificate) { c.Footprint.Low = co2("508.3 kg") }, ErrInconsistent, "footprint"},
		{"high below total", func(c *Certificate) { c.Footprint.High = co2("508.1 kg") }, ErrInconsistent, "footprint"},
		{"tier below footprint", func(c *Certificate) { c.Tier.Amount = co2("500 kg") }, ErrInconsistent, "tier.amount"},
		{"tier above total offset", func(c *Certificate) { c.Tier.Amount = co2("1500 kg") }, ErrInconsistent, "tier.amount"},
		{"missing serial", func(c *Certificate) { c.Product.Serial = "" }, ErrInvalid, "product.serial"},
		{"missing credits", func(c *Certificate) { c.Offsets[1].Credits = nil }, ErrInvalid, "offsets[1].credits"},
		{"zero grams", func(c *Certificate) { c.Offsets[1].Credits[0].Grams = decimal.Zero }, ErrInvalid, "offsets[1].credits[0].grams"},
		{"vintage 0", func(c *Certificate) { c.Offsets[1].Vintage = 0 }, ErrInvalid, "offsets[1].vintage"},
		{"one credit listed twice in a line", func(c *Certificate) { c.Offsets[0].Credits[1].Serial = c.Offsets[0].Credits[0].Serial }, ErrInvalid, "offsets[0].credits[1].serial"},
		{"one credit in two lines of the project", func(c *Certificate) {
			c.Offsets = append(c.Offsets[:1:1], c.Offsets[0])
			c.Offsets[1].Credits = c.Offsets[1].Credits[1:]
			c.Offsets[1].Amount = co2("200 kg")
			c.Offsets[1].Vintage = 2020
			c.TotalOffset, c.Tier = co2("800 kg"), nil
		}, ErrInvalid, "offsets[1].credits[0].serial"},
		{"no offsets", func(c *Certificate) { c.Offsets = nil }, ErrInvalid, "offsets"},
		{"zero issue time", func(c *Certificate) { c.IssuedAt = time.Time{} }, ErrInvalid, "issuedAt"},
		{"invalid UTF-8", func(c *Certificate) { c.Beneficiary = "\xff" }, ErrInvalid, "beneficiary"},
		{"text too long", func(c *Certificate) { c.Product.Model = strings.Repeat("m", 513) }, ErrInvalid, "product.model"},
		{"a country name, not a code", func(c *Certificate) { c.Offsets[1].Country = "India" }, ErrInvalid, "offsets[1].country"},
		{"an unassigned country code", func(c *Certificate) { c.Offsets[0].Country = "XX" }, ErrInvalid, "offsets[0].country"},
		{"a stage twice", func(c *Certificate) {
			c.Footprint.Stages[1].Stage = c.Footprint.Stages[0].Stage
		}, ErrInvalid, "footprint.stages[1].stage"},
		{"input digest not hex", func(c *Certificate) { c.Footprint.InputDigest = "sha256:5f0c…" }, ErrInvalid, "footprint.inputDigest"},
		{"input digest in upper case", func(c *Certificate) {
			c.Footprint.InputDigest = strings.ToUpper(c.Footprint.InputDigest[:10]) + c.Footprint.InputDigest[10:]
		}, ErrInvalid, "footprint.inputDigest"},
		{"negative low", func(c *Certificate) { c.Footprint.Low = co2("-1 kg") }, ErrInvalid, "footprint.low"},
	}
	for _, tc := range cases {
		c := sampleCertificate()
		tc.change(c)
		err := c.Sign(testKey(), nil)
		var fe *footprint.FieldError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: Sign: got %v, want %v on %s", tc.name, err, tc.want, tc.field)
		}
		signUnchecked(t, c)
		if err := c.Verify(VerifyOptions{Keys: testKeys(t)}); !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestParseStrict(t *testing.T) {
	js := string(must(signedSample(t).MarshalJSON()))
	cases := []struct {
		name, in string
		want     error
	}{
		{"duplicate top-level member", strings.Replace(js, `"id":`, `"id":"lc-x","id":`, 1), ErrMalformed},
		{"duplicate nested member", strings.Replace(js, `"serial":"PF-3X7Y2Z"`, `"serial":"PF-3X7Y2Z","serial":"OTHER"`, 1), ErrMalformed},
		{"member differing only in case", strings.Replace(js, `"id":`, `"ID":"lc-x","id":`, 1), ErrMalformed},
		{"unknown member", strings.Replace(js, `{"beneficiary"`, `{"extra":1,"beneficiary"`, 1), ErrMalformed},
		{"non-canonical quantity", strings.Replace(js, `"1000 kg CO2e"`, `"1000.0 kg CO2e"`, 1), ErrMalformed},
		{"quantity in tonnes", strings.Replace(js, `"totalOffset":"1000 kg CO2e"`, `"totalOffset":"1 t"`, 1), ErrMalformed},
		{"grams as a number", strings.Replace(js, `"grams":"400000"`, `"grams":400000`, 1), ErrMalformed},
		{"time with an offset", strings.Replace(js, `2025-03-14T09:26:53Z`, `2025-03-14T10:26:53+01:00`, 1), ErrMalformed},
		{"empty optional member", strings.Replace(js, `{"beneficiary"`, `{"tier":null,"beneficiary"`, 1), ErrMalformed},
		{"invalid UTF-8", strings.Replace(js, `Grün`, "Gr\xfcn", 1), ErrMalformed},
		{"lone surrogate", strings.Replace(js, `Grün`, `Gr\ud800n`, 1), ErrMalformed},
		{"not an object", `[]`, ErrMalformed},
		{"trailing data", js + `{}`, ErrMalformed},
		{"too large", `{"id":"` + strings.Repeat("a", MaxSize) + `"}`, ErrTooLarge},
	}
	for _, tc := range cases {
		_, err := Parse([]byte(tc.in))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Grams the decimal package would read but whose re-encoding costs
	// seconds (every digit written out) are refused by the plain-decimal
	// rule before they are parsed, with that rule in the message.
	for _, g := range []string{"1e30000000", strings.Repeat("7", 900_000)} {
		_, err := Parse([]byte(strings.Replace(js, `"grams":"400000"`, `"grams":"`+g+`"`, 1)))
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "credits: grams") {
			t.Errorf("grams %.20s…: got %v, want ErrMalformed from the plain-decimal rule", g, err)
		}
	}
	// Whitespace and member order are free.
	var m map[string]any
	_ = json.Unmarshal([]byte(js), &m)
	pretty, _ := json.MarshalIndent(m, "", "\t")
	if _, err := Parse(pretty); err == nil {
		// encoding/json escapes <, > and & as \u003c...: still the same strings.
	} else {
		t.Errorf("indented form refused: %v", err)
	}
	if _, err := Parse([]byte(strings.Replace(js, `"id":`, `"i\u0064":`, 1))); err != nil {
		t.Errorf("escaped member name refused: %v", err)
	}
}

func TestDeriveID(t *testing.T) {
	c := sampleCertificate()
	if !strings.HasPrefix(c.ID, "lc-") || len(c.ID) != 29 {
		t.Errorf("ID %q", c.ID)
	}
	d := sampleCertificate()
	d.Product.Serial = "PF-OTHER"
	if DeriveID(d) == c.ID {
		t.Error("different content, same ID")
	}
	if c.ShortID() != strings.ToUpper(c.ID[3:11]) {
		t.Errorf("short ID %q", c.ShortID())
	}
	// Signing does not change the ID derivation.
	s := signedSample(t)
	if DeriveID(s) != s.ID {
		t.Error("ID depends on the signature")
	}
}

func TestSignRefuses(t *testing.T) {
	c := sampleCertificate()
	if err := c.Sign(nil, nil); !errors.Is(err, ErrKey) {
		t.Errorf("nil signer: %v", err)
	}
	if err := c.Sign(badSigner{}, nil); !errors.Is(err, ErrKey) {
		t.Errorf("RSA-like signer: %v", err)
	}
	k384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err := c.Sign(k384, rand.Reader); !errors.Is(err, ErrKey) {
		t.Errorf("P-384: %v", err)
	}
	if _, err := NewKeySet([]Key{{Public: testKey().Public()}, {Public: testKey().Public()}}); !errors.Is(err, ErrKey) {
		t.Errorf("duplicate key: %v", err)
	}
}

type badSigner struct{}

func (badSigner) Public() crypto.PublicKey { return struct{}{} }
func (badSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, fmt.Errorf("no")
}

// TestSignSizeIncludesSignature builds certificates whose JSON, signature
// included, is exactly MaxSize and one byte more: the first signs and
// parses back; the second is refused by Sign, never signed and then
// refused by Parse.
func TestSignSizeIncludesSignature(t *testing.T) {
	build := func(credits, pad int) *Certificate {
		c := sampleCertificate()
		l := &c.Offsets[0] // 600 kg = 600,000 g
		l.Credits = l.Credits[:0]
		for i := range credits - 1 {
			l.Credits = append(l.Credits, Credit{Serial: fmt.Sprintf("S-%07d", i), Grams: decimal.NewFromInt(1)})
		}
		l.Credits = append(l.Credits, Credit{Serial: "S-last", Grams: decimal.NewFromInt(600000 - int64(credits-1))})
		c.Beneficiary = strings.Repeat("b", pad)
		return c
	}
	signedLen := func(c *Certificate) int {
		if err := c.Sign(testKey(), nil); err != nil {
			t.Fatalf("sizing: %v", err)
		}
		return len(must(c.MarshalJSON()))
	}
	// Each credit adds the same number of bytes; a beneficiary of k bytes
	// adds k once the member is there (built with 1 byte).
	s0 := signedLen(build(1000, 1))
	per := signedLen(build(1001, 1)) - s0
	n := 1000 + (MaxSize-400-s0)/per
	pad := 1 + MaxSize - signedLen(build(n, 1))
	if pad < 1 || pad > 512 {
		t.Fatalf("padding %d out of reach", pad)
	}
	exact := build(n, pad)
	if err := exact.Sign(testKey(), nil); err != nil {
		t.Fatalf("exactly MaxSize: %v", err)
	}
	js := must(exact.MarshalJSON())
	if len(js) != MaxSize {
		t.Fatalf("built %d bytes, want %d", len(js), MaxSize)
	}
	if _, err := Parse(js); err != nil {
		t.Fatalf("a certificate Sign accepted does not parse: %v", err)
	}
	over := build(n, pad+1)
	if err := over.Sign(testKey(), nil); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("MaxSize + 1 bytes signed: %v", err)
	}
}
