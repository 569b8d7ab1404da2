package footprint

// The input digest: SHA-256 over the RFC 8785 canonical JSON of the
// normalised spec and the dataset's name and version. canonicalInput and
// jcs.Marshal define the bytes; appendCanonical writes the same bytes
// directly (tests check that they agree on many random specs), so a
// footprint does not pay for reflection and a generic JSON parse.

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"math/bits"
	"sync"

	"github.com/lifecarbon/lifecarbon/internal/jcs"
	"github.com/shopspring/decimal"
)

// canonicalInput is what the input digest covers.
type canonicalInput struct {
	Dataset DatasetLayer `json:"dataset"`
	Spec    ProductSpec  `json:"spec"`
}

// CanonicalJSON returns the bytes the input digest of a footprint covers:
// the RFC 8785 canonical JSON of {"dataset": {"name", "version"}, "spec":
// the normalised spec} (see Normalize), decimals and quantities as JSON
// strings, so the canonical form is exact. Footprint.InputDigest is
// "sha256:" + hex(SHA-256(CanonicalJSON)). ds nil means DefaultDataset().
func (s ProductSpec) CanonicalJSON(ds *Dataset) ([]byte, error) {
	if ds == nil {
		ds = DefaultDataset()
	}
	var n ProductSpec
	if err := s.normalize(&n); err != nil {
		return nil, err
	}
	return n.appendCanonical(nil, ds.Name(), ds.Version()), nil
}

// canonicalReflect is the reference definition of the canonical bytes.
func (n *ProductSpec) canonicalReflect(name, version string) ([]byte, error) {
	return jcs.Marshal(canonicalInput{Dataset: DatasetLayer{Name: name, Version: version}, Spec: *n})
}

// digest returns "sha256:<hex>" of the canonical input of a normalised spec
// (sc: its recorded attributes, or nil).
func (n *ProductSpec) digest(name, version string, sc *attrScratch) string {
	d := digesters.Get().(*digester)
	d.buf = n.appendCanonicalRec(d.buf[:0], name, version, sc)
	d.h.Reset()
	d.h.Write(d.buf)
	var out [7 + 64]byte
	sum := d.h.Sum(d.sum[:0])
	copy(out[:], "sha256:")
	hex.Encode(out[7:], sum)
	if cap(d.buf) <= 1<<16 { // do not keep a huge buffer for ever
		digesters.Put(d)
	}
	return string(out[:])
}

// digester is a SHA-256 state with a buffer for the canonical bytes, reused
// through a pool (per processor, so parallel callers do not share one).
type digester struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

var digesters = sync.Pool{New: func() any { return &digester{h: sha256.New(), buf: make([]byte, 0, 4096)} }}

// cw writes canonical JSON objects whose keys the caller gives in sorted
// order. Member names are passed written out, with the comma that
// separates them from the previous member: `,"name":` (the comma is left
// out for an object's first member). The spec's member names are none that
// JSON escapes.
type cw struct {
	b    []byte
	skip int // 1 at the start of an object: the next member has no comma
}

func (w *cw) open() { w.b = append(w.b, '{'); w.skip = 1 }

func (w *cw) close() { w.b = append(w.b, '}'); w.skip = 0 }

// key writes a member name given as `,"name":`.
func (w *cw) key(k string) {
	w.b = append(w.b, k[w.skip:]...)
	w.skip = 0
}

// name writes a member name given bare; it must be one JSON does not
// escape (attribute names are checked tokens: a-z 0-9 . _ -).
func (w *cw) name(k string) {
	if w.skip == 0 {
		w.b = append(w.b, ',')
	}
	w.skip = 0
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

func (w *cw) str(k, v string) {
	w.key(k)
	w.b = jcs.AppendString(w.b, v)
}

func (w *cw) strOpt(k, v string) {
	if v != "" {
		w.str(k, v)
	}
}

func (w *cw) boolOpt(k string, v bool) {
	if v {
		w.key(k)
		w.b = append(w.b, "true"...)
	}
}

func (w *cw) dec(k string, d decimal.Decimal) {
	w.key(k)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, numOf(d))
	w.b = append(w.b, '"')
}

// decOpt writes a decimal tagged omitzero (decimal.Decimal has IsZero).
func (w *cw) decOpt(k string, d decimal.Decimal) {
	if !d.IsZero() {
		w.dec(k, d)
	}
}

// unit writes a quantity as "<value> <unit>".
func (w *cw) unit(k string, v num, unit string) {
	w.key(k)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, v)
	w.b = append(w.b, ' ')
	w.b = append(w.b, unit...)
	w.b = append(w.b, '"')
}

func (w *cw) raw(k, s string) {
	w.key(k)
	w.b = jcs.AppendString(w.b, s)
}

func (w *cw) mass(k string, m Mass) {
	if !m.IsZero() {
		w.unit(k, numOf(m.v), "kg")
	}
}

func (w *cw) co2e(k string, c CO2e) {
	if !c.IsZero() {
		w.unit(k, numOf(c.v), "kg CO2e")
	}
}

