package footprint

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/strictjson"
	"github.com/shopspring/decimal"
)

// MaxDatasetBytes is the most a loader reads from its reader: 8 MiB, room
// for tens of thousands of factors. Longer input is an error wrapping
// ErrInvalidDataset, not a silent truncation.
const MaxDatasetBytes = 8 << 20

// readCapped reads all of r, up to MaxDatasetBytes.
func readCapped(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, fielderr.New("", "", "no input (nil reader)", ErrInvalidDataset)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxDatasetBytes+1))
	if err != nil {
		return nil, fielderr.New("", "", "reading input: "+err.Error(), ErrInvalidDataset)
	}
	if len(b) > MaxDatasetBytes {
		return nil, fielderr.New("", "", "input longer than "+strconv.Itoa(MaxDatasetBytes)+" bytes", ErrInvalidDataset)
	}
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil // a UTF-8 byte order mark
}

// ---------------------------------------------------------------- CSV

// CSV columns, in the order the default dataset's files use.
var csvColumns = []string{
	"id", "measure", "region", "per", "amount", "intercept", "attribute", "divisor",
	"boundary", "radiative_forcing", "gwp",
	"uncertainty_relative", "uncertainty_low", "uncertainty_high",
	"description",
	"source_publisher", "source_title", "source_year", "source_url", "source_license",
}

// csvRequired lists the columns a factor sheet must have.
var csvRequired = []string{"id", "measure", "region", "per", "amount", "gwp",
	"source_publisher", "source_title", "source_year", "source_license"}

// LoadFactorsCSV reads a factor sheet (for example a supplier's) as a
// dataset named name at version version (both required; a file name makes
// a good name: every error quotes it, `row 3.amount: in dataset
// "supplier.csv": ...`).
//
// The first record is a header naming the columns; their order is free.
// Lines starting with '#' are comments (use them for provenance notes).
// Columns, with the Factor field each fills:
//
//	id                    ID (required, unique)
//	measure               Measure (required), e.g. "electricity.grid"
//	region                Region (required): ISO 3166-1 alpha-2, "EU" or "WORLD"
//	per                   Basis (required): "kWh", "tkm", "kg", "item", "mm2", ...
//	amount                Amount (required): a plain decimal, kgCO2e per unit
//	intercept             Intercept of a linear factor (optional)
//	attribute             Attribute of a linear factor (optional)
//	divisor               Divisor of a linear factor (optional)
//	boundary              Boundary: TTW, WTT, WTW or empty
//	radiative_forcing     RadiativeForcing: included, excluded or empty
//	gwp                   GWP (required): AR4, AR5 or AR6
//	uncertainty_relative  Uncertainty.Relative, e.g. 0.186 for ±18.6 %
//	uncertainty_low       Uncertainty.Low
//	uncertainty_high      Uncertainty.High
//	description           Description
//	source_publisher      Source.Publisher (required)
//	source_title          Source.Title (required)
//	source_year           Source.Year (required), e.g. 2025
//	source_url            Source.URL
//	source_license        Source.License (required), e.g. "CC-BY-4.0"
//
// The columns marked required must be present in the header (and their
// cells non-empty); the others may be left out. An unknown or repeated
// column is an error, so a misspelt column never drops data silently.
// Decimals are plain ("0.70896"; no exponent, NaN, hex or thousands
// separator). A leading UTF-8 byte-order mark is ignored.
//
// Errors are *FieldError values whose Field is "row N.column", N being the
// line number in the input (the header is row 1 when there are no comments
// before it), the rule quoting the dataset's name: `row 3.amount: in
// dataset "supplier.csv": must be a plain decimal ..., got "1e5"`. They
// wrap ErrInvalidFactor for a bad cell and ErrInvalidDataset for a bad
// header, duplicate or malformed CSV, or a sheet without factor rows.
// Input longer than MaxDatasetBytes is refused.
func LoadFactorsCSV(name, version string, r io.Reader) (*Dataset, error) {
	b, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	factors, lines, err := parseFactorsCSV(b)
	if err != nil {
		return nil, inDataset(name, err)
	}
	if len(factors) == 0 { // a header alone, or nothing: a sheet cut short, not a layer of nothing
		return nil, inDataset(name, fielderr.New("", "", "no factor rows after the header", ErrInvalidDataset))
	}
	d, err := newDataset(name, version, factors, func(i int) string { return "row " + strconv.Itoa(lines[i]) })
	if err != nil {
		return nil, inDataset(name, csvFieldNames(err))
	}
	return d, nil
}

