package certificate

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
)

// Verifiable credential constants (W3C VC Data Model 2.0, Data Integrity
// EdDSA Cryptosuites v1.0).
const (
	credentialsV2  = "https://www.w3.org/ns/credentials/v2"
	credentialType = "CarbonOffsetCertificate"
	cryptosuite    = "eddsa-jcs-2022"
	proofType      = "DataIntegrityProof"
	proofPurpose   = "assertionMethod"
	// multicodec ed25519-pub, varint-encoded.
	ed25519PubPrefix0, ed25519PubPrefix1 = 0xed, 0x01
)

// DIDKey returns the did:key identifier of an Ed25519 public key:
// "did:key:z" + base58btc(0xed 0x01 ‖ key) (the key's Multikey form).
func DIDKey(pub ed25519.PublicKey) string {
	return "did:key:" + multikey(pub)
}

func multikey(pub ed25519.PublicKey) string {
	return "z" + base58Encode(append([]byte{ed25519PubPrefix0, ed25519PubPrefix1}, pub...))
}

// parseMultikey reads an Ed25519 Multikey ("z6Mk…").
func parseMultikey(s string) (ed25519.PublicKey, error) {
	if !strings.HasPrefix(s, "z") {
		return nil, fmt.Errorf("%w: multibase value is not base58btc", ErrMalformed)
	}
	b, err := base58Decode(s[1:], 64)
	if err != nil || len(b) != 34 || b[0] != ed25519PubPrefix0 || b[1] != ed25519PubPrefix1 {
		return nil, fmt.Errorf("%w: not an Ed25519 Multikey", ErrMalformed)
	}
	return ed25519.PublicKey(b[2:]), nil
}

// credential is the verifiable credential's JSON shape.
type credential struct {
	Context           []string          `json:"@context"`
	ID                string            `json:"id"`
	Type              []string          `json:"type"`
	Issuer            string            `json:"issuer"`
	ValidFrom         string            `json:"validFrom"`
	CredentialSubject credentialSubject `json:"credentialSubject"`
	Proof             *proof            `json:"proof,omitempty"`
}

type credentialSubject struct {
	Certificate json.RawMessage `json:"certificate"`
}

type proof struct {
	Context            []string `json:"@context,omitempty"`
	Type               string   `json:"type"`
	Cryptosuite        string   `json:"cryptosuite"`
	Created            string   `json:"created"`
	VerificationMethod string   `json:"verificationMethod"`
	ProofPurpose       string   `json:"proofPurpose"`
	ProofValue         string   `json:"proofValue,omitempty"`
}

// Credential exports the signed certificate as a W3C Verifiable Credential
// (VC Data Model 2.0) secured with a Data Integrity proof of the
// eddsa-jcs-2022 cryptosuite. The issuer is the did:key of key's public
// key (which must be Ed25519; it may differ from the key that signed the
// certificate, so a certificate signed with ES256 in an HSM can still be
// exported; VerifyCredential then needs both keys trusted and checks the
// certificate's own signature as well), the credential's id is
// "urn:lifecarbon:certificate:" + ID, validFrom is the issue time, and
// credentialSubject.certificate holds the certificate's JSON, signature
// included. created is the proof's creation time (UTC, whole seconds are
// written as such). The output is canonical JSON (RFC 8785).
func (c *Certificate) Credential(key crypto.Signer, created time.Time) ([]byte, error) {
	if c.Signature == nil {
		return nil, ErrUnsigned
	}
	// signerInfo refuses a nil signer, a truncated Ed25519 key and a
	// Public method that panics, as Sign does
	alg, _, err := signerInfo(key)
	if err != nil {
		return nil, err
	}
	pub, ok := key.Public().(ed25519.PublicKey)
	if alg != EdDSA || !ok {
		return nil, fmt.Errorf("%w: eddsa-jcs-2022 needs an Ed25519 key, got %T", ErrKey, key.Public())
	}
	certJSON, _ := c.MarshalJSON()
	did := DIDKey(pub)
	vc := credential{
		Context:           []string{credentialsV2},
		ID:                "urn:lifecarbon:certificate:" + c.ID,
		Type:              []string{"VerifiableCredential", credentialType},
		Issuer:            did,
		ValidFrom:         c.IssuedAt.UTC().Format(time.RFC3339Nano),
		CredentialSubject: credentialSubject{Certificate: certJSON},
	}
	p := proof{
		Context:            vc.Context,
		Type:               proofType,
		Cryptosuite:        cryptosuite,
		Created:            created.UTC().Format(time.RFC3339Nano),
		VerificationMethod: did + "#" + multikey(pub),
		ProofPurpose:       proofPurpose,
	}
	docCanon, err := jcs.Marshal(vc)
	if err != nil {
		return nil, err
	}
	proofCanon, err := jcs.Marshal(p)
	if err != nil {
		return nil, err
	}
	data := diHashData(proofCanon, docCanon)
	sig, err := key.Sign(nil, data, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("certificate: signing: %w", err)
	}
	if err := checkExternal(key, EdDSA, data, sig); err != nil {
		return nil, err
	}
	p.ProofValue = "z" + base58Encode(sig)
	vc.Proof = &p
	return jcs.Marshal(vc)
}

