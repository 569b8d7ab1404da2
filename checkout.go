package lifecarbon

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
)

// Sale is one product sold with its offset: what Checkout needs besides the
// inventory and the issuer's key. It is a plain value; the checkouts only
// read it, so one Sale may be passed to several at once.
type Sale struct {
	// Product describes the product; Product.Serial names the unit sold
	// and is required.
	Product footprint.ProductSpec
	// Dataset holds the emission factors; nil means
	// footprint.DefaultDataset().
	Dataset *footprint.Dataset
	// Preferences are the buyer's: projects, filters, strategy, rounding.
	// The zero value (cheapest first) needs the lots it allows to share
	// one currency: with the sample inventory, set Currency (see
	// offset.Preferences).
	// The country of use (Product.Use.Country) is the demand's country for
	// the Closest strategy.
	Preferences offset.Preferences
	// Certificate gives the issuer, the issue time and the optional parts
	// of the certificate. When Preferences.Rounding sells tiers and
	// Certificate.Tier is empty, the tier is named after the amount sold
	// ("500 kg"). Certificate.Beneficiary is also the demand's
	// (offset.Demand.Beneficiary): a registry records it with the
	// allocation.
	Certificate certificate.IssueOptions
}

// Receipt is the outcome of Checkout. It is a plain value, safe for
// concurrent reads.
type Receipt struct {
	// Footprint is the product's footprint, exact, line by line.
	Footprint footprint.Footprint
	// Plan is the allocation of credits that covers it.
	Plan offset.Plan
	// Certificate is signed and has passed Verify's consistency checks.
	Certificate *certificate.Certificate
	// Inventory is the inventory after the plan: the next sale matches
	// against it. The inventory passed in is unchanged. (Empty from
	// CheckoutRecorded and CheckoutBatch: the registry holds it.)
	Inventory offset.Inventory
	// Seq is the registry's journal entry that recorded the allocation
	// (CheckoutRecorded and CheckoutBatch; 0 from Checkout). A retry gets
	// the same Seq; a unit returned and sold again gets a new one, so Seq
	// with the serial keys a certificate store by allocation.
	Seq uint64
}

// Checkout runs the point-of-purchase flow for one sale: it computes the
// product's footprint, matches it against inv under the buyer's preferences
// (the amount sold is the footprint rounded up by Preferences.Rounding) and
// issues a certificate signed with key (rand is for ECDSA keys; Ed25519
// ignores it).
//
// Checkout is a pure function of its arguments: inv is not modified, and
// Receipt.Inventory is what remains. A backend serving many checkouts at
// once must serialise the step from one inventory to the next, or use
// CheckoutRecorded, which keeps the allocations in a registry; Checkout
// does not store anything. Errors come from the step that failed, wrapped
// with its name ("footprint: ...", "offset: ...", "certificate: ..."), and
// keep their sentinels for errors.Is.
func Checkout(inv offset.Inventory, sale Sale, key crypto.Signer, rand io.Reader) (Receipt, error) {
	fp, d, err := demand(sale, key, rand)
	if err != nil {
		return Receipt{}, err
	}
	plan, err := offset.Match(inv, d)
	if err != nil {
		return Receipt{}, stepErr("offset", err)
	}
	after, err := inv.After(plan)
	if err != nil {
		return Receipt{}, stepErr("offset", err)
	}
	c, err := issue(fp, plan, d.Beneficiary, sale, key, rand)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Footprint: fp, Plan: plan, Certificate: c, Inventory: after}, nil
}

