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
//
// Its methods take and return the writer by value (w = w.str(...)): the
// writer then stays in registers instead of being stored and reloaded
// through a pointer at every call.
type cw struct {
	b    []byte
	skip int // 1 at the start of an object: the next member has no comma
}

func (w cw) open() cw { w.b = append(w.b, '{'); w.skip = 1; return w }

func (w cw) close() cw { w.b = append(w.b, '}'); w.skip = 0; return w }

// key writes a member name given as `,"name":`.
func (w cw) key(k string) cw {
	w.b = append(w.b, k[w.skip:]...)
	w.skip = 0
	return w
}

// name writes a member name given bare; it must be one JSON does not
// escape (attribute names are checked tokens: a-z 0-9 . _ -).
func (w cw) name(k string) cw {
	if w.skip == 0 {
		w.b = append(w.b, ',')
	}
	w.skip = 0
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	return w
}

func (w cw) str(k, v string) cw {
	w = w.key(k)
	w.b = jcs.AppendString(w.b, v)
	return w
}

func (w cw) strOpt(k, v string) cw {
	if v != "" {
		w = w.str(k, v)
	}
	return w
}

func (w cw) boolOpt(k string, v bool) cw {
	if v {
		w = w.key(k)
		w.b = append(w.b, "true"...)
	}
	return w
}

func (w cw) dec(k string, d decimal.Decimal) cw {
	w = w.key(k)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, numOf(d))
	w.b = append(w.b, '"')
	return w
}

// decOpt writes a decimal tagged omitzero (decimal.Decimal has IsZero).
func (w cw) decOpt(k string, d decimal.Decimal) cw {
	if !d.IsZero() {
		w = w.dec(k, d)
	}
	return w
}

// unit writes a quantity as "<value> <unit>".
func (w cw) unit(k string, v num, unit string) cw {
	w = w.key(k)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, v)
	w.b = append(w.b, ' ')
	w.b = append(w.b, unit...)
	w.b = append(w.b, '"')
	return w
}

func (w cw) raw(k, s string) cw {
	w = w.key(k)
	w.b = jcs.AppendString(w.b, s)
	return w
}

func (w cw) mass(k string, m Mass) cw {
	if !m.IsZero() {
		w = w.unit(k, numOf(m.v), "kg")
	}
	return w
}

func (w cw) co2e(k string, c CO2e) cw {
	if !c.IsZero() {
		w = w.unit(k, numOf(c.v), "kg CO2e")
	}
	return w
}

func (w cw) distance(k string, d Distance) cw {
	if !d.IsZero() {
		v := numOf(d.v)
		if v.bd != nil {
			w = w.raw(k, d.String())
			return w
		}
		v.exp -= 3
		w = w.unit(k, v, "km")
	}
	return w
}

func (w cw) power(k string, p Power) cw {
	if !p.IsZero() {
		w = w.unit(k, numOf(p.v), "W")
	}
	return w
}

// energy prints like Energy.String: kWh when exact (within 30 places),
// else Wh, else J.
func (w cw) energy(k string, e Energy) cw {
	if e.IsZero() {
		return w
	}
	v := numOf(e.v)
	// J ÷ 3.6e6 = (c ÷ 9) × 25 × 10^(exp−7); exact iff 9 divides c
	if q, ok := v.divSmall(9); ok && int64(q.exp)-7 >= -30 {
		q = q.mul(numInt(25))
		q.exp -= 7
		w = w.unit(k, q, "kWh")
		return w
	}
	w = w.raw(k, e.String())
	return w
}

