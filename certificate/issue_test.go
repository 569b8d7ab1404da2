package certificate

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// referenceLaptop computes a footprint (a declared manufacture figure of
// 400 kg, so the total is 400 kg) and matches it in the sample inventory
// to the wind project, sold in 500/1000/1500 kg tiers (400 kg → 500 kg).
func referenceLaptop(t testing.TB) (footprint.Footprint, offset.Plan) {
	spec := footprint.ProductSpec{
		Manufacturer: "Lenovo", Model: "ThinkPad X1 Carbon Gen 9", Serial: "PF-3X7Y2Z",
		Mass: footprint.Kg(decimal.RequireFromString("1.13")),
		Manufacture: footprint.Manufacture{Declared: &footprint.DeclaredFigure{
			Amount: co2("400 kg"), Source: "test figure",
		}},
	}
	fp, err := footprint.Calculate(spec, footprint.DefaultDataset())
	if err != nil {
		t.Fatal(err)
	}
	plan, err := offset.Match(offset.SampleInventory(), offset.Demand{
		Serial: fp.Serial, Amount: fp.CO2e,
		Preferences: offset.Preferences{
			Filter:   offset.Filter{Projects: []string{"sample-in-wind"}},
			Rounding: offset.RoundToTiers(co2("500 kg"), co2("1000 kg"), co2("1500 kg")),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return fp, plan
}

func TestIssue(t *testing.T) {
	fp, plan := referenceLaptop(t)
	at := time.Date(2025, 3, 14, 9, 26, 53, 0, time.FixedZone("IST", 5*3600+1800))
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: at, Tier: "500 kg", Beneficiary: "Customer"}
	c, err := Issue(fp, plan, opts, testKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Verify(VerifyOptions{Keys: testKeys(t)}); err != nil {
		t.Fatal(err)
	}
	// Hand check: footprint 400 kg → tier 500 kg, all from the wind lot.
	if !c.Footprint.Total.Equal(co2("400 kg")) || !c.TotalOffset.Equal(co2("500 kg")) || c.Tier.Amount.String() != "500 kg CO2e" {
		t.Errorf("total %s, offset %s, tier %+v", c.Footprint.Total, c.TotalOffset, c.Tier)
	}
	if c.IssuedAt.Location() != time.UTC || !c.IssuedAt.Equal(at) {
		t.Errorf("issuedAt %v", c.IssuedAt)
	}
	if len(c.Footprint.Stages) != 4 || c.Footprint.InputDigest != fp.InputDigest || c.Product.Serial != "PF-3X7Y2Z" {
		t.Errorf("summary %+v", c.Footprint)
	}
	if len(c.Offsets) != 1 || c.Offsets[0].Project != "sample-in-wind" || c.Offsets[0].Credits[0].Grams.String() != "500000" {
		t.Errorf("offsets %+v", c.Offsets)
	}
	// Same inputs, same bytes.
	d, _ := Issue(fp, plan, opts, testKey(), nil)
	if string(must(d.MarshalJSON())) != string(must(c.MarshalJSON())) {
		t.Error("Issue is not deterministic")
	}

	cases := []struct {
		name   string
		change func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions)
		field  string
	}{
		{"plan for another serial", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { p.Serial = "OTHER" }, "plan.serial"},
		{"plan for another demand", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { p.Demand = co2("300 kg") }, "plan.demand"},
		{"no issue time", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { o.IssuedAt = time.Time{} }, "issuedAt"},
		{"no issuer", func(fp *footprint.Footprint, p *offset.Plan, o *IssueOptions) { o.Issuer.Name = "" }, "issuer.name"},
	}
	for _, tc := range cases {
		fp2, plan2, o := fp, plan, opts
		tc.change(&fp2, &plan2, &o)
		_, err := Issue(fp2, plan2, o, testKey(), nil)
		var fe *footprint.FieldError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: got %v, want ErrInvalid on %s", tc.name, err, tc.field)
		}
	}
}

// Validate refuses what Build would refuse in the options, with the same
// field, before any footprint or plan is involved.
func TestIssueOptionsValidate(t *testing.T) {
	fp, plan := referenceLaptop(t)
	good := IssueOptions{Issuer: Issuer{Name: "Example"}, IssuedAt: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	long := string(make([]byte, 513))
	cases := []struct {
		name   string
		change func(o *IssueOptions)
		field  string
	}{
		{"no issuer", func(o *IssueOptions) { o.Issuer.Name = "" }, "issuer.name"},
		{"no issue time", func(o *IssueOptions) { o.IssuedAt = time.Time{} }, "issuedAt"},
		{"year 10000", func(o *IssueOptions) { o.IssuedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "issuedAt"},
		{"an ID of 129 bytes", func(o *IssueOptions) { o.ID = string(make([]byte, 129)) }, "id"},
		{"a tier name of 513 bytes", func(o *IssueOptions) { o.Tier = long }, "tier.name"},
		{"a beneficiary that is not UTF-8", func(o *IssueOptions) { o.Beneficiary = "\xff" }, "beneficiary"},
		{"an issuer URL of 513 bytes", func(o *IssueOptions) { o.Issuer.URL = long }, "issuer.url"},
	}
	for _, tc := range cases {
		o := good
		tc.change(&o)
		var fe *footprint.FieldError
		err := o.Validate()
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: Validate: %v, want ErrInvalid on %s", tc.name, err, tc.field)
		}
		if _, berr := Build(fp, plan, o); berr == nil || berr.Error() != err.Error() {
			t.Errorf("%s: Build: %v, Validate: %v", tc.name, berr, err)
		}
	}
}

// nilSafeSigner is a signer whose methods never read the receiver, so a
// nil *nilSafeSigner is a working signer (a handle to a remote key, say).
type nilSafeSigner struct{}

var nilSafeKey = ed25519.NewKeyFromSeed(make([]byte, 32))

func (*nilSafeSigner) Public() crypto.PublicKey { return nilSafeKey.Public() }
func (*nilSafeSigner) Sign(r io.Reader, m []byte, o crypto.SignerOpts) ([]byte, error) {
	return nilSafeKey.Sign(r, m, o)
}

// wrappedKey embeds an Ed25519 key, as a caller's signer type might.
type wrappedKey struct{ ed25519.PrivateKey }

// CheckSigner refuses signers Sign cannot use, without panicking, and
// accepts those it can.
func TestCheckSigner(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	short := ed25519.PrivateKey(make([]byte, 10))
	var nilEC *ecdsa.PrivateKey
	var nilSafe *nilSafeSigner
	cases := []struct {
		name string
		key  crypto.Signer
		rand io.Reader
		ok   bool
	}{
		{"Ed25519", testKey(), nil, true},
		{"Ed25519 embedded in a struct", wrappedKey{testKey()}, nil, true},
		{"ECDSA P-256 with a random source", ec, rand.Reader, true},
		{"a nil pointer whose methods work", nilSafe, nil, true},
		{"ECDSA P-256 without a random source", ec, nil, false},
		{"nil", nil, nil, false},
		{"a nil *ecdsa.PrivateKey", nilEC, rand.Reader, false},
		{"a nil ed25519.PrivateKey", ed25519.PrivateKey(nil), nil, false},
		{"a short ed25519.PrivateKey", short, nil, false},
		{"a short Ed25519 key embedded in a struct", wrappedKey{short}, nil, false},
		{"a pointer to a short Ed25519 key", &short, nil, false},
		{"ECDSA P-384", p384, rand.Reader, false},
	}
	for _, tc := range cases {
		err := CheckSigner(tc.key, tc.rand)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrKey)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	fp, plan := referenceLaptop(t)
	opts := IssueOptions{Issuer: Issuer{Name: "Example"}, IssuedAt: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}
	if _, err := Issue(fp, plan, opts, nilSafe, nil); err != nil {
		t.Fatalf("Issue with a nil pointer whose methods work: %v", err)
	}
}

// TestBuildRefusesLinesWhoseSerialsDisagree: a certificate names a plan
// line's serials while an inventory takes the line's grams, so Build
// refuses a line whose serials or amount are not what its grams give: the
// credits it would certify are not the ones the inventory took.
func TestBuildRefusesLinesWhoseSerialsDisagree(t *testing.T) {
	fp, plan := referenceLaptop(t)
	if s := plan.Lines[0].Serials; len(s) != 1 || s[0] != (offset.SerialSpan{First: 200001, Last: 200001, FromGram: 0, ToGram: 500000}) {
		t.Fatalf("serials %v", s)
	}
	opts := IssueOptions{Issuer: Issuer{Name: "Retail"}, IssuedAt: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)}
	if _, err := Build(fp, plan, opts); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(l *offset.Line)
		field  string
	}{
		{"serials moved to other grams", func(l *offset.Line) {
			l.Serials = []offset.SerialSpan{{First: 200001, Last: 200001, FromGram: 500000, ToGram: 1000000}}
		}, "plan.lines[0].serials"},
		{"fewer grams, serials and amount as they were", func(l *offset.Line) { l.Grams.To = 1000 }, "plan.lines[0].serials"},
		{"fewer grams and serials, amount as it was", func(l *offset.Line) {
			l.Grams.To = 1000
			l.Serials = []offset.SerialSpan{{First: 200001, Last: 200001, FromGram: 0, ToGram: 1000}}
		}, "plan.lines[0].amount"},
	}
	for _, tc := range cases {
		p := plan
		p.Lines = append([]offset.Line(nil), plan.Lines...)
		tc.change(&p.Lines[0])
		_, err := Build(fp, p, opts)
		var fe *footprint.FieldError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: got %v, want ErrInvalid on %s", tc.name, err, tc.field)
		}
	}
}
