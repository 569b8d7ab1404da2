package pact_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifecarbon/lifecarbon/footprint"
	"github.com/lifecarbon/lifecarbon/footprint/pact"
)

func options() pact.Options {
	share := pact.Pct("0")
	return pact.Options{
		ID:                   "f4b1225a-bd44-4c8e-861d-079e4e1dfd69",
		Created:              time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		CompanyName:          "Example Computers",
		CompanyIDs:           []string{"urn:company:example:computers"},
		ProductIDs:           []string{"urn:example:sku:REF-14-16-512"},
		ProductCategoryCPC:   "45230",
		ReferencePeriodStart: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		ReferencePeriodEnd:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		GeographyCountry:     "IN",
		PrimaryDataShare:     &share,
		DQI: &pact.DQI{CoveragePercent: pact.Pct("100"), TechnologicalDQR: pact.Pct("2"), TemporalDQR: pact.Pct("2"),
			GeographicalDQR: pact.Pct("2.5"), CompletenessDQR: pact.Pct("2"), ReliabilityDQR: pact.Pct("3")},
		// the test company's declaration, not a finding of lifecarbon
		Biogenic: &pact.Biogenic{DLUCGHGEmissions: "0", LandManagementGHGEmissions: "0", OtherBiogenicGHGEmissions: "0",
			BiogenicCarbonWithdrawal: "0", AccountingMethodology: "ISO"},
	}
}

