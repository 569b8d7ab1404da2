package pact

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
	"github.com/shopspring/decimal"
)

// SpecVersion is the PACT Technical Specifications version of the export.
const SpecVersion = "2.3.0"

// ErrInvalid is wrapped by the errors of Export and Validate.
var ErrInvalid = errors.New("pact: invalid product footprint")

// Places is the number of decimal places of the per-kg figures.
const Places = 6

// Percent is a percentage, 0 to 100, written as a JSON number (PACT v2
// percent fields are numbers) from an exact decimal.
type Percent struct{ decimal.Decimal }

// Pct returns the percentage given as a plain decimal string ("12.5"); it
// panics on anything else ("1e1" included), so use it with constants.
func Pct(s string) Percent {
	d, err := dec.Parse(s)
	if err != nil {
		panic("pact.Pct(" + strconv.Quote(s) + "): " + err.Error())
	}
	return Percent{d}
}

// MarshalJSON writes the decimal as a JSON number.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.Decimal.String()), nil }

// UnmarshalJSON reads a JSON number, or a JSON string holding a number,
// whose text is a plain decimal ("12.5"), like every decimal lifecarbon
// reads: an exponent ("1e1"), NaN, Inf or hex is refused, and the value is
// read from its text, never through a float.
func (p *Percent) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return fielderr.New("", string(b), "must be a JSON number or a JSON string holding a plain decimal", ErrInvalid)
		}
	}
	d, err := dec.Parse(s)
	if err != nil {
		return fielderr.New("", s, "must be a plain decimal number such as 12.5 (digits with an optional sign and point; no exponent, NaN, Inf or hex)", ErrInvalid)
	}
	p.Decimal = d
	return nil
}

// DQI holds the PACT data quality indicators: the coverage of the
// assessment in percent and five data quality ratings from 1 (best) to 3.
type DQI struct {
	CoveragePercent  Percent `json:"coveragePercent"`
	TechnologicalDQR Percent `json:"technologicalDQR"`
	TemporalDQR      Percent `json:"temporalDQR"`
	GeographicalDQR  Percent `json:"geographicalDQR"`
	CompletenessDQR  Percent `json:"completenessDQR"`
	ReliabilityDQR   Percent `json:"reliabilityDQR"`
}

// EmissionFactorDS names a secondary emission factor database and its
// version: the PACT v2.3 EmissionFactorDS of secondaryEmissionFactorSources
// (both non-empty).
type EmissionFactorDS struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// CarbonFootprint is the PACT v2.3 CarbonFootprint ("pcf").
type CarbonFootprint struct {
	DeclaredUnit               string `json:"declaredUnit"`
	UnitaryProductAmount       string `json:"unitaryProductAmount"`
	ProductMassPerDeclaredUnit string `json:"productMassPerDeclaredUnit,omitempty"`
	PCFExcludingBiogenic       string `json:"pCfExcludingBiogenic"`
	// PCFIncludingBiogenic and the four figures and methodology below are
	// O* in v2.3: required for a reference period that includes 2025 or
	// later. Export fills them from Options.Biogenic.
	PCFIncludingBiogenic               string   `json:"pCfIncludingBiogenic,omitempty"`
	DLUCGHGEmissions                   string   `json:"dLucGhgEmissions,omitempty"`
	LandManagementGHGEmissions         string   `json:"landManagementGhgEmissions,omitempty"`
	OtherBiogenicGHGEmissions          string   `json:"otherBiogenicGhgEmissions,omitempty"`
	BiogenicCarbonWithdrawal           string   `json:"biogenicCarbonWithdrawal,omitempty"`
	BiogenicAccountingMethodology      string   `json:"biogenicAccountingMethodology,omitempty"`
	FossilGHGEmissions                 string   `json:"fossilGhgEmissions"`
	FossilCarbonContent                string   `json:"fossilCarbonContent"`
	BiogenicCarbonContent              string   `json:"biogenicCarbonContent"`
	AircraftGHGEmissions               string   `json:"aircraftGhgEmissions,omitempty"`
	CharacterizationFactors            string   `json:"characterizationFactors"`
	IPCCCharacterizationFactorsSources []string `json:"ipccCharacterizationFactorsSources"`
	// CrossSectoralStandardsUsed is the deprecated v2.3 property (long
	// names such as "GHG Protocol Product standard"), still mandatory.
	CrossSectoralStandardsUsed []string `json:"crossSectoralStandardsUsed"`
	// CrossSectoralStandards is the v2.3 property that supersedes it
	// (codes such as "GHGP-Product"), also mandatory.
	CrossSectoralStandards       []string  `json:"crossSectoralStandards"`
	BoundaryProcessesDescription string    `json:"boundaryProcessesDescription"`
	ReferencePeriodStart         time.Time `json:"referencePeriodStart"`
	ReferencePeriodEnd           time.Time `json:"referencePeriodEnd"`
	GeographyRegionOrSubregion   string    `json:"geographyRegionOrSubregion,omitempty"`
	GeographyCountry             string    `json:"geographyCountry,omitempty"`
	GeographyCountrySubdivision  string    `json:"geographyCountrySubdivision,omitempty"`
	// SecondaryEmissionFactorSources lists the secondary databases the
	// figure was computed with; PACT requires it when secondary data was
	// used and requires it absent otherwise.
	SecondaryEmissionFactorSources   []EmissionFactorDS `json:"secondaryEmissionFactorSources,omitempty"`
	ExemptedEmissionsPercent         Percent            `json:"exemptedEmissionsPercent"`
	ExemptedEmissionsDescription     string             `json:"exemptedEmissionsDescription"`
	PackagingEmissionsIncluded       bool               `json:"packagingEmissionsIncluded"`
	PackagingGHGEmissions            string             `json:"packagingGhgEmissions,omitempty"`
	UncertaintyAssessmentDescription string             `json:"uncertaintyAssessmentDescription,omitempty"`
	PrimaryDataShare                 *Percent           `json:"primaryDataShare,omitempty"`
	DQI                              *DQI               `json:"dqi,omitempty"`
}

