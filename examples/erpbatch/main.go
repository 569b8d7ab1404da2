package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	_ "embed"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

//go:embed catalogue.jsonl
var defaultCatalogue []byte

//go:embed sales.csv
var defaultSales []byte

func main() {
	catalogue := flag.String("catalogue", "", "product catalogue, one product spec (JSON) per line, keyed by sku (default: the embedded example)")
	sales := flag.String("sales", "", "sales CSV with columns order, sku, serial, country and optionally project and currency (default: the embedded example)")
	out := flag.String("out", filepath.Join("out", "erpbatch"), "folder to write receipts.csv, certificates.jsonl and issuer.jwk.json to")
	flag.Parse()
	cat, err := readOr(*catalogue, defaultCatalogue)
	if err == nil {
		var s []byte
		if s, err = readOr(*sales, defaultSales); err == nil {
			_, key, kerr := ed25519.GenerateKey(rand.Reader)
			if kerr != nil {
				err = kerr
			} else {
				err = run(os.Stdout, config{
					catalogue: cat, sales: s, outDir: *out,
					key: key, now: time.Now().UTC().Truncate(time.Second),
				})
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "erpbatch:", err)
		os.Exit(1)
	}
}

// readOr reads the named file, or returns def when name is empty.
func readOr(name string, def []byte) ([]byte, error) {
	if name == "" {
		return def, nil
	}
	return os.ReadFile(name)
}

// config is one run's input.
type config struct {
	catalogue []byte             // JSON Lines of footprint.ProductSpec
	sales     []byte             // CSV
	outDir    string             // where the files go
	key       ed25519.PrivateKey // the issuer's key
	now       time.Time          // the certificates' issue time
}

// row is one sale read from the CSV, with its line number.
type row struct {
	line                                           int
	order, sku, serial, country, project, currency string
	err                                            error // set when the row cannot become a sale
}

func run(w io.Writer, cfg config) error {
	products, err := readCatalogue(cfg.catalogue)
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	rows, err := readSales(cfg.sales)
	if err != nil {
		return fmt.Errorf("sales: %w", err)
	}

	// One Sale per row whose SKU is known; sale[i] is rows[idx[i]].
	var sales []lifecarbon.Sale
	var idx []int
	for i := range rows {
		r := &rows[i]
		if r.err != nil {
			continue
		}
		spec, ok := products[r.sku]
		if !ok {
			r.err = fmt.Errorf("sku: %q is not in the catalogue", r.sku)
			continue
		}
		if err := checkCountry(r.country); err != nil {
			r.err = err
			continue
		}
		spec.Serial = r.serial
		if spec.Use != nil { // the country of use is where it was sold
			u := *spec.Use
			u.Country = r.country
			spec.Use = &u
		}
		s := lifecarbon.Sale{
			Product: spec,
			Certificate: certificate.IssueOptions{
				Issuer:   certificate.Issuer{Name: "Example Retail (ERP batch)"},
				IssuedAt: cfg.now,
			},
		}
		if r.project != "" {
			s.Preferences.Filter.Projects = []string{r.project}
		}
		// Cheapest lots first, priced in the sale's currency.
		s.Preferences.Currency = r.currency
		sales = append(sales, s)
		idx = append(idx, i)
	}

	// The book of record: a registry on an in-memory journal here (a
	// database in production: see registry/pgstore), stocked with the
	// SAMPLE lots.
	ctx := context.Background()
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{Now: func() time.Time { return cfg.now }})
	if err != nil {
		return err
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		return err
	}
	receipts, err := lifecarbon.CheckoutBatch(ctx, reg, sales, cfg.key, nil)
	if receipts == nil && err != nil {
		return err // nothing was done (a bad key, say)
	}
	if err != nil {
		// The store failed part-way: the receipts say which sales were
		// recorded; running the same batch again completes it.
		fmt.Fprintln(w, "warning:", err)
	}
	byRow := make([]*lifecarbon.BatchReceipt, len(rows))
	for i := range receipts {
		byRow[idx[i]] = &receipts[i]
	}
	// A serial is one unit: a later row selling a unit an earlier row sold
	// is an error in the export (a repeated row, or two orders for one
	// unit), not a second sale. (The registry gave the repeated row the
	// first row's allocation, as it does a retry; it is not counted again.)
	sold := map[string]int{} // serial → the line that sold it
	for i := range rows {
		r := &rows[i]
		if r.err != nil || byRow[i].Err != nil {
			continue
		}
		if at, dup := sold[r.serial]; dup {
			r.err = fmt.Errorf("serial: %q is already sold on line %d", r.serial, at)
			continue
		}
		sold[r.serial] = r.line
	}
	return write(w, cfg, rows, byRow, len(products))
}

