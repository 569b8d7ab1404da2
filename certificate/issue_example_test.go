package certificate_test

import (
	"fmt"
	"html"
	"regexp"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// saleCertificate computes a tablet's footprint, matches it against the
// sample inventory in 250 kg tiers and issues the certificate with the fixed
// issuerKey, so that the output is reproducible.
func saleCertificate() (*certificate.Certificate, error) {
	dd := decimal.RequireFromString
	fp, err := footprint.Calculate(footprint.ProductSpec{
		Manufacturer: "Acme", Model: "Tab 10", Serial: "TB-0001",
		Mass:        footprint.Kg(dd("1.5")),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{Amount: kg("200"), Source: "Acme PCF sheet (illustrative)"}},
		Shipping:    footprint.Shipping{Legs: []footprint.Leg{{Mode: footprint.Road, Distance: footprint.Km(dd("600"))}}},
	}, nil)
	if err != nil {
		return nil, err
	}
	plan, err := offset.Match(offset.SampleInventory(), offset.Demand{
		Serial: fp.Serial,
		Amount: fp.CO2e,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(kg("250"), kg("500")),
		},
	})
	if err != nil {
		return nil, err
	}
	// An Ed25519 key needs no randomness: rand is nil.
	return certificate.Issue(fp, plan, certificate.IssueOptions{
		Issuer:   certificate.Issuer{Name: "Example Retail"},
		IssuedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Tier:     "250 kg",
	}, issuerKey(), nil)
}

// Issue a certificate from a footprint and the plan that covers it, and
// check what it records.
func ExampleIssue() {
	c, err := saleCertificate()
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: 200 kg declared + road WTW 0.0015 t × 600 km = 0.9 tkm ×
	// (0.10163 + 0.02359) = 0.112698 kg → 200.112698 kg, sold as the
	// 250 kg tier.
	fmt.Println(c.Product.Serial, c.Footprint.Total, "→", c.TotalOffset, "in tier", c.Tier.Name)
	for _, l := range c.Offsets {
		fmt.Println(l.Project, l.Vintage, l.Amount, l.Credits[0].Serial)
	}
	fmt.Println(c.ID, c.Signature.Alg)
	// Output:
	// TB-0001 200.112698 kg CO2e → 250 kg CO2e in tier 250 kg
	// sample-in-wind 2021 250 kg CO2e 200001-200001 g[0,250000)
	// lc-dxy6dyjlqzvesteh2hew66aap4 EdDSA
}

// Render the SVG badge of a verified certificate and read its text lines.
// Badge verifies first: an unverifiable certificate gets no badge.
func ExampleCertificate_Badge() {
	c, err := saleCertificate()
	if err != nil {
		fmt.Println(err)
		return
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: issuerKey().Public()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	svg, err := c.Badge(certificate.VerifyOptions{Keys: keys})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range regexp.MustCompile(`<text [^>]*>([^<]*)</text>`).FindAllSubmatch(svg, -1) {
		fmt.Println(html.UnescapeString(string(m[1])))
	}

	_, err = c.Badge(certificate.VerifyOptions{Keys: keys, Revoked: []string{c.ID}})
	fmt.Println(err)
	// Output:
	// Verified carbon offset
	// 250 kg CO₂e
	// Project type: wind
	// Serial: TB-0001
	// Certificate DXY6DYJL
	// certificate: revoked: lc-dxy6dyjlqzvesteh2hew66aap4
}
