package certificate

import (
	"crypto"
	"io"
	"strconv"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/shopspring/decimal"
)

// IssueOptions are the parts of a certificate that come from neither the
// footprint nor the plan.
type IssueOptions struct {
	// Issuer is who issues the certificate. Issuer.Name is required.
	Issuer Issuer
	// IssuedAt is the issue time; required (no clock is read). It is
	// stored in UTC.
	IssuedAt time.Time
	// ID is the certificate ID; empty derives one from the content
	// (DeriveID).
	ID string
	// Tier, when the offset was sold as a fixed tier (offset.RoundToTiers),
	// names it ("1000 kg"); its amount is the plan's amount.
	Tier string
	// Beneficiary is the party in whose name the credits are retired
	// (optional).
	Beneficiary string
	// Serial overrides the product serial; empty takes the footprint's
	// serial, or else the plan's.
	Serial string
}

// Validate checks the options on their own, as Build does: Issuer.Name
// and IssuedAt are required, IssuedAt's year is 1 to 9999, ID is at most
// 128 bytes, and every text is valid UTF-8 of at most 512 bytes. The
// error is a *footprint.FieldError wrapping ErrInvalid. A caller that
// reserves something before issuing (lifecarbon.CheckoutRecorded allocates
// credits) validates the options, and the key with CheckSigner, first.
// (Serial, when set, must also be the product serial of the footprint and
// the plan; Build checks that.)
func (o IssueOptions) Validate() error {
	if o.Issuer.Name == "" {
		return fielderr.New("issuer.name", "", "required", ErrInvalid)
	}
	if o.IssuedAt.IsZero() {
		return fielderr.New("issuedAt", "", "required (the library reads no clock)", ErrInvalid)
	}
	if y := o.IssuedAt.UTC().Year(); y < 1 || y > 9999 {
		return fielderr.New("issuedAt", o.IssuedAt.UTC().String(), "year 1 to 9999 (UTC)", ErrInvalid)
	}
	if len(o.ID) > 128 {
		return fielderr.New("id", o.ID, "at most 128 bytes", ErrInvalid)
	}
	for _, t := range [...]textField{
		{"issuer.name", o.Issuer.Name}, {"issuer.url", o.Issuer.URL}, {"id", o.ID},
		{"tier.name", o.Tier}, {"beneficiary", o.Beneficiary}, {"product.serial", o.Serial},
	} {
		if err := checkText(t.field, t.v); err != nil {
			return err
		}
	}
	return nil
}

// Issue builds a certificate from a footprint and the offset plan that
// covers it, and signs it with key (see Sign; rand is for ECDSA keys).
//
// The footprint gives the product (manufacturer, model, serial), the
// summary (total, range, the four stage totals, dataset, input digest).
// The plan gives the offset lines: its lines grouped by project and
// vintage, in the order they first appear, each credit named by its
// registry serial (the sub-block of credits drawn, followed by
// " g[from,to)" when only part of a credit's grams is drawn) with its
// grams; and the total offset, the plan's amount. The plan must have been
// made for this footprint: same serial and a demand equal to the footprint
// total; and each line must agree with itself (offset.Line.Validate: its
// serials and amount are what its grams give), since the certificate names
// the line's serials while an inventory takes its grams (ErrInvalid
// otherwise, on "plan.lines[i].serials" and so on). The result passes
// Check, so the total offset is never below the footprint.
func Issue(fp footprint.Footprint, plan offset.Plan, opts IssueOptions, key crypto.Signer, rand io.Reader) (*Certificate, error) {
	c, err := Build(fp, plan, opts)
	if err != nil {
		return nil, err
	}
	if err := c.Sign(key, rand); err != nil {
		return nil, err
	}
	return c, nil
}

// Build is Issue without the signature: the certificate, checked, with its
// ID set, ready for Sign.
func Build(fp footprint.Footprint, plan offset.Plan, opts IssueOptions) (*Certificate, error) {
	serial := opts.Serial
	if serial == "" {
		serial = fp.Serial
	}
	if serial == "" {
		serial = plan.Serial
	}
	if fp.Serial != "" && fp.Serial != serial {
		// a footprint is one unit's: its digest must not be certified
		// under another unit's serial
		return nil, fielderr.New("serial", serial, "must be the footprint's product serial "+strconv.Quote(fp.Serial), ErrInvalid)
	}
	if plan.Serial != serial {
		return nil, fielderr.New("plan.serial", plan.Serial, "must be the product serial "+strconv.Quote(serial), ErrInvalid)
	}
	if !plan.Demand.Equal(fp.CO2e) {
		return nil, fielderr.New("plan.demand", plan.Demand.String(), "must be the footprint total "+fp.CO2e.String(), ErrInvalid)
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	c := &Certificate{
		Schema:   SchemaV1,
		Issuer:   opts.Issuer,
		Product:  Product{Manufacturer: fp.Manufacturer, Model: fp.Model, Serial: serial},
		IssuedAt: opts.IssuedAt.UTC(),
		Footprint: Summary{
			Total: fp.CO2e, Low: fp.Low, High: fp.High,
			Stages:      make([]StageTotal, 0, len(fp.Stages)),
			Dataset:     Dataset{Name: fp.Dataset.Name, Version: fp.Dataset.Version},
			InputDigest: fp.InputDigest,
		},
		TotalOffset: plan.Amount,
		Beneficiary: opts.Beneficiary,
	}
	for _, s := range fp.Stages {
		c.Footprint.Stages = append(c.Footprint.Stages, StageTotal{Stage: string(s.Name), Total: s.CO2e})
	}
	type key struct {
		project string
		vintage int
	}
	index := map[key]int{}
	for li, pl := range plan.Lines {
		// The credits named are the line's Serials, while an inventory
		// takes its Grams: they must agree, or the certificate would name
		// grams the inventory never took.
		if err := pl.Validate(); err != nil {
			path := "plan.lines[" + strconv.Itoa(li) + "]"
			if fe, ok := err.(*fielderr.Error); ok {
				return nil, fielderr.New(path+"."+fe.Field, fe.Value, fe.Rule, ErrInvalid)
			}
			return nil, fielderr.New(path, "", err.Error(), ErrInvalid)
		}
		k := key{pl.Project, pl.Vintage}
		i, ok := index[k]
		if !ok {
			i = len(c.Offsets)
			index[k] = i
			c.Offsets = append(c.Offsets, Line{
				Project: pl.Project, ProjectName: pl.ProjectName, Standard: string(pl.Standard),
				Type: string(pl.Type), Country: pl.Country, Vintage: pl.Vintage, Credits: []Credit{},
			})
		}
		l := &c.Offsets[i]
		l.Amount = l.Amount.Add(pl.Amount)
		for _, sp := range pl.Serials {
			sub, ok := pl.Block.Sub(sp.First, sp.Last)
			if !ok {
				return nil, fielderr.New("plan.lines["+strconv.Itoa(li)+"].serials", sp.String(), "must lie inside the line's block "+pl.Block.String(), ErrInvalid)
			}
			s := sub.String()
			if !sp.Whole() {
				s += " g[" + strconv.FormatInt(sp.FromGram, 10) + "," + strconv.FormatInt(sp.ToGram, 10) + ")"
			}
			l.Credits = append(l.Credits, Credit{Serial: s, Grams: decimal.NewFromInt(sp.Grams())})
		}
	}
	if opts.Tier != "" {
		c.Tier = &Tier{Name: opts.Tier, Amount: plan.Amount}
	}
	if opts.ID != "" {
		c.ID = opts.ID
	} else {
		c.ID = DeriveID(c)
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return c, nil
}
