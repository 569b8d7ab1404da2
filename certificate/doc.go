// Package certificate issues, signs and verifies per-product carbon offset
// certificates, and exports them as a compact JWS, a W3C Verifiable
// Credential and an SVG badge with an HTML page.
//
// (Full package documentation follows in doc.go.)
package certificate