// ProductFootprint is the PACT v2.3 ProductFootprint.
type ProductFootprint struct {
	ID                 string          `json:"id"`
	SpecVersion        string          `json:"specVersion"`
	Version            int             `json:"version"`
	Created            time.Time       `json:"created"`
	Status             string          `json:"status"`
	CompanyName        string          `json:"companyName"`
	CompanyIDs         []string        `json:"companyIds"`
	ProductDescription string          `json:"productDescription"`
	ProductIDs         []string        `json:"productIds"`
	ProductCategoryCPC string          `json:"productCategoryCpc"`
	ProductNameCompany string          `json:"productNameCompany"`
	Comment            string          `json:"comment"`
	PCF                CarbonFootprint `json:"pcf"`
}

// Biogenic is the reporting company's declaration of the biogenic and
// land-use figures of a PACT v2.3 CarbonFootprint, which lifecarbon does
// not model. Each figure is a plain decimal string ("0.25": no exponent)
// in kg CO2e per declared unit, that is per kg of product, like every
// figure of the export; Export writes it as given (normalized: "0.50" is
// "0.5") and never invents one.
type Biogenic struct {
	// DLUCGHGEmissions is dLucGhgEmissions, the emissions of direct (or
	// else statistical) land use change in the previous 20 years: ≥ 0.
	DLUCGHGEmissions string
	// LandManagementGHGEmissions is landManagementGhgEmissions, the
	// emissions and removals of land management: any sign.
	LandManagementGHGEmissions string
	// OtherBiogenicGHGEmissions is otherBiogenicGhgEmissions, all other
	// biogenic emissions of manufacture and transport: ≥ 0.
	OtherBiogenicGHGEmissions string
	// BiogenicCarbonWithdrawal is biogenicCarbonWithdrawal, the biogenic
	// carbon contained in the product as kg CO2e: ≤ 0.
	BiogenicCarbonWithdrawal string
	// AccountingMethodology is biogenicAccountingMethodology: PEF, ISO
	// (ISO 14067), GHGP (GHG Protocol Land Sector and Removals Guidance)
	// or Quantis.
	AccountingMethodology string
}

// CarbonContent is the reporting company's declaration of the carbon the
// product contains, in kg of carbon (not CO2e) per declared unit, that is
// per kg of product: plain decimal strings ≥ 0. lifecarbon does not model
// it; without a declaration Export writes "0" for both and says in the
// comment that they were not assessed (PACT requires the properties and
// has no way to say "unknown").
type CarbonContent struct {
	// Fossil is fossilCarbonContent (plastics, for instance).
	Fossil string
	// Biogenic is biogenicCarbonContent (paper packaging, wood).
	Biogenic string
}

// Options carries everything a ProductFootprint needs that a footprint does
// not hold. ID, Created, CompanyName, CompanyIDs, ProductIDs,
// ProductCategoryCPC and the reference period are required; for a
// reference period that includes 2025 or later, PrimaryDataShare, DQI and
// Biogenic are required too (PACT v2.3).
type Options struct {
	ID                 string    // UUID version 4 (RFC 9562) of this ProductFootprint
	Created            time.Time // converted to UTC
	Version            int       // 0 to 2147483647 (int32)
	Status             string    // "Active" (default) or "Deprecated"
	CompanyName        string
	CompanyIDs         []string // URNs (RFC 8141), such as "urn:company:example:1"
	ProductIDs         []string // URNs (RFC 8141), such as "urn:gtin:4712345060507"
	ProductCategoryCPC string   // UN CPC 2.1 code, 1 to 5 digits, such as "45230" (portable computers)
	// ProductDescription and ProductNameCompany default to the footprint's
	// manufacturer and model.
	ProductDescription string
	ProductNameCompany string
	// Comment is prepended to the generated comment on the method.
	Comment string
	// ReferencePeriodStart (inclusive) and ReferencePeriodEnd (exclusive).
	ReferencePeriodStart, ReferencePeriodEnd time.Time
	// At most one geography: a UN M49 region name, an assigned ISO 3166-1
	// alpha-2 country (not the user-assigned XK), or an ISO 3166-2
	// subdivision. None means global. Export takes the geography from
	// here alone, never from the footprint.
	GeographyRegionOrSubregion  string
	GeographyCountry            string
	GeographyCountrySubdivision string
	// CrossSectoralStandards defaults to the GHG Protocol Product standard
	// and ISO 14067. Each entry is a long name of the deprecated
	// crossSectoralStandardsUsed ("GHG Protocol Product standard", "ISO
	// Standard 14067", "ISO Standard 14044") or a crossSectoralStandards
	// code: ISO14067, ISO14083, ISO14040-44, GHGP-Product, PEF, PACT-1.0,
	// PACT-2.0 or PACT-3.0 (the spellings of the v2.3 OpenAPI schema and
	// the PACT conformance tool). Export writes both properties through
	// this mapping: GHG Protocol Product standard = GHGP-Product, ISO
	// Standard 14067 = ISO14067, ISO Standard 14044 = ISO14040-44; a code
	// without a long name (ISO14083, PEF, PACT-x.0) appears in
	// crossSectoralStandards only, so at least one entry must have a long
	// name (crossSectoralStandardsUsed is still mandatory). Anything else
	// is refused, as is an entry naming the same standard as another.
	CrossSectoralStandards       []string
	BoundaryProcessesDescription string // default: generated from the footprint
	ExemptedEmissionsPercent     Percent
	ExemptedEmissionsDescription string
	PrimaryDataShare             *Percent
	DQI                          *DQI
	// Biogenic gives dLucGhgEmissions, landManagementGhgEmissions,
	// otherBiogenicGhgEmissions, biogenicCarbonWithdrawal and
	// biogenicAccountingMethodology, as the reporting company declares
	// them; Export computes pCfIncludingBiogenic from them. Required for a
	// reference period that includes 2025 or later, optional before.
	Biogenic *Biogenic
	// CarbonContent gives fossilCarbonContent and biogenicCarbonContent,
	// as the reporting company declares them; without it both are "0"
	// (not assessed, as the comment says).
	CarbonContent *CarbonContent
	// SecondaryEmissionFactorSources lists secondary databases the
	// footprint does not record, such as those behind a declared figure.
	// Export lists them after the dataset layers whose factors the lines
	// inside the gate used.
	SecondaryEmissionFactorSources []EmissionFactorDS
	// DeclaredGWP is the IPCC report (AR4, AR5 or AR6) whose GWPs the
	// declared figure was computed with. A declared figure records no GWP
	// basis, and PACT requires ipccCharacterizationFactorsSources, so
	// Export refuses a footprint with a declared figure inside the gate
	// unless DeclaredGWP says it; it is not consulted otherwise.
	DeclaredGWP footprint.GWP
	// IncludeTransport adds the footprint's transport stage to the
	// declared figure. PACT footprints are cradle to gate: everything up to
	// the reporting company's gate, upstream transport included, use and
	// end of life excluded. By default the gate is the manufacturer's and
	// the figure is the manufacture stage alone (a footprint's legs carry
	// the finished product towards its buyer). A company that receives the
	// product through those legs, such as a retailer declaring what it
	// sells, sets IncludeTransport.
	IncludeTransport bool
}