// plainDecimalRule is the rule a cell or member broke when dec.Parse
// refused it.
func plainDecimalRule(err error) string {
	if errors.Is(err, dec.ErrSyntax) {
		return "must be a plain decimal: digits with an optional sign and point (no exponent, NaN, Inf or hex)"
	}
	return "must be a plain decimal: " + err.Error()
}

// inDataset names the dataset (for a file, its name) in the rule of a
// *FieldError, so that an error from a batch of files says which one:
// `row 3.amount: in dataset "supplier.csv": must be ...`.
func inDataset(name string, err error) error {
	fe, ok := err.(*fielderr.Error)
	if !ok || name == "" {
		return err
	}
	c := *fe
	c.Rule = "in dataset " + strconv.Quote(name) + ": " + c.Rule
	return &c
}

// csvFieldNames rewrites JSON-style field paths from validation
// ("row 3.source.publisher") into column names ("row 3.source_publisher").
func csvFieldNames(err error) error {
	var fe *fielderr.Error
	if !errors.As(err, &fe) {
		return err
	}
	row, field, ok := strings.Cut(fe.Field, ".")
	if !ok || !strings.HasPrefix(row, "row ") {
		return err
	}
	field = strings.ReplaceAll(field, "radiativeForcing", "radiative_forcing")
	field = strings.ReplaceAll(field, ".", "_")
	c := *fe
	c.Field = row + "." + field
	return &c
}

func parseFactorsCSV(b []byte) ([]Factor, []int, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comment = '#'
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fielderr.New("header", "", "is required: the first record must name the columns", ErrInvalidDataset)
	}
	if err != nil {
		return nil, nil, csvError(err)
	}
	col := make(map[string]int, len(header))
	known := make(map[string]bool, len(csvColumns))
	for _, c := range csvColumns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !known[h] {
			rule := "unknown column (known: " + strings.Join(csvColumns, ", ") + ")"
			if h == "" {
				rule = "empty column name (a trailing comma?)"
			}
			return nil, nil, fielderr.New("header", h, "column "+strconv.Itoa(i+1)+": "+rule, ErrInvalidDataset)
		}
		if _, dup := col[h]; dup {
			return nil, nil, fielderr.New("header", h, "repeated column", ErrInvalidDataset)
		}
		col[h] = i
	}
	for _, c := range csvRequired {
		if _, ok := col[c]; !ok {
			return nil, nil, fielderr.New("header", c, "missing required column", ErrInvalidDataset)
		}
	}
	var factors []Factor
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		row := "row " + strconv.Itoa(line)
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f, err := factorFromCells(get)
		if err != nil {
			return nil, nil, fielderr.Prefix(row, err)
		}
		factors = append(factors, f)
		lines = append(lines, line)
	}
	return factors, lines, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fielderr.New("row "+strconv.Itoa(pe.Line), "", "malformed CSV: "+pe.Err.Error(), ErrInvalidDataset)
	}
	return fielderr.New("", "", "malformed CSV: "+err.Error(), ErrInvalidDataset)
}

