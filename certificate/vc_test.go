package certificate

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

func readVector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "w3c-eddsa-jcs-2022", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestW3CVector reproduces the eddsa-jcs-2022 test vector of the W3C
// specification step by step: the canonical document, the combined hash,
// the base58btc signature; and verifies the signed credential.
func TestW3CVector(t *testing.T) {
	var kp struct{ PublicKeyMultibase, PrivateKeyMultibase string }
	if err := json.Unmarshal(readVector(t, "keyPair.json"), &kp); err != nil {
		t.Fatal(err)
	}
	pub, err := parseMultikey(kp.PublicKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	// The private key is multicodec ed25519-priv (varint 0x1300 = 0x80 0x26)
	// followed by the 32-byte seed.
	raw, err := base58Decode(strings.TrimPrefix(kp.PrivateKeyMultibase, "z"), 64)
	if err != nil || len(raw) != 34 || raw[0] != 0x80 || raw[1] != 0x26 {
		t.Fatalf("private key: %x %v", raw, err)
	}
	priv := ed25519.NewKeyFromSeed(raw[2:])
	if !bytes.Equal(priv.Public().(ed25519.PublicKey), pub) {
		t.Fatal("key pair does not match")
	}
	if got := multikey(pub); got != kp.PublicKeyMultibase {
		t.Errorf("multikey %s, want %s", got, kp.PublicKeyMultibase)
	}

	signed := readVector(t, "signedJCS.json")
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "proof")
	docCanon, err := jcs.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := readVector(t, "canonDocJCS.txt"); !bytes.Equal(docCanon, bytes.TrimSpace(want)) {
		t.Errorf("canonical document:\n%s\nwant\n%s", docCanon, want)
	}
	proofCanon, err := jcs.Canonicalize(readVector(t, "proofConfigJCS.json"))
	if err != nil {
		t.Fatal(err)
	}
	hash := diHashData(proofCanon, docCanon)
	// The hash files belong to the revision whose verificationMethod is the
	// did:key (see testdata/w3c-eddsa-jcs-2022/README.md).
	didProof := bytes.Replace(readVector(t, "proofConfigJCS.json"), []byte("https://vc.example/issuers/5678#"),
		[]byte("did:key:"+kp.PublicKeyMultibase+"#"), 1)
	didCanon, err := jcs.Canonicalize(didProof)
	if err != nil {
		t.Fatal(err)
	}
	if want := readVector(t, "proofCanonJCS.txt"); !bytes.Equal(didCanon, bytes.TrimSpace(want)) {
		t.Errorf("canonical proof options:\n%s\nwant\n%s", didCanon, want)
	}
	didHash := diHashData(didCanon, docCanon)
	if got, want := hex.EncodeToString(didHash[:32]), strings.TrimSpace(string(readVector(t, "proofHashJCS.txt"))); got != want {
		t.Errorf("proof hash %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(didHash), strings.TrimSpace(string(readVector(t, "combinedHashJCS.txt"))); got != want {
		t.Errorf("combined hash %s, want %s", got, want)
	}
	sig := "z" + base58Encode(ed25519.Sign(priv, hash))
	if want := strings.TrimSpace(string(readVector(t, "sigBTC58JCS.txt"))); sig != want {
		t.Errorf("signature %s, want %s", sig, want)
	}
	if err := diVerify(signed, pub); err != nil {
		t.Errorf("signed vector does not verify: %v", err)
	}
	tampered := bytes.Replace(signed, []byte("The School of Examples"), []byte("The School of Exampels"), 1)
	if err := diVerify(tampered, pub); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered vector: %v", err)
	}
}