// perKgString is c ÷ mass in kg per kg, rounded once, half away from zero,
// to Places decimal places (shopspring's DivRound compares the exact
// remainder, so no intermediate rounding can tip a half).
func perKgString(c footprint.CO2e, mass decimal.Decimal) string {
	return c.Kg().DivRound(mass, Places).String()
}

// Export builds a PACT v2.3 ProductFootprint from a footprint and checks it
// with Validate. The footprint's product mass must be > 0.
//
// Every dataset factor is secondary data, so secondaryEmissionFactorSources
// lists the dataset layers (name and version) whose factors the lines
// inside the gate used, then Options.SecondaryEmissionFactorSources; it is
// left out when neither names one (only a declared figure inside the gate,
// say), as PACT requires.
//
// ipccCharacterizationFactorsSources lists the GWP bases of the factors
// inside the gate and, for a declared figure, Options.DeclaredGWP (which
// is then required: a declared figure records none); characterizationFactors
// is the earliest of them, AR4 reported as AR5.
func Export(fp footprint.Footprint, o Options) (ProductFootprint, error) {
	mass := fp.Mass.Kg()
	if mass.Sign() <= 0 {
		return ProductFootprint{}, fielderr.New("mass", fp.Mass.String(), "the product mass must be > 0 to declare per kilogram", ErrInvalid)
	}
	perKg := func(c footprint.CO2e) string { return perKgString(c, mass) }
	var aircraft, packaging, gate, low, high footprint.CO2e
	hasAir, hasPackaging, hasDeclared := false, false, false
	gwps := map[footprint.GWP]bool{}
	layers := map[string]bool{} // the dataset layers the lines in the gate used
	for _, s := range fp.Stages {
		if !inGate(s.Name, o) {
			continue
		}
		gate, low, high = gate.Add(s.CO2e), low.Add(s.Low), high.Add(s.High)
		for _, l := range s.Lines {
			if l.Packaging {
				hasPackaging = true
				packaging = packaging.Add(l.CO2e)
			}
			if l.Factor == nil {
				continue
			}
			if l.Factor.Layer != "" {
				// a dataset factor: secondary data (a declared figure
				// or an explicit intensity names no layer)
				layers[l.Factor.Layer] = true
			}
			if l.Factor.GWP != "" {
				gwps[l.Factor.GWP] = true
			} else {
				// a declared figure: no factor, no GWP basis
				hasDeclared = true
			}
			if strings.HasPrefix(l.Factor.Measure, "freight.air.") && l.Factor.Boundary != footprint.WTT {
				hasAir = true
				aircraft = aircraft.Add(l.CO2e)
			}
		}
	}
	if hasDeclared {
		switch o.DeclaredGWP {
		case footprint.AR4, footprint.AR5, footprint.AR6:
			gwps[o.DeclaredGWP] = true
		case "":
			return ProductFootprint{}, bad("pcf.ipccCharacterizationFactorsSources", "", "a declared figure inside the gate records no GWP basis: set Options.DeclaredGWP to the IPCC report it was computed with (AR4, AR5 or AR6)")
		default:
			return ProductFootprint{}, bad("pcf.ipccCharacterizationFactorsSources", string(o.DeclaredGWP), "Options.DeclaredGWP must be AR4, AR5 or AR6")
		}
	}
	if len(gwps) == 0 {
		return ProductFootprint{}, bad("pcf.ipccCharacterizationFactorsSources", "", "no line inside the gate records a factor, so no GWP basis can be stated")
	}
	var sources []string
	for g := range gwps {
		sources = append(sources, string(g))
	}
	sort.Strings(sources)
	cf := "AR6"
	if gwps[footprint.AR5] || gwps[footprint.AR4] {
		// PACT: with several, state the earliest used; only AR5 and AR6
		// are allowed values, so AR4 factors are reported as AR5
		cf = "AR5"
	}
	status := o.Status
	if status == "" {
		status = "Active"
	}
	desc := o.ProductDescription
	if desc == "" {
		desc = strings.TrimSpace(fp.Manufacturer + " " + fp.Model)
	}
	name := o.ProductNameCompany
	if name == "" {
		name = fp.Model
	}
	used, codes, err := crossSectoral(o.CrossSectoralStandards)
	if err != nil {
		return ProductFootprint{}, err
	}
	comment := method(fp, o)
	if o.Comment != "" {
		comment = o.Comment + " " + comment
	}
	bpd := o.BoundaryProcessesDescription
	if bpd == "" {
		bpd = boundary(fp, o)
	}
	total := perKg(gate)
	pf := ProductFootprint{
		ID:                 o.ID,
		SpecVersion:        SpecVersion,
		Version:            o.Version,
		Created:            o.Created.UTC(),
		Status:             status,
		CompanyName:        o.CompanyName,
		CompanyIDs:         o.CompanyIDs,
		ProductDescription: desc,
		ProductIDs:         o.ProductIDs,
		ProductCategoryCPC: o.ProductCategoryCPC,
		ProductNameCompany: name,
		Comment:            comment,
		PCF: CarbonFootprint{
			DeclaredUnit:                       "kilogram",
			UnitaryProductAmount:               mass.String(),
			ProductMassPerDeclaredUnit:         "1",
			PCFExcludingBiogenic:               total,
			FossilGHGEmissions:                 total,
			FossilCarbonContent:                "0", // or o.CarbonContent's: see below
			BiogenicCarbonContent:              "0",
			CharacterizationFactors:            cf,
			IPCCCharacterizationFactorsSources: sources,
			CrossSectoralStandardsUsed:         used,
			CrossSectoralStandards:             codes,
			BoundaryProcessesDescription:       bpd,
			ReferencePeriodStart:               o.ReferencePeriodStart.UTC(),
			ReferencePeriodEnd:                 o.ReferencePeriodEnd.UTC(),
			GeographyRegionOrSubregion:         o.GeographyRegionOrSubregion,
			GeographyCountry:                   o.GeographyCountry,
			GeographyCountrySubdivision:        o.GeographyCountrySubdivision,
			SecondaryEmissionFactorSources:     secondarySources(fp.Dataset, layers, o.SecondaryEmissionFactorSources),
			ExemptedEmissionsPercent:           o.ExemptedEmissionsPercent,
			ExemptedEmissionsDescription:       o.ExemptedEmissionsDescription,
			PackagingEmissionsIncluded:         hasPackaging,
			UncertaintyAssessmentDescription:   "Interval arithmetic over the emission factors' stated uncertainties: " + low.String() + " to " + high.String() + " per product.",
			PrimaryDataShare:                   o.PrimaryDataShare,
			DQI:                                o.DQI,
		},
	}
	if hasPackaging {
		pf.PCF.PackagingGHGEmissions = perKg(packaging)
	}
	if err := biogenic(&pf.PCF, o); err != nil {
		return ProductFootprint{}, err
	}
	if cc := o.CarbonContent; cc != nil {
		for _, f := range []struct {
			field, option, v string
			out              *string
		}{
			{"pcf.fossilCarbonContent", "Fossil", cc.Fossil, &pf.PCF.FossilCarbonContent},
			{"pcf.biogenicCarbonContent", "Biogenic", cc.Biogenic, &pf.PCF.BiogenicCarbonContent},
		} {
			d, err := dec.Parse(f.v)
			if err != nil || d.Sign() < 0 {
				return ProductFootprint{}, bad(f.field, f.v, "Options.CarbonContent."+f.option+": must be a plain decimal string ≥ 0 (kg of carbon per kg of product, no exponent)")
			}
			*f.out = d.String()
		}
	}
	if hasAir && fp.Method.RadiativeForcing == footprint.RFExcluded {
		pf.PCF.AircraftGHGEmissions = perKg(aircraft)
	}
	if err := pf.Validate(); err != nil {
		return ProductFootprint{}, err
	}
	return pf, nil
}