func (w *cw) distance(k string, d Distance) {
	if !d.IsZero() {
		v := numOf(d.v)
		if v.bd != nil {
			w.raw(k, d.String())
			return
		}
		v.exp -= 3
		w.unit(k, v, "km")
	}
}

func (w *cw) power(k string, p Power) {
	if !p.IsZero() {
		w.unit(k, numOf(p.v), "W")
	}
}

// energy prints like Energy.String: kWh when exact (within 30 places),
// else Wh, else J.
func (w *cw) energy(k string, e Energy) {
	if e.IsZero() {
		return
	}
	v := numOf(e.v)
	// J ÷ 3.6e6 = (c ÷ 9) × 25 × 10^(exp−7); exact iff 9 divides c
	if q, ok := v.divSmall(9); ok && int64(q.exp)-7 >= -30 {
		q = q.mul(numInt(25))
		q.exp -= 7
		w.unit(k, q, "kWh")
		return
	}
	w.raw(k, e.String())
}

// duration prints like Duration.String: y when exact, else d, else h.
func (w *cw) duration(k string, d Duration) {
	if d.IsZero() {
		return
	}
	v := numOf(d.v)
	// h ÷ 8760 = (c ÷ 219) × 25 × 10^(exp−3)
	if q, ok := v.divSmall(219); ok && int64(q.exp)-3 >= -30 {
		q = q.mul(numInt(25))
		q.exp -= 3
		w.unit(k, q, "y")
		return
	}
	w.raw(k, d.String())
}

// divSmall divides a small num's coefficient by k when it divides exactly.
func (a num) divSmall(k uint64) (num, bool) {
	if a.bd != nil {
		return num{}, false
	}
	qhi, r := bits.Div64(0, a.hi, k)
	qlo, r := bits.Div64(r, a.lo, k)
	if r != 0 {
		return num{}, false
	}
	return num{hi: qhi, lo: qlo, numSign: numSign{exp: a.exp, neg: a.neg}}, true
}

func (w *cw) uncertainty(k string, u Uncertainty) {
	if u == (Uncertainty{}) {
		return
	}
	w.key(k)
	w.open()
	w.decOpt(`,"high":`, u.High)
	w.decOpt(`,"low":`, u.Low)
	w.decOpt(`,"relative":`, u.Relative)
	w.close()
}

func (w *cw) declared(k string, d *DeclaredFigure) {
	if d == nil {
		return
	}
	w.key(k)
	w.open()
	w.key(`,"amount":`)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, numOf(d.Amount.v))
	w.b = append(w.b, " kg CO2e\""...)
	w.str(`,"source":`, d.Source)
	w.uncertainty(`,"uncertainty":`, d.Uncertainty)
	w.close()
}

func (w *cw) coords(k string, c *Coordinates) {
	if c == nil {
		return
	}
	w.key(k)
	w.open()
	w.dec(`,"lat":`, c.Lat)
	w.dec(`,"lon":`, c.Lon)
	w.close()
}

// appendCanonical appends the canonical input of a normalised spec.
func (n *ProductSpec) appendCanonical(dst []byte, name, version string) []byte {
	return n.appendCanonicalRec(dst, name, version, nil)
}

