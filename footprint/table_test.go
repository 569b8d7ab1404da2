package footprint

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestTableByHand renders a footprint built by hand, so every cell below is
// worked out from the figures in the literal, not taken from the code:
//
//   - lines: 0.005 kg rounds half away from zero to 0.01; 1.234 to 1.23;
//     2.5 stays 2.50; the stage subtotal 3.739 to 3.74; the total 6 to
//     6.00; the range 5.5 to 5.50 and 7.125 to 7.13.
//   - shares of the total 6: 0.005 ÷ 6 = 0.083… % → 0.1 %; 1.234 ÷ 6 =
//     20.566… % → 20.6 %; 2.5 ÷ 6 = 41.666… % → 41.7 %; 3.739 ÷ 6 =
//     62.316… % → 62.3 %; 2.261 ÷ 6 = 37.683… % → 37.7 %.
//   - activities round to three places: 0.12345 kg → 0.123 kg; 2 items
//     are plural, 1 item is not; 9.1725 tkm → 9.173 tkm (half away from
//     zero); a linear line's attribute rounds to four places in its
//     factor's basis: 4.46925 → "× 4.4693 cm2".
//   - a boundary is shown after the factor, a fallback with its path; the
//     recycling credit is a row of its own, outside the total, without a
//     share.
func TestTableByHand(t *testing.T) {
	d := decimal.RequireFromString
	kg := func(s string) CO2e { return KgCO2e(d(s)) }
	line := func(label string, act Activity, ref *FactorRef, co2e string) Line {
		return Line{Label: label, Activity: act, Factor: ref, CO2e: kg(co2e), Low: kg(co2e), High: kg(co2e)}
	}
	fp := Footprint{
		Manufacturer: "Acme", Model: "Box", Serial: "S-1",
		CO2e: kg("6"), Low: kg("5.5"), High: kg("7.125"),
		Stages: []Stage{
			{Name: StageManufacture, CO2e: kg("3.739"), Low: kg("3.739"), High: kg("3.739"), Lines: []Line{
				line("screws", Activity{Amount: d("0.12345"), Basis: PerKg}, &FactorRef{ID: "material.steel"}, "0.005"),
				{Label: "fans", Activity: Items(d("2")), Factor: &FactorRef{ID: "component.fan", Basis: "cm2"}, AttributeValue: d("4.46925"),
					CO2e: kg("1.234"), Low: kg("1.234"), High: kg("1.234")},
				line("board", Items(d("1")), &FactorRef{ID: "component.board", Fallback: true, FallbackPath: []string{"IN", "WORLD"}}, "2.5"),
			}},
			{Name: StageTransport, CO2e: kg("2.261"), Low: kg("2.261"), High: kg("2.261"), Lines: []Line{
				line("air", Activity{Amount: d("9.1725"), Basis: PerTonneKm}, &FactorRef{ID: "freight.air", Boundary: TTW}, "2.261"),
			}},
			{Name: StageUse},
			{Name: StageEndOfLife},
		},
		RecyclingCredit: &Line{Label: "recycling", Activity: Activity{Amount: d("1.5"), Basis: PerKg}, Factor: &FactorRef{ID: "eol.credit"}, CO2e: kg("-0.0051")},
		Method:          Method{Boundary: WTW, RadiativeForcing: RFIncluded},
		Dataset:         DatasetLayer{Name: "hand", Version: "1"},
		InputDigest:     "sha256:00",
	}
	// column widths: the widest cell and two spaces ("not in total" 12,
	// "recycling" 9, "2 items × 4.4693 cm2" 20, "component.board [fallback IN→WORLD]"
	// 35 characters, "kg CO2e" 7: the range ends its row, so it does
	// not widen the column); the last cell of a row is not padded.
	want := strings.Join([]string{
		"Acme Box (serial S-1)",
		"stage         line       activity              factor                               kg CO2e  share",
		"manufacture   screws     0.123 kg              material.steel                       0.01     0.1 %",
		"manufacture   fans       2 items × 4.4693 cm2  component.fan                        1.23     20.6 %",
		"manufacture   board      1 item                component.board [fallback IN→WORLD]  2.50     41.7 %",
		"manufacture   subtotal                                                              3.74     62.3 %",
		"transport     air        9.173 tkm             freight.air (TTW)                    2.26     37.7 %",
		"transport     subtotal                                                              2.26     37.7 %",
		"use           subtotal                                                              0.00     0.0 %",
		"end-of-life   subtotal                                                              0.00     0.0 %",
		"total                                                                               6.00     100.0 %",
		"range                                                                               5.50 – 7.13",
		"not in total  recycling  1.5 kg                eol.credit                           -0.01",
		"dataset hand 1; WTW, radiative forcing included; input sha256:00",
		"",
	}, "\n")
	if got := fp.Table(); got != want {
		t.Errorf("Table:\n%s\nwant:\n%s", got, want)
	}
}
