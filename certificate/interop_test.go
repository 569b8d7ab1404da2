package certificate

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mrand "math/rand/v2"

	"github.com/lifecarbon/lifecarbon/internal/nodetest"
)

// skipOrFail skips the test with a message, or fails it in CI.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	nodetest.SkipOrFail(t, msg)
}

// node runs a script of .ci/node with stdin and returns its stdout.
func node(t *testing.T, script string, stdin any) []byte {
	t.Helper()
	return nodetest.Run(t, script, stdin)
}

// nodeScript runs a Node script (a path) with stdin and returns its stdout.
func nodeScript(t *testing.T, path string, stdin any) []byte {
	t.Helper()
	return nodetest.Script(t, path, stdin)
}

// TestInteropCanonicalize: npm canonicalize (the RFC 8785 reference
// implementation) agrees byte for byte with the Go canonical bytes, for
// the sample certificate (non-ASCII names, quotes, tab, control character,
// emoji) and for random certificates built from hostile strings. Node is
// given an indented, non-canonical form and must arrive at the Go bytes.
func TestInteropCanonicalize(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(5, 6))
	certs := []*Certificate{signedSample(t)}
	for i := 0; i < 200; i++ {
		certs = append(certs, randomCertificate(rng))
	}
	var docs []string
	var want [][]byte
	for _, c := range certs {
		for _, withSig := range []bool{false, true} {
			canon := c.appendCanonical(nil, withSig)
			var ind bytes.Buffer
			if err := json.Indent(&ind, canon, "", "  "); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, ind.String())
			want = append(want, canon)
		}
	}
	var got []string
	if err := json.Unmarshal(node(t, "canonicalize.mjs", docs), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d results for %d documents", len(got), len(want))
	}
	for i := range want {
		if got[i] != string(want[i]) {
			t.Fatalf("document %d differs:\nnode: %s\ngo:   %s", i, got[i], want[i])
		}
	}
}

// interopKeys are the two key types, each with how it signs and exports.
type interopKey struct {
	name string
	sign func(c *Certificate) error
	jws  func(c *Certificate) (string, error)
	jwk  []byte
}

func interopKeys(t *testing.T) []interopKey {
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edJWK, _ := JWK(testKey().Public())
	ecJWK, _ := JWK(ek.Public())
	return []interopKey{
		{"EdDSA", func(c *Certificate) error { return c.Sign(testKey(), nil) },
			func(c *Certificate) (string, error) { return c.JWS(testKey(), nil) }, edJWK},
		{"ES256", func(c *Certificate) error { return c.Sign(ek, rand.Reader) },
			func(c *Certificate) (string, error) { return c.JWS(ek, rand.Reader) }, ecJWK},
	}
}

// TestInteropJOSE: npm jose verifies the Go JWS (EdDSA and ES256) and
// returns the canonical certificate as payload; node:crypto verifies the
// raw signature over the signing input; a tampered JWS is refused.
func TestInteropJOSE(t *testing.T) {
	for _, r := range interopKeys(t) {
		t.Run(r.name, func(t *testing.T) {
			c := sampleCertificate()
			if err := r.sign(c); err != nil {
				t.Fatal(err)
			}
			jws, err := r.jws(c)
			if err != nil {
				t.Fatal(err)
			}
			tampered := []byte(jws)
			tampered[len(tampered)/2] ^= 1
			var res []struct {
				OK      bool            `json:"ok"`
				Payload string          `json:"payload"`
				Header  json.RawMessage `json:"header"`
				Error   string          `json:"error"`
			}
			out := node(t, "verify_jws.mjs", map[string]any{"jwk": json.RawMessage(r.jwk), "jws": []string{jws, string(tampered)}})
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if !res[0].OK {
				t.Fatalf("jose refused the Go JWS: %s", res[0].Error)
			}
			if res[0].Payload != string(c.Canonical()) {
				t.Errorf("payload differs:\n%s\n%s", res[0].Payload, c.Canonical())
			}
			if want := `{"alg":"` + r.name + `","kid":"` + c.Signature.KeyID + `"}`; string(res[0].Header) != want {
				t.Errorf("header %s, want %s", res[0].Header, want)
			}
			if res[1].OK {
				t.Error("jose accepted a tampered JWS")
			}
		})
	}
}