// CheckoutRecorded runs Checkout's flow with the allocation recorded in
// reg, the book of record, instead of on an inventory value: the footprint
// is computed, reg.Allocate covers it and journals the plan, and the
// certificate is issued for that plan. Receipt.Inventory is left empty
// (reg holds the inventory; see Registry.Inventory). It is safe to call
// from many goroutines at once on one registry.
//
// A retried checkout is safe: Allocate is idempotent per serial, so the
// same sale again gets the same allocation, not a second one, and a
// certificate for it (the same certificate when the sale's IssuedAt is the
// same); a different sale for a serial that holds one fails with
// registry.ErrAllocated. The certificate's beneficiary
// (Sale.Certificate.Beneficiary) is part of the demand recorded: the
// serial sold again for another beneficiary, or for none, is a different
// sale and fails with registry.ErrAllocated, so that no two parties hold
// certificates for the same credits; the certificate names the beneficiary
// the allocation was recorded for. (A sale recorded before demands carried
// the beneficiary, retried with one, is such a different sale: see the
// registry package's Guarantees.) The signer and the certificate options
// are checked before anything is allocated (certificate.CheckSigner with
// rand, IssueOptions.Validate, and Certificate.Serial, when set, must be
// the product's); if issuing still fails after the allocation is recorded,
// the allocation stays: when the signer failed to sign, call again to
// issue it; when the plan names so many credits that its signed
// certificate would be larger than certificate.MaxSize (an error wrapping
// certificate.ErrTooLarge; thousands of lots in one plan), no retry will
// issue it: reg.Release the serial, and sell it with preferences that name
// fewer lots. (It is not released here: the same serial may hold an
// allocation that another call, with other certificate options, has
// already certified.)
//
// A certificate's ID derives from its content. After a return (Release,
// the certificate's ID on the revocation list), sell the serial again with
// a later IssuedAt: the same sale at the same IssuedAt may be allocated the
// same grams again and then gets the revoked certificate, ID and all.
// Errors are wrapped with the step's name ("footprint:",
// "registry:", "certificate:"), and keep their sentinels for errors.Is.
func CheckoutRecorded(ctx context.Context, reg *registry.Registry, sale Sale, key crypto.Signer, rand io.Reader) (Receipt, error) {
	if reg == nil {
		return Receipt{}, errors.New("registry: CheckoutRecorded: nil Registry")
	}
	fp, d, err := demand(sale, key, rand)
	if err != nil {
		return Receipt{}, err
	}
	a, err := reg.Allocate(ctx, d) // its errors read "registry: ..."
	if err != nil {
		return Receipt{}, err
	}
	c, err := issue(fp, a.Plan, a.Demand.Beneficiary, sale, key, rand)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Footprint: fp, Plan: a.Plan, Certificate: c, Seq: a.Seq}, nil
}

// demand checks the sale and the signer, computes the product's footprint
// and returns it with the demand that asks to cover it. What could stop
// the certificate apart from the plan and the act of signing is checked
// here, before any credit is allocated.
func demand(sale Sale, key crypto.Signer, rand io.Reader) (footprint.Footprint, offset.Demand, error) {
	if err := certificate.CheckSigner(key, rand); err != nil {
		return footprint.Footprint{}, offset.Demand{}, stepErr("certificate", err)
	}
	return saleDemand(sale)
}

// saleDemand is demand without the signer check (CheckoutBatch checks the
// signer once).
func saleDemand(sale Sale) (footprint.Footprint, offset.Demand, error) {
	if sale.Product.Serial == "" {
		return footprint.Footprint{}, offset.Demand{}, fmt.Errorf("footprint: %w", &footprint.FieldError{
			Field: "serial", Value: "", Rule: "required: a certificate names one unit sold",
			Err: footprint.ErrInvalidProduct,
		})
	}
	ds := sale.Dataset
	if ds == nil {
		ds = footprint.DefaultDataset()
	}
	fp, err := footprint.Calculate(sale.Product, ds)
	if err != nil {
		return footprint.Footprint{}, offset.Demand{}, fmt.Errorf("footprint: %w", err)
	}
	if err := sale.Certificate.Validate(); err != nil {
		return footprint.Footprint{}, offset.Demand{}, stepErr("certificate", err)
	}
	if s := sale.Certificate.Serial; s != "" && s != sale.Product.Serial {
		return footprint.Footprint{}, offset.Demand{}, stepErr("certificate", &footprint.FieldError{
			Field: "serial", Value: s, Rule: "must be the product serial " + strconv.Quote(sale.Product.Serial) + " (or empty)",
			Err: certificate.ErrInvalid,
		})
	}
	// The beneficiary is part of the demand, so that a registry records
	// it with the allocation: the serial's credits are then claimed for
	// one party only (a sale for another is another demand).
	d := offset.Demand{Serial: fp.Serial, Amount: fp.CO2e, Beneficiary: sale.Certificate.Beneficiary, Preferences: sale.Preferences}
	if sale.Product.Use != nil {
		d.Country = sale.Product.Use.Country
	}
	return fp, d, nil
}

// stepErr names the step (the package) in err, once: the packages' own
// errors often start with their name already ("offset: preferences cannot
// be met ...", "certificate: signing: ..."), their field errors do not.
func stepErr(step string, err error) error {
	if strings.HasPrefix(err.Error(), step+": ") {
		return err
	}
	return fmt.Errorf("%s: %w", step, err)
}

// issue issues the certificate for fp covered by plan, allocated for
// beneficiary: the beneficiary of the demand recorded, which the
// certificate names (a registry allocates a serial for one beneficiary,
// the sale's).
func issue(fp footprint.Footprint, plan offset.Plan, beneficiary string, sale Sale, key crypto.Signer, rand io.Reader) (*certificate.Certificate, error) {
	opts := sale.Certificate
	opts.Beneficiary = beneficiary
	if opts.Tier == "" && len(sale.Preferences.Rounding.Tiers) > 0 {
		opts.Tier = plan.Amount.Kg().String() + " kg"
	}
	c, err := certificate.Issue(fp, plan, opts, key, rand)
	if err != nil {
		return nil, stepErr("certificate", err)
	}
	return c, nil
}