// factorFromCells builds a factor from CSV cells; errors name the column.
func factorFromCells(get func(string) string) (Factor, error) {
	f := Factor{
		ID:               get("id"),
		Measure:          get("measure"),
		Region:           get("region"),
		Basis:            Basis(get("per")),
		Attribute:        get("attribute"),
		Divisor:          get("divisor"),
		Boundary:         Boundary(get("boundary")),
		RadiativeForcing: RadiativeForcing(get("radiative_forcing")),
		GWP:              GWP(get("gwp")),
		Description:      get("description"),
		Source: Source{
			Publisher: get("source_publisher"),
			Title:     get("source_title"),
			URL:       get("source_url"),
			License:   get("source_license"),
		},
	}
	var err error
	if f.Amount, err = cellDecimal("amount", get("amount"), true); err != nil {
		return f, err
	}
	if f.Intercept, err = cellDecimal("intercept", get("intercept"), false); err != nil {
		return f, err
	}
	if f.Uncertainty.Relative, err = cellDecimal("uncertainty_relative", get("uncertainty_relative"), false); err != nil {
		return f, err
	}
	if f.Uncertainty.Low, err = cellDecimal("uncertainty_low", get("uncertainty_low"), false); err != nil {
		return f, err
	}
	if f.Uncertainty.High, err = cellDecimal("uncertainty_high", get("uncertainty_high"), false); err != nil {
		return f, err
	}
	if f.Source.Year, err = cellYear("source_year", get("source_year")); err != nil {
		return f, err
	}
	return f, nil
}

func cellDecimal(field, s string, required bool) (decimal.Decimal, error) {
	if s == "" {
		if required {
			return decimal.Decimal{}, fielderr.New(field, "", "is required: a plain decimal", ErrInvalidFactor)
		}
		return decimal.Decimal{}, nil
	}
	d, err := dec.Parse(s)
	if err != nil {
		return decimal.Decimal{}, fielderr.New(field, s, plainDecimalRule(err), ErrInvalidFactor)
	}
	return d, nil
}

func cellYear(field, s string) (int, error) {
	if s == "" {
		return 0, fielderr.New(field, "", "is required: the year of publication", ErrInvalidFactor)
	}
	if len(s) != 4 || strings.Trim(s, "0123456789") != "" {
		return 0, fielderr.New(field, s, "must be a four-digit year", ErrInvalidFactor)
	}
	y, _ := strconv.Atoi(s)
	if y < 1900 || y > 2200 {
		return 0, fielderr.New(field, s, "must be the year of publication, 1900 to 2200", ErrInvalidFactor)
	}
	return y, nil
}

// ---------------------------------------------------------------- JSON

// LoadDatasetJSON reads a dataset in the JSON form
//
//	{"name": "acme-supplier", "version": "3", "factors": [ {...}, ... ]}
//
// (name and version required; errors quote the name once it is read),
// where each factor has the JSON form of Factor ("id", "measure", "region",
// "per", "amount", "intercept", "attribute", "divisor", "boundary",
// "radiativeForcing", "gwp", "uncertainty": {"relative" | "low", "high"},
// "description", "source": {"publisher", "title", "year", "url",
// "license"}). Decimals are JSON strings holding plain decimals ("0.70896");
// a JSON number is accepted when its literal is a plain decimal, and is
// read from its text, never through a float. Unknown or repeated keys,
// and text that is not valid UTF-8, are errors; a leading UTF-8 byte order
// mark is skipped. Errors are *FieldError values whose Field is a path such as
// "factors[2].amount", wrapping ErrInvalidFactor or ErrInvalidDataset.
// Input longer than MaxDatasetBytes is refused.
//
// MarshalJSON on a Dataset writes the same form.
func LoadDatasetJSON(r io.Reader) (*Dataset, error) {
	b, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	top, err := jsonObject("", b, ErrInvalidDataset)
	if err != nil {
		return nil, err
	}
	var name, version string
	var rawFactors []json.RawMessage
	for _, kv := range top {
		switch kv.key {
		case "name":
			name, err = jsonStr("name", kv.val, ErrInvalidDataset)
		case "version":
			version, err = jsonStr("version", kv.val, ErrInvalidDataset)
		case "factors":
			rawFactors, err = jsonArray("factors", kv.val)
		default:
			err = fielderr.New(kv.key, kv.key, "unknown key (known: name, version, factors)", ErrInvalidDataset)
		}
		if err != nil {
			return nil, err
		}
	}
	if rawFactors == nil {
		return nil, fielderr.New("factors", "", "is required: an array of factors", ErrInvalidDataset)
	}
	factors := make([]Factor, len(rawFactors))
	for i, raw := range rawFactors {
		p := "factors[" + strconv.Itoa(i) + "]"
		if factors[i], err = factorFromJSON(p, raw); err != nil {
			return nil, inDataset(name, err)
		}
	}
	d, err := NewDataset(name, version, factors)
	return d, inDataset(name, err)
}

