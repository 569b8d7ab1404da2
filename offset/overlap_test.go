package offset

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lifecarbon/lifecarbon/footprint"
)

// TestInventoryRefusesOverlappingSerials: no serial may be in two lots of
// one namespace (the whole Verra registry, a Gold Standard batch, or the
// project of a generic range). Messages are worked out by hand.
func TestInventoryRefusesOverlappingSerials(t *testing.T) {
	p := tproj("P", TypeWind, "IN", StandardCDM, Avoidance)
	q := tproj("Q", TypeWind, "IN", StandardCDM, Avoidance)
	et := tproj("ET", TypeCookstoves, "ET", StandardVCS, Reduction)
	et2 := tproj("ET2", TypeCookstoves, "ET", StandardVCS, Reduction)
	ke := tproj("KE", TypeCookstoves, "KE", StandardGoldStandard, Reduction)
	block := func(s string) SerialBlock {
		b, err := ParseSerialBlock(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	lot := func(id, project, serial string, vintage int) Lot {
		b := block(serial)
		l := tlot(id, project, vintage, 1, int64(b.Count()), "5", "USD")
		l.Block = b
		return l
	}
	tests := []struct {
		name     string
		projects []Project
		lots     []Lot
		want     string // "" = accepted
	}{
		{"same range twice", []Project{p}, []Lot{lot("L1", "P", "1-10", 2020), lot("L5", "P", "1-10", 2020)},
			`lots[1].block: overlaps lots[0] (L1) serials 1-10 (generic blocks of project P; serials 1-10 would be in both): a serial may belong to one lot only, got "1-10"`},
		{"5-14 next to 1-10", []Project{p}, []Lot{lot("L1", "P", "1-10", 2020), lot("L5", "P", "5-14", 2020)},
			`lots[1].block: overlaps lots[0] (L1) serials 1-10 (generic blocks of project P; serials 5-10 would be in both): a serial may belong to one lot only, got "5-14"`},
		// Input order does not matter: the later lot is named.
		{"1-10 after 5-14", []Project{p}, []Lot{lot("L5", "P", "5-14", 2020), lot("L1", "P", "1-10", 2020)},
			`lots[1].block: overlaps lots[0] (L5) serials 5-14 (generic blocks of project P; serials 5-10 would be in both): a serial may belong to one lot only, got "1-10"`},
		{"one shared serial at the edge", []Project{p}, []Lot{lot("A", "P", "1-10", 2020), lot("B", "P", "10-10", 2021)},
			`lots[1].block: overlaps lots[0] (A) serials 1-10 (generic blocks of project P; serials 10-10 would be in both): a serial may belong to one lot only, got "10-10"`},
		// 20-30 does not touch 1-10 or 11-15 (sorted right after them),
		// but it lies inside 1-100, which started before them and ends last.
		{"inside a long block seen earlier", []Project{p}, []Lot{lot("A", "P", "1-100", 2020), lot("B", "P", "101-110", 2020), lot("C", "P", "11-15", 2020)},
			`lots[2].block: overlaps lots[0] (A) serials 1-100 (generic blocks of project P; serials 11-15 would be in both): a serial may belong to one lot only, got "11-15"`},
		{"adjacent ranges", []Project{p}, []Lot{lot("A", "P", "1-10", 2020), lot("B", "P", "11-20", 2020)}, ""},
		{"same range, different projects", []Project{p, q}, []Lot{lot("A", "P", "1-10", 2020), lot("B", "Q", "1-10", 2020)}, ""},
		{"Verra: one project, two batches", []Project{et}, []Lot{
			lot("V1", "ET", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 2020),
			lot("V2", "ET", "19999-941467431-941467500-VCS-VCU-1507-VER-ET-14-1340-01012021-31122021-1", 2021)},
			`lots[1].block: overlaps lots[0] (V1) serials 941467007-941467431 (Verra registry, whose unit serials are numbered registry-wide; serials 941467431-941467431 would be in both): a serial may belong to one lot only, got "19999-941467431-941467500-VCS-VCU-1507-VER-ET-14-1340-01012021-31122021-1"`},
		// The Verra project in the serial decides, not the inventory's project.
		{"Verra: one registry project under two inventory projects", []Project{et, et2}, []Lot{
			lot("V1", "ET", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 2020),
			lot("V2", "ET2", "19385-941467007-941467010-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 2020)},
			`lots[1].block: overlaps lots[0] (V1) serials 941467007-941467431 (Verra registry, whose unit serials are numbered registry-wide; serials 941467007-941467010 would be in both): a serial may belong to one lot only, got "19385-941467007-941467010-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"`},
		// Verra numbers units registry-wide: the same unit numbers under
		// another Verra project are the same credits.
		{"Verra: different projects, shared units", []Project{et}, []Lot{
			lot("V1", "ET", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 2020),
			lot("V2", "ET", "19385-941467400-941467500-VCS-VCU-1507-VER-ET-14-1341-01012020-31122020-1", 2020)},
			`lots[1].block: overlaps lots[0] (V1) serials 941467007-941467431 (Verra registry, whose unit serials are numbered registry-wide; serials 941467400-941467431 would be in both): a serial may belong to one lot only, got "19385-941467400-941467500-VCS-VCU-1507-VER-ET-14-1341-01012020-31122020-1"`},
		{"Verra: different projects, disjoint units", []Project{et}, []Lot{
			lot("V1", "ET", "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 2020),
			lot("V2", "ET", "19385-941467432-941467500-VCS-VCU-1507-VER-ET-14-1341-01012020-31122020-1", 2020)}, ""},
		{"Gold Standard: one batch", []Project{ke}, []Lot{
			lot("G1", "KE", "GS1-1-KE-GS11603-16-2025-30256-110-5463", 2025),
			lot("G2", "KE", "GS1-1-KE-GS11603-16-2025-30256-5000-6000", 2025)},
			`lots[1].block: overlaps lots[0] (G1) serials 110-5463 (Gold Standard batch GS1-1-KE-GS11603-16-2025-30256; serials 5000-5463 would be in both): a serial may belong to one lot only, got "GS1-1-KE-GS11603-16-2025-30256-5000-6000"`},
		{"Gold Standard: each batch numbered from 1", []Project{ke}, []Lot{
			lot("G1", "KE", "GS1-1-KE-GS11603-16-2025-30256-1-100", 2025),
			lot("G2", "KE", "GS1-1-KE-GS11603-16-2025-30257-1-100", 2025)}, ""},
		// Formats are never compared with each other.
		{"range 110-5463 next to a Gold Standard block", []Project{ke}, []Lot{
			lot("G1", "KE", "GS1-1-KE-GS11603-16-2025-30256-110-5463", 2025),
			lot("R1", "KE", "110-5463", 2025)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewInventory(tt.projects, tt.lots)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidInventory) {
				t.Fatalf("err = %v, want ErrInvalidInventory", err)
			}
			var fe *footprint.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err %T is not a field error", err)
			}
			// The whole value (Error() clips a long one).
			if got := fe.Field + ": " + fe.Rule + ", got " + strconv.Quote(fe.Value); got != tt.want {
				t.Errorf("message\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestDecodeInventoryRefusesOverlap: the check also guards the JSON path.
func TestDecodeInventoryRefusesOverlap(t *testing.T) {
	js := `{"projects": [{"id": "P", "name": "P", "standard": "CDM", "type": "wind", "unitType": "avoidance", "country": "IN"}],
	"lots": [
	  {"id": "L1", "project": "P", "vintage": 2020, "block": "1-10", "tonnes": 10, "status": "retired", "price": {"amount": "5", "currency": "USD"}},
	  {"id": "L5", "project": "P", "vintage": 2020, "block": "1-10", "tonnes": 10, "status": "retired", "price": {"amount": "5", "currency": "USD"}}]}`
	_, err := DecodeInventory(strings.NewReader(js))
	var fe *footprint.FieldError
	if !errors.Is(err, ErrInvalidInventory) || !errors.As(err, &fe) || fe.Field != "lots[1].block" || fe.Value != "1-10" {
		t.Fatalf("err = %v, want ErrInvalidInventory on lots[1].block", err)
	}
}

// TestOverlapCheckLarge: 100,000 disjoint lots are accepted, and one more
// that takes a serial of the middle one is refused, naming it.
func TestOverlapCheckLarge(t *testing.T) {
	ps, ls := benchLots(100, 100000)
	if _, err := NewInventory(ps, ls); err != nil {
		t.Fatal(err)
	}
	mid := ls[50000]
	extra := tlot("X", mid.Project, 2020, mid.Block.End, 1, "5", "USD")
	_, err := NewInventory(ps, append(ls, extra))
	var fe *footprint.FieldError
	if !errors.As(err, &fe) || fe.Field != "lots[100000].block" ||
		!strings.HasPrefix(fe.Rule, "overlaps lots[50000] (L50000) serials "+strconv.FormatUint(mid.Block.Start, 10)+"-") {
		t.Fatalf("err = %v", err)
	}
}