// biogenic fills the O* biogenic properties of c from o.Biogenic, and
// refuses a reference period that includes 2025 or later without it.
//
// pCfIncludingBiogenic is pCfExcludingBiogenic + dLucGhgEmissions +
// landManagementGhgEmissions + otherBiogenicGhgEmissions +
// biogenicCarbonWithdrawal, exactly (no rounding beyond that of
// pCfExcludingBiogenic). The specification defines pCfIncludingBiogenic
// as the footprint "including all biogenic emissions (CO2 and otherwise)"
// and pCfExcludingBiogenic as excluding biogenic CO2 emissions; here
// pCfExcludingBiogenic holds fossil emissions only (it equals
// fossilGhgEmissions), so each declared biogenic and land-use figure is
// added once. iLucGhgEmissions (optional, O) is not part of it.
func biogenic(c *CarbonFootprint, o Options) error {
	b := o.Biogenic
	if b == nil {
		if c.ReferencePeriodEnd.After(y2025) {
			return bad("pcf.pCfIncludingBiogenic", "", "is required, with dLucGhgEmissions, landManagementGhgEmissions, otherBiogenicGhgEmissions, biogenicCarbonWithdrawal and biogenicAccountingMethodology, for a reference period that includes 2025 or later: lifecarbon does not model biogenic or land-use emissions, so set Options.Biogenic to the figures the reporting company declares")
		}
		return nil
	}
	total, err := decimal.NewFromString(c.PCFExcludingBiogenic)
	if err != nil {
		return bad("pcf.pCfExcludingBiogenic", c.PCFExcludingBiogenic, "must be a decimal string")
	}
	for _, f := range []struct {
		field, option, v string
		sign             int // 1: ≥ 0, -1: ≤ 0, 0: any
		out              *string
	}{
		{"dLucGhgEmissions", "DLUCGHGEmissions", b.DLUCGHGEmissions, 1, &c.DLUCGHGEmissions},
		{"landManagementGhgEmissions", "LandManagementGHGEmissions", b.LandManagementGHGEmissions, 0, &c.LandManagementGHGEmissions},
		{"otherBiogenicGhgEmissions", "OtherBiogenicGHGEmissions", b.OtherBiogenicGHGEmissions, 1, &c.OtherBiogenicGHGEmissions},
		{"biogenicCarbonWithdrawal", "BiogenicCarbonWithdrawal", b.BiogenicCarbonWithdrawal, -1, &c.BiogenicCarbonWithdrawal},
	} {
		rule := "Options.Biogenic." + f.option + ": must be a plain decimal string (kg CO2e per kg of product, no exponent)"
		switch f.sign {
		case 1:
			rule += " ≥ 0"
		case -1:
			rule += " ≤ 0"
		}
		d, err := dec.Parse(f.v)
		if err != nil || d.Sign()*f.sign < 0 {
			return bad("pcf."+f.field, f.v, rule)
		}
		*f.out = d.String()
		total = total.Add(d)
	}
	if !biogenicMethods[b.AccountingMethodology] {
		return bad("pcf.biogenicAccountingMethodology", b.AccountingMethodology, "Options.Biogenic.AccountingMethodology: must be PEF, ISO, GHGP or Quantis")
	}
	c.BiogenicAccountingMethodology = b.AccountingMethodology
	c.PCFIncludingBiogenic = total.String()
	return nil
}