// hostileSample is the sample certificate with hostile names (valid
// figures, so it signs).
func hostileSample(rng *mrand.Rand) *Certificate {
	str := func() string { return "x" + hostile[rng.IntN(len(hostile))] + hostile[rng.IntN(len(hostile))] }
	c := sampleCertificate()
	c.Issuer.Name, c.Product.Model, c.Beneficiary = str(), str(), str()
	c.Offsets[0].ProjectName, c.Offsets[1].Credits[0].Serial, c.Tier.Name = str(), str(), str()
	c.IssuedAt = time.Unix(rng.Int64N(4e9), rng.Int64N(2)*rng.Int64N(1e9)).UTC()
	c.ID = DeriveID(c)
	return c
}

// TestInteropSignature: the certificate's own signature verifies with
// node:crypto alone (crypto.verify(null, bytes, key, sig) for Ed25519,
// SHA-256 and r||s for ES256) over the canonical bytes Node computes
// itself from the certificate's JSON (signature member removed, npm
// canonicalize), for the sample and random certificates; the kid is the
// thumbprint npm jose computes; a changed figure, a changed name or the
// JWS signature in the certificate's place are refused.
func TestInteropSignature(t *testing.T) {
	modules, err := filepath.Abs(filepath.Join(nodetest.Dir(t), "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	rng := mrand.New(mrand.NewPCG(8, 9))
	for _, r := range interopKeys(t) {
		t.Run(r.name, func(t *testing.T) {
			certs := []*Certificate{sampleCertificate()}
			for len(certs) < 50 {
				certs = append(certs, hostileSample(rng))
			}
			var docs []string
			for _, c := range certs {
				if err := r.sign(c); err != nil {
					t.Fatal(err)
				}
				docs = append(docs, string(must(c.MarshalJSON())))
			}
			good := len(docs)
			js := docs[0]
			docs = append(docs,
				strings.Replace(js, `"totalOffset":"1000 kg CO2e"`, `"totalOffset":"1500 kg CO2e"`, 1),
				strings.Replace(js, `"model":"ThinkPad X1 Carbon Gen 9"`, `"model":"ThinkPad X1 Carbon Gen 8"`, 1))
			jws, err := r.jws(certs[0])
			if err != nil {
				t.Fatal(err)
			}
			other := *certs[0]
			other.Signature = &Signature{Alg: r.name, KeyID: certs[0].Signature.KeyID, Value: jws[strings.LastIndexByte(jws, '.')+1:]}
			docs = append(docs, string(must(other.MarshalJSON())))
			for i, d := range docs[good:] {
				if d == js {
					t.Fatalf("tampered document %d is unchanged", i)
				}
			}

			var res []struct {
				OK        bool   `json:"ok"`
				Canonical string `json:"canonical"`
				Kid       string `json:"kid"`
				Error     string `json:"error"`
			}
			out := nodeScript(t, filepath.Join("testdata", "node", "verify_certificate.mjs"),
				map[string]any{"nodeModules": modules, "jwk": json.RawMessage(r.jwk), "certs": docs})
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if len(res) != len(docs) {
				t.Fatalf("%d results for %d documents", len(res), len(docs))
			}
			for i, c := range certs {
				if !res[i].OK {
					t.Errorf("certificate %d: node:crypto refused the signature: %s", i, res[i].Error)
				}
				if res[i].Canonical != string(c.Canonical()) {
					t.Errorf("certificate %d: Node's canonical bytes differ:\nnode: %s\ngo:   %s", i, res[i].Canonical, c.Canonical())
				}
			}
			for i := good; i < len(res); i++ {
				if res[i].OK {
					t.Errorf("tampered document %d accepted by node:crypto", i-good)
				}
			}
		})
	}
}
