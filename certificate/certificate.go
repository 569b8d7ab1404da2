package certificate

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// SchemaV1 is the schema version this package writes and verifies.
const SchemaV1 = "lifecarbon.certificate.v1"

// MaxSize bounds every document this package reads (certificate JSON, the
// payload of a JWS, a verifiable credential): 1 MiB. Larger input is
// refused with ErrTooLarge before it is parsed, and Sign refuses to sign a
// certificate whose JSON, signature included, would be larger.
const MaxSize = 1 << 20

// Sentinels wrapped by the errors of this package; match them with
// errors.Is. Each names the check that failed.
var (
	// ErrInvalid: a certificate lacks a required field or holds a value
	// out of range (the error is a *footprint.FieldError naming the field).
	ErrInvalid = errors.New("certificate: invalid certificate")
	// ErrInconsistent: the certificate's figures do not add up (offset
	// lines do not sum to the total offset, the total offset is below the
	// footprint, stage totals do not sum to the footprint total, ...).
	ErrInconsistent = errors.New("certificate: inconsistent figures")
	// ErrSchema: the schema version is not one this package verifies.
	ErrSchema = errors.New("certificate: unsupported schema version")
	// ErrUnsigned: the certificate carries no signature.
	ErrUnsigned = errors.New("certificate: not signed")
	// ErrAlgorithm: the signature algorithm is not allowed ("none" and
	// MAC algorithms never are), or is not the algorithm of the key.
	ErrAlgorithm = errors.New("certificate: algorithm not allowed")
	// ErrUnknownKey: the signature names a key ID the key set does not hold.
	ErrUnknownKey = errors.New("certificate: unknown signing key")
	// ErrKeyNotValid: the key was not valid at the certificate's issue time.
	ErrKeyNotValid = errors.New("certificate: key not valid at the issue time")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("certificate: signature does not verify")
	// ErrRevoked: the certificate's ID is on the caller's revocation list.
	ErrRevoked = errors.New("certificate: revoked")
	// ErrMalformed: a document is not well-formed (invalid JSON, a
	// duplicated member, an unknown or non-canonical member, a bad JWS or
	// credential structure).
	ErrMalformed = errors.New("certificate: malformed document")
	// ErrTooLarge: a document is larger than MaxSize.
	ErrTooLarge = errors.New("certificate: document too large")
	// ErrKey: a key is of a type or curve this package does not support.
	ErrKey = errors.New("certificate: unsupported key")
)

// Certificate is the signed statement that one product's footprint has
// been offset. Its JSON form is canonical (RFC 8785); decimals and
// quantities are strings. A Certificate is a plain value: safe for
// concurrent reads, not for concurrent modification.
type Certificate struct {
	// Schema is the schema version, SchemaV1.
	Schema string `json:"schema"`
	// ID identifies the certificate; DeriveID computes one from the
	// content, or the caller passes its own (at most 128 characters).
	ID string `json:"id"`
	// Issuer is who issued (and signed) the certificate.
	Issuer Issuer `json:"issuer"`
	// Product is the product the certificate covers.
	Product Product `json:"product"`
	// IssuedAt is the issue time, UTC. It is written in RFC 3339 form with
	// as many fractional digits as it has.
	IssuedAt time.Time `json:"issuedAt"`
	// Footprint summarises the product's footprint.
	Footprint Summary `json:"footprint"`
	// Offsets are the credits retired against the footprint, one line per
	// project and vintage.
	Offsets []Line `json:"offsets"`
	// TotalOffset is the sum of the lines' amounts; never below
	// Footprint.Total.
	TotalOffset footprint.CO2e `json:"totalOffset"`
	// Tier is the offset tier sold, if the offset was sold in tiers.
	Tier *Tier `json:"tier,omitempty"`
	// Beneficiary is the party in whose name the credits were retired
	// (optional).
	Beneficiary string `json:"beneficiary,omitempty"`
	// Signature is set by Sign; it is not part of the canonical bytes.
	Signature *Signature `json:"signature,omitempty"`
}