// duration prints like Duration.String: y when exact, else d, else h.
func (w cw) duration(k string, d Duration) cw {
	if d.IsZero() {
		return w
	}
	v := numOf(d.v)
	// h ÷ 8760 = (c ÷ 219) × 25 × 10^(exp−3)
	if q, ok := v.divSmall(219); ok && int64(q.exp)-3 >= -30 {
		q = q.mul(numInt(25))
		q.exp -= 3
		w = w.unit(k, q, "y")
		return w
	}
	w = w.raw(k, d.String())
	return w
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

func (w cw) uncertainty(k string, u Uncertainty) cw {
	if u == (Uncertainty{}) {
		return w
	}
	w = w.key(k)
	w = w.open()
	w = w.decOpt(`,"high":`, u.High)
	w = w.decOpt(`,"low":`, u.Low)
	w = w.decOpt(`,"relative":`, u.Relative)
	w = w.close()
	return w
}

func (w cw) declared(k string, d *DeclaredFigure) cw {
	if d == nil {
		return w
	}
	w = w.key(k)
	w = w.open()
	w = w.key(`,"amount":`)
	w.b = append(w.b, '"')
	w.b = appendNum(w.b, numOf(d.Amount.v))
	w.b = append(w.b, " kg CO2e\""...)
	w = w.str(`,"source":`, d.Source)
	w = w.uncertainty(`,"uncertainty":`, d.Uncertainty)
	w = w.close()
	return w
}

func (w cw) coords(k string, c *Coordinates) cw {
	if c == nil {
		return w
	}
	w = w.key(k)
	w = w.open()
	w = w.dec(`,"lat":`, c.Lat)
	w = w.dec(`,"lon":`, c.Lon)
	w = w.close()
	return w
}

// appendCanonical appends the canonical input of a normalised spec.
func (n *ProductSpec) appendCanonical(dst []byte, name, version string) []byte {
	return n.appendCanonicalRec(dst, name, version, nil)
}

// appendCanonicalRec is appendCanonical reading the components' attributes
// from sc when they were recorded there (see attrScratch).
func (n *ProductSpec) appendCanonicalRec(dst []byte, name, version string, sc *attrScratch) []byte {
	w := cw{b: dst}
	w = w.open()
	w = w.key(`,"dataset":`)
	w = w.open()
	w = w.str(`,"name":`, name)
	w = w.str(`,"version":`, version)
	w = w.close()
	w = w.key(`,"spec":`)
	w = w.open()
	if e := n.EndOfLife; e != nil {
		w = w.key(`,"endOfLife":`)
		w = w.open()
		w = w.declared(`,"declared":`, e.Declared)
		w = w.mass(`,"mass":`, e.massOpt(n.Mass))
		w = w.boolOpt(`,"perKg":`, e.PerKg)
		w = w.boolOpt(`,"recyclingCredit":`, e.RecyclingCredit)
		w = w.strOpt(`,"region":`, regionOpt(e.Region))
		w = w.close()
	}
	w = w.key(`,"manufacture":`)
	w = w.open()
	if b := n.Manufacture.BOM; b != nil {
		w = w.key(`,"bom":`)
		w = w.open()
		w = w.boolOpt(`,"assembly":`, b.Assembly)
		w = w.key(`,"components":`)
		if b.Components == nil {
			w.b = append(w.b, "null"...)
		} else {
			w.b = append(w.b, '[')
			for i := range b.Components {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				if sc != nil && sc.ok {
					w = w.component(&b.Components[i], sc.of(i), true)
				} else {
					w = w.component(&b.Components[i], nil, false)
				}
			}
			w.b = append(w.b, ']')
		}
		if len(b.Packaging) > 0 {
			w = w.key(`,"packaging":`)
			w.b = append(w.b, '[')
			for i, p := range b.Packaging {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				w = w.open()
				w = w.unit(`,"mass":`, numOf(p.Mass.v), "kg")
				w = w.str(`,"material":`, p.Material)
				w = w.close()
			}
			w.b = append(w.b, ']')
		}
		w = w.strOpt(`,"region":`, regionOpt(b.Region))
		w = w.close()
	}
	w = w.declared(`,"declared":`, n.Manufacture.Declared)
	w = w.close()
	w = w.str(`,"manufacturer":`, n.Manufacturer)
	w = w.unit(`,"mass":`, numOf(n.Mass.v), "kg")
	w = w.str(`,"model":`, n.Model)
	w = w.mass(`,"packagedMass":`, n.PackagedMass)
	w = w.strOpt(`,"serial":`, n.Serial)
	sh := &n.Shipping
	w = w.key(`,"shipping":`)
	w = w.open()
	w = w.strOpt(`,"boundary":`, string(sh.Boundary))
	if len(sh.Legs) > 0 {
		w = w.key(`,"legs":`)
		w.b = append(w.b, '[')
		for i := range sh.Legs {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			l := &sh.Legs[i]
			w = w.open()
			w = w.distance(`,"distance":`, l.Distance)
			w = w.coords(`,"from":`, l.From)
			w = w.strOpt(`,"fromPlace":`, placeCode(l.FromPlace))
			w = w.strOpt(`,"label":`, l.Label)
			w = w.mass(`,"mass":`, l.mass(n.PackagedMass))
			w = w.str(`,"mode":`, string(l.Mode))
			w = w.strOpt(`,"region":`, regionOpt(l.Region))
			w = w.coords(`,"to":`, l.To)
			w = w.strOpt(`,"toPlace":`, placeCode(l.ToPlace))
			w = w.close()
		}
		w.b = append(w.b, ']')
	}
	w = w.strOpt(`,"radiativeForcing":`, string(sh.RadiativeForcing))
	w = w.close()
	w = w.strOpt(`,"sku":`, n.SKU)
	if u := n.Use; u != nil {
		w = w.key(`,"use":`)
		w = w.open()
		w = w.power(`,"averagePower":`, u.AveragePower)
		w = w.strOpt(`,"country":`, u.Country)
		if g := u.Grid; g != nil {
			w = w.key(`,"grid":`)
			w = w.open()
			w = w.dec(`,"kgPerKWh":`, g.KgPerKWh)
			w = w.str(`,"source":`, g.Source)
			w = w.uncertainty(`,"uncertainty":`, g.Uncertainty)
			w = w.close()
		}
		w = w.decOpt(`,"hoursPerDay":`, u.HoursPerDay)
		w = w.duration(`,"lifetime":`, u.lifetime())
		if len(u.Modes) > 0 {
			w = w.key(`,"modes":`)
			w.b = append(w.b, '[')
			for i, m := range u.Modes {
				if i > 0 {
					w.b = append(w.b, ',')
				}
				w = w.open()
				w = w.str(`,"name":`, m.Name)
				w = w.key(`,"power":`)
				w.b = append(w.b, '"')
				w.b = appendNum(w.b, numOf(m.Power.v))
				w.b = append(w.b, " W\""...)
				w = w.dec(`,"share":`, m.Share)
				w = w.close()
			}
			w.b = append(w.b, ']')
		}
		if t := u.Trajectory; t != nil {
			w = w.key(`,"trajectory":`)
			w = w.open()
			if len(t.KgPerKWh) > 0 {
				w = w.key(`,"kgPerKWh":`)
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
			w = w.strOpt(`,"source":`, t.Source)
			w = w.decOpt(`,"yearlyDecline":`, t.YearlyDecline)
			w = w.close()
		}
		w = w.energy(`,"yearlyEnergy":`, u.YearlyEnergy)
		w = w.close()
	}
	w = w.close()
	w = w.close()
	return w.b
}

// attrKV is a component attribute.
type attrKV struct{ k, v string }

// component writes a component; its attributes are rec when recorded, else
// read from its map.
func (w cw) component(c *Component, rec []attr, recorded bool) cw {
	w = w.open()
	if len(c.Attributes) > 0 {
		w = w.key(`,"attributes":`)
		w = w.open()
		if recorded {
			for i := 1; i < len(rec); i++ {
				for j := i; j > 0 && jcs.Less(rec[j].k, rec[j-1].k); j-- {
					rec[j], rec[j-1] = rec[j-1], rec[j]
				}
			}
			for i := range rec {
				w = w.name(rec[i].k)
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
				w = w.name(a.k)
				w.b = jcs.AppendString(w.b, a.v)
			}
		}
		w = w.close()
	}
	w = w.strOpt(`,"kind":`, c.Kind)
	w = w.mass(`,"mass":`, c.Mass)
	w = w.strOpt(`,"material":`, c.Material)
	w = w.strOpt(`,"name":`, c.Name)
	w = w.dec(`,"quantity":`, c.Quantity)
	w = w.close()
	return w
}

// placeCode is a known place's code as the table spells it (codes match
// without regard to case, so "hkg" and "HKG" give the same digest).
func placeCode(code string) string {
	if code == "" {
		return ""
	}
	if p, err := LookupPlace(code); err == nil {
		return p.Code
	}
	return code
}