// secondarySources lists the dataset layers named in used (as the lines
// record them, by name), each with its version, top layer first, then
// those of extra not already listed; nil when both are empty. A footprint
// names its dataset by the layers' names and versions joined with
// " over ", top first; when that does not identify each used layer's
// version (the names and the versions split into different counts,
// because one contains " over ", or a used name is not among the parts or
// is given to two layers), the dataset as a whole is listed instead, as
// the footprint names it. One case remains that the split cannot see: a
// layer name and another layer's version that both contain " over ", so
// that the counts still agree.
func secondarySources(ds footprint.DatasetLayer, used map[string]bool, extra []EmissionFactorDS) []EmissionFactorDS {
	var out []EmissionFactorDS
	if len(used) > 0 {
		names := strings.Split(ds.Name, " over ")
		versions := strings.Split(ds.Version, " over ")
		count := map[string]int{}
		for _, n := range names {
			count[n]++
		}
		exact := len(names) == len(versions)
		for n := range used {
			exact = exact && count[n] == 1
		}
		if exact {
			for i, n := range names {
				if used[n] {
					out = append(out, EmissionFactorDS{Name: n, Version: versions[i]})
				}
			}
		} else {
			out = append(out, EmissionFactorDS{Name: ds.Name, Version: ds.Version})
		}
	}
	for _, e := range extra {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// standardCodes lists the values PACT v2.3 allows in crossSectoralStandards,
// in their machine-readable form. The specification's text spells them
// "ISO14067, ISO14083, ISO14040-44, GHGP Product, PEF, PACT Methodology
// $VERSION$, PAS2050", while its OpenAPI schema (openapi.yaml 2.3.1) and
// the official conformance tool (pact-conformance-test-service, v2.3
// schema) enumerate "ISO14067", "ISO14083", "ISO14040-44", "GHGP-Product",
// "PEF", "PACT-1.0", "PACT-2.0", "PACT-3.0" (PAS2050 is in neither enum).
// A receiving system checks the enum, so these are the values written and
// accepted.
var standardCodes = []string{"ISO14067", "ISO14083", "ISO14040-44", "GHGP-Product", "PEF", "PACT-1.0", "PACT-2.0", "PACT-3.0"}

// longNameCodes maps each value of the deprecated crossSectoralStandardsUsed
// to the crossSectoralStandards code of the same standard. ISO 14044 is the
// requirements half of the ISO 14040/14044 pair, which PACT codes together
// as "ISO14040-44".
var longNameCodes = map[string]string{
	"GHG Protocol Product standard": "GHGP-Product",
	"ISO Standard 14067":            "ISO14067",
	"ISO Standard 14044":            "ISO14040-44",
}

// crossSectoral returns the crossSectoralStandardsUsed long names and the
// crossSectoralStandards codes of the Options.CrossSectoralStandards
// entries (long names or codes), in the order given; the default is the
// GHG Protocol Product standard and ISO 14067.
func crossSectoral(entries []string) (used, codes []string, err error) {
	if len(entries) == 0 {
		entries = []string{"GHG Protocol Product standard", "ISO Standard 14067"}
	}
	for i, e := range entries {
		code, long := e, ""
		if c, ok := longNameCodes[e]; ok {
			code, long = c, e
		} else if slices.Contains(standardCodes, e) {
			for l, c := range longNameCodes {
				if c == e {
					long = l
				}
			}
		} else {
			return nil, nil, bad("pcf.crossSectoralStandards["+strconv.Itoa(i)+"]", e, "Options.CrossSectoralStandards: must be a crossSectoralStandardsUsed name (GHG Protocol Product standard, ISO Standard 14067, ISO Standard 14044) or a crossSectoralStandards code ("+strings.Join(standardCodes, ", ")+")")
		}
		if slices.Contains(codes, code) {
			return nil, nil, bad("pcf.crossSectoralStandards["+strconv.Itoa(i)+"]", e, "Options.CrossSectoralStandards: names "+code+" twice")
		}
		codes = append(codes, code)
		if long != "" {
			used = append(used, long)
		}
	}
	if len(used) == 0 {
		return nil, nil, bad("pcf.crossSectoralStandardsUsed", "", "the deprecated property is still mandatory in v2.3: Options.CrossSectoralStandards must include at least one of GHG Protocol Product standard (GHGP-Product), ISO Standard 14067 (ISO14067) or ISO Standard 14044 (ISO14040-44)")
	}
	return used, codes, nil
}

// inGate reports whether a stage is inside the declared cradle-to-gate
// boundary.
func inGate(stage footprint.StageName, o Options) bool {
	return stage == footprint.StageManufacture || (o.IncludeTransport && stage == footprint.StageTransport)
}

func method(fp footprint.Footprint, o Options) string {
	var b strings.Builder
	gate := "manufacture"
	if o.IncludeTransport {
		gate = "manufacture and transport to the reporting company"
	}
	b.WriteString("Computed by lifecarbon: cradle to gate per product (" + gate + "), declared per kg of product for " + fp.Mass.String() + ". ")
	b.WriteString("The whole life cycle (manufacture, transport, use")
	if fp.Method.Lifetime.Sign() > 0 {
		b.WriteString(" over " + fp.Method.Lifetime.String())
		if fp.Method.Country != "" {
			b.WriteString(" in " + fp.Method.Country)
		}
	}
	b.WriteString(", end of life) is " + fp.CO2e.String() + " per product; the stages outside the gate are not in this figure. ")
	b.WriteString("Emission factors: dataset " + fp.Dataset.Name + " " + fp.Dataset.Version + "; freight " + string(fp.Method.Boundary) + ", air radiative forcing " + string(fp.Method.RadiativeForcing) + ". ")
	if o.Biogenic != nil {
		b.WriteString("The biogenic and land-use figures (dLUC, land management, other biogenic emissions, biogenic carbon withdrawal; accounting methodology " + o.Biogenic.AccountingMethodology + ") are the reporting company's declaration, not computed by lifecarbon; ")
	} else {
		b.WriteString("Biogenic and land-use emissions are not assessed (not reported); ")
	}
	if o.CarbonContent != nil {
		b.WriteString("fossil and biogenic carbon contents are the reporting company's declaration. Input digest " + fp.InputDigest + ".")
	} else {
		b.WriteString("fossil and biogenic carbon contents are not assessed (reported as 0). Input digest " + fp.InputDigest + ".")
	}
	return b.String()
}

func boundary(fp footprint.Footprint, o Options) string {
	var in, out []string
	for _, s := range fp.Stages {
		if len(s.Lines) == 0 {
			continue
		}
		part := string(s.Name) + " (" + strconv.Itoa(len(s.Lines)) + " lines, " + s.CO2e.String() + ")"
		if inGate(s.Name, o) {
			in = append(in, part)
		} else {
			out = append(out, part)
		}
	}
	d := "Cradle to gate. Life cycle stages included: " + strings.Join(in, "; ") + "."
	if len(out) > 0 {
		d += " Excluded (after the gate): " + strings.Join(out, "; ") + "."
	}
	return d
}

// urnPchar is RFC 3986's pchar, as RFC 8141 uses it.
const urnPchar = `(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})`

var (
	// a UUID version 4 (RFC 9562): version nibble 4, variant 10xx (8, 9, a, b)
	uuidV4Re = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)
	// a URN (RFC 8141): "urn:", a NID of 2 to 32 letters, digits and
	// hyphens that neither starts nor ends with a hyphen, ":", and a
	// non-empty NSS of pchar (unreserved, pct-encoded, sub-delims, ":" or
	// "@") and "/" that does not start with "/"; then the optional r-, q-
	// and f-components. No space or other character outside that set.
	urnRe = regexp.MustCompile(`^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:` + urnPchar + `(?:` + urnPchar + `|/)*` +
		`(?:\?\+` + urnPchar + `(?:` + urnPchar + `|[/?])*)?(?:\?=` + urnPchar + `(?:` + urnPchar + `|[/?])*)?(?:#(?:` + urnPchar + `|[/?])*)?$`)
	posNonZeroRe    = regexp.MustCompile(`^[+]?((\d*[1-9]\d*)(\.\d+)?|(0+\.\d*[1-9]\d*))$`)
	posOrZeroRe     = regexp.MustCompile(`^[+]?\d+(\.\d+)?$`)
	negOrZeroRe     = regexp.MustCompile(`^(-\d+(\.\d+)?|[+]?0+(\.0+)?)$`)
	decimalRe       = regexp.MustCompile(`^[+-]?\d+(\.\d+)?$`)
	cpcRe           = regexp.MustCompile(`^[0-9]{1,5}$`) // a UN CPC 2.1 code: section to subclass, 1 to 5 digits
	subdivisionRe   = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)
	arRe            = regexp.MustCompile(`^AR\d+$`)
	regions         = map[string]bool{"Africa": true, "Americas": true, "Asia": true, "Europe": true, "Oceania": true, "Australia and New Zealand": true, "Central Asia": true, "Eastern Asia": true, "Eastern Europe": true, "Latin America and the Caribbean": true, "Melanesia": true, "Micronesia": true, "Northern Africa": true, "Northern America": true, "Northern Europe": true, "Polynesia": true, "South-eastern Asia": true, "Southern Asia": true, "Southern Europe": true, "Sub-Saharan Africa": true, "Western Asia": true, "Western Europe": true}
	biogenicMethods = map[string]bool{"PEF": true, "ISO": true, "GHGP": true, "Quantis": true}
	declaredUnits   = map[string]bool{"liter": true, "kilogram": true, "cubic meter": true, "kilowatt hour": true, "megajoule": true, "ton kilometer": true, "square meter": true}
	y2025           = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	hundred         = decimal.NewFromInt(100)
	five            = decimal.NewFromInt(5)
)