func reference(t testing.TB) footprint.Footprint {
	fp, err := footprint.Calculate(footprint.ReferenceLaptop(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// required lists the v2.3 required properties: the required lists of
// openapi.yaml 2.3.1 (wbcsd/data-exchange-protocol, spec/v2), plus the
// properties the specification's text marks M that those lists omit
// (crossSectoralStandards).
var (
	requiredPF  = []string{"id", "specVersion", "version", "created", "status", "comment", "companyName", "companyIds", "productDescription", "productIds", "productCategoryCpc", "productNameCompany", "pcf"}
	requiredPCF = []string{"declaredUnit", "unitaryProductAmount", "referencePeriodStart", "referencePeriodEnd", "pCfExcludingBiogenic", "fossilGhgEmissions", "fossilCarbonContent", "biogenicCarbonContent", "characterizationFactors", "ipccCharacterizationFactorsSources", "crossSectoralStandardsUsed", "boundaryProcessesDescription", "exemptedEmissionsPercent", "exemptedEmissionsDescription", "packagingEmissionsIncluded",
		"crossSectoralStandards"}
	// requiredPCF2025 lists the properties the specification marks O*,
	// required for a reference period that includes 2025 or later.
	requiredPCF2025 = []string{"pCfIncludingBiogenic", "dLucGhgEmissions", "landManagementGhgEmissions", "otherBiogenicGhgEmissions", "biogenicCarbonWithdrawal", "biogenicAccountingMethodology", "primaryDataShare", "dqi"}
	decimalStr      = regexp.MustCompile(`^[+-]?\d+(\.\d+)?$`)
)

func TestExportFollowsV23(t *testing.T) {
	fp := reference(t)
	pf, err := pact.Export(fp, options())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(pf)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range requiredPF {
		if _, ok := m[k]; !ok {
			t.Errorf("missing required %s", k)
		}
	}
	pcf := m["pcf"].(map[string]any)
	for _, k := range append(requiredPCF, requiredPCF2025...) {
		if _, ok := pcf[k]; !ok {
			t.Errorf("missing required pcf.%s", k)
		}
	}
	// decimals are strings, percents are numbers
	for _, k := range []string{"unitaryProductAmount", "pCfExcludingBiogenic", "fossilGhgEmissions", "fossilCarbonContent", "biogenicCarbonContent", "productMassPerDeclaredUnit"} {
		s, ok := pcf[k].(string)
		if !ok || !decimalStr.MatchString(s) {
			t.Errorf("pcf.%s = %#v, want a decimal string", k, pcf[k])
		}
	}
	for _, k := range []string{"exemptedEmissionsPercent", "primaryDataShare"} {
		if _, ok := pcf[k].(float64); !ok {
			t.Errorf("pcf.%s = %#v, want a JSON number", k, pcf[k])
		}
	}
	if _, ok := pcf["dqi"].(map[string]any)["coveragePercent"].(float64); !ok {
		t.Error("dqi.coveragePercent must be a number")
	}
	if pcf["declaredUnit"] != "kilogram" || pcf["unitaryProductAmount"] != "1.4" || pcf["productMassPerDeclaredUnit"] != "1" {
		t.Errorf("declared unit: %v %v %v", pcf["declaredUnit"], pcf["unitaryProductAmount"], pcf["productMassPerDeclaredUnit"])
	}
	// Cradle to gate, per kg: the manufacture stage (worked out by hand in
	// footprint's TestReferenceLaptopByHand) ÷ 1.4 kg:
	// 183.8807977069911343211076026232704 ÷ 1.4 = 131.3434269335650959…,
	// rounded half away from zero to 6 places. Use (63.9 kg) and end of
	// life (2.1 kg) are after the gate; transport is not asked for.
	if pcf["pCfExcludingBiogenic"] != "131.343427" || pcf["fossilGhgEmissions"] != "131.343427" {
		t.Errorf("pCfExcludingBiogenic = %v, fossilGhgEmissions = %v, want 131.343427", pcf["pCfExcludingBiogenic"], pcf["fossilGhgEmissions"])
	}
	if _, ok := pcf["aircraftGhgEmissions"]; ok {
		t.Error("aircraftGhgEmissions reported although transport is outside the gate")
	}
	if bpd := pcf["boundaryProcessesDescription"].(string); !strings.Contains(bpd, "Cradle to gate") || !strings.Contains(bpd, "Excluded (after the gate): transport") {
		t.Errorf("boundaryProcessesDescription = %q", bpd)
	}
	if m["specVersion"] != "2.3.0" || m["created"] != "2026-03-01T12:00:00Z" {
		t.Errorf("specVersion %v created %v", m["specVersion"], m["created"])
	}
	// the default dataset's factors are AR5 and AR6: the earliest is declared
	if pcf["characterizationFactors"] != "AR5" {
		t.Errorf("characterizationFactors = %v", pcf["characterizationFactors"])
	}
	// deterministic
	pf2, _ := pact.Export(fp, options())
	b2, _ := json.Marshal(pf2)
	if string(b) != string(b2) {
		t.Error("export is not deterministic")
	}
}

func TestExportRules(t *testing.T) {
	fp := reference(t)
	cases := []struct {
		name, field string
		mod         func(o *pact.Options)
	}{
		{"two geographies", "pcf.geographyCountry", func(o *pact.Options) { o.GeographyRegionOrSubregion = "Southern Asia" }},
		{"bad country", "pcf.geographyCountry", func(o *pact.Options) { o.GeographyCountry = "IND" }},
		{"unassigned country code", "pcf.geographyCountry", func(o *pact.Options) { o.GeographyCountry = "XX" }},
		{"unassigned country in a subdivision", "pcf.geographyCountrySubdivision", func(o *pact.Options) { o.GeographyCountrySubdivision = "XX-KA" }},
		{"user-assigned country code", "pcf.geographyCountry", func(o *pact.Options) { o.GeographyCountry = "XK" }},
		{"user-assigned country in a subdivision", "pcf.geographyCountrySubdivision", func(o *pact.Options) { o.GeographyCountry = ""; o.GeographyCountrySubdivision = "XK-01" }},
		{"bad region", "pcf.geographyRegionOrSubregion", func(o *pact.Options) { o.GeographyCountry = ""; o.GeographyRegionOrSubregion = "Mars" }},
		{"primary data share above 100", "pcf.primaryDataShare", func(o *pact.Options) { p := pact.Pct("100.5"); o.PrimaryDataShare = &p }},
		{"exempted above 5", "pcf.exemptedEmissionsPercent", func(o *pact.Options) { o.ExemptedEmissionsPercent = pact.Pct("6") }},
		{"DQR above 3", "pcf.dqi.reliabilityDQR", func(o *pact.Options) { d := *o.DQI; d.ReliabilityDQR = pact.Pct("3.5"); o.DQI = &d }},
		{"coverage negative", "pcf.dqi.coveragePercent", func(o *pact.Options) { d := *o.DQI; d.CoveragePercent = pact.Pct("-1"); o.DQI = &d }},
		{"2025 period without primaryDataShare", "pcf.primaryDataShare", func(o *pact.Options) { o.PrimaryDataShare = nil }},
		{"2025 period without dqi", "pcf.dqi", func(o *pact.Options) { o.DQI = nil }},
		{"2025 period without biogenic figures", "pcf.pCfIncludingBiogenic", func(o *pact.Options) { o.Biogenic = nil }},
		{"period from 2024 into 2025 without biogenic figures", "pcf.pCfIncludingBiogenic", func(o *pact.Options) {
			o.ReferencePeriodStart = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
			o.ReferencePeriodEnd = time.Date(2025, 1, 1, 0, 0, 1, 0, time.UTC)
			o.Biogenic = nil
		}},
		{"negative dLUC", "pcf.dLucGhgEmissions", func(o *pact.Options) { b := *o.Biogenic; b.DLUCGHGEmissions = "-0.1"; o.Biogenic = &b }},
		{"missing dLUC", "pcf.dLucGhgEmissions", func(o *pact.Options) { b := *o.Biogenic; b.DLUCGHGEmissions = ""; o.Biogenic = &b }},
		{"land management with an exponent", "pcf.landManagementGhgEmissions", func(o *pact.Options) { b := *o.Biogenic; b.LandManagementGHGEmissions = "1e-3"; o.Biogenic = &b }},
		{"negative other biogenic", "pcf.otherBiogenicGhgEmissions", func(o *pact.Options) { b := *o.Biogenic; b.OtherBiogenicGHGEmissions = "-1"; o.Biogenic = &b }},
		{"positive withdrawal", "pcf.biogenicCarbonWithdrawal", func(o *pact.Options) { b := *o.Biogenic; b.BiogenicCarbonWithdrawal = "0.5"; o.Biogenic = &b }},
		{"unknown biogenic methodology", "pcf.biogenicAccountingMethodology", func(o *pact.Options) { b := *o.Biogenic; b.AccountingMethodology = "ISO 14067"; o.Biogenic = &b }},
		{"not a UUID", "id", func(o *pact.Options) { o.ID = "42" }},
		{"UUID version 1", "id", func(o *pact.Options) { o.ID = "f4b1225a-bd44-1c8e-861d-079e4e1dfd69" }},
		{"UUID version 7", "id", func(o *pact.Options) { o.ID = "f4b1225a-bd44-7c8e-861d-079e4e1dfd69" }},
		{"UUID v4 shape, NCS variant", "id", func(o *pact.Options) { o.ID = "f4b1225a-bd44-4c8e-761d-079e4e1dfd69" }},
		{"UUID v4 shape, Microsoft variant", "id", func(o *pact.Options) { o.ID = "f4b1225a-bd44-4c8e-c61d-079e4e1dfd69" }},
		{"nil UUID", "id", func(o *pact.Options) { o.ID = "00000000-0000-0000-0000-000000000000" }},
		{"negative version", "version", func(o *pact.Options) { o.Version = -1 }},
		{"version beyond int32", "version", func(o *pact.Options) { o.Version = 1 << 40 }},
		{"version one beyond int32", "version", func(o *pact.Options) { o.Version = 1 << 31 }},
		{"company id not a URN", "companyIds[0]", func(o *pact.Options) { o.CompanyIDs = []string{"acme"} }},
		{"no product ids", "productIds", func(o *pact.Options) { o.ProductIDs = nil }},
		{"no CPC", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = "" }},
		{"CPC of 6 digits", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = "452300" }},
		{"CPC with a letter", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = "4523A" }},
		{"CPC with a dot", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = "45.23" }},
		{"CPC with a space", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = " 45230" }},
		{"CPC in full-width digits", "productCategoryCpc", func(o *pact.Options) { o.ProductCategoryCPC = "４５２３０" }},
		{"period reversed", "pcf.referencePeriodEnd", func(o *pact.Options) { o.ReferencePeriodEnd = o.ReferencePeriodStart }},
		{"unknown standard", "pcf.crossSectoralStandards[0]", func(o *pact.Options) { o.CrossSectoralStandards = []string{"PAS 2050"} }},
		{"standard given twice", "pcf.crossSectoralStandards[1]", func(o *pact.Options) { o.CrossSectoralStandards = []string{"ISO Standard 14067", "ISO14067"} }},
		{"codes without a long name", "pcf.crossSectoralStandardsUsed", func(o *pact.Options) { o.CrossSectoralStandards = []string{"PEF", "PACT-2.0"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := options()
			c.mod(&o)
			_, err := pact.Export(fp, o)
			var fe *footprint.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, pact.ErrInvalid) {
				t.Errorf("err = %v, want a field error on %s", err, c.field)
			}
		})
	}
	// A UUID v4 with each variant digit, in either case, is an id.
	for _, id := range []string{"f4b1225a-bd44-4c8e-961d-079e4e1dfd69", "F4B1225A-BD44-4C8E-A61D-079E4E1DFD69", "f4b1225a-bd44-4c8e-b61d-079e4e1dfd69"} {
		o := options()
		o.ID = id
		if _, err := pact.Export(fp, o); err != nil {
			t.Errorf("id %s: %v", id, err)
		}
	}
	// URNs per RFC 8141.
	for _, u := range []string{"urn:", "urn:x", "urn:x:1", "urn:ab", "urn:ab:", "urn:-ab:1", "urn:ab-:1", "urn:a_b:1", "urn:ab:has space", "urn:ab: lead", "urn:ab:/path", "urn:ab:50%", "urn:ab:é", "urn:" + strings.Repeat("a", 33) + ":1", "urnx:ab:1", " urn:ab:1"} {
		for _, field := range []string{"companyIds", "productIds"} {
			o := options()
			if field == "companyIds" {
				o.CompanyIDs = []string{"urn:company:example:computers", u}
			} else {
				o.ProductIDs = []string{u}
			}
			want := field + "[0]"
			if field == "companyIds" {
				want = field + "[1]"
			}
			var fe *footprint.FieldError
			if _, err := pact.Export(fp, o); !errors.As(err, &fe) || fe.Field != want || fe.Value != u || !errors.Is(err, pact.ErrInvalid) {
				t.Errorf("%s %q: %v, want a field error on %s", field, u, err, want)
			}
		}
	}
	for _, u := range []string{"urn:ab:1", "URN:ISBN:0451450523", "urn:pact:company:customcode:buyer-assigned:4321", "urn:" + strings.Repeat("a", 32) + ":x", "urn:a-b:c/d:e@f%20g", "urn:example:a?+r?=q#frag", "urn:example:sku:REF-14-16-512"} {
		o := options()
		o.ProductIDs = []string{u}
		if _, err := pact.Export(fp, o); err != nil {
			t.Errorf("productIds %q: %v", u, err)
		}
	}
	// A CPC code from section (1 digit) to subclass (5 digits).
	for _, cpc := range []string{"4", "45", "452", "4523", "31230", "01111"} {
		o := options()
		o.ProductCategoryCPC = cpc
		if _, err := pact.Export(fp, o); err != nil {
			t.Errorf("productCategoryCpc %q: %v", cpc, err)
		}
	}
	// The largest int32 is a version.
	o := options()
	o.Version = 1<<31 - 1
	if _, err := pact.Export(fp, o); err != nil {
		t.Errorf("version 2147483647: %v", err)
	}
	// Before 2025 one of primaryDataShare or dqi is enough, and the
	// biogenic figures are optional.
	o = options()
	o.ReferencePeriodStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	o.ReferencePeriodEnd = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	o.DQI = nil
	o.Biogenic = nil
	if pf, err := pact.Export(fp, o); err != nil || pf.PCF.PCFIncludingBiogenic != "" || pf.PCF.BiogenicAccountingMethodology != "" {
		t.Errorf("2024 period with primaryDataShare only: %+v, %v", pf.PCF, err)
	}
}