type jsonKV struct {
	key string
	val json.RawMessage
}

// jsonObject splits a JSON object into its members in order, refusing
// repeated keys, non-objects and trailing data.
func jsonObject(field string, b []byte, sentinel error) ([]jsonKV, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	bad := func(rule string) error {
		v := string(b)
		return fielderr.New(field, v, rule, sentinel)
	}
	tok, err := d.Token()
	if err != nil {
		return nil, bad("malformed JSON: " + err.Error())
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return nil, bad("must be a JSON object")
	}
	var out []jsonKV
	seen := map[string]bool{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, bad("malformed JSON: " + err.Error())
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return nil, bad("malformed JSON: " + err.Error())
		}
		if seen[key] {
			return nil, fielderr.New(join(field, key), key, "repeated key", sentinel)
		}
		seen[key] = true
		out = append(out, jsonKV{key, raw})
	}
	if _, err := d.Token(); err != nil {
		return nil, bad("malformed JSON: " + err.Error())
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, bad("unexpected data after the JSON object")
	}
	return out, nil
}

func join(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

func jsonArray(field string, raw json.RawMessage) ([]json.RawMessage, error) {
	var out []json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil || out == nil {
		return nil, fielderr.New(field, string(raw), "must be a JSON array", ErrInvalidDataset)
	}
	return out, nil
}

func jsonStr(field string, raw json.RawMessage, sentinel error) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fielderr.New(field, string(raw), "must be a JSON string", sentinel)
	}
	if t := bytes.TrimSpace(raw); !strictjson.ValidString(t, bytes.IndexByte(t, '\\') >= 0) {
		return "", fielderr.New(field, string(t[1:len(t)-1]), "must be valid UTF-8 (no lone surrogate escapes)", sentinel)
	}
	return s, nil
}

// jsonDecimal reads a decimal from a JSON string or number literal, strictly.
func jsonDecimal(field string, raw json.RawMessage) (decimal.Decimal, error) {
	s := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return decimal.Decimal{}, fielderr.New(field, string(raw), "must be a JSON string holding a plain decimal", ErrInvalidFactor)
		}
	} else if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return decimal.Decimal{}, fielderr.New(field, s, "must be a JSON string holding a plain decimal, such as \"0.70896\"", ErrInvalidFactor)
	}
	d, err := dec.Parse(s)
	if err != nil {
		return decimal.Decimal{}, fielderr.New(field, s, plainDecimalRule(err), ErrInvalidFactor)
	}
	return d, nil
}

