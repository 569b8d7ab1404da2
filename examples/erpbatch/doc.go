// Command erpbatch checks out a batch of sales the way an ERP plugin or a
// nightly job would: a product catalogue in JSON Lines and a sales export
// in CSV in, a receipts CSV and the signed certificates out.
//
//	go run ./examples/erpbatch [-catalogue FILE] [-sales FILE] [-out DIR]
//
// The catalogue holds one footprint.ProductSpec per line, keyed by its sku
// (the embedded example: the reference laptop's bill of materials and a
// monitor with a declared footprint). The sales CSV has a header row
// naming, in any order and any case, the columns order, sku, serial and
// country (the country of use, which selects the grid; an ISO 3166-1
// alpha-2 code on every row, also for a product without a use phase), and
// optionally project (the buyer's choice) and currency (the lots are taken
// cheapest first in it; default USD); other columns are ignored. A row is
// one line (a quoted field may not span lines), parsed on its own. Each row
// becomes a lifecarbon.Sale, and one lifecarbon.CheckoutBatch call computes
// the footprints, allocates the offsets in a registry (in memory here,
// stocked with the SAMPLE lots) and signs a certificate per serial.
//
// It writes to the output folder (default out/erpbatch):
//
//   - receipts.csv: one row per sale in input order, with the exact
//     footprint and its low/high range in kg CO2e, the offset sold, the
//     lots it comes from, its cost, the certificate ID, or the error that
//     refused the sale (an unknown sku, a country that is not an ISO code,
//     a serial already sold on an earlier row, a row with the wrong
//     number of fields, a row that is not valid CSV, a value that a
//     spreadsheet would run as a formula because it starts with =, +, -,
//     @, a tab or a carriage return (it is left out of the receipt), ...);
//   - certificates.jsonl: the certificates, one JSON object per line;
//   - issuer.jwk.json: the public key that verifies them offline.
//
// A refused row does not stop the others. The issuer key is generated for
// the run; a real issuer keeps its key in an HSM or KMS behind
// crypto.Signer. The offset projects are SAMPLE data, not real projects.
package main