// TestBiogenic checks the O* biogenic properties: Export writes the
// declared figures and pCfIncludingBiogenic = pCfExcludingBiogenic + dLUC
// + land management + other biogenic + withdrawal, by hand 131.343427 +
// 0.5 - 0.25 + 0.125 - 1.2 = 130.518427; Validate requires each of them
// for a reference period that includes 2025 or later.
func TestBiogenic(t *testing.T) {
	fp := reference(t)
	o := options()
	o.Biogenic = &pact.Biogenic{DLUCGHGEmissions: "0.50", LandManagementGHGEmissions: "-0.25", OtherBiogenicGHGEmissions: "0.125",
		BiogenicCarbonWithdrawal: "-1.2", AccountingMethodology: "GHGP"}
	pf, err := pact.Export(fp, o)
	if err != nil {
		t.Fatal(err)
	}
	c := pf.PCF
	if c.PCFIncludingBiogenic != "130.518427" || c.DLUCGHGEmissions != "0.5" || c.LandManagementGHGEmissions != "-0.25" ||
		c.OtherBiogenicGHGEmissions != "0.125" || c.BiogenicCarbonWithdrawal != "-1.2" || c.BiogenicAccountingMethodology != "GHGP" {
		t.Errorf("biogenic: %s %s %s %s %s %s", c.PCFIncludingBiogenic, c.DLUCGHGEmissions, c.LandManagementGHGEmissions, c.OtherBiogenicGHGEmissions, c.BiogenicCarbonWithdrawal, c.BiogenicAccountingMethodology)
	}
	if c.PCFExcludingBiogenic != "131.343427" || c.FossilGHGEmissions != "131.343427" {
		t.Errorf("pCfExcludingBiogenic %s, fossilGhgEmissions %s changed", c.PCFExcludingBiogenic, c.FossilGHGEmissions)
	}
	if !strings.Contains(pf.Comment, "reporting company's declaration") {
		t.Errorf("comment does not say the biogenic figures are declared: %q", pf.Comment)
	}
	b, _ := json.Marshal(pf)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if v := m["pcf"].(map[string]any)["pCfIncludingBiogenic"]; v != "130.518427" {
		t.Errorf("JSON pCfIncludingBiogenic = %#v", v)
	}
	for _, c := range []struct {
		field string
		mod   func(c *pact.CarbonFootprint)
	}{
		{"pcf.pCfIncludingBiogenic", func(c *pact.CarbonFootprint) { c.PCFIncludingBiogenic = "" }},
		{"pcf.dLucGhgEmissions", func(c *pact.CarbonFootprint) { c.DLUCGHGEmissions = "" }},
		{"pcf.landManagementGhgEmissions", func(c *pact.CarbonFootprint) { c.LandManagementGHGEmissions = "" }},
		{"pcf.otherBiogenicGhgEmissions", func(c *pact.CarbonFootprint) { c.OtherBiogenicGHGEmissions = "" }},
		{"pcf.biogenicCarbonWithdrawal", func(c *pact.CarbonFootprint) { c.BiogenicCarbonWithdrawal = "" }},
		{"pcf.biogenicAccountingMethodology", func(c *pact.CarbonFootprint) { c.BiogenicAccountingMethodology = "" }},
		{"pcf.pCfIncludingBiogenic", func(c *pact.CarbonFootprint) { c.PCFIncludingBiogenic = "1e2" }},
		{"pcf.dLucGhgEmissions", func(c *pact.CarbonFootprint) { c.DLUCGHGEmissions = "-1" }},
		{"pcf.otherBiogenicGhgEmissions", func(c *pact.CarbonFootprint) { c.OtherBiogenicGHGEmissions = "-0.1" }},
		{"pcf.biogenicCarbonWithdrawal", func(c *pact.CarbonFootprint) { c.BiogenicCarbonWithdrawal = "0.1" }},
		{"pcf.biogenicAccountingMethodology", func(c *pact.CarbonFootprint) { c.BiogenicAccountingMethodology = "IPCC" }},
	} {
		bad := pf
		c.mod(&bad.PCF)
		var fe *footprint.FieldError
		if err := bad.Validate(); !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, pact.ErrInvalid) {
			t.Errorf("%s: %v, want a field error on %s", c.field, err, c.field)
		}
	}
	// withdrawal 0 in any spelling, landManagement of any sign
	for _, w := range []string{"0", "0.0", "-0", "+0", "-3.5"} {
		ok := pf
		ok.PCF.BiogenicCarbonWithdrawal = w
		ok.PCF.LandManagementGHGEmissions = "-2"
		if err := ok.Validate(); err != nil {
			t.Errorf("biogenicCarbonWithdrawal %s: %v", w, err)
		}
	}
	// The error for a missing declaration names the option.
	o = options()
	o.Biogenic = nil
	var fe *footprint.FieldError
	if _, err := pact.Export(fp, o); !errors.As(err, &fe) || !strings.Contains(fe.Rule, "Options.Biogenic") {
		t.Errorf("no Options.Biogenic: %v", err)
	}
}

