package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
)

// Export a signed certificate as a W3C Verifiable Credential secured with
// an eddsa-jcs-2022 proof; its issuer is the did:key of the Ed25519 key
// that makes the proof.
func ExampleCertificate_Credential() {
	c, err := saleCertificate()
	if err != nil {
		fmt.Println(err)
		return
	}
	key := issuerKey()
	vc, err := c.Credential(key, time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	var doc struct {
		ID     string   `json:"id"`
		Type   []string `json:"type"`
		Issuer string   `json:"issuer"`
		Proof  struct {
			Cryptosuite string `json:"cryptosuite"`
			Created     string `json:"created"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(vc, &doc); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.ID)
	fmt.Println(doc.Type, doc.Proof.Cryptosuite, doc.Proof.Created)
	fmt.Println("issuer is the key's did:key:", doc.Issuer == certificate.DIDKey(key.Public().(ed25519.PublicKey)))
	// Output:
	// urn:lifecarbon:certificate:lc-dxy6dyjlqzvesteh2hew66aap4
	// [VerifiableCredential CarbonOffsetCertificate] eddsa-jcs-2022 2026-03-02T10:00:05Z
	// issuer is the key's did:key: true
}

// Verify a credential offline with the issuer's public key: the proof and
// the embedded certificate's own signature are both checked, so changing
// the certificate inside the credential, or trusting another key, fails.
func ExampleVerifyCredential() {
	c, err := saleCertificate()
	if err != nil {
		fmt.Println(err)
		return
	}
	vc, err := c.Credential(issuerKey(), time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: issuerKey().Public()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := certificate.VerifyOptions{Keys: keys}
	back, err := certificate.VerifyCredential(vc, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verified:", back.Product.Serial, back.TotalOffset, back.IssuedAt.Format(time.RFC3339))

	forged := bytes.Replace(vc, []byte(`"TB-0001"`), []byte(`"TB-0002"`), 1)
	_, err = certificate.VerifyCredential(forged, opts)
	fmt.Println(errors.Is(err, certificate.ErrSignature), err)

	other := ed25519.NewKeyFromSeed([]byte("another-issuer-key-seed-32-bytes"))
	otherKeys, _ := certificate.NewKeySet([]certificate.Key{{Public: other.Public()}})
	_, err = certificate.VerifyCredential(vc, certificate.VerifyOptions{Keys: otherKeys})
	fmt.Println(errors.Is(err, certificate.ErrUnknownKey), err)
	// Output:
	// verified: TB-0001 250 kg CO2e 2026-03-02T10:00:00Z
	// true certificate: signature does not verify: data integrity proof
	// true certificate: unknown signing key: "xvH_m4wFedxfg4PiPqfSMOQL9lIXdLWGvX6y_FTDs0E" (credential issuer did:key:z6MknhNn3F7rF7zgZazdrvmeYK9FLveaQ9MLSTxFHbTSxuSe)
}
