// Command quickstart runs lifecarbon's whole flow on the embedded defaults:
// a reference laptop sold in India → its footprint → offsets from the
// sample inventory (the buyer picks the wind project; the offset is sold in
// tiers of 500, 1000 and 1500 kg) → a signed certificate, verified offline.
//
//	go run ./examples/quickstart [-out DIR] [-serial S]
//
// It prints the footprint table, the allocation plan and the certificate,
// verifies the certificate and its JWS and Verifiable Credential exports,
// and writes certificate.json, certificate.jws, certificate.vc.json,
// issuer.jwk.json, badge.svg and certificate.html to the output folder.
//
// The issuer key is generated for the run (a real issuer keeps its key in
// an HSM or KMS behind crypto.Signer), so each run's signature differs; the
// footprint and the plan are the same every time. The offset projects are
// SAMPLE data, not real projects.
package main