// Issuer names the certificate's issuer.
type Issuer struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Product identifies one product unit.
type Product struct {
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Serial       string `json:"serial"`
}

// Summary is the part of a footprint a certificate records: enough to
// compare with, and to recompute from, the footprint itself.
type Summary struct {
	// Total is the footprint total.
	Total footprint.CO2e `json:"total"`
	// Low and High bound the total (Low ≤ Total ≤ High).
	Low  footprint.CO2e `json:"low"`
	High footprint.CO2e `json:"high"`
	// Stages are the per-stage totals; they sum exactly to Total.
	Stages []StageTotal `json:"stages"`
	// Dataset names the emission factor dataset used.
	Dataset Dataset `json:"dataset"`
	// InputDigest is the footprint's digest of its inputs (the product
	// specification and options), as the footprint package writes it.
	InputDigest string `json:"inputDigest"`
}

// StageTotal is one life-cycle stage's total.
type StageTotal struct {
	Stage string         `json:"stage"`
	Total footprint.CO2e `json:"total"`
}

// Dataset names an emission factor dataset.
type Dataset struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Line is one offset line: an amount drawn from one project's credits of
// one vintage.
type Line struct {
	// Project is the project's ID in its registry.
	Project string `json:"project"`
	// ProjectName is the project's name (optional).
	ProjectName string `json:"projectName,omitempty"`
	// Standard is the crediting standard (CDM, VCS, Gold Standard, ...).
	Standard string `json:"standard"`
	// Type is the project type (wind, biomass, ...).
	Type string `json:"type"`
	// Country is the host country, ISO 3166-1 alpha-2.
	Country string `json:"country"`
	// Vintage is the credits' vintage year.
	Vintage int `json:"vintage"`
	// Credits are the credit serial numbers drawn from and the grams of
	// CO2e taken from each.
	Credits []Credit `json:"credits"`
	// Amount is the line's total; it equals the sum of Credits' grams.
	Amount footprint.CO2e `json:"amount"`
}

// Credit is a share of one credit (or serial block): its serial number and
// the grams of CO2e this certificate draws from it.
type Credit struct {
	Serial string          `json:"serial"`
	Grams  decimal.Decimal `json:"grams"`
}

// Tier is a fixed offset amount sold as a product (for example "1000 kg").
type Tier struct {
	Name   string         `json:"name"`
	Amount footprint.CO2e `json:"amount"`
}

// Signature is a certificate's signature: the algorithm, the signing key's
// ID (its RFC 7638 JWK thumbprint) and the signature value, base64url
// without padding. The value signs the canonical bytes (Canonical, the
// certificate without this member): Ed25519 over the bytes themselves
// (EdDSA), or ECDSA P-256 over their SHA-256 with the signature as r||s
// (ES256). Alg and KeyID are not signed; they select the key, whose own
// algorithm must be Alg.
type Signature struct {
	Alg   string `json:"alg"`
	KeyID string `json:"kid"`
	Value string `json:"value"`
}

