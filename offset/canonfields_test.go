package offset

import (
	"reflect"
	"slices"
	"testing"
)

// TestCanonFieldsUnchanged guards the fast decoders of canonjson.go, which
// read Plan and Demand member by member as json.Marshal writes them: a
// field added, removed, renamed, retyped or retagged in any type they read
// fails this test, so that whoever changes the type also changes (and
// re-checks with TestCanonMatchesStrict) the fast decoder, instead of it
// silently keeping the old form. It also fails when a field's type gains
// its own JSON or text decoder beyond those the fast path calls.
func TestCanonFieldsUnchanged(t *testing.T) {
	want := map[string][]string{
		"Plan":        {"Serial string serial", "Demand footprint.CO2e demand", "Amount footprint.CO2e amount", "Shares []offset.PlanShare shares", "Lines []offset.Line lines", "Costs []offset.Cost costs", "Remaining []offset.LotBalance remaining"},
		"Line":        {"Share int share", "Lot string lot", "Project string project", "ProjectName string projectName", "Standard offset.Standard standard", "Type offset.ProjectType type", "UnitType offset.UnitType unitType", "Country string country", "RegistryURL string registryUrl,omitempty", "Vintage int vintage", "Status offset.LotStatus status", "Block offset.SerialBlock block", "Grams offset.GramRange grams", "Serials []offset.SerialSpan serials", "Amount footprint.CO2e amount", "Price offset.Price price", "Cost decimal.Decimal cost"},
		"PlanShare":   {"Percent decimal.Decimal percent", "Amount footprint.CO2e amount", "Strategy offset.Strategy strategy"},
		"Cost":        {"Currency string currency", "Exact decimal.Decimal exact", "Amount decimal.Decimal amount"},
		"LotBalance":  {"Lot string lot", "FreeGrams int64 freeGrams"},
		"SerialSpan":  {"First uint64 first", "Last uint64 last", "FromGram int64 fromGram", "ToGram int64 toGram"},
		"GramRange":   {"From int64 from", "To int64 to"},
		"Demand":      {"Serial string serial", "Amount footprint.CO2e amount", "Country string country,omitempty", "Beneficiary string beneficiary,omitempty", "Preferences offset.Preferences preferences,omitzero"},
		"Preferences": {"Filter offset.Filter ", "VintageFrom int vintageFrom,omitempty", "VintageTo int vintageTo,omitempty", "MaxAge int maxAge,omitempty", "ReferenceYear int referenceYear,omitempty", "Currency string currency,omitempty", "MaxPrice *offset.Price maxPrice,omitempty", "RetiredOnly bool retiredOnly,omitempty", "Split []offset.Share split,omitempty", "Strategy offset.Strategy strategy,omitempty", "Rounding offset.Rounding rounding,omitzero"},
		"Filter":      {"Projects []string projects,omitempty", "Types []offset.ProjectType types,omitempty", "Countries []string countries,omitempty", "Continents []string continents,omitempty", "Hemispheres []offset.Hemisphere hemispheres,omitempty", "Standards []offset.Standard standards,omitempty", "UnitTypes []offset.UnitType unitTypes,omitempty"},
		"Share":       {"Percent decimal.Decimal percent", "Filter offset.Filter "},
		"Rounding":    {"Mode offset.RoundingMode mode,omitempty", "Step footprint.CO2e step,omitzero", "Tiers []footprint.CO2e tiers,omitempty"},
		"Price":       {"Amount decimal.Decimal amount", "Currency string currency"},
	}
	for _, v := range []any{Plan{}, Line{}, PlanShare{}, Cost{}, LotBalance{}, SerialSpan{}, GramRange{}, Demand{}, Preferences{}, Filter{}, Share{}, Rounding{}, Price{}} {
		ty := reflect.TypeOf(v)
		var got []string
		for i := range ty.NumField() {
			f := ty.Field(i)
			got = append(got, f.Name+" "+f.Type.String()+" "+f.Tag.Get("json"))
		}
		if !slices.Equal(got, want[ty.Name()]) {
			t.Errorf("%s's fields changed; update canonjson.go's decoder for it, then this list:\n got %q\nwant %q", ty.Name(), got, want[ty.Name()])
		}
	}
	// The types whose own decoders the fast path calls, and the only ones.
	own := map[string]bool{"footprint.CO2e": true, "offset.SerialBlock": true, "offset.Price": true, "decimal.Decimal": true}
	unmarshaler := reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()
	texter := reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
	for _, v := range []any{Plan{}, Line{}, PlanShare{}, Cost{}, LotBalance{}, SerialSpan{}, GramRange{}, Demand{}, Preferences{}, Filter{}, Share{}, Rounding{}} {
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			ft := ty.Field(i).Type
			for ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			p := reflect.PointerTo(ft)
			if (p.Implements(unmarshaler) || p.Implements(texter)) && !own[ft.String()] {
				t.Errorf("%s.%s: %s has its own decoder, which canonjson.go does not call", ty.Name(), ty.Field(i).Name, ft)
			}
		}
	}
}
