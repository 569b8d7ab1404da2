package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/shopspring/decimal"
)

var testKey = ed25519.NewKeyFromSeed([]byte("erpbatch-test-key-seed-32-bytes!"))

func runDefault(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(&out, config{
		catalogue: defaultCatalogue, sales: defaultSales, outDir: dir,
		key: testKey, now: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return dir, out.String()
}

// The embedded batch: ten sales, three refused for their own reasons, and
// seven receipts whose certificates verify with issuer.jwk.json alone and
// runSales runs the batch on a catalogue and a sales file and returns
// what it printed, receipts.csv as written and its records.
func runSales(t *testing.T, catalogue []byte, sales string) (*bytes.Buffer, []byte, [][]string) {
	t.Helper()
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(&out, config{
		catalogue: catalogue, sales: []byte(sales), outDir: dir,
		key: testKey, now: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "receipts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return &out, b, recs
}

// cover their footprints.
func TestBatchReceiptsAndCertificates(t *testing.T) {
	dir, out := runDefault(t)
	if !strings.Contains(out, "10 sales of 2 products; certificates issued: 7; sales refused: 3") {
		t.Fatalf("summary:\n%s", out)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	recs, err := csv.NewReader(bytes.NewReader(read("receipts.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 11 || recs[0][5] != "footprint_kgco2e" || recs[0][12] != "error" {
		t.Fatalf("receipts.csv: %d records, header %v", len(recs), recs[0])
	}
	refused := map[string]string{ // CSV line → the start of its error
		"9":  `sku: "TAB-10" is not in the catalogue`,
		"10": "registry: serial already has an allocation",
		"11": `country: must be an ISO 3166-1 alpha-2 country code, got "India"`,
	}
	pub, err := certificate.ParseJWK(read("issuer.jwk.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: pub}})
	if err != nil {
		t.Fatal(err)
	}
	certs := strings.Split(strings.TrimSuffix(string(read("certificates.jsonl")), "\n"), "\n")
	if len(certs) != 7 {
		t.Fatalf("certificates.jsonl has %d lines, want 7", len(certs))
	}
	next := 0
	for _, r := range recs[1:] {
		if want, ok := refused[r[0]]; ok {
			if !strings.HasPrefix(r[12], want) || r[11] != "" {
				t.Errorf("line %s: error %q, certificate %q; want an error starting %q", r[0], r[12], r[11], want)
			}
			continue
		}
		if r[12] != "" {
			t.Errorf("line %s refused: %s", r[0], r[12])
			continue
		}
		c, err := certificate.Parse([]byte(certs[next]))
		next++
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
			t.Errorf("line %s: %v", r[0], err)
		}
		if c.ID != r[11] || c.Product.Serial != r[3] {
			t.Errorf("line %s names certificate %s of %s; certificates.jsonl has %s of %s", r[0], r[11], r[3], c.ID, c.Product.Serial)
		}
		fp, offset := decimal.RequireFromString(r[5]), decimal.RequireFromString(r[8])
		low, high := decimal.RequireFromString(r[6]), decimal.RequireFromString(r[7])
		if offset.LessThan(fp) || low.GreaterThan(fp) || high.LessThan(fp) {
			t.Errorf("line %s: footprint %s in [%s, %s], offset %s", r[0], fp, low, high, offset)
		}
	}
}

// The same monitor sold in India and in Germany differs only in its use
// phase: 25 W × 8 h a day × 365 days × 5 years = 365 kWh, times the
// difference between the two grid factors of the default dataset.
func TestBatchCountryOfUse(t *testing.T) {
	dir, _ := runDefault(t)
	b, err := os.ReadFile(filepath.Join(dir, "receipts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	total := map[string]decimal.Decimal{}
	for _, r := range recs[1:] {
		if r[2] == "VIEW-27" {
			total[r[4]] = decimal.RequireFromString(r[5])
		}
	}
	grid := func(country string) decimal.Decimal {
		res, err := footprint.DefaultDataset().Lookup(footprint.Query{Measure: "electricity.grid", Region: country, NoFallback: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Factor.Amount
	}
	kWh := decimal.NewFromInt(25 * 8 * 365 * 5).Div(decimal.NewFromInt(1000)) // 365
	want := kWh.Mul(grid("IN").Sub(grid("DE")))
	if got := total["IN"].Sub(total["DE"]); !got.Equal(want) {
		t.Fatalf("monitor in India − in Germany = %s kg CO2e, want 365 kWh × (%s − %s) = %s", got, grid("IN"), grid("DE"), want)
	}
}

// Bad input files are refused with the line and the field.
func TestBatchBadInput(t *testing.T) {
	laptop := strings.SplitN(string(defaultCatalogue), "\n", 2)[0]
	tests := []struct {
		why, catalogue, sales, want string
	}{
		{"a sku twice", laptop + "\n" + laptop + "\n", string(defaultSales), `catalogue: line 2: sku: "REF-14-16-512" is given twice`},
		{"a product without a sku", strings.Replace(laptop, `"sku":"REF-14-16-512",`, "", 1), string(defaultSales), "catalogue: line 1: sku: required"},
		{"a bad product", strings.Replace(laptop, `"mass":"1.4 kg"`, `"mass":"-1 kg"`, 1), string(defaultSales), "catalogue: line 1: mass"},
		{"no serial column", laptop, "order,sku,country\nSO-1,REF-14-16-512,IN\n", `sales: header: column "serial" is missing`},
		{"a column twice", laptop, "order,sku,serial,country,serial\nSO-1,REF-14-16-512,PF-1,IN,\n", `sales: header: column "serial" given twice`},
		{"a column twice in two cases", laptop, "order,sku,serial,country, Serial\nSO-1,REF-14-16-512,PF-1,IN,\n", `sales: header: column "serial" given twice`},
		{"a bare quote in the header", laptop, "order,sku,ser\"ial,country\nSO-1,REF-14-16-512,PF-1,IN\n", `sales: header: line 1: column 14: bare " in non-quoted-field`},
		{"no header", laptop, "\xEF\xBB\xBF\r\n\n", "sales: header: the file is empty"},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		err := run(&out, config{catalogue: []byte(tc.catalogue), sales: []byte(tc.sales), outDir: t.TempDir(), key: testKey})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to start %q", tc.why, err, tc.want)
		}
	}
}

// Rows are refused one by one, and the others go on: a short or long row,
// a serial sold on two rows (the second is refused, and the offset is
// counted once), while a refused row does not keep a corrected row for the
// same unit from selling. Files that start with a UTF-8 byte order mark, as
// spreadsheet programs write them, are read.
func TestBatchRowErrors(t *testing.T) {
	bom := "\xEF\xBB\xBF"
	sales := bom + "order,sku,serial,country,project\r\n" +
		"SO-1,VIEW-27,MN-1,IN\r\n" + // no project field: refused alone
		"SO-2,VIEW-27,MN-2,IN,\r\n" +
		"SO-3,VIEW-27,MN-2,IN,\r\n" + // the same unit again
		"SO-4,TAB-10,MN-3,IN,\r\n" + // an unknown sku: refused...
		"SO-5,VIEW-27,MN-3,IN,\r\n" + // ...so the corrected row sells MN-3
		"SO-6,VIEW-27,MN-4,IN,,extra\r\n" // a field too many: refused
	out, _, recs := runSales(t, append([]byte(bom), defaultCatalogue...), sales)
	if len(recs) != 7 {
		t.Fatalf("%d receipts, want 6", len(recs)-1)
	}
	wantErr := []string{"row: 4 fields, the header has 5", "", `serial: "MN-2" is already sold on line 3`,
		`sku: "TAB-10" is not in the catalogue`, "", "row: 6 fields, the header has 5"}
	for i, w := range wantErr {
		if got := recs[i+1][12]; got != w {
			t.Errorf("line %s: error %q, want %q", recs[i+1][0], got, w)
		}
	}
	// Two monitors sold in India: twice the one amount, not three times.
	one := decimal.RequireFromString(recs[2][8])
	want := "offset sold: " + one.Add(one).String() + " kg CO2e"
	if !strings.Contains(out.String(), "6 sales of 2 products; certificates issued: 2; sales refused: 4") || !strings.Contains(out.String(), want) {
		t.Fatalf("summary, want two certificates and %q:\n%s", want, out.String())
	}
}

// A row that is not valid CSV is refused with its line, and the rows
// after it are read: each line is parsed on its own, so a stray quote
// (or a quoted field broken over two lines) cannot swallow the next rows.
func TestBatchMalformedRow(t *testing.T) {
	sales := "order,sku,serial,country\n" +
		"SO-1,VIEW-27,MN-1,IN\n" +
		"SO-2 \"rush\",VIEW-27,MN-2,IN\n" + // a bare quote
		"SO-3,VIEW-27,MN-3,IN\n" +
		"SO-4,VIEW-27,\"MN-4\n" + // a quoted field that does not end on its line...
		"\",IN\n" + // ...and its other half
		"SO-5,VIEW-27,MN-5,IN\n"
	out, b, recs := runSales(t, defaultCatalogue, sales)
	want := [][2]string{ // line, error
		{"2", ""},
		{"3", `row: column 6: bare " in non-quoted-field`},
		{"4", ""},
		{"5", `row: column 20: extraneous or missing " in quoted-field`},
		{"6", `row: column 6: extraneous or missing " in quoted-field`},
		{"7", ""},
	}
	if len(recs) != len(want)+1 {
		t.Fatalf("%d receipts, want %d:\n%s", len(recs)-1, len(want), b)
	}
	for i, w := range want {
		r := recs[i+1]
		if r[0] != w[0] || r[12] != w[1] || (w[1] == "") != (r[11] != "") {
			t.Errorf("receipt %d: line %s, certificate %q, error %q; want line %s, error %q", i+1, r[0], r[11], r[12], w[0], w[1])
		}
	}
	if !strings.Contains(out.String(), "6 sales of 2 products; certificates issued: 3; sales refused: 3") ||
		!strings.Contains(out.String(), "\n  line 3: row: column 6: bare \" in non-quoted-field\n") {
		t.Fatalf("summary:\n%s", out.String())
	}
}

// The country is checked on every row, also for a product without a use
// phase (which has no grid for it to select): a country name or an empty
// field is refused, naming the country field.
func TestBatchCountryWithoutUsePhase(t *testing.T) {
	cable := `{"manufacturer":"X","model":"Cable","sku":"CABLE","mass":"0.1 kg","manufacture":{"declared":{"amount":"2 kg CO2e","source":"x"}}}`
	sales := "order,sku,serial,country\n" +
		"SO-1,CABLE,C-1,India\n" +
		"SO-2,CABLE,C-2,\n" +
		"SO-3,CABLE,C-3,IN\n"
	_, b, recs := runSales(t, []byte(cable), sales)
	if len(recs) != 4 {
		t.Fatalf("%d receipts, want 3:\n%s", len(recs)-1, b)
	}
	wantErr := []string{`country: must be an ISO 3166-1 alpha-2 country code, got "India"`, `country: is required`, ""}
	for i, w := range wantErr {
		r := recs[i+1]
		if !strings.HasPrefix(r[12], w) || (w == "") != (r[11] != "") {
			t.Errorf("line %s: certificate %q, error %q; want an error starting %q", r[0], r[11], r[12], w)
		}
	}
}

// Column names are matched whatever their case and surrounding spaces, as
// spreadsheet exports write them.
func TestBatchHeaderCase(t *testing.T) {
	sales := "Order, SKU ,Serial,COUNTRY,Project\nSO-1,VIEW-27,MN-1,IN,sample-in-wind\n"
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(&out, config{
		catalogue: defaultCatalogue, sales: []byte(sales), outDir: dir,
		key: testKey, now: time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 sales of 2 products; certificates issued: 1; sales refused: 0") {
		t.Fatalf("summary:\n%s", out.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "certificates.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := certificate.Parse(bytes.TrimSpace(b))
	if err != nil {
		t.Fatal(err)
	}
	if c.Product.Serial != "MN-1" || len(c.Offsets) == 0 || c.Offsets[0].Project != "sample-in-wind" {
		t.Fatalf("certificate of %q from %+v, want MN-1 offset by sample-in-wind", c.Product.Serial, c.Offsets)
	}
}

// A value that a spreadsheet would run as a formula (it starts with =, +,
// -, @, a tab or a carriage return) is refused, naming its field, and is
// not copied into receipts.csv, whose cells all read as plain text.
func TestBatchFormulaValues(t *testing.T) {
	sales := "order,sku,serial,country,project\n" +
		`"=HYPERLINK(""http://example.com/"",""open"")",VIEW-27,MN-1,IN,` + "\n" +
		"SO-2,+VIEW-27,MN-2,IN,\n" +
		"SO-3,VIEW-27, -1+2,IN,\n" + // spaces around a value are trimmed first
		"SO-4,VIEW-27,MN-4,@IN,\n" +
		"SO-5,VIEW-27,\"\tMN-5\",IN,=cmd\n" +
		"SO-6,VIEW-27,MN-6,IN,\n"
	_, b, recs := runSales(t, defaultCatalogue, sales)
	wantErr := []string{"order: must not start with =", "sku: must not start with =", "serial: must not start with =",
		"country: must not start with =", "project: must not start with =", ""}
	if len(recs) != len(wantErr)+1 {
		t.Fatalf("%d receipts, want %d:\n%s", len(recs)-1, len(wantErr), b)
	}
	for i, w := range wantErr {
		r := recs[i+1]
		if !strings.HasPrefix(r[12], w) || (w == "") != (r[11] != "") {
			t.Errorf("line %s: certificate %q, error %q; want an error starting %q", r[0], r[11], r[12], w)
		}
		for j, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("line %s, column %s: %q would run as a formula", r[0], recs[0][j], cell)
			}
		}
	}
}
