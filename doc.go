// Package lifecarbon computes the lifecycle carbon footprint of one product,
// matches it to offset credits and issues a signed certificate per product
// serial number that anyone can verify offline.
//
// The work is done by five packages; this one ties them together in the
// point-of-purchase flow (Checkout, CheckoutRecorded, CheckoutBatch) and
// states the policies they share.
//
//   - footprint: quantities with units (CO2e, mass, energy, power, distance,
//     duration, tonne-km), emission factors with their provenance and
//     uncertainty, versioned factor datasets (an embedded default with
//     sources; callers' JSON and CSV layered over it), the product
//     description and Calculate, which returns a Footprint: manufacture,
//     transport, use and end of life, line by line, with a low/high range
//     and a digest of the input. Sub-package pact exports a Footprint as a
//     WBCSD PACT v2.3 ProductFootprint.
//   - offset: offset projects and credit lots with their registry serial
//     numbers, an immutable indexed Inventory, the buyer's Preferences, and
//     Match, which returns a Plan naming the grams of the credit serials
//     that cover a demand. Pure: nothing is stored.
//   - registry: the book of record. A Registry holds the lots, which grams
//     each product serial holds, and an append-only, hash-chained journal
//     of every change in a Store the caller backs with its own database
//     (MemStore in memory). Allocate is idempotent per serial; Release
//     frees exactly the grams a serial holds; no gram is counted twice,
//     also with several processes on one store.
//   - certificate: the Certificate struct, its RFC 8785 canonical bytes,
//     signing through crypto.Signer (Ed25519, ECDSA P-256), offline
//     verification against a caller's key set and revocation list, JWS and
//     W3C Verifiable Credential (eddsa-jcs-2022) exports, an SVG badge and
//     an HTML page.
//   - examples: quickstart, the whole flow on the embedded defaults;
//     erpbatch, a CSV batch through CheckoutBatch; retailserver, an HTTP
//     checkout backend with returns and revocation.
//
// # The point-of-purchase flow
//
//	ProductSpec ──footprint.Calculate──▶ Footprint
//	Footprint + Preferences ──offset.Match(inventory)──▶ Plan (+ remaining inventory)
//	Footprint + Plan ──certificate.Issue(signer)──▶ Certificate
//	Certificate ──stored by the caller── Certificate.Verify(keys)
//
// Checkout runs the first three steps for one sale on an inventory value
// and returns the inventory that remains: the caller keeps the record.
// CheckoutRecorded runs them with the allocation journaled in a
// registry.Registry (registry.Allocate in place of offset.Match), which is
// what a backend serving many checkouts wants. CheckoutBatch does the same
// for many sales in one call (an ERP batch): footprints and signatures on
// all cores, allocations in a few store appends, a receipt or an error per
// sale, in input order. A returned product is undone
// with Registry.Release(serial) (or, without a registry,
// Inventory.Release(plan)) and the certificate's ID on the revocation list
// passed to Verify.
//
// # Precision and rounding
//
// No floating point touches an accounting figure: quantities, factors,
// prices and results are exact decimals (shopspring/decimal) or integer
// grams; JSON carries them as strings with their unit ("230.78 kg CO2e").
// The one float computation is the great-circle distance of a shipping leg
// given by coordinates, rounded to whole metres before it becomes a decimal.
// The rules, each applied once:
//
//   - Footprints are exact. Division, where a quotient does not terminate
//     (unit conversions, attribute ratios such as GB ÷ GB per cm²), keeps 30
//     decimal places, rounding half away from zero beyond them. Stage totals
//     are the exact sums of their lines, the total the exact sum of the
//     stages. Nothing is rounded in a Footprint; Table rounds for display
//     only (footprint.RoundForDisplay: two decimals of a kg, half away from
//     zero) and the PACT export rounds once where the format needs it.
//   - Offsets round up: a demand is first rounded up to the whole gram, then
//     up by its Rounding rule (to the gram, to the kg, to a step, or to the
//     smallest tier at least as large). A plan never covers less than its
//     footprint, and its amount is exactly the sum of its lines. A portfolio
//     split divides the rounded grams by the largest-remainder method.
//   - Costs are exact per line; a plan's total per currency is rounded up
//     (towards +∞) to the currency's ISO 4217 minor unit, once, at the total.
//   - Certificates carry the exact figures; the badge shows the offset
//     exactly when it has at most two decimals, else rounded up and marked
//     "≥".
//
// # Errors
//
// Bad input returns an error, never a panic and never a silently wrong
// number: a *footprint.FieldError names the field path, the value and the
// rule, and wraps a sentinel of the package that refused it, for errors.Is
// and errors.As.
//
// # Concurrency
//
// Datasets, inventories, footprints, plans and certificates are immutable
// values once built, safe for concurrent use; Checkout, Calculate and Match
// keep no state between calls. Time and randomness come in as arguments,
// so the same inputs give byte-identical outputs.
package lifecarbon
