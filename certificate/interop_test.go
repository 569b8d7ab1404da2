package certificate

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	mrand "math/rand/v2"
)

// nodeDir is where .ci/node/setup.sh installs the pinned npm packages.
var nodeDir = filepath.Join("..", ".ci", "node")

// requireInterop is set by CI: the interoperability tests must run there,
// not skip.
func requireInterop() bool { return os.Getenv("LIFECARBON_REQUIRE_INTEROP") == "1" }

// skipOrFail skips the test with a message, or fails it in CI.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if requireInterop() {
		t.Fatal(msg + " (LIFECARBON_REQUIRE_INTEROP=1)")
	}
	t.Skip(msg)
}

// node runs a script of .ci/node with stdin and returns its stdout.
func node(t *testing.T, script string, stdin any) []byte {
	t.Helper()
	bin, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node not found on PATH; install Node.js 20+ and run .ci/node/setup.sh")
	}
	for _, pkg := range []string{"jose", "canonicalize"} {
		if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", pkg, "package.json")); err != nil {
			skipOrFail(t, "npm package "+pkg+" not installed in .ci/node/node_modules; run .ci/node/setup.sh")
		}
	}
	in, err := json.Marshal(stdin)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, filepath.Join(nodeDir, script))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.Bytes())
	}
	return out
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

// TestInteropJOSE: npm jose verifies the Go JWS (EdDSA and ES256) and
// returns the canonical certificate as payload; node:crypto verifies the
// raw signature over the signing input; a tampered JWS is refused.
func TestInteropJOSE(t *testing.T) {
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	type run struct {
		name string
		sign func(c *Certificate) error
		jwk  []byte
	}
	edJWK, _ := JWK(testKey().Public())
	ecJWK, _ := JWK(ek.Public())
	runs := []run{
		{"EdDSA", func(c *Certificate) error { return c.Sign(testKey(), nil) }, edJWK},
		{"ES256", func(c *Certificate) error { return c.Sign(ek, rand.Reader) }, ecJWK},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			c := sampleCertificate()
			if err := r.sign(c); err != nil {
				t.Fatal(err)
			}
			jws, _ := c.JWS()
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
