package offset

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/lifecarbon/lifecarbon/internal/geo"
)

// Standard names the standard or programme a project's credits are issued
// under. The constants are the common ones; any other non-empty name is
// accepted as given ("Climate Action Reserve", "Puro.earth").
type Standard string

// Well-known standards.
const (
	// StandardCDM is the UN Clean Development Mechanism, whose certified
	// emission reductions the UN Climate Neutral Now platform sells.
	StandardCDM Standard = "CDM"
	// StandardVCS is Verra's Verified Carbon Standard.
	StandardVCS Standard = "VCS"
	// StandardGoldStandard is the Gold Standard for the Global Goals.
	StandardGoldStandard Standard = "Gold Standard"
)

// ProjectType is what a project does. The constants are the common kinds;
// any other lower-case name is accepted as given. Types are compared
// exactly, so a name with an upper-case letter ("Wind") is refused, in a
// project (NewInventory, Project.Resolved) and in a demand's filter alike,
// rather than match nothing.
type ProjectType string

// Common project types.
const (
	TypeBiomass         ProjectType = "biomass"
	TypeWind            ProjectType = "wind"
	TypeSolar           ProjectType = "solar"
	TypeHydro           ProjectType = "hydro"
	TypeWasteToEnergy   ProjectType = "waste-to-energy"
	TypeLandfillMethane ProjectType = "landfill-methane"
	TypeCookstoves      ProjectType = "cookstoves"
	TypeForestry        ProjectType = "forestry"
)

// UnitType says what kind of climate benefit one credit stands for.
type UnitType string

// Unit types.
const (
	// Avoidance: emissions that would have happened are avoided
	// (renewable power displacing grid power, avoided deforestation).
	Avoidance UnitType = "avoidance"
	// Reduction: an existing source emits less (cookstoves, methane
	// capture).
	Reduction UnitType = "reduction"
	// Removal: CO2 is taken out of the atmosphere and stored
	// (reforestation, direct air capture).
	Removal UnitType = "removal"
)

// Hemisphere is "N" (northern) or "S" (southern).
type Hemisphere string

// Hemispheres. A point on the equator counts as northern.
const (
	North Hemisphere = "N"
	South Hemisphere = "S"
)

// Continent codes, as in the country table: AF, AN, AS, EU, NA (with
// Central America and the Caribbean), OC, SA.
const (
	Africa       = geo.Africa
	Antarctica   = geo.Antarctica
	Asia         = geo.Asia
	Europe       = geo.Europe
	NorthAmerica = geo.NorthAmerica
	Oceania      = geo.Oceania
	SouthAmerica = geo.SouthAmerica
)

// AsiaPacific returns the continents a buyer asking for "Asia-Pacific"
// means: Asia and Oceania (a new slice each call).
func AsiaPacific() []string { return []string{Asia, Oceania} }

// Project is a carbon-offset project whose credits the inventory holds.
//
// Continent and Hemisphere are derived when left empty: the continent from
// the country (internal ISO 3166-1 table), the hemisphere from Location
// when given, else from the country's representative point. Set them to
// override (a project in Kenya's south may say "S"). Resolved returns the
// project with both filled. Project is a plain value; copies share the
// Location and the SDGs slice. An Inventory keeps its own copy of both, and
// its Projects and Project return copies, so neither the caller's project
// nor a returned one changes the inventory.
type Project struct {
	// ID is the inventory's unique key for the project.
	ID string `json:"id"`
	// Name is the project's registered name.
	Name string `json:"name"`
	// Standard is the programme issuing its credits.
	Standard Standard `json:"standard"`
	// RegistryURL links to the project's public registry page.
	RegistryURL string `json:"registryUrl,omitempty"`
	// RegistryID is the project's ID at its registry ("1340", "GS11603").
	RegistryID string `json:"registryId,omitempty"`
	// Type is what the project does (wind, biomass, ...).
	Type ProjectType `json:"type"`
	// UnitType is avoidance, reduction or removal.
	UnitType UnitType `json:"unitType"`
	// Country is the host country, ISO 3166-1 alpha-2.
	Country string `json:"country"`
	// Location optionally places the project precisely.
	Location *footprint.Coordinates `json:"location,omitempty"`
	// Continent is a continent code (AS, AF, ...); derived when empty.
	Continent string `json:"continent,omitempty"`
	// Hemisphere is N or S; derived when empty.
	Hemisphere Hemisphere `json:"hemisphere,omitempty"`
	// Methodology names the approved methodology ("ACM0002").
	Methodology string `json:"methodology,omitempty"`
	// SDGs lists the UN Sustainable Development Goals (1–17) the project
	// claims to serve.
	SDGs []int `json:"sdgs,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty"`
}

