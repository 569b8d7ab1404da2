package certificate_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

func kg(s string) footprint.CO2e { return footprint.KgCO2e(decimal.RequireFromString(s)) }

// issuerKey is a fixed key so that the output is reproducible. Real keys
// come from crypto/rand or live in an HSM or KMS behind crypto.Signer.
func issuerKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte("example-issuer-key-seed-32-bytes"))
}

// laptopCertificate is a certificate built by hand; certificate.Issue
// builds one from a footprint.Footprint and an offset.Plan.
func laptopCertificate() *certificate.Certificate {
	c := &certificate.Certificate{
		Schema:   certificate.SchemaV1,
		Issuer:   certificate.Issuer{Name: "Example Retail"},
		Product:  certificate.Product{Manufacturer: "Lenovo", Model: "ThinkPad X1 Carbon Gen 9", Serial: "PF-3X7Y2Z"},
		IssuedAt: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Footprint: certificate.Summary{
			Total: kg("508.2"), Low: kg("413.6"), High: kg("602.8"),
			Stages: []certificate.StageTotal{
				{Stage: "manufacture", Total: kg("337.8")}, {Stage: "transport", Total: kg("35.6")},
				{Stage: "use", Total: kg("131.3")}, {Stage: "end-of-life", Total: kg("3.5")},
			},
			Dataset:     certificate.Dataset{Name: "lifecarbon-default", Version: "2025.1"},
			InputDigest: "sha256:a0fb36031b1bd146b7abc029e53049e0c066c389fda519a4a796c3296779cb61",
		},
		Offsets: []certificate.Line{{
			Project: "sample-in-wind", Standard: "CDM", Type: "wind", Country: "IN", Vintage: 2021,
			Credits: []certificate.Credit{{Serial: "200001", Grams: decimal.NewFromInt(1000000)}},
			Amount:  kg("1000"),
		}},
		TotalOffset: kg("1000"),
		Tier:        &certificate.Tier{Name: "1000 kg", Amount: kg("1000")},
	}
	c.ID = certificate.DeriveID(c)
	return c
}

func Example() {
	key := issuerKey()
	c := laptopCertificate()
	if err := c.Sign(key, nil); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID, c.Signature.Alg)

	keys, err := certificate.NewKeySet([]certificate.Key{{
		Public:    key.Public(),
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:  time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Store the JSON anywhere; anyone with the issuer's public key can
	// verify it offline.
	js, _ := c.MarshalJSON()
	back, err := certificate.Parse(js)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verify:", back.Verify(certificate.VerifyOptions{Keys: keys}))
	fmt.Println(back.Product.Serial, back.TotalOffset, "for a footprint of", back.Footprint.Total)

	// A returned laptop: the caller's revocation list names the certificate.
	err = back.Verify(certificate.VerifyOptions{Keys: keys, Revoked: []string{c.ID}})
	fmt.Println(errors.Is(err, certificate.ErrRevoked))
	// Output:
	// lc-zgor6yuopn5khwhal7uyckgjye EdDSA
	// verify: <nil>
	// PF-3X7Y2Z 1000 kg CO2e for a footprint of 508.2 kg CO2e
	// true
}

func ExampleCertificate_JWS() {
	key := issuerKey()
	c := laptopCertificate()
	if err := c.Sign(key, nil); err != nil {
		fmt.Println(err)
		return
	}
	// The JWS carries its own signature, over the JWS signing input; it is
	// made here, with the issuer's key.
	jws, err := c.JWS(key, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	parts := strings.Split(jws, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	fmt.Println(len(parts), "parts; protected header", string(header))
	kid, _ := certificate.Thumbprint(key.Public())
	fmt.Println("kid = thumbprint:", kid == c.Signature.KeyID)

	keys, _ := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	back, err := certificate.VerifyJWS(jws, certificate.VerifyOptions{Keys: keys})
	fmt.Println(back.Product.Serial, err)
	// Output:
	// 3 parts; protected header {"alg":"EdDSA","kid":"xvH_m4wFedxfg4PiPqfSMOQL9lIXdLWGvX6y_FTDs0E"}
	// kid = thumbprint: true
	// PF-3X7Y2Z <nil>
}

// Changing anything in a signed certificate makes verification fail, and
// the error says which check failed.
func ExampleCertificate_Verify_tampered() {
	key := issuerKey()
	keys, _ := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	opts := certificate.VerifyOptions{Keys: keys}

	c := laptopCertificate()
	_ = c.Sign(key, nil)
	js, _ := c.MarshalJSON()

	// Raise the offset from 1000 kg to 1500 kg in the stored JSON.
	forged := strings.Replace(string(js), `"totalOffset":"1000 kg CO2e"`, `"totalOffset":"1500 kg CO2e"`, 1)
	f, err := certificate.Parse([]byte(forged))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = f.Verify(opts)
	fmt.Println(errors.Is(err, certificate.ErrSignature), err)

	// Claim the algorithm is "none".
	f, _ = certificate.Parse(js)
	f.Signature.Alg = "none"
	fmt.Println(f.Verify(opts))

	// A duplicated member is refused rather than read either way.
	dup := strings.Replace(string(js), `"id":`, `"id":"lc-other","id":`, 1)
	_, err = certificate.Parse([]byte(dup))
	fmt.Println(errors.Is(err, certificate.ErrMalformed))
	// Output:
	// true certificate: signature does not verify
	// certificate: algorithm not allowed: "none"
	// true
}

// The certificate's signature is the bare Ed25519 signature of its
// canonical bytes (RFC 8785, without the signature member): any Ed25519
// implementation verifies it with the issuer's public key, no JOSE or
// package code needed.
func ExampleCertificate_Canonical() {
	key := issuerKey()
	c := laptopCertificate()
	if err := c.Sign(key, nil); err != nil {
		fmt.Println(err)
		return
	}
	canon := c.Canonical()
	fmt.Println(string(canon[:40]) + "…")
	sig, _ := base64.RawURLEncoding.DecodeString(c.Signature.Value)
	fmt.Println("ed25519.Verify:", ed25519.Verify(key.Public().(ed25519.PublicKey), canon, sig))
	// Output:
	// {"footprint":{"dataset":{"name":"lifecar…
	// ed25519.Verify: true
}
