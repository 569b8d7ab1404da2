package offset

import (
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// GramsPerTonne is the number of grams in one credit (one tonne of CO2e).
const GramsPerTonne = 1_000_000

// maxSerialLen bounds the length of a serial block string.
const maxSerialLen = 200

// SerialFormat names how a serial block is written.
type SerialFormat string

// Serial block formats.
const (
	// FormatVerra is Verra's VCS form, thirteen dash-separated fields:
	// issuance batch, first serial, last serial, "VCS", unit ("VCU"),
	// a registry number, "VER", country (alpha-2), sectoral scope, project
	// ID, vintage start and end (DDMMYYYY) and a flag, as in
	// 19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1.
	FormatVerra SerialFormat = "verra"
	// FormatGoldStandard is the Gold Standard registry's form, nine fields:
	// "GS1", "1", country (alpha-2), "GS" + project ID, product code,
	// vintage year, issuance batch, first and last serial, as in
	// GS1-1-KE-GS11603-16-2025-30256-110-5463.
	FormatGoldStandard SerialFormat = "gold-standard"
	// FormatRange is the generic form "first-last" (decimal digits), for
	// registries whose own form this package does not parse.
	FormatRange SerialFormat = "range"
)

// SerialBlock is a contiguous block of credit serial numbers, Start to End
// inclusive: it holds End − Start + 1 credits of one tonne each.
//
// Its text form is Prefix + Start + "-" + End + Suffix, which gives back
// the registry's own serial string exactly; Prefix and Suffix keep the
// registry's other fields verbatim so a sub-block (Sub) prints in the
// registry's form too. Country, Project and the vintage years are read
// from those fields when the format carries them. JSON carries the block
// as its text form. SerialBlock is a value type, safe for concurrent use.
type SerialBlock struct {
	Format SerialFormat
	Prefix string
	Start  uint64
	End    uint64
	Suffix string
	// Country is the ISO 3166-1 alpha-2 country in the serial ("ET"), or "".
	Country string
	// Project is the registry's project ID in the serial ("1340" for
	// Verra, "GS11603" for Gold Standard), or "".
	Project string
	// VintageStart and VintageEnd are the years of the vintage period in the
	// serial (equal for Gold Standard), or 0.
	VintageStart int
	VintageEnd   int
}

// RangeBlock returns a generic block of serials first..last. It does not
// check that first ≤ last; Validate does.
func RangeBlock(first, last uint64) SerialBlock {
	return SerialBlock{Format: FormatRange, Start: first, End: last}
}

// Count returns the number of credits in the block, End − Start + 1 (0 when
// End < Start).
func (b SerialBlock) Count() uint64 {
	if b.End < b.Start {
		return 0
	}
	return b.End - b.Start + 1
}

// String prints the block in its registry's form.
func (b SerialBlock) String() string {
	var sb strings.Builder
	sb.Grow(len(b.Prefix) + len(b.Suffix) + 41)
	sb.WriteString(b.Prefix)
	sb.WriteString(strconv.FormatUint(b.Start, 10))
	sb.WriteByte('-')
	sb.WriteString(strconv.FormatUint(b.End, 10))
	sb.WriteString(b.Suffix)
	return sb.String()
}

// Sub returns the sub-block first..last of b, printed in the same form
// (registries split a block this way). It reports false when first..last
// is not inside b or first > last.
func (b SerialBlock) Sub(first, last uint64) (SerialBlock, bool) {
	if first > last || first < b.Start || last > b.End {
		return SerialBlock{}, false
	}
	b.Start, b.End = first, last
	return b, true
}

// Validate checks that End ≥ Start, that the format is known and that b
// is exactly the block its text form parses to: ParseSerialBlock(b.String())
// must return b, field for field. A block built by hand that prints as one
// registry's serial but claims another format, project, country or
// vintage (a Verra block relabelled FormatRange, or with Project cleared)
// would otherwise land in another serial namespace of NewInventory's
// overlap check and let one credit be sold twice. Blocks from
// ParseSerialBlock, RangeBlock (with numbers below 10^19) and Sub pass.
// Errors name "block" and wrap ErrInvalidSerial.
func (b SerialBlock) Validate() error {
	if b.End < b.Start {
		return fielderr.New("block", b.String(), "last serial must be ≥ first serial", ErrInvalidSerial)
	}
	switch b.Format {
	case FormatVerra, FormatGoldStandard, FormatRange:
	default:
		return fielderr.New("block", string(b.Format), "format must be verra, gold-standard or range", ErrInvalidSerial)
	}
	if b == RangeBlock(b.Start, b.End) && b.End < 1e19 {
		return nil // what ParseRangeSerial returns for its text
	}
	s := b.String()
	p, err := ParseSerialBlock(s)
	if err != nil {
		rule := err.Error()
		if fe, ok := err.(*fielderr.Error); ok {
			rule = fe.Rule
		}
		return fielderr.New("block", s, "its text form must parse as a serial block: "+rule, ErrInvalidSerial)
	}
	if p != b {
		return fielderr.New("block", s, "must be exactly the block its text form parses to (ParseSerialBlock): "+blockDiff(b, p), ErrInvalidSerial)
	}
	return nil
}

// blockDiff names the first field in which block b differs from p, the
// block its text parses to.
func blockDiff(b, p SerialBlock) string {
	field := func(name, got, want string) string {
		return name + " is " + strconv.Quote(got) + " but the text gives " + strconv.Quote(want)
	}
	switch {
	case b.Format != p.Format:
		return field("format", string(b.Format), string(p.Format))
	case b.Prefix != p.Prefix:
		return field("prefix", b.Prefix, p.Prefix)
	case b.Suffix != p.Suffix:
		return field("suffix", b.Suffix, p.Suffix)
	case b.Country != p.Country:
		return field("country", b.Country, p.Country)
	case b.Project != p.Project:
		return field("project", b.Project, p.Project)
	case b.VintageStart != p.VintageStart:
		return field("vintage start", strconv.Itoa(b.VintageStart), strconv.Itoa(p.VintageStart))
	case b.VintageEnd != p.VintageEnd:
		return field("vintage end", strconv.Itoa(b.VintageEnd), strconv.Itoa(p.VintageEnd))
	}
	// Start and End print as themselves, so they cannot differ.
	return field("block", b.String(), p.String())
}

// MarshalText prints the block with String.
func (b SerialBlock) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText parses the block with ParseSerialBlock.
func (b *SerialBlock) UnmarshalText(t []byte) error {
	p, err := ParseSerialBlock(string(t))
	if err != nil {
		return err
	}
	*b = p
	return nil
}

// ParseSerialBlock reads a serial block in any of the supported forms: a
// string starting "GS" is read as Gold Standard, one containing "-VCS-" as
// Verra, and "first-last" as a generic range. The fields that place a
// credit in NewInventory's overlap check must be written without leading
// zeros, so each credit has one spelling there: the first and last serial
// numbers of every form, and the Gold Standard fields before them (its
// namespace). Verra numbers its units registry-wide, so its other fields
// (batch, field 6, sectoral scope, project ID, flag) do not take part in
// the check and are accepted as written, zero-padded or not ("01340" as
// well as "1340"); they must still be digits, and the DDMMYYYY dates are
// fixed-width. Errors are field errors on "block" wrapping
// ErrInvalidSerial; the rule names the serial's field. The result prints
// back (String) to exactly s, every field as written.
func ParseSerialBlock(s string) (SerialBlock, error) {
	switch {
	case strings.HasPrefix(s, "GS"):
		return ParseGoldStandardSerial(s)
	case strings.Contains(s, "-VCS-"):
		return ParseVerraSerial(s)
	default:
		return ParseRangeSerial(s)
	}
}

func serialErr(s, rule string) error {
	return fielderr.New("block", s, rule, ErrInvalidSerial)
}

// ParseVerraSerial reads a Verra serial block such as
// 19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1
// (first 941467007, last 941467431: 425 credits; country ET, project 1340,
// vintage 2020). The first and last serial must be written without leading
// zeros; the numeric identifier fields are kept as written (Project is
// "01340" for a project ID written "01340"), since Verra's overlap
// namespace is the whole registry and does not depend on them.
func ParseVerraSerial(s string) (SerialBlock, error) {
	if len(s) > maxSerialLen {
		return SerialBlock{}, serialErr(s, "longer than 200 characters")
	}
	f := strings.Split(s, "-")
	if len(f) != 13 {
		return SerialBlock{}, serialErr(s, "a Verra serial has 13 dash-separated fields (batch-first-last-VCS-unit-n-VER-country-scope-project-DDMMYYYY-DDMMYYYY-flag)")
	}
	checks := []struct {
		i    int
		ok   bool
		what string
	}{
		{0, isDigits(f[0]), "batch (field 1) must be digits"},
		{3, f[3] == "VCS", `field 4 must be "VCS"`},
		{4, isUpper(f[4]), "unit (field 5) must be upper-case letters (VCU)"},
		{5, isDigits(f[5]), "field 6 must be digits"},
		{6, isUpper(f[6]), "field 7 must be upper-case letters (VER)"},
		{7, len(f[7]) == 2 && isUpper(f[7]), "country (field 8) must be two upper-case letters"},
		{8, isDigits(f[8]), "sectoral scope (field 9) must be digits"},
		{9, isDigits(f[9]), "project ID (field 10) must be digits"},
		{12, isDigits(f[12]), "flag (field 13) must be digits"},
	}
	for _, c := range checks {
		if !c.ok {
			return SerialBlock{}, serialErr(s, c.what)
		}
	}
	start, end, err := parseStartEnd(s, f[1], f[2])
	if err != nil {
		return SerialBlock{}, err
	}
	y1, ok1 := parseDDMMYYYY(f[10])
	y2, ok2 := parseDDMMYYYY(f[11])
	if !ok1 || !ok2 {
		return SerialBlock{}, serialErr(s, "vintage dates must be DDMMYYYY")
	}
	if f[10][4:]+f[10][2:4]+f[10][:2] > f[11][4:]+f[11][2:4]+f[11][:2] {
		return SerialBlock{}, serialErr(s, "vintage end must not be before vintage start")
	}
	return SerialBlock{
		Format: FormatVerra, Prefix: f[0] + "-", Start: start, End: end,
		Suffix:  "-" + strings.Join(f[3:], "-"),
		Country: f[7], Project: f[9], VintageStart: y1, VintageEnd: y2,
	}, nil
}

// ParseGoldStandardSerial reads a Gold Standard serial block such as
// GS1-1-KE-GS11603-16-2025-30256-110-5463 (first 110, last 5463: 5354
// credits; country KE, project GS11603, vintage 2025).
func ParseGoldStandardSerial(s string) (SerialBlock, error) {
	if len(s) > maxSerialLen {
		return SerialBlock{}, serialErr(s, "longer than 200 characters")
	}
	f := strings.Split(s, "-")
	if len(f) != 9 {
		return SerialBlock{}, serialErr(s, "a Gold Standard serial has 9 dash-separated fields (GS1-1-country-GSproject-product-vintage-batch-first-last)")
	}
	switch {
	case len(f[0]) < 3 || f[0][:2] != "GS" || !isNumber(f[0][2:]):
		return SerialBlock{}, serialErr(s, `field 1 must be "GS" followed by digits without leading zeros`)
	case !isNumber(f[1]):
		return SerialBlock{}, serialErr(s, "field 2 must be digits without leading zeros")
	case len(f[2]) != 2 || !isUpper(f[2]):
		return SerialBlock{}, serialErr(s, "country (field 3) must be two upper-case letters")
	case len(f[3]) < 3 || f[3][:2] != "GS" || !isNumber(f[3][2:]):
		return SerialBlock{}, serialErr(s, `project (field 4) must be "GS" followed by digits without leading zeros`)
	case !isNumber(f[4]):
		return SerialBlock{}, serialErr(s, "product code (field 5) must be digits without leading zeros")
	case len(f[5]) != 4 || !isNumber(f[5]):
		return SerialBlock{}, serialErr(s, "vintage (field 6) must be a four-digit year without a leading zero")
	case !isNumber(f[6]):
		return SerialBlock{}, serialErr(s, "issuance batch (field 7) must be digits without leading zeros")
	}
	start, end, err := parseStartEnd(s, f[7], f[8])
	if err != nil {
		return SerialBlock{}, err
	}
	y, _ := strconv.Atoi(f[5])
	return SerialBlock{
		Format: FormatGoldStandard, Prefix: strings.Join(f[:7], "-") + "-", Start: start, End: end,
		Country: f[2], Project: f[3], VintageStart: y, VintageEnd: y,
	}, nil
}

// ParseRangeSerial reads a generic block "first-last" of decimal serial
// numbers without leading zeros, such as "1001-1500" (500 credits).
func ParseRangeSerial(s string) (SerialBlock, error) {
	if len(s) > maxSerialLen {
		return SerialBlock{}, serialErr(s, "longer than 200 characters")
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok || strings.Contains(b, "-") {
		return SerialBlock{}, serialErr(s, "must be a Verra or Gold Standard serial, or first-last (two decimal numbers)")
	}
	start, end, err := parseStartEnd(s, a, b)
	if err != nil {
		return SerialBlock{}, err
	}
	return RangeBlock(start, end), nil
}

func parseStartEnd(s, a, b string) (uint64, uint64, error) {
	start, ok1 := parseSerialNumber(a)
	end, ok2 := parseSerialNumber(b)
	if !ok1 || !ok2 {
		return 0, 0, serialErr(s, "first and last serial must be decimal numbers without leading zeros, below 10^19")
	}
	if end < start {
		return 0, 0, serialErr(s, "last serial must be ≥ first serial")
	}
	return start, end, nil
}

func parseSerialNumber(s string) (uint64, bool) {
	if !isDigits(s) || len(s) > 19 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// isNumber reports whether s is a decimal number written canonically:
// digits, without a leading zero unless it is "0" itself. The fields that
// place a credit in NewInventory's overlap check (the first and last serial
// numbers, and the Gold Standard prefix fields that form its namespace)
// must be, so one credit has one spelling there and the check cannot be
// dodged by writing a Gold Standard field as "030256" instead of "30256".
// Verra's identifier fields are not in its namespace and need only be
// digits (isDigits).
func isNumber(s string) bool {
	return isDigits(s) && (len(s) == 1 || s[0] != '0')
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpper(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// parseDDMMYYYY checks a date written DDMMYYYY and returns its year.
func parseDDMMYYYY(s string) (int, bool) {
	if len(s) != 8 || !isDigits(s) {
		return 0, false
	}
	d, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[2:4])
	y, _ := strconv.Atoi(s[4:])
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	return y, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// SerialSpan is a run of credits one allocation line draws from: the whole
// credits First..Last (FromGram 0, ToGram 1,000,000), or part of a single
// credit (First == Last): its grams [FromGram, ToGram). Gram g of a credit
// is the g-th of its 1,000,000 grams, counted from 0, so two spans that
// do not overlap can never claim the same gram of the same serial.
type SerialSpan struct {
	First    uint64 `json:"first"`
	Last     uint64 `json:"last"`
	FromGram int64  `json:"fromGram"`
	ToGram   int64  `json:"toGram"`
}

// Whole reports whether the span covers whole credits.
func (s SerialSpan) Whole() bool { return s.FromGram == 0 && s.ToGram == GramsPerTonne }

// Grams returns how many grams the span covers.
func (s SerialSpan) Grams() int64 {
	if s.Whole() {
		return int64(s.Last-s.First+1) * GramsPerTonne
	}
	return s.ToGram - s.FromGram
}

// String prints "941467011-941467012" for whole credits, "941467011" for
// one whole credit and "941467010 g[250000,758000)" for part of a credit.
func (s SerialSpan) String() string {
	if s.Whole() {
		if s.First == s.Last {
			return strconv.FormatUint(s.First, 10)
		}
		return strconv.FormatUint(s.First, 10) + "-" + strconv.FormatUint(s.Last, 10)
	}
	return strconv.FormatUint(s.First, 10) + " g[" + itoa(s.FromGram) + "," + itoa(s.ToGram) + ")"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// GramRange is a half-open range [From, To) of grams within a lot, counted
// from the first gram of the lot's first credit: gram g of the lot belongs
// to serial Block.Start + g/1,000,000.
type GramRange struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// Len returns To − From.
func (r GramRange) Len() int64 { return r.To - r.From }

// appendSpans appends the serial spans of lot grams r in a block starting
// at serial start.
func appendSpans(dst []SerialSpan, start uint64, r GramRange) []SerialSpan {
	if r.To <= r.From {
		return dst
	}
	first := start + uint64(r.From/GramsPerTonne)
	offA := r.From % GramsPerTonne
	last := start + uint64((r.To-1)/GramsPerTonne)
	endB := (r.To-1)%GramsPerTonne + 1
	if first == last {
		return append(dst, SerialSpan{first, first, offA, endB})
	}
	lo, hi := first, last
	if offA > 0 {
		dst = append(dst, SerialSpan{first, first, offA, GramsPerTonne})
		lo++
	}
	if endB < GramsPerTonne {
		hi--
	}
	if lo <= hi {
		dst = append(dst, SerialSpan{lo, hi, 0, GramsPerTonne})
	}
	if endB < GramsPerTonne {
		dst = append(dst, SerialSpan{last, last, 0, endB})
	}
	return dst
}
