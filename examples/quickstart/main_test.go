package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/registry"
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
	// journal.json is the registry's journal, re-indented: it verifies,
	// and opening it gives the certificate's allocation.
	var entries []registry.Entry
	if err := json.Unmarshal(read("journal.json"), &entries); err != nil {
		t.Fatal(err)
	}
	if _, err := registry.Verify(entries, registry.GenesisHash); err != nil {
		t.Errorf("journal.json: %v", err)
	}
	st := registry.NewMemStore()
	for _, e := range entries {
		if err := st.Append(context.Background(), []registry.Entry{e}); err != nil {
			t.Fatal(err)
		}
	}
	reg, err := registry.Open(context.Background(), st, registry.Options{})
	if err != nil {
		t.Fatalf("journal.json: %v", err)
	}
	if a, ok := reg.Allocation("PF-TEST-1"); !ok || !a.Plan.Amount.Equal(c.TotalOffset) {
		t.Errorf("journal.json holds %+v for PF-TEST-1, want the certificate's %s", a.Plan.Amount, c.TotalOffset)
	}
	for _, name := range []string{"badge.svg", "certificate.html"} {
		if !bytes.Contains(read(name), []byte("PF-TEST-1")) {
			t.Errorf("%s does not show the serial", name)
		}
	}
}