// checkCountry checks the country column of a row, whatever the product.
// The footprint checks the country of a use phase (it selects the grid),
// but a product without one (a cable with a declared footprint) would
// ignore the column, and a missing or misspelt country is an error in the
// export either way. The rule is the library's: an offset demand's country
// is an ISO 3166-1 alpha-2 code, and Demand.Validate checks it.
func checkCountry(country string) error {
	if country == "" {
		return errors.New(`country: is required: the country of use, an ISO 3166-1 alpha-2 code such as "IN", got ""`)
	}
	d := offset.Demand{Serial: "-", Amount: footprint.KgCO2e(decimal.NewFromInt(1)), Country: country}
	return d.Validate() // only the country can be wrong: "country: ..."
}

// readCatalogue reads one product spec per non-empty line; each needs a
// unique sku.
func readCatalogue(data []byte) (map[string]footprint.ProductSpec, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	products := map[string]footprint.ProductSpec{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		spec, err := footprint.DecodeProductSpec(bytes.NewReader(line))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if spec.SKU == "" {
			return nil, fmt.Errorf("line %d: sku: required to match sales to the product", n+1)
		}
		if _, dup := products[spec.SKU]; dup {
			return nil, fmt.Errorf("line %d: sku: %q is given twice", n+1, spec.SKU)
		}
		products[spec.SKU] = spec
	}
	return products, nil
}

// utf8BOM starts the files some spreadsheet programs write as "UTF-8".
var utf8BOM = []byte("\xEF\xBB\xBF")

// readSales reads the sales CSV. The header names the columns, in any
// order and any case; order, sku, serial and country are required, project and currency
// (default USD) are optional, other columns are ignored.
//
// Each row is one line, parsed on its own, so that a row the CSV rules
// refuse (a stray quote, say) is refused alone and the next line is the
// next row. A field may be quoted but may not span lines: a quoted field
// with a line break in it is refused. Blank lines are skipped.
func readSales(data []byte) ([]row, error) {
	var head []string
	col := map[string]int{} // column name → index
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []row
	for n, l := range bytes.SplitAfter(bytes.TrimPrefix(data, utf8BOM), []byte("\n")) {
		line := n + 1
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		rec, err := parseLine(l)
		if head == nil {
			if err != nil {
				return nil, fmt.Errorf("header: line %d: %w", line, err)
			}
			for i, h := range rec {
				h = strings.ToLower(strings.TrimSpace(h)) // "Serial " is serial
				if _, dup := col[h]; dup && h != "" {
					return nil, fmt.Errorf("header: column %q given twice", h)
				}
				col[h] = i
			}
			for _, need := range []string{"order", "sku", "serial", "country"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("header: column %q is missing", need)
				}
			}
			head = rec
			continue
		}
		if err != nil { // refused alone: the next line is the next row
			rows = append(rows, row{line: line, err: fmt.Errorf("row: %w", err)})
			continue
		}
		rw := row{
			line: line, order: get(rec, "order"), sku: get(rec, "sku"), serial: get(rec, "serial"),
			country: get(rec, "country"), project: get(rec, "project"), currency: get(rec, "currency"),
		}
		if rw.currency == "" {
			rw.currency = "USD"
		}
		if len(rec) != len(head) {
			rw.err = fmt.Errorf("row: %d fields, the header has %d", len(rec), len(head))
		}
		// receipts.csv copies the values: none may read as a formula when
		// the file is opened in a spreadsheet. Such a value is refused and
		// left out of the receipt (the error quotes it).
		fields := []struct {
			name  string
			value *string
		}{
			{"order", &rw.order}, {"sku", &rw.sku}, {"serial", &rw.serial},
			{"country", &rw.country}, {"project", &rw.project}, {"currency", &rw.currency},
		}
		for _, f := range fields {
			if v := *f.value; v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				if rw.err == nil {
					rw.err = fmt.Errorf("%s: must not start with =, +, -, @, a tab or a carriage return (a spreadsheet would run it as a formula), got %q", f.name, v)
				}
				*f.value = ""
			}
		}
		rows = append(rows, rw)
	}
	if head == nil {
		return nil, errors.New("header: the file is empty")
	}
	return rows, nil
}

