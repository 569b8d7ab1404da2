// Package session is a notebook session on lifecarbon: the calls a data
// scientist makes from gophernotes, written as one function. The test runs
// this very file in an interpreter (yaegi) and compares what it returns
// with the compiled package's result, so every call here must work from
// interpreted code: no exported generics, no range over functions.
package session

import (
	"context"
	"crypto/ed25519"
	"time"

	"github.com/lifecarbon/lifecarbon"
	"github.com/lifecarbon/lifecarbon/certificate"
	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/offset"
	"github.com/lifecarbon/lifecarbon/registry"
	"github.com/shopspring/decimal"
)

// Run quantifies, computes, matches, records and certifies as a notebook
// would, and returns what it printed, by name.
func Run() (map[string]string, error) {
	out := map[string]string{}
	q, err := footprint.ParseEnergy("12.5 kWh")
	if err != nil {
		return nil, err
	}
	out["energy"] = q.String()

	laptop := footprint.ReferenceLaptop()
	laptop.Serial = "PF-NB-1"
	fp, err := footprint.Calculate(laptop, nil)
	if err != nil {
		return nil, err
	}
	out["total"] = fp.CO2e.String()
	out["table"] = fp.Table()

	r, err := footprint.DefaultDataset().Lookup(footprint.Query{Measure: "electricity.grid", Region: "IN"})
	if err != nil {
		return nil, err
	}
	out["grid"] = r.Factor.Amount.String()

	res := footprint.CalculateBatch([]footprint.ProductSpec{laptop, laptop}, nil)
	out["batch"] = res[1].Footprint.CO2e.String()

	demand := offset.Demand{Serial: "PF-NB-1", Amount: fp.CO2e, Preferences: offset.Preferences{Currency: "USD"}}
	plan, err := offset.Match(offset.SampleInventory(), demand)
	if err != nil {
		return nil, err
	}
	out["plan"] = plan.String()

	ctx := context.Background()
	reg, err := registry.Open(ctx, registry.NewMemStore(), registry.Options{})
	if err != nil {
		return nil, err
	}
	if err := reg.AddStock(ctx, offset.SampleProjects(), offset.SampleLots()); err != nil {
		return nil, err
	}
	a, err := reg.Allocate(ctx, demand)
	if err != nil {
		return nil, err
	}
	key := ed25519.NewKeyFromSeed([]byte("notebook-key-seed-32-bytes-long!"))
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	c, err := certificate.Issue(fp, a.Plan, certificate.IssueOptions{Issuer: certificate.Issuer{Name: "Notebook"}, IssuedAt: at}, key, nil)
	if err != nil {
		return nil, err
	}
	keys, err := certificate.NewKeySet([]certificate.Key{{Public: key.Public()}})
	if err != nil {
		return nil, err
	}
	if err := c.Verify(certificate.VerifyOptions{Keys: keys}); err != nil {
		return nil, err
	}
	js, err := c.MarshalJSON()
	if err != nil {
		return nil, err
	}
	out["certificate"] = string(js)

	laptop.Serial = "PF-NB-2"
	rc, err := lifecarbon.Checkout(offset.SampleInventory(), lifecarbon.Sale{
		Product:     laptop,
		Preferences: offset.Preferences{Currency: "USD", Rounding: offset.RoundToStep(footprint.KgCO2e(decimal.NewFromInt(1)))},
		Certificate: certificate.IssueOptions{Issuer: certificate.Issuer{Name: "Notebook"}, IssuedAt: at},
	}, key, nil)
	if err != nil {
		return nil, err
	}
	out["checkout"] = rc.Plan.String()
	return out, nil
}
