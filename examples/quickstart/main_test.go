package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
)

// The quickstart's files verify on their own: a verifier holding only
// issuer.jwk.json checks certificate.json, certificate.jws and
// certificate.vc.json, and the badge and page name the serial.
func TestQuickstartWritesVerifiableFiles(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	if err := run(&out, dir, "PF-TEST-1", now); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"manufacture", "transport", "use", "end-of-life", "sample-in-wind", "verified:", dir} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	pub, err := certificate.ParseJWK(read("issuer.jwk.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: pub}})
	if err != nil {
		t.Fatal(err)
	}
	opts := certificate.VerifyOptions{Keys: keys}
	c, err := certificate.Parse(read("certificate.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(opts); err != nil {
		t.Errorf("certificate.json: %v", err)
	}
	if c.Product.Serial != "PF-TEST-1" || !c.IssuedAt.Equal(now) {
		t.Errorf("certificate names %q at %v", c.Product.Serial, c.IssuedAt)
	}
	if c.TotalOffset.Cmp(c.Footprint.Total) < 0 {
		t.Errorf("offset %s below footprint %s", c.TotalOffset, c.Footprint.Total)
	}
	if _, err := certificate.VerifyJWS(strings.TrimSpace(string(read("certificate.jws"))), opts); err != nil {
		t.Errorf("certificate.jws: %v", err)
	}
	if _, err := certificate.VerifyCredential(read("certificate.vc.json"), opts); err != nil {
		t.Errorf("certificate.vc.json: %v", err)
	}
	for _, name := range []string{"badge.svg", "certificate.html"} {
		if !bytes.Contains(read(name), []byte("PF-TEST-1")) {
			t.Errorf("%s does not show the serial", name)
		}
	}
}