// appendCanonicalRec is appendCanonical reading the components' attributes
// from sc when they were recorded there (see attrScratch).
func (n *ProductSpec) appendCanonicalRec(dst []byte, name, version string, sc *attrScratch) []byte {
	w := cw{b: dst}
	w.open()
	w.key(`,"dataset":`)
	w.open()
	w.str(`,"name":`, name)
	w.str(`,"version":`, version)
	w.close()
	w.key(`,"spec":`)
	w.open()
	if e := n.EndOfLife; e != nil {
		w.key(`,"endOfLife":`)
		w.open()
		w.declared(`,"declared":`, e.Declared)
		w.mass(`,"mass":`, e.Mass)
		w.boolOpt(`,"perKg":`, e.PerKg)
		w.boolOpt(`,"recyclingCredit":`, e.RecyclingCredit)
		w.strOpt(`,"region":`, e.Region)
		w.close()
	}
	w.key(`,"manufacture":`)
	w.open()
	if b := n.Manufacture.BOM; b != nil {
		w.key(`,"bom":`)
		w.open()
		w.boolOpt(`,"assembly":`, b.Assembly)
		w.key(`,"components":`)
		if b.Components == nil {
			w.b = append(w.b, "null"...)
		} else {
			w.b = append(w.b, '[')
			for i := range b.Components {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				if sc != nil && sc.ok {
					w.component(&b.Components[i], sc.of(i), true)
				} else {
					w.component(&b.Components[i], nil, false)
				}
			}
			w.b = append(w.b, ']')
		}
		if len(b.Packaging) > 0 {
			w.key(`,"packaging":`)
			w.b = append(w.b, '[')
			for i, p := range b.Packaging {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				w.open()
				w.unit(`,"mass":`, numOf(p.Mass.v), "kg")
				w.str(`,"material":`, p.Material)
				w.close()
			}
			w.b = append(w.b, ']')
		}
		w.strOpt(`,"region":`, b.Region)
		w.close()
	}
	w.declared(`,"declared":`, n.Manufacture.Declared)
	w.close()
	w.str(`,"manufacturer":`, n.Manufacturer)
	w.unit(`,"mass":`, numOf(n.Mass.v), "kg")
	w.str(`,"model":`, n.Model)
	w.mass(`,"packagedMass":`, n.PackagedMass)
	w.strOpt(`,"serial":`, n.Serial)
	sh := &n.Shipping
	w.key(`,"shipping":`)
	w.open()
	w.strOpt(`,"boundary":`, string(sh.Boundary))
	if len(sh.Legs) > 0 {
		w.key(`,"legs":`)
		w.b = append(w.b, '[')
		for i := range sh.Legs {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			l := &sh.Legs[i]
			w.open()
			w.distance(`,"distance":`, l.Distance)
			w.coords(`,"from":`, l.From)
			w.strOpt(`,"label":`, l.Label)
			w.mass(`,"mass":`, l.mass(n.PackagedMass))
			w.str(`,"mode":`, string(l.Mode))
			w.strOpt(`,"region":`, l.Region)
			w.coords(`,"to":`, l.To)
			w.close()
		}
		w.b = append(w.b, ']')
	}
	w.strOpt(`,"radiativeForcing":`, string(sh.RadiativeForcing))
	w.close()
	w.strOpt(`,"sku":`, n.SKU)
	if u := n.Use; u != nil {
		w.key(`,"use":`)
		w.open()
		w.power(`,"averagePower":`, u.AveragePower)
		w.strOpt(`,"country":`, u.Country)
		if g := u.Grid; g != nil {
			w.key(`,"grid":`)
			w.open()
			w.dec(`,"kgPerKWh":`, g.KgPerKWh)
			w.str(`,"source":`, g.Source)
			w.uncertainty(`,"uncertainty":`, g.Uncertainty)
			w.close()
		}
		w.decOpt(`,"hoursPerDay":`, u.HoursPerDay)
		w.duration(`,"lifetime":`, u.lifetime())
		if len(u.Modes) > 0 {
			w.key(`,"modes":`)
			w.b = append(w.b, '[')
			for i, m := range u.Modes {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				w.open()
				w.str(`,"name":`, m.Name)
				w.key(`,"power":`)
				w.b = append(w.b, '"')
				w.b = appendNum(w.b, numOf(m.Power.v))
				w.b = append(w.b, " W\""...)
				w.dec(`,"share":`, m.Share)
				w.close()
			}
			w.b = append(w.b, ']')
		}
		if t := u.Trajectory; t != nil {
			w.key(`,"trajectory":`)
			w.open()
			if len(t.KgPerKWh) > 0 {
				w.key(`,"kgPerKWh":`)
				w.b = append(w.b, '[')
				for i, k := range t.KgPerKWh {
					if i > 0 {
						w.b = append(w.b, ',')
					}
					w.b = append(w.b, '"')
					w.b = appendNum(w.b, numOf(k))
					w.b = append(w.b, '"')
				}
				w.b = append(w.b, ']')
			}
			w.strOpt(`,"source":`, t.Source)
			w.decOpt(`,"yearlyDecline":`, t.YearlyDecline)
			w.close()
		}
		w.energy(`,"yearlyEnergy":`, u.YearlyEnergy)
		w.close()
	}
	w.close()
	w.close()
	return w.b
}

// attrKV is a component attribute.
type attrKV struct{ k, v string }

// component writes a component; its attributes are rec when recorded, else
// read from its map.
func (w *cw) component(c *Component, rec []attr, recorded bool) {
	w.open()
	if len(c.Attributes) > 0 {
		w.key(`,"attributes":`)
		w.open()
		if recorded {
			for i := 1; i < len(rec); i++ {
				for j := i; j > 0 && jcs.Less(rec[j].k, rec[j-1].k); j-- {
					rec[j], rec[j-1] = rec[j-1], rec[j]
				}
			}
			for i := range rec {
				w.name(rec[i].k)
				w.b = jcs.AppendString(w.b, rec[i].v)
			}
		} else {
			var buf [4]attrKV // enough for most components (a larger array costs its zeroing)
			kv := buf[:0]
			if len(c.Attributes) > len(buf) {
				kv = make([]attrKV, 0, len(c.Attributes))
			}
			for k, v := range c.Attributes {
				kv = append(kv, attrKV{k, v})
			}
			for i := 1; i < len(kv); i++ {
				for j := i; j > 0 && jcs.Less(kv[j].k, kv[j-1].k); j-- {
					kv[j], kv[j-1] = kv[j-1], kv[j]
				}
			}
			for _, a := range kv {
				w.name(a.k)
				w.b = jcs.AppendString(w.b, a.v)
			}
		}
		w.close()
	}
	w.strOpt(`,"kind":`, c.Kind)
	w.mass(`,"mass":`, c.Mass)
	w.strOpt(`,"material":`, c.Material)
	w.strOpt(`,"name":`, c.Name)
	w.dec(`,"quantity":`, c.Quantity)
	w.close()
}