// lowerCase reports whether s has no upper-case (or title-case) letter, as
// a ProjectType must.
func lowerCase(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsTitle(r) })
}

// clone returns p with its own Location and SDGs.
func (p Project) clone() Project {
	if p.Location != nil {
		loc := *p.Location // decimals are immutable
		p.Location = &loc
	}
	p.SDGs = slices.Clone(p.SDGs)
	return p
}

// maxIDLen bounds identifiers and names.
const maxIDLen = 200

// Resolved validates p and returns it with Continent and Hemisphere
// filled in from the country (or Location) when they were empty. Errors are
// field errors wrapping ErrInvalidProject or ErrUnknownCountry.
func (p Project) Resolved() (Project, error) {
	if err := p.validate(); err != nil {
		return Project{}, err
	}
	c, _ := geo.ByAlpha2(p.Country)
	if p.Continent == "" {
		if c.Continent == "" {
			return Project{}, fielderr.New("continent", "", "is required: the country table has no continent for "+p.Country, ErrUnknownCountry)
		}
		p.Continent = c.Continent
	}
	if p.Hemisphere == "" {
		switch {
		case p.Location != nil && p.Location.Lat.Sign() < 0:
			p.Hemisphere = South
		case p.Location != nil:
			p.Hemisphere = North
		default:
			h := Hemisphere(c.Hemisphere())
			if h == "" {
				return Project{}, fielderr.New("hemisphere", "", "is required: the country table has no point for "+p.Country+" and no location is given", ErrUnknownCountry)
			}
			p.Hemisphere = h
		}
	}
	return p, nil
}

func (p Project) validate() error {
	bad := func(field, value, rule string) error {
		return fielderr.New(field, value, rule, ErrInvalidProject)
	}
	switch {
	case p.ID == "" || len(p.ID) > maxIDLen:
		return bad("id", p.ID, "is required (at most 200 bytes)")
	case p.Name == "" || len(p.Name) > maxIDLen:
		return bad("name", p.Name, "is required (at most 200 bytes)")
	case p.Standard == "" || len(p.Standard) > maxIDLen:
		return bad("standard", string(p.Standard), "is required (CDM, VCS, Gold Standard or another name)")
	case p.Type == "" || len(p.Type) > maxIDLen:
		return bad("type", string(p.Type), "is required (wind, biomass, ...)")
	case !lowerCase(string(p.Type)):
		return bad("type", string(p.Type), "must be a lower-case name (wind, biomass, ...): types are compared exactly")
	}
	switch p.UnitType {
	case Avoidance, Reduction, Removal:
	default:
		return bad("unitType", string(p.UnitType), "must be one of avoidance, reduction, removal")
	}
	if !geo.IsCountry(p.Country) {
		return fielderr.New("country", p.Country, "must be an ISO 3166-1 alpha-2 country code", ErrUnknownCountry)
	}
	if p.RegistryURL != "" {
		u, err := url.Parse(p.RegistryURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bad("registryUrl", p.RegistryURL, "must be an http(s) URL")
		}
	}
	if p.Location != nil {
		if err := p.Location.Validate(); err != nil {
			var fe *fielderr.Error
			if e, ok := err.(*fielderr.Error); ok {
				fe = &fielderr.Error{Field: e.Field, Value: e.Value, Rule: e.Rule, Err: ErrInvalidProject}
				return fielderr.Prefix("location", fe)
			}
			return err
		}
	}
	switch p.Continent {
	case "", Africa, Antarctica, Asia, Europe, NorthAmerica, Oceania, SouthAmerica:
	default:
		return bad("continent", p.Continent, "must be one of AF, AN, AS, EU, NA, OC, SA")
	}
	switch p.Hemisphere {
	case "", North, South:
	default:
		return bad("hemisphere", string(p.Hemisphere), "must be N or S")
	}
	for i, g := range p.SDGs {
		if g < 1 || g > 17 {
			return bad("sdgs["+strconv.Itoa(i)+"]", strconv.Itoa(g), "must be an SDG number from 1 to 17")
		}
	}
	return nil
}