// TestCrossSectoralStandards checks that both the deprecated
// crossSectoralStandardsUsed and its successor crossSectoralStandards are
// written, from long names or codes, and that Validate requires the codes.
func TestCrossSectoralStandards(t *testing.T) {
	fp := reference(t)
	for _, c := range []struct {
		in, used, codes []string
	}{
		{nil, []string{"GHG Protocol Product standard", "ISO Standard 14067"}, []string{"GHGP-Product", "ISO14067"}},
		{[]string{"ISO Standard 14044"}, []string{"ISO Standard 14044"}, []string{"ISO14040-44"}},
		{[]string{"ISO14067", "PACT-2.0", "GHG Protocol Product standard"}, []string{"ISO Standard 14067", "GHG Protocol Product standard"}, []string{"ISO14067", "PACT-2.0", "GHGP-Product"}},
	} {
		o := options()
		o.CrossSectoralStandards = c.in
		pf, err := pact.Export(fp, o)
		if err != nil || !slices.Equal(pf.PCF.CrossSectoralStandardsUsed, c.used) || !slices.Equal(pf.PCF.CrossSectoralStandards, c.codes) {
			t.Errorf("%q: used %q, codes %q, %v; want %q, %q", c.in, pf.PCF.CrossSectoralStandardsUsed, pf.PCF.CrossSectoralStandards, err, c.used, c.codes)
		}
	}
	pf, err := pact.Export(fp, options())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		codes []string
	}{
		{"pcf.crossSectoralStandards", nil},
		{"pcf.crossSectoralStandards[0]", []string{"GHGP Product"}},
		{"pcf.crossSectoralStandards[0]", []string{"PAS2050"}},
		{"pcf.crossSectoralStandards[1]", []string{"ISO14067", "ISO14067"}},
	} {
		bad := pf
		bad.PCF.CrossSectoralStandards = c.codes
		var fe *footprint.FieldError
		if err := bad.Validate(); !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, pact.ErrInvalid) {
			t.Errorf("crossSectoralStandards %q: %v, want a field error on %s", c.codes, err, c.field)
		}
	}
	bad := pf
	bad.PCF.CrossSectoralStandardsUsed = []string{"ISO Standard 14067", "ISO Standard 14067"}
	var fe *footprint.FieldError
	if err := bad.Validate(); !errors.As(err, &fe) || fe.Field != "pcf.crossSectoralStandardsUsed[1]" {
		t.Errorf("duplicate crossSectoralStandardsUsed: %v", err)
	}
}