func factorFromJSON(path string, raw json.RawMessage) (Factor, error) {
	var f Factor
	members, err := jsonObject(path, raw, ErrInvalidFactor)
	if err != nil {
		return f, err
	}
	hasAmount := false
	for _, kv := range members {
		fld := path + "." + kv.key
		var s string
		switch kv.key {
		case "amount", "intercept":
			var d decimal.Decimal
			if d, err = jsonDecimal(fld, kv.val); err == nil {
				if kv.key == "amount" {
					f.Amount, hasAmount = d, true
				} else {
					f.Intercept = d
				}
			}
		case "uncertainty":
			f.Uncertainty, err = uncertaintyFromJSON(fld, kv.val)
		case "source":
			f.Source, err = sourceFromJSON(fld, kv.val)
		case "id", "measure", "region", "per", "attribute", "divisor", "boundary", "radiativeForcing", "gwp", "description":
			if s, err = jsonStr(fld, kv.val, ErrInvalidFactor); err == nil {
				switch kv.key {
				case "id":
					f.ID = s
				case "measure":
					f.Measure = s
				case "region":
					f.Region = s
				case "per":
					f.Basis = Basis(s)
				case "attribute":
					f.Attribute = s
				case "divisor":
					f.Divisor = s
				case "boundary":
					f.Boundary = Boundary(s)
				case "radiativeForcing":
					f.RadiativeForcing = RadiativeForcing(s)
				case "gwp":
					f.GWP = GWP(s)
				case "description":
					f.Description = s
				}
			}
		default:
			err = fielderr.New(fld, kv.key, "unknown key", ErrInvalidFactor)
		}
		if err != nil {
			return f, err
		}
	}
	if !hasAmount {
		return f, fielderr.New(path+".amount", "", "is required: a plain decimal string", ErrInvalidFactor)
	}
	return f, nil
}

func uncertaintyFromJSON(path string, raw json.RawMessage) (Uncertainty, error) {
	var u Uncertainty
	members, err := jsonObject(path, raw, ErrInvalidFactor)
	if err != nil {
		return u, err
	}
	for _, kv := range members {
		fld := path + "." + kv.key
		var d decimal.Decimal
		switch kv.key {
		case "relative", "low", "high":
			if d, err = jsonDecimal(fld, kv.val); err != nil {
				return u, err
			}
		default:
			return u, fielderr.New(fld, kv.key, "unknown key (known: relative, low, high)", ErrInvalidFactor)
		}
		switch kv.key {
		case "relative":
			u.Relative = d
		case "low":
			u.Low = d
		case "high":
			u.High = d
		}
	}
	return u, nil
}

func sourceFromJSON(path string, raw json.RawMessage) (Source, error) {
	var s Source
	members, err := jsonObject(path, raw, ErrInvalidFactor)
	if err != nil {
		return s, err
	}
	for _, kv := range members {
		fld := path + "." + kv.key
		switch kv.key {
		case "publisher":
			s.Publisher, err = jsonStr(fld, kv.val, ErrInvalidFactor)
		case "title":
			s.Title, err = jsonStr(fld, kv.val, ErrInvalidFactor)
		case "url":
			s.URL, err = jsonStr(fld, kv.val, ErrInvalidFactor)
		case "license":
			s.License, err = jsonStr(fld, kv.val, ErrInvalidFactor)
		case "year":
			// A year is a bare JSON integer: 2025, not "2025" or 2025.0.
			v := string(kv.val)
			if len(v) != 4 || strings.Trim(v, "0123456789") != "" {
				err = fielderr.New(fld, v, "must be a four-digit JSON number such as 2025", ErrInvalidFactor)
				break
			}
			s.Year, _ = strconv.Atoi(v)
		default:
			err = fielderr.New(fld, kv.key, "unknown key (known: publisher, title, year, url, license)", ErrInvalidFactor)
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// datasetJSON is the JSON form of a dataset.
type datasetJSON struct {
	Name    string   `json:"name"`
	Version string   `json:"version"`
	Factors []Factor `json:"factors"`
}

// MarshalJSON writes the dataset in the form LoadDatasetJSON reads: its
// name, version and effective factors, those Factors lists (a layered
// dataset is flattened, its factors' IDs unique, see Over; its name and
// version join the layers', top first).
func (d *Dataset) MarshalJSON() ([]byte, error) {
	return json.Marshal(datasetJSON{Name: d.Name(), Version: d.Version(), Factors: d.factors})
}