// isoAssigned reports whether code is an officially assigned ISO 3166-1
// alpha-2 code, as PACT's geographyCountry requires. The country table
// also holds XK (Kosovo), a user-assigned code that grid data uses but ISO
// 3166-1 does not assign; it has no ISO numeric code.
func isoAssigned(code string) bool {
	c, ok := geo.ByAlpha2(code)
	return ok && c.Numeric != ""
}

func bad(field, value, rule string) error { return fielderr.New(field, value, rule, ErrInvalid) }

// Validate checks a ProductFootprint against the PACT v2.3 data model:
// required fields, formats (UUID v4, URN, date-time, decimal strings), enums,
// geography exclusivity, percent and rating ranges, the form of
// secondaryEmissionFactorSources (absent, or one or more databases each
// with a non-empty name and version), and the rule that a reference period
// including 2025 or later needs every property PACT marks O*:
// pCfIncludingBiogenic, dLucGhgEmissions, landManagementGhgEmissions,
// otherBiogenicGhgEmissions, biogenicCarbonWithdrawal,
// biogenicAccountingMethodology, primaryDataShare and dqi (Validate does
// not recompute pCfIncludingBiogenic: a footprint from elsewhere may count
// iLucGhgEmissions or figures this package does not know). Whether secondary
// data was used is not in a ProductFootprint: Export, which knows, lists
// the sources exactly when it was.
func (pf ProductFootprint) Validate() error {
	switch {
	case !uuidV4Re.MatchString(pf.ID):
		return bad("id", pf.ID, "must be a UUID version 4 (RFC 9562): 8-4-4-4-12 hex digits, the version digit (13th) 4 and the variant digit (17th) 8, 9, a or b")
	case pf.SpecVersion != SpecVersion:
		return bad("specVersion", pf.SpecVersion, "must be "+SpecVersion)
	case pf.Version < 0 || pf.Version > math.MaxInt32:
		return bad("version", strconv.Itoa(pf.Version), "must be 0 to 2147483647 (a non-negative int32)")
	case pf.Created.IsZero():
		return bad("created", "", "is required")
	case pf.Status != "Active" && pf.Status != "Deprecated":
		return bad("status", pf.Status, "must be Active or Deprecated")
	case pf.CompanyName == "":
		return bad("companyName", "", "is required (non-empty)")
	case !cpcRe.MatchString(pf.ProductCategoryCPC):
		return bad("productCategoryCpc", pf.ProductCategoryCPC, "must be a UN CPC 2.1 code: 1 to 5 digits, such as \"45230\"")
	case pf.ProductNameCompany == "":
		return bad("productNameCompany", "", "is required (non-empty)")
	}
	if err := urns("companyIds", pf.CompanyIDs); err != nil {
		return err
	}
	if err := urns("productIds", pf.ProductIDs); err != nil {
		return err
	}
	return fielderr.Prefix("pcf", pf.PCF.validate())
}