// diHashData is eddsa-jcs-2022's hash data: SHA-256(canonical proof
// options) ‖ SHA-256(canonical unsecured document), 64 bytes, which
// Ed25519 signs.
func diHashData(proofCanon, docCanon []byte) []byte {
	a := sha256.Sum256(proofCanon)
	b := sha256.Sum256(docCanon)
	return append(a[:], b[:]...)
}

// diVerify checks an eddsa-jcs-2022 proof over a secured document (a JSON
// object with a "proof" member) with the given public key, following the
// specification's verification algorithm: the proof's type and
// cryptosuite; when the proof carries @context, the document's @context
// must start with it; hash data as in diHashData; Ed25519 verification of
// the base58btc proofValue.
func diVerify(doc []byte, pub ed25519.PublicKey) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		return fmt.Errorf("%w: credential is not a JSON object", ErrMalformed)
	}
	rawProof, ok := m["proof"]
	if !ok {
		return fmt.Errorf("%w: credential has no proof", ErrUnsigned)
	}
	delete(m, "proof")
	var pm map[string]json.RawMessage
	if err := json.Unmarshal(rawProof, &pm); err != nil {
		return fmt.Errorf("%w: proof is not a JSON object", ErrMalformed)
	}
	var p proof
	if err := json.Unmarshal(rawProof, &p); err != nil {
		return fmt.Errorf("%w: proof: %v", ErrMalformed, err)
	}
	if p.Type != proofType || p.Cryptosuite != cryptosuite {
		return fmt.Errorf("%w: proof type %q cryptosuite %q", ErrAlgorithm, p.Type, p.Cryptosuite)
	}
	if ctx, ok := pm["@context"]; ok {
		var pc, dc []string
		if json.Unmarshal(ctx, &pc) != nil || json.Unmarshal(m["@context"], &dc) != nil || len(dc) < len(pc) {
			return fmt.Errorf("%w: proof @context does not match the document's", ErrMalformed)
		}
		for i := range pc {
			if pc[i] != dc[i] {
				return fmt.Errorf("%w: proof @context does not match the document's", ErrMalformed)
			}
		}
	}
	if !strings.HasPrefix(p.ProofValue, "z") {
		return fmt.Errorf("%w: proofValue is not base58btc", ErrSignature)
	}
	sig, err := base58Decode(p.ProofValue[1:], 128)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: proofValue is not an Ed25519 signature", ErrSignature)
	}
	delete(pm, "proofValue")
	proofCanon, err := jcs.Marshal(pm)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	docCanon, err := jcs.Marshal(m)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !ed25519.Verify(pub, diHashData(proofCanon, docCanon), sig) {
		return fmt.Errorf("%w: data integrity proof", ErrSignature)
	}
	return nil
}

