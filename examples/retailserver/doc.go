// Command retailserver is a retailer's checkout backend in miniature: an
// HTTP server that offsets each laptop it sells, as many checkouts at once
// as clients send, with one registry as the book of record.
//
//	go run ./examples/retailserver [-addr 127.0.0.1:8080]
//
// Endpoints (JSON in and out; errors are {"error": "..."} with the
// library's message, which names the field, the value and the rule):
//
//	POST /checkout            {"sku": "REF-14-16-512", "serial": "PF-1", "country": "IN", "project": "sample-in-wind"}
//	                          → 200 and the signed certificate; a retry of the same sale
//	                            returns the same certificate; 400 bad input (a serial of
//	                            "." or ".." or with a "/" included: it is a URL path
//	                            segment below), 413 a body over 16 KiB, 409 the serial is
//	                            held by another sale or the offsets ran out, 503 the store
//	                            is busy
//	GET  /certificates/{serial} → 200 and the certificate, 404
//	POST /returns/{serial}    → 200 {"serial", "released", "revoked"}: the credits are freed
//	                            and the certificate revoked; 404 nothing to release. A
//	                            return whose answer was lost (500, the release stored)
//	                            may be retried: the retry revokes the certificate
//	POST /verify              a certificate → 200 {"valid": true} or {"valid": false, "error": ...}
//	                            (signature, key, consistency and the revocation list);
//	                            413 a body over certificate.MaxSize (1 MiB)
//
// A 500 (a store failure) is logged; its body asks the client to retry and
// does not repeat the store's error, which may name tables and hosts.
//
// Each checkout is lifecarbon.CheckoutRecorded: the footprint of the
// product (country and project from the request), an allocation journaled
// in the registry (idempotent per serial, so client retries are safe) and
// a certificate signed with the server's key. The registry's journal is in
// memory here; a real backend opens it on its database (registry/pgstore).
// The certificates and the revocation list are kept in memory too: the
// library leaves their storage to the caller. A checkout and a return of
// the same unit take turns (a lock per serial), so a certificate is kept
// exactly while the registry holds the unit's allocation, and a returned
// unit sold again gets a new certificate (its issue time differs, so its
// ID does too). The example is one process: several processes may share a
// registry's store, but they would then also need to share the
// certificates and the revocation list (a table each) and take the
// per-serial turns there (a row lock), which this example leaves out.
//
// The issuer key is generated at start (a real issuer keeps its key in an
// HSM or KMS behind crypto.Signer). The offset projects are SAMPLE data.
package main
