// Command quickstart runs lifecarbon's whole flow on the embedded defaults:
// a reference laptop sold in India → its footprint → offsets from the
// sample inventory (the buyer picks the wind project; the offset is sold in
// tiers of 500, 1000 and 1500 kg), recorded in a registry's journal → a
// signed certificate, verified offline.
//
//	go run ./examples/quickstart [-out DIR] [-serial S]
//
// It prints the footprint table, the allocation plan and the certificate,
// verifies the certificate and its JWS and Verifiable Credential exports,
// and writes certificate.json, certificate.jws, certificate.vc.json,
// issuer.jwk.json, badge.svg, certificate.html and journal.json (the
// registry's journal, hash-chained) to the output folder. The journal is
// kept in memory for the run; a retailer keeps it in a database
// (registry/pgstore).
//
// The issuer key is generated for the run (a real issuer keeps its key in
// an HSM or KMS behind crypto.Signer), so each run's signature differs; the
// footprint and the plan are the same every time. The offset projects are
// SAMPLE data, not real projects.
package main