// VerifyCredential reads a verifiable credential written by Credential and
// verifies it: input at most MaxSize bytes, strict JSON (ErrMalformed on a
// duplicated member or a shape other than Credential writes); the issuer
// is a did:key naming an Ed25519 key that the proof's verificationMethod
// repeats; that key is in opts.Keys (ErrUnknownKey), allows EdDSA
// (ErrAlgorithm) and was valid at the certificate's issue time
// (ErrKeyNotValid); the eddsa-jcs-2022 proof verifies (ErrSignature); and
// the embedded certificate passes Verify with opts. It returns the
// certificate.
func VerifyCredential(data []byte, opts VerifyOptions) (*Certificate, error) {
	if len(data) > MaxSize+64<<10 {
		return nil, fmt.Errorf("%w: credential of %d bytes", ErrTooLarge, len(data))
	}
	canon, err := jcs.Canonicalize(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var vc credential
	dec := json.NewDecoder(bytes.NewReader(canon))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&vc); err != nil {
		return nil, fmt.Errorf("%w: credential: %v", ErrMalformed, err)
	}
	if vc.Proof == nil {
		return nil, fmt.Errorf("%w: credential has no proof", ErrUnsigned)
	}
	c, err := Parse(vc.CredentialSubject.Certificate)
	if err != nil {
		return nil, err
	}
	// The credential must be exactly what Credential writes for c.
	if !strings.HasPrefix(vc.Issuer, "did:key:") {
		return nil, fmt.Errorf("%w: issuer is not a did:key", ErrMalformed)
	}
	mk := strings.TrimPrefix(vc.Issuer, "did:key:")
	pub, err := parseMultikey(mk)
	if err != nil {
		return nil, err
	}
	certJSON, _ := c.MarshalJSON()
	want := credential{
		Context:           []string{credentialsV2},
		ID:                "urn:lifecarbon:certificate:" + c.ID,
		Type:              []string{"VerifiableCredential", credentialType},
		Issuer:            vc.Issuer,
		ValidFrom:         c.IssuedAt.UTC().Format(time.RFC3339Nano),
		CredentialSubject: credentialSubject{Certificate: certJSON},
		Proof: &proof{
			Context:            []string{credentialsV2},
			Type:               vc.Proof.Type,
			Cryptosuite:        vc.Proof.Cryptosuite,
			Created:            vc.Proof.Created,
			VerificationMethod: vc.Issuer + "#" + mk,
			ProofPurpose:       proofPurpose,
			ProofValue:         vc.Proof.ProofValue,
		},
	}
	if vc.Proof.Type != proofType || vc.Proof.Cryptosuite != cryptosuite {
		return nil, fmt.Errorf("%w: proof type %q cryptosuite %q", ErrAlgorithm, vc.Proof.Type, vc.Proof.Cryptosuite)
	}
	wantCanon, err := jcs.Marshal(want)
	if err != nil || !bytes.Equal(wantCanon, canon) {
		return nil, fmt.Errorf("%w: credential is not in the form this package writes", ErrMalformed)
	}
	if _, err := time.Parse(time.RFC3339Nano, vc.Proof.Created); err != nil {
		return nil, fmt.Errorf("%w: proof created %q", ErrMalformed, vc.Proof.Created)
	}
	kid, _ := Thumbprint(pub)
	if !opts.allowed(EdDSA) {
		return nil, fmt.Errorf("%w: %q", ErrAlgorithm, EdDSA)
	}
	e, ok := opts.Keys.entry(kid)
	if !ok {
		return nil, fmt.Errorf("%w: %q (credential issuer %s)%s", ErrUnknownKey, kid, vc.Issuer, opts.noKeys())
	}
	if !e.ValidAt(c.IssuedAt) {
		return nil, fmt.Errorf("%w: key %s, issued %s", ErrKeyNotValid, kid, c.IssuedAt.UTC().Format(time.RFC3339))
	}
	if err := diVerify(canon, pub); err != nil {
		return nil, err
	}
	if err := c.Verify(opts); err != nil {
		return nil, err
	}
	return c, nil
}