// parseLine parses one line of CSV (with its line break, if any) as one
// record. A quoted field must end on the line.
func parseLine(l []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(l))
	r.FieldsPerRecord = -1 // a short row is refused on its own
	rec, err := r.Read()
	if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("column %d: %w", pe.Column, pe.Err) // the line is the caller's
	}
	return rec, err
}

// write writes receipts.csv, certificates.jsonl and issuer.jwk.json and
// prints a summary.
func write(w io.Writer, cfg config, rows []row, byRow []*lifecarbon.BatchReceipt, nProducts int) error {
	var csvBuf, certs bytes.Buffer
	cw := csv.NewWriter(&csvBuf)
	cw.Write([]string{"line", "order", "sku", "serial", "country", "footprint_kgco2e", "low_kgco2e", "high_kgco2e", "offset_kgco2e", "lots", "cost", "certificate", "error"})
	var issued int
	var offset footprint.CO2e
	var refused []string
	for i, r := range rows {
		rec := []string{strconv.Itoa(r.line), r.order, r.sku, r.serial, r.country, "", "", "", "", "", "", "", ""}
		err := r.err
		if err == nil {
			err = byRow[i].Err
		}
		if err != nil {
			rec[12] = err.Error()
			at := fmt.Sprintf("line %d", r.line)
			if r.order != "" || r.serial != "" {
				at += fmt.Sprintf(" (%s, %s)", r.order, r.serial)
			}
			refused = append(refused, fmt.Sprintf("  %s: %v", at, err))
			cw.Write(rec)
			continue
		}
		br := byRow[i]
		fp, plan := br.Footprint, br.Plan
		rec[5], rec[6], rec[7] = fp.CO2e.Kg().String(), fp.Low.Kg().String(), fp.High.Kg().String()
		rec[8] = plan.Amount.Kg().String()
		var lots, costs []string
		for _, l := range plan.Lines {
			lots = append(lots, l.Lot)
		}
		for _, c := range plan.Costs {
			costs = append(costs, c.String())
		}
		rec[9], rec[10], rec[11] = strings.Join(lots, ";"), strings.Join(costs, ";"), br.Certificate.ID
		cw.Write(rec)
		js, err := br.Certificate.MarshalJSON()
		if err != nil {
			return err
		}
		certs.Write(js)
		certs.WriteByte('\n')
		issued++
		offset = offset.Add(plan.Amount)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	jwk, err := certificate.JWK(cfg.key.Public())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.outDir, 0o755); err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{"receipts.csv", csvBuf.Bytes()},
		{"certificates.jsonl", certs.Bytes()},
		{"issuer.jwk.json", jwk},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(cfg.outDir, f.name), f.data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%d sales of %d products; certificates issued: %d; sales refused: %d\n", len(rows), nProducts, issued, len(refused))
	for _, s := range refused {
		fmt.Fprintln(w, s)
	}
	fmt.Fprintf(w, "offset sold: %s kg CO2e (SAMPLE projects)\n", offset.Kg())
	fmt.Fprintf(w, "wrote %s: receipts.csv, certificates.jsonl, issuer.jwk.json\n", cfg.outDir)
	return nil
}