func TestBase58(t *testing.T) {
	cases := []struct{ hex, b58 string }{
		{"", ""}, {"00", "1"}, {"0000", "11"}, {"61", "2g"}, {"626262", "a3gV"},
		{"00000000000000000000", "1111111111"}, {"516b6fcd0f", "ABnLTmg"},
		{"572e4794", "3EFU7m"}, {"10c8511e", "Rt5zm"},
	}
	for _, c := range cases {
		b, _ := hex.DecodeString(c.hex)
		if got := base58Encode(b); got != c.b58 {
			t.Errorf("encode %s: %s, want %s", c.hex, got, c.b58)
		}
		back, err := base58Decode(c.b58, 64)
		if err != nil || !bytes.Equal(back, b) {
			t.Errorf("decode %s: %x %v", c.b58, back, err)
		}
	}
	for _, bad := range []string{"0", "O", "I", "l", "+"} {
		if _, err := base58Decode(bad, 64); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestCredentialRoundTrip(t *testing.T) {
	c := signedSample(t)
	created := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)
	vc, err := c.Credential(testKey(), created)
	if err != nil {
		t.Fatal(err)
	}
	var ind bytes.Buffer
	_ = json.Indent(&ind, vc, "", "  ")
	golden(t, "certificate.golden.vc.json", append(ind.Bytes(), '\n'))
	opts := VerifyOptions{Keys: testKeys(t)}
	back, err := VerifyCredential(vc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(must(back.MarshalJSON()), must(c.MarshalJSON())) {
		t.Error("credential does not carry the same certificate")
	}
	// Pretty-printed (member order, whitespace) still verifies.
	if _, err := VerifyCredential(ind.Bytes(), opts); err != nil {
		t.Errorf("indented: %v", err)
	}
	// The did:key is the issuer's, with the key's Multikey.
	if !bytes.Contains(vc, []byte(`"issuer":"`+DIDKey(testKey().Public().(ed25519.PublicKey))+`"`)) {
		t.Error("issuer is not the did:key")
	}

	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	otherVC, _ := c.Credential(other, created)
	// A credential may be issued by a key other than the certificate's
	// signer: with both keys trusted it verifies, and the certificate's
	// own signature is still checked (a changed certificate in a valid
	// credential of the other key is refused).
	both, err := NewKeySet([]Key{{Public: testKey().Public()}, {Public: other.Public()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyCredential(otherVC, VerifyOptions{Keys: both}); err != nil {
		t.Errorf("credential of another trusted key: %v", err)
	}
	changed := *c
	changed.Product.Model += " Pro"
	changedVC, err := changed.Credential(other, created)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyCredential(changedVC, VerifyOptions{Keys: both}); !errors.Is(err, ErrSignature) {
		t.Errorf("changed certificate in another key's credential: %v, want ErrSignature", err)
	}
	revoked := opts
	revoked.Revoked = []string{c.ID}
	cases := []struct {
		name string
		doc  []byte
		opts VerifyOptions
		want error
	}{
		{"credential signed by an unknown key", otherVC, opts, ErrUnknownKey},
		{"revoked certificate", vc, revoked, ErrRevoked},
		{"subject tampered", bytes.Replace(vc, []byte(`"model":"ThinkPad X1 Carbon Gen 9"`), []byte(`"model":"ThinkPad X1 Carbon Gen 8"`), 1), opts, ErrSignature},
		{"validFrom tampered", bytes.Replace(vc, []byte(`"validFrom":"2025-03-14T09:26:53Z"`), []byte(`"validFrom":"2025-03-14T09:26:54Z"`), 1), opts, ErrMalformed},
		{"proof created tampered", bytes.Replace(vc, []byte(`"created":"2025-03-14T09:27:00Z"`), []byte(`"created":"2025-03-14T09:27:01Z"`), 1), opts, ErrSignature},
		{"other cryptosuite", bytes.Replace(vc, []byte(`eddsa-jcs-2022`), []byte(`eddsa-rdfc-2022`), 1), opts, ErrAlgorithm},
		{"duplicate member", bytes.Replace(vc, []byte(`"type":["Verif`), []byte(`"type":[],"type":["Verif`), 1), opts, ErrMalformed},
		{"extra member", bytes.Replace(vc, []byte(`{"@context"`), []byte(`{"name":"x","@context"`), 1), opts, ErrMalformed},
		{"proof removed", []byte(strings.Split(string(vc), `,"proof":`)[0] + "}"), opts, ErrUnsigned},
		{"too large", bytes.Repeat([]byte(" "), MaxSize+65<<10), opts, ErrTooLarge},
	}
	for _, tc := range cases {
		_, err := VerifyCredential(tc.doc, tc.opts)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// Every byte changed: never verifies.
	for i := range vc {
		b := bytes.Clone(vc)
		b[i] ^= 1
		if _, err := VerifyCredential(b, opts); err == nil {
			t.Fatalf("byte %d changed and the credential verifies", i)
		}
	}
	if _, err := (&Certificate{}).Credential(testKey(), created); !errors.Is(err, ErrUnsigned) {
		t.Errorf("unsigned: %v", err)
	}
}

// Credential refuses a bad key with an error wrapping ErrKey, as Sign does,
// instead of panicking (a truncated Ed25519 key's Public method slices past
// its end) or returning the ed25519 package's own error.
func TestCredentialBadKey(t *testing.T) {
	c := signedSample(t)
	created := time.Date(2025, 3, 14, 9, 27, 0, 0, time.UTC)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]crypto.Signer{
		"nil":                   nil,
		"Ed25519 of 10 bytes":   ed25519.PrivateKey(testKey()[:10]),
		"Ed25519 of 40 bytes":   ed25519.PrivateKey(testKey()[:40]),
		"nil *ecdsa.PrivateKey": (*ecdsa.PrivateKey)(nil),
		"ECDSA P-256":           p256,
	} {
		vc, err := c.Credential(key, created)
		if !errors.Is(err, ErrKey) || vc != nil {
			t.Errorf("%s: %v, want an error wrapping ErrKey", name, err)
		}
	}
}