// Algorithms this package signs and verifies.
const (
	EdDSA = "EdDSA" // Ed25519 (RFC 8037)
	ES256 = "ES256" // ECDSA P-256 with SHA-256, signature r||s (RFC 7518)
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// DeriveID returns the ID this package derives from a certificate's
// content: "lc-" and the first 128 bits of the SHA-256 of its canonical
// bytes with ID and signature left empty, in lower-case base32 (26
// characters). The same content gives the same ID.
func DeriveID(c *Certificate) string {
	cc := *c
	cc.ID = ""
	cc.Signature = nil
	sum := sha256.Sum256(cc.appendCanonical(nil, false))
	return "lc-" + idEncoding.EncodeToString(sum[:16])
}

// ShortID returns the first eight characters of the ID after any "lc-"
// prefix, in upper case: the form printed on the badge.
func (c *Certificate) ShortID() string {
	s := strings.TrimPrefix(c.ID, "lc-")
	r := []rune(s)
	if len(r) > 8 {
		r = r[:8]
	}
	return strings.ToUpper(string(r))
}

// maxText bounds every free-text field.
const maxText = 512

// Check validates the certificate's content without its signature: the
// schema version (ErrSchema), required fields and ranges (ErrInvalid, as a
// *footprint.FieldError; a credit serial listed twice in one standard and
// project is one), and internal consistency (ErrInconsistent): each
// line's amount is the sum of its credits' grams, the lines sum to
// TotalOffset, TotalOffset ≥ Footprint.Total, a tier's amount is at least
// the footprint total and at most TotalOffset, the stage totals sum to
// Footprint.Total and Low ≤ Total ≤ High.
func (c *Certificate) Check() error {
	if c.Schema != SchemaV1 {
		return fielderr.New("schema", c.Schema, "must be "+strconv.Quote(SchemaV1), ErrSchema)
	}
	if err := c.checkTexts(); err != nil {
		return err
	}
	if figuresOK(c) {
		return nil
	}
	return checkFigures(c)
}

type textField struct{ field, v string }

// checkTexts checks the required and free-text fields, the issue time,
// the vintages and that there are offset lines and credits.
func (c *Certificate) checkTexts() error {
	required := [...]textField{
		{"id", c.ID}, {"issuer.name", c.Issuer.Name}, {"product.manufacturer", c.Product.Manufacturer},
		{"product.model", c.Product.Model}, {"product.serial", c.Product.Serial},
		{"footprint.dataset.name", c.Footprint.Dataset.Name}, {"footprint.dataset.version", c.Footprint.Dataset.Version},
		{"footprint.inputDigest", c.Footprint.InputDigest},
	}
	for _, t := range required {
		if t.v == "" {
			return fielderr.New(t.field, t.v, "required", ErrInvalid)
		}
		if err := checkText(t.field, t.v); err != nil {
			return err
		}
	}
	if err := checkText("issuer.url", c.Issuer.URL); err != nil {
		return err
	}
	if err := checkText("beneficiary", c.Beneficiary); err != nil {
		return err
	}
	if len(c.ID) > 128 {
		return fielderr.New("id", c.ID, "at most 128 bytes", ErrInvalid)
	}
	if c.IssuedAt.IsZero() {
		return fielderr.New("issuedAt", "", "required", ErrInvalid)
	}
	if y := c.IssuedAt.UTC().Year(); y < 1 || y > 9999 {
		return fielderr.New("issuedAt", c.IssuedAt.String(), "year 1 to 9999", ErrInvalid)
	}
	if d := c.Footprint.InputDigest; !digestOK(d) {
		return fielderr.New("footprint.inputDigest", d, `"sha256:" and 64 lower-case hex digits`, ErrInvalid)
	}
	if n := len(c.Footprint.Stages); n > maxStages {
		// a footprint has four stages; the bound keeps Check linear
		return fielderr.New("footprint.stages", strconv.Itoa(n)+" stages", "at most "+strconv.Itoa(maxStages), ErrInvalid)
	}
	for i, s := range c.Footprint.Stages {
		field := "footprint.stages[" + strconv.Itoa(i) + "].stage"
		if s.Stage == "" {
			return fielderr.New(field, "", "required", ErrInvalid)
		}
		if err := checkText(field, s.Stage); err != nil {
			return err
		}
		for _, t := range c.Footprint.Stages[:i] {
			if t.Stage == s.Stage {
				return fielderr.New(field, s.Stage, "each stage at most once", ErrInvalid)
			}
		}
	}
	if len(c.Offsets) == 0 {
		return fielderr.New("offsets", "", "at least one offset line", ErrInvalid)
	}
	for i := range c.Offsets {
		if err := checkLineTexts(&c.Offsets[i]); err != nil {
			return fielderr.Prefix("offsets["+strconv.Itoa(i)+"]", err)
		}
	}
	if err := c.checkRepeatedCredits(); err != nil {
		return err
	}
	if t := c.Tier; t != nil {
		if t.Name == "" {
			return fielderr.New("tier.name", "", "required", ErrInvalid)
		}
		if err := checkText("tier.name", t.Name); err != nil {
			return err
		}
	}
	return nil
}

// digestOK reports whether d is a footprint's input digest as Calculate
// writes it: "sha256:" and 64 lower-case hex digits.
func digestOK(d string) bool {
	h, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(h) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// checkRepeatedCredits refuses a credit listed twice: the same serial
// (with the same gram range) of the same standard and project, in one
// line or two. Serial formats are the registries', so overlapping ranges
// written differently are the registry's to prevent (offset.Inventory
// refuses them); a repeat of the very same serial is caught here.
func (c *Certificate) checkRepeatedCredits() error {
	type credit struct{ standard, project, serial string }
	n := 0
	for i := range c.Offsets {
		n += len(c.Offsets[i].Credits)
	}
	if n < 2 {
		return nil
	}
	seen := make(map[credit][2]int, n)
	for i := range c.Offsets {
		l := &c.Offsets[i]
		for j, cr := range l.Credits {
			k := credit{l.Standard, l.Project, cr.Serial}
			if at, dup := seen[k]; dup {
				return fielderr.New("offsets["+strconv.Itoa(i)+"].credits["+strconv.Itoa(j)+"].serial", cr.Serial,
					"repeats offsets["+strconv.Itoa(at[0])+"].credits["+strconv.Itoa(at[1])+"]: a credit is counted once", ErrInvalid)
			}
			seen[k] = [2]int{i, j}
		}
	}
	return nil
}

func checkLineTexts(l *Line) error {
	for _, t := range [...]textField{{"project", l.Project}, {"standard", l.Standard}, {"type", l.Type}, {"country", l.Country}} {
		if t.v == "" {
			return fielderr.New(t.field, "", "required", ErrInvalid)
		}
		if err := checkText(t.field, t.v); err != nil {
			return err
		}
	}
	if !geo.IsCountry(l.Country) {
		return fielderr.New("country", l.Country, "an ISO 3166-1 alpha-2 country code", ErrInvalid)
	}
	if err := checkText("projectName", l.ProjectName); err != nil {
		return err
	}
	if l.Vintage < 1 || l.Vintage > 9999 {
		return fielderr.New("vintage", strconv.Itoa(l.Vintage), "a year from 1 to 9999", ErrInvalid)
	}
	if len(l.Credits) == 0 {
		return fielderr.New("credits", "", "at least one credit", ErrInvalid)
	}
	for j, cr := range l.Credits {
		if cr.Serial == "" || !textOK(cr.Serial) {
			// The field name is only built for the error.
			field := "credits[" + strconv.Itoa(j) + "].serial"
			if cr.Serial == "" {
				return fielderr.New(field, "", "required", ErrInvalid)
			}
			return checkText(field, cr.Serial)
		}
	}
	return nil
}

// figuresOK reports true when the figures are certainly consistent,
// computed in int64 micrograms; false means "inconsistent, or not
// representable": checkFigures then decides, and words the error.
func figuresOK(c *Certificate) bool {
	f := &c.Footprint
	total, ok1 := kgFixed((f.Total))
	low, ok2 := kgFixed((f.Low))
	high, ok3 := kgFixed((f.High))
	if !ok1 || !ok2 || !ok3 || low < 0 || low > total || total > high {
		return false
	}
	if len(f.Stages) > 0 {
		var sum int64
		for _, s := range f.Stages {
			v, ok := kgFixed((s.Total))
			if !ok {
				return false
			}
			if sum, ok = addFixed(sum, v); !ok {
				return false
			}
		}
		if sum != total {
			return false
		}
	}
	var offset int64
	for i := range c.Offsets {
		l := &c.Offsets[i]
		amount, ok := kgFixed((l.Amount))
		if !ok || amount <= 0 {
			return false
		}
		var grams int64 // in 1e-9 g
		for _, cr := range l.Credits {
			g, ok := fixed(cr.Grams)
			if !ok || g <= 0 {
				return false
			}
			if grams, ok = addFixed(grams, g); !ok {
				return false
			}
		}
		// amount is in 1e-9 kg = 1e-6 g; grams in 1e-9 g.
		if amount > math.MaxInt64/1000 || amount < math.MinInt64/1000 || grams != amount*1000 {
			return false
		}
		if offset, ok = addFixed(offset, amount); !ok {
			return false
		}
	}
	to, ok := kgFixed((c.TotalOffset))
	if !ok || to != offset || to < total {
		return false
	}
	if t := c.Tier; t != nil {
		ta, ok := kgFixed((t.Amount))
		if !ok || ta < total || ta > to {
			return false
		}
	}
	return true
}

// checkFigures checks the figures in exact decimal arithmetic.
func checkFigures(c *Certificate) error {
	f := &c.Footprint
	if f.Total.Sign() < 0 {
		return fielderr.New("footprint.total", f.Total.String(), "must be ≥ 0", ErrInvalid)
	}
	if f.Low.Sign() < 0 {
		return fielderr.New("footprint.low", f.Low.String(), "must be ≥ 0", ErrInvalid)
	}
	if f.Low.Cmp(f.Total) > 0 || f.Total.Cmp(f.High) > 0 {
		return fielderr.New("footprint", f.Low.String()+" ≤ "+f.Total.String()+" ≤ "+f.High.String(), "low ≤ total ≤ high", ErrInconsistent)
	}
	if len(f.Stages) > 0 {
		var sum footprint.CO2e
		for _, s := range f.Stages {
			sum = sum.Add(s.Total)
		}
		if !sum.Equal(f.Total) {
			return fielderr.New("footprint.stages", sum.String(), "stage totals must sum to the total "+f.Total.String(), ErrInconsistent)
		}
	}
	var total footprint.CO2e
	for i := range c.Offsets {
		if err := checkLineFigures(&c.Offsets[i]); err != nil {
			return fielderr.Prefix("offsets["+strconv.Itoa(i)+"]", err)
		}
		total = total.Add(c.Offsets[i].Amount)
	}
	if !total.Equal(c.TotalOffset) {
		return fielderr.New("totalOffset", c.TotalOffset.String(), "must equal the sum of the lines, "+total.String(), ErrInconsistent)
	}
	if c.TotalOffset.Cmp(f.Total) < 0 {
		return fielderr.New("totalOffset", c.TotalOffset.String(), "must be ≥ the footprint total "+f.Total.String(), ErrInconsistent)
	}
	if t := c.Tier; t != nil {
		if t.Amount.Cmp(f.Total) < 0 {
			return fielderr.New("tier.amount", t.Amount.String(), "must be ≥ the footprint total "+f.Total.String(), ErrInconsistent)
		}
		if t.Amount.Cmp(c.TotalOffset) > 0 {
			return fielderr.New("tier.amount", t.Amount.String(), "must be ≤ the total offset "+c.TotalOffset.String(), ErrInconsistent)
		}
	}
	return nil
}

var thousand = decimal.NewFromInt(1000)

func checkLineFigures(l *Line) error {
	if l.Amount.Sign() <= 0 {
		return fielderr.New("amount", l.Amount.String(), "must be > 0", ErrInvalid)
	}
	var grams decimal.Decimal
	for j, cr := range l.Credits {
		if cr.Grams.Sign() <= 0 {
			return fielderr.New("credits["+strconv.Itoa(j)+"].grams", cr.Grams.String(), "must be > 0", ErrInvalid)
		}
		grams = grams.Add(cr.Grams)
	}
	if !grams.Equal(l.Amount.Kg().Mul(thousand)) {
		return fielderr.New("amount", l.Amount.String(), "must equal the credits' grams, "+grams.String()+" g", ErrInconsistent)
	}
	return nil
}

// maxStages bounds a certificate's footprint stages: a footprint has four
// (manufacture, transport, use, end of life).
const maxStages = 16

// textOK reports whether checkText accepts v.
func textOK(v string) bool { return len(v) <= maxText && validText(v) }

func checkText(field, v string) error {
	if len(v) > maxText {
		return fielderr.New(field, v, "at most 512 bytes", ErrInvalid)
	}
	if !validText(v) {
		return fielderr.New(field, v, "valid UTF-8", ErrInvalid)
	}
	return nil
}