func urns(field string, list []string) error {
	if len(list) == 0 {
		return bad(field, "", "needs at least one URN")
	}
	seen := map[string]bool{}
	for i, u := range list {
		if !urnRe.MatchString(u) {
			return bad(field+"["+strconv.Itoa(i)+"]", u, "must be a URN (RFC 8141): urn:, a namespace identifier of 2 to 32 letters, digits and hyphens (not starting or ending with a hyphen), :, and a non-empty namespace-specific string without spaces, such as urn:gtin:4712345060507")
		}
		if seen[u] {
			return bad(field+"["+strconv.Itoa(i)+"]", u, "duplicate")
		}
		seen[u] = true
	}
	return nil
}

func percent(field string, p Percent, max decimal.Decimal) error {
	if p.Sign() < 0 || p.GreaterThan(max) {
		return bad(field, p.String(), "must be between 0 and "+max.String())
	}
	return nil
}

func (c CarbonFootprint) validate() error {
	if !declaredUnits[c.DeclaredUnit] {
		return bad("declaredUnit", c.DeclaredUnit, "must be one of liter, kilogram, cubic meter, kilowatt hour, megajoule, ton kilometer, square meter")
	}
	if !posNonZeroRe.MatchString(c.UnitaryProductAmount) {
		return bad("unitaryProductAmount", c.UnitaryProductAmount, "must be a decimal string > 0")
	}
	if c.ProductMassPerDeclaredUnit != "" && !decimalRe.MatchString(c.ProductMassPerDeclaredUnit) {
		return bad("productMassPerDeclaredUnit", c.ProductMassPerDeclaredUnit, "must be a decimal string")
	}
	for _, f := range []struct{ name, v string }{
		{"pCfExcludingBiogenic", c.PCFExcludingBiogenic},
		{"fossilGhgEmissions", c.FossilGHGEmissions},
		{"fossilCarbonContent", c.FossilCarbonContent},
		{"biogenicCarbonContent", c.BiogenicCarbonContent},
	} {
		if !posOrZeroRe.MatchString(f.v) {
			return bad(f.name, f.v, "must be a decimal string ≥ 0")
		}
	}
	if c.AircraftGHGEmissions != "" && !posOrZeroRe.MatchString(c.AircraftGHGEmissions) {
		return bad("aircraftGhgEmissions", c.AircraftGHGEmissions, "must be a decimal string ≥ 0")
	}
	if c.CharacterizationFactors != "AR5" && c.CharacterizationFactors != "AR6" {
		return bad("characterizationFactors", c.CharacterizationFactors, "must be AR5 or AR6")
	}
	if len(c.IPCCCharacterizationFactorsSources) == 0 {
		return bad("ipccCharacterizationFactorsSources", "", "needs at least one source such as AR6")
	}
	for i, s := range c.IPCCCharacterizationFactorsSources {
		if !arRe.MatchString(s) {
			return bad("ipccCharacterizationFactorsSources["+strconv.Itoa(i)+"]", s, "must look like AR6")
		}
	}
	if len(c.CrossSectoralStandardsUsed) == 0 {
		return bad("crossSectoralStandardsUsed", "", "needs at least one standard")
	}
	for i, s := range c.CrossSectoralStandardsUsed {
		if _, ok := longNameCodes[s]; !ok {
			return bad("crossSectoralStandardsUsed["+strconv.Itoa(i)+"]", s, "must be GHG Protocol Product standard, ISO Standard 14067 or ISO Standard 14044")
		}
		if slices.Index(c.CrossSectoralStandardsUsed, s) < i {
			return bad("crossSectoralStandardsUsed["+strconv.Itoa(i)+"]", s, "duplicate")
		}
	}
	if len(c.CrossSectoralStandards) == 0 {
		return bad("crossSectoralStandards", "", "needs at least one standard such as GHGP-Product")
	}
	for i, s := range c.CrossSectoralStandards {
		if !slices.Contains(standardCodes, s) {
			return bad("crossSectoralStandards["+strconv.Itoa(i)+"]", s, "must be one of "+strings.Join(standardCodes, ", "))
		}
		if slices.Index(c.CrossSectoralStandards, s) < i {
			return bad("crossSectoralStandards["+strconv.Itoa(i)+"]", s, "duplicate")
		}
	}
	if c.BoundaryProcessesDescription == "" {
		return bad("boundaryProcessesDescription", "", "is required")
	}
	switch {
	case c.ReferencePeriodStart.IsZero():
		return bad("referencePeriodStart", "", "is required")
	case c.ReferencePeriodEnd.IsZero():
		return bad("referencePeriodEnd", "", "is required")
	case !c.ReferencePeriodEnd.After(c.ReferencePeriodStart):
		return bad("referencePeriodEnd", c.ReferencePeriodEnd.Format(time.RFC3339), "must be after referencePeriodStart")
	}
	geos := 0
	if c.GeographyRegionOrSubregion != "" {
		geos++
		if !regions[c.GeographyRegionOrSubregion] {
			return bad("geographyRegionOrSubregion", c.GeographyRegionOrSubregion, "must be a UN M49 region or subregion name such as \"Southern Asia\"")
		}
	}
	if c.GeographyCountry != "" {
		geos++
		if !isoAssigned(c.GeographyCountry) {
			return bad("geographyCountry", c.GeographyCountry, "must be an assigned ISO 3166-1 alpha-2 code such as \"IN\" (not a user-assigned one such as \"XK\")")
		}
	}
	if c.GeographyCountrySubdivision != "" {
		geos++
		if !subdivisionRe.MatchString(c.GeographyCountrySubdivision) || !isoAssigned(c.GeographyCountrySubdivision[:2]) {
			return bad("geographyCountrySubdivision", c.GeographyCountrySubdivision, "must be an ISO 3166-2 code such as \"IN-KA\", of an assigned ISO 3166-1 country")
		}
	}
	if geos > 1 {
		return bad("geographyCountry", c.GeographyCountry, "give at most one of geographyRegionOrSubregion, geographyCountry, geographyCountrySubdivision")
	}
	if c.SecondaryEmissionFactorSources != nil && len(c.SecondaryEmissionFactorSources) == 0 {
		return bad("secondaryEmissionFactorSources", "[]", "must be left out when no secondary data was used, or list at least one database")
	}
	for i, ef := range c.SecondaryEmissionFactorSources {
		p := "secondaryEmissionFactorSources[" + strconv.Itoa(i) + "]"
		if ef.Name == "" {
			return bad(p+".name", "", "is required (non-empty): the database's name, such as \"ecoinvent\"")
		}
		if ef.Version == "" {
			return bad(p+".version", "", "is required (non-empty): the database's version, such as \"3.9.1\"")
		}
	}
	if err := percent("exemptedEmissionsPercent", c.ExemptedEmissionsPercent, five); err != nil {
		return err
	}
	if c.PackagingGHGEmissions != "" {
		if !c.PackagingEmissionsIncluded {
			return bad("packagingGhgEmissions", c.PackagingGHGEmissions, "must not be given when packagingEmissionsIncluded is false")
		}
		if !posOrZeroRe.MatchString(c.PackagingGHGEmissions) {
			return bad("packagingGhgEmissions", c.PackagingGHGEmissions, "must be a decimal string ≥ 0")
		}
	}
	if c.PrimaryDataShare != nil {
		if err := percent("primaryDataShare", *c.PrimaryDataShare, hundred); err != nil {
			return err
		}
	}
	if d := c.DQI; d != nil {
		if err := percent("dqi.coveragePercent", d.CoveragePercent, hundred); err != nil {
			return err
		}
		one, three := decimal.NewFromInt(1), decimal.NewFromInt(3)
		for _, r := range []struct {
			name string
			v    Percent
		}{{"technologicalDQR", d.TechnologicalDQR}, {"temporalDQR", d.TemporalDQR}, {"geographicalDQR", d.GeographicalDQR}, {"completenessDQR", d.CompletenessDQR}, {"reliabilityDQR", d.ReliabilityDQR}} {
			if r.v.LessThan(one) || r.v.GreaterThan(three) {
				return bad("dqi."+r.name, r.v.String(), "must be between 1 and 3")
			}
		}
	}
	for _, f := range []struct {
		name, v string
		re      *regexp.Regexp
		rule    string
	}{
		{"pCfIncludingBiogenic", c.PCFIncludingBiogenic, decimalRe, "must be a decimal string"},
		{"dLucGhgEmissions", c.DLUCGHGEmissions, posOrZeroRe, "must be a decimal string ≥ 0"},
		{"landManagementGhgEmissions", c.LandManagementGHGEmissions, decimalRe, "must be a decimal string"},
		{"otherBiogenicGhgEmissions", c.OtherBiogenicGHGEmissions, posOrZeroRe, "must be a decimal string ≥ 0"},
		{"biogenicCarbonWithdrawal", c.BiogenicCarbonWithdrawal, negOrZeroRe, "must be a decimal string ≤ 0"},
	} {
		if f.v != "" && !f.re.MatchString(f.v) {
			return bad(f.name, f.v, f.rule)
		}
	}
	if c.BiogenicAccountingMethodology != "" && !biogenicMethods[c.BiogenicAccountingMethodology] {
		return bad("biogenicAccountingMethodology", c.BiogenicAccountingMethodology, "must be PEF, ISO, GHGP or Quantis")
	}
	if c.ReferencePeriodEnd.After(y2025) {
		// the period includes the beginning of 2025 or later: every O*
		// property is required
		for _, f := range []struct{ name, v string }{
			{"pCfIncludingBiogenic", c.PCFIncludingBiogenic},
			{"dLucGhgEmissions", c.DLUCGHGEmissions},
			{"landManagementGhgEmissions", c.LandManagementGHGEmissions},
			{"otherBiogenicGhgEmissions", c.OtherBiogenicGHGEmissions},
			{"biogenicCarbonWithdrawal", c.BiogenicCarbonWithdrawal},
			{"biogenicAccountingMethodology", c.BiogenicAccountingMethodology},
		} {
			if f.v == "" {
				return bad(f.name, "", "is required for a reference period that includes 2025 or later")
			}
		}
		if c.PrimaryDataShare == nil {
			return bad("primaryDataShare", "", "is required for a reference period that includes 2025 or later")
		}
		if c.DQI == nil {
			return bad("dqi", "", "is required for a reference period that includes 2025 or later")
		}
	} else if c.PrimaryDataShare == nil && c.DQI == nil {
		return bad("primaryDataShare", "", "primaryDataShare or dqi is required")
	}
	return nil
}