// Export the reference laptop's footprint as a PACT v2.3 ProductFootprint,
// declared per kilogram of product and cradle to gate (the manufacture
// stage): 183.8807977069911343211076026232704 kg CO2e ÷ 1.4 kg =
// 131.34342693356509... kg per kg, 131.343427 to 6 places.
func ExampleExport() {
	fp, err := footprint.Calculate(footprint.ReferenceLaptop(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	share := pact.Pct("0") // secondary data only
	pf, err := pact.Export(fp, pact.Options{
		ID:                   "f4b1225a-bd44-4c8e-861d-079e4e1dfd69",
		Created:              time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		CompanyName:          "Example Computers",
		CompanyIDs:           []string{"urn:company:example:computers"},
		ProductIDs:           []string{"urn:example:sku:REF-14-16-512"},
		ProductCategoryCPC:   "45230",
		ReferencePeriodStart: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		ReferencePeriodEnd:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		PrimaryDataShare:     &share,
		DQI: &pact.DQI{CoveragePercent: pact.Pct("100"), TechnologicalDQR: pact.Pct("2"), TemporalDQR: pact.Pct("2"),
			GeographicalDQR: pact.Pct("2"), CompletenessDQR: pact.Pct("2"), ReliabilityDQR: pact.Pct("2")},
		// Required from 2025 and not computed by lifecarbon: these are the
		// reporting company's declaration, per kg of product, not the
		// library's finding. Here the company declares zeros; it did not
		// assess land use, land management or the biogenic carbon of the
		// cardboard packaging, and a recipient should read them so.
		Biogenic: &pact.Biogenic{DLUCGHGEmissions: "0", LandManagementGHGEmissions: "0", OtherBiogenicGHGEmissions: "0",
			BiogenicCarbonWithdrawal: "0", AccountingMethodology: "ISO"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pf.PCF.DeclaredUnit, pf.PCF.UnitaryProductAmount, pf.PCF.ProductMassPerDeclaredUnit)
	fmt.Println("kgCO2e per kg:", pf.PCF.PCFExcludingBiogenic, "including the declared biogenic figures:", pf.PCF.PCFIncludingBiogenic)
	fmt.Println(pf.PCF.CharacterizationFactors, pf.PCF.IPCCCharacterizationFactorsSources, pf.PCF.CrossSectoralStandardsUsed, pf.PCF.CrossSectoralStandards)
	// Output:
	// kilogram 1.4 1
	// kgCO2e per kg: 131.343427 including the declared biogenic figures: 131.343427
	// AR5 [AR5 AR6] [GHG Protocol Product standard ISO Standard 14067] [GHGP-Product ISO14067]
}

// TestExportIncludeTransport checks the gate moved to the buyer: manufacture
// plus transport, by hand 183.8807977069911343211076026232704 + 9.7581700125
// = 193.6389677194911343211076026232704 kg ÷ 1.4 kg = 138.3135483710650…
// per kg; the air legs' TTW lines (8.2489802325 kg, with radiative forcing)
// are not reported as aircraftGhgEmissions, which PACT defines without
// radiative forcing.
func TestExportIncludeTransport(t *testing.T) {
	fp := reference(t)
	o := options()
	o.IncludeTransport = true
	pf, err := pact.Export(fp, o)
	if err != nil {
		t.Fatal(err)
	}
	if pf.PCF.PCFExcludingBiogenic != "138.313548" {
		t.Errorf("pCfExcludingBiogenic = %s, want 138.313548", pf.PCF.PCFExcludingBiogenic)
	}
	if pf.PCF.AircraftGHGEmissions != "" {
		t.Errorf("aircraftGhgEmissions = %s with radiative forcing included", pf.PCF.AircraftGHGEmissions)
	}
	if !strings.Contains(pf.PCF.BoundaryProcessesDescription, "transport (6 lines") || strings.Contains(pf.PCF.BoundaryProcessesDescription, "Excluded (after the gate): transport") {
		t.Errorf("boundaryProcessesDescription = %q", pf.PCF.BoundaryProcessesDescription)
	}
}

// TestPercentPlainDecimal checks that a percent is read like every other
// decimal: a plain decimal, as a JSON number or a string, never an
// exponent, NaN, Inf or hex.
func TestPercentPlainDecimal(t *testing.T) {
	for in, want := range map[string]string{`12.5`: "12.5", `"12.5"`: "12.5", `0`: "0", `"100"`: "100", `-1`: "-1"} {
		var p pact.Percent
		if err := json.Unmarshal([]byte(in), &p); err != nil || p.String() != want {
			t.Errorf("%s: %s, %v; want %s", in, p, err, want)
		}
	}
	for _, in := range []string{`"1e1"`, `1e1`, `1E1`, `"NaN"`, `"Inf"`, `"0x10"`, `".5"`, `"5."`, `" 5"`, `"5%"`, `""`, `true`} {
		var p pact.Percent
		err := json.Unmarshal([]byte(in), &p)
		var fe *footprint.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, pact.ErrInvalid) || !strings.Contains(fe.Rule, "plain decimal") {
			t.Errorf("%s: %s, %v; want a plain-decimal error", in, p, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error(`Pct("1e1") did not panic`)
		}
	}()
	pact.Pct("1e1")
}

// The carbon contents are "0" with the comment saying they were not
// assessed, unless Options.CarbonContent declares them; a declared value
// is written as given (normalised) and a negative one is refused, naming
// the property.
func TestCarbonContent(t *testing.T) {
	fp := reference(t)
	pf, err := pact.Export(fp, options())
	if err != nil {
		t.Fatal(err)
	}
	if pf.PCF.FossilCarbonContent != "0" || pf.PCF.BiogenicCarbonContent != "0" || !strings.Contains(pf.Comment, "carbon contents are not assessed") {
		t.Errorf("undeclared: %s %s, comment %q", pf.PCF.FossilCarbonContent, pf.PCF.BiogenicCarbonContent, pf.Comment)
	}
	o := options()
	o.CarbonContent = &pact.CarbonContent{Fossil: "0.310", Biogenic: "0.02"}
	pf, err = pact.Export(fp, o)
	if err != nil {
		t.Fatal(err)
	}
	if pf.PCF.FossilCarbonContent != "0.31" || pf.PCF.BiogenicCarbonContent != "0.02" || !strings.Contains(pf.Comment, "carbon contents are the reporting company's declaration") {
		t.Errorf("declared: %s %s, comment %q", pf.PCF.FossilCarbonContent, pf.PCF.BiogenicCarbonContent, pf.Comment)
	}
	o.CarbonContent = &pact.CarbonContent{Fossil: "-0.1", Biogenic: "0"}
	_, err = pact.Export(fp, o)
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "pcf.fossilCarbonContent" || fe.Value != "-0.1" {
		t.Errorf("negative: %v, want an error naming pcf.fossilCarbonContent", err)
	}
}
