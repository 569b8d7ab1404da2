package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

func main() {
	out := flag.String("out", "out", "folder to write the certificate files to (created if missing)")
	serial := flag.String("serial", "PF-3X7Y2Z", "serial number of the laptop sold")
	flag.Parse()
	if err := run(os.Stdout, *out, *serial, time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func kg(n int64) footprint.CO2e { return footprint.KgCO2e(decimal.NewFromInt(n)) }

func run(w io.Writer, outDir, serial string, now time.Time) error {
	// 0. The retailer's book of record: a registry whose journal is kept
	// in memory here (a database in production: see registry/pgstore),
	// stocked with the SAMPLE credit lots.
	ctx := context.Background()
	journal := registry.NewMemStore()
	reg, err := registry.Open(ctx, journal, registry.Options{Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		return err
	}

	// 1–3. The point-of-purchase flow in one call: the laptop's footprint
	// from the embedded default dataset; offsets where the customer picks
	// the wind project in India and what is sold is the footprint rounded up
	// to the next tier, recorded in the registry's journal; a certificate
	// signed with a key made for this run.
	laptop := footprint.ReferenceLaptop()
	laptop.Serial = serial
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	issuedAt := now.UTC().Truncate(time.Second)
	r, err := lifecarbon.CheckoutRecorded(ctx, reg, lifecarbon.Sale{
		Product: laptop,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg(500), kg(1000), kg(1500)),
		},
		Certificate: certificate.IssueOptions{
			Issuer:   certificate.Issuer{Name: "Example Retail (quickstart)"},
			IssuedAt: issuedAt,
		},
	}, priv, nil)
	if err != nil {
		return err
	}
	fp, plan, cert := r.Footprint, r.Plan, r.Certificate
	fmt.Fprintf(w, "== Footprint of %s %s, serial %s (dataset %s %s)\n\n",
		fp.Manufacturer, fp.Model, fp.Serial, fp.Dataset.Name, fp.Dataset.Version)
	if err := fp.WriteTable(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== Offset plan (SAMPLE projects)\n\n%s\n", plan)
	for _, l := range plan.Lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
	a, _ := reg.Allocation(serial)
	_, head := reg.Head()
	fmt.Fprintf(w, "recorded: journal entry %d (journal.json), head %s\n", a.Seq, head)
	entries, err := journal.Read(ctx, 1, journal.Len())
	if err != nil {
		return err
	}
	journalJSON, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}

	js, err := cert.MarshalJSON()
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, js, "", "  "); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== Certificate %s\n\n%s\n", cert.ID, pretty.Bytes())

	// 4. Verify it offline, as a customer or an auditor would: all they need
	// is the issuer's public key (issuer.jwk.json) and the certificate.
	keys, err := certificate.NewKeySet([]certificate.Key{{
		Public:    pub,
		NotBefore: issuedAt.Add(-time.Hour),
		NotAfter:  issuedAt.AddDate(1, 0, 0),
	}})
	if err != nil {
		return err
	}
	vopts := certificate.VerifyOptions{Keys: keys}
	back, err := certificate.Parse(js)
	if err != nil {
		return fmt.Errorf("parse certificate.json: %w", err)
	}
	if err := back.Verify(vopts); err != nil {
		return fmt.Errorf("verify certificate.json: %w", err)
	}
	jws, err := cert.JWS(priv, nil)
	if err != nil {
		return err
	}
	if _, err := certificate.VerifyJWS(jws, vopts); err != nil {
		return fmt.Errorf("verify certificate.jws: %w", err)
	}
	vc, err := cert.Credential(priv, issuedAt)
	if err != nil {
		return err
	}
	if _, err := certificate.VerifyCredential(vc, vopts); err != nil {
		return fmt.Errorf("verify certificate.vc.json: %w", err)
	}
	// A tampered copy must fail on its signature: a change that keeps the
	// figures consistent (the model's name) so only the signature can
	// catch it.
	forged := *back
	forged.Product.Model += " Pro"
	if err := forged.Verify(vopts); !errors.Is(err, certificate.ErrSignature) {
		return fmt.Errorf("a tampered certificate was not refused for its signature: %v", err)
	}
	fmt.Fprintf(w, "\nverified: signature (%s, key %s), key window, consistency; JWS and VC exports verified; a tampered copy is refused\n",
		cert.Signature.Alg, cert.Signature.KeyID)

	// 5. Write the files.
	jwk, err := certificate.JWK(pub)
	if err != nil {
		return err
	}
	badge, err := cert.Badge(vopts)
	if err != nil {
		return err
	}
	page, err := cert.Page(vopts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"certificate.json", js},
		{"certificate.jws", []byte(jws)},
		{"certificate.vc.json", vc},
		{"issuer.jwk.json", jwk},
		{"badge.svg", badge},
		{"certificate.html", page},
		{"journal.json", journalJSON},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(outDir, f.name), f.data, 0o644); err != nil {
			return err
		}
	}
	abs, err := filepath.Abs(outDir)
	if err != nil {
		abs = outDir
	}
	fmt.Fprintf(w, "\nwrote to %s:\n", abs)
	for _, f := range files {
		fmt.Fprintf(w, "  %s\n", f.name)
	}
	return nil
}
