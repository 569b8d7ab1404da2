package offset

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// LotStatus says whether a lot's credits are already retired at the
// registry (into the seller's pool, on behalf of the buyers it will be
// allocated to) or still held in the seller's account.
type LotStatus string

// Lot statuses.
const (
	Retired LotStatus = "retired"
	Held    LotStatus = "held"
)

// MaxLotTonnes bounds a lot's size (10^12 t), so its grams fit in an int64.
const MaxLotTonnes = 1_000_000_000_000

// Lot is a block of credits of one project and one vintage: Tonnes credits
// with the serial numbers Block.Start..Block.End (Block.Count() must equal
// Tonnes), bought at Price per tonne.
//
// Allocation works in grams: the lot holds Tonnes × 1,000,000 grams,
// numbered from 0; gram g belongs to serial Block.Start + g/1,000,000.
// Allocated lists the gram ranges already given to products (any order,
// not overlapping); everything else is free. Matching takes the lowest
// free grams first. Lot is a plain value; copies share the Allocated slice,
// which the package never modifies.
type Lot struct {
	// ID is the inventory's unique key for the lot.
	ID string `json:"id"`
	// Project is the ID of the lot's project.
	Project string `json:"project"`
	// Vintage is the year the reductions took place.
	Vintage int `json:"vintage"`
	// Block is the registry serial block.
	Block SerialBlock `json:"block"`
	// Tonnes is the number of credits, one tonne of CO2e each.
	Tonnes int64 `json:"tonnes"`
	// Status is retired (into the seller's pool) or held.
	Status LotStatus `json:"status"`
	// Price is what one tonne of the lot sells for.
	Price Price `json:"price"`
	// Allocated lists the gram ranges no longer free.
	Allocated []GramRange `json:"allocated,omitempty"`
}

// Grams returns the lot's size in grams, Tonnes × 1,000,000.
func (l Lot) Grams() int64 { return l.Tonnes * GramsPerTonne }

// FreeGrams returns the grams not allocated (for a valid lot).
func (l Lot) FreeGrams() int64 {
	n := l.Grams()
	for _, r := range l.Allocated {
		n -= r.Len()
	}
	return n
}

// Validate checks the lot on its own: identifiers, vintage, block, that
// the block's count equals Tonnes (ErrSerialCount), status, price
// (ErrUnknownCurrency for a currency that is not ISO 4217) and allocated
// ranges. Other errors wrap ErrInvalidLot or ErrInvalidSerial.
func (l Lot) Validate() error {
	bad := func(field, value, rule string) error {
		return fielderr.New(field, value, rule, ErrInvalidLot)
	}
	switch {
	case l.ID == "" || len(l.ID) > maxIDLen:
		return bad("id", l.ID, "is required (at most 200 bytes)")
	case l.Project == "" || len(l.Project) > maxIDLen:
		return bad("project", l.Project, "is required (at most 200 bytes)")
	case l.Vintage < 1900 || l.Vintage > 9999:
		return bad("vintage", strconv.Itoa(l.Vintage), "must be a year from 1900 to 9999")
	case l.Tonnes <= 0 || l.Tonnes > MaxLotTonnes:
		return bad("tonnes", itoa(l.Tonnes), "must be from 1 to 10^12")
	}
	if err := l.Block.Validate(); err != nil {
		return err
	}
	if c := l.Block.Count(); c != uint64(l.Tonnes) {
		return fielderr.New("block", l.Block.String(),
			"holds "+strconv.FormatUint(c, 10)+" credits (last − first + 1) but tonnes is "+itoa(l.Tonnes), ErrSerialCount)
	}
	if l.Block.VintageStart != 0 && (l.Vintage < l.Block.VintageStart || l.Vintage > l.Block.VintageEnd) {
		return bad("vintage", strconv.Itoa(l.Vintage), "must lie in the serial block's vintage period "+
			strconv.Itoa(l.Block.VintageStart)+"–"+strconv.Itoa(l.Block.VintageEnd))
	}
	switch l.Status {
	case Retired, Held:
	default:
		return bad("status", string(l.Status), "must be retired or held")
	}
	if err := l.Price.Validate(); err != nil {
		return fielderr.Prefix("price", err)
	}
	_, err := l.freeRanges()
	return err
}

// freeRanges returns the complement of Allocated in [0, Grams()), sorted.
func (l Lot) freeRanges() ([]GramRange, error) {
	total := l.Grams()
	alloc := slices.Clone(l.Allocated)
	slices.SortFunc(alloc, func(a, b GramRange) int { return cmpInt64(a.From, b.From) })
	free := make([]GramRange, 0, 1)
	pos := int64(0)
	for i, r := range alloc {
		if r.From < 0 || r.To > total || r.From >= r.To {
			return nil, fielderr.New("allocated["+strconv.Itoa(i)+"]", itoa(r.From)+"-"+itoa(r.To),
				"must be a non-empty gram range inside [0, "+itoa(total)+")", ErrInvalidLot)
		}
		if r.From < pos {
			return nil, fielderr.New("allocated", itoa(r.From)+"-"+itoa(r.To), "gram ranges must not overlap", ErrInvalidLot)
		}
		if r.From > pos {
			free = append(free, GramRange{pos, r.From})
		}
		pos = r.To
	}
	if pos < total {
		free = append(free, GramRange{pos, total})
	}
	return free, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// strictUnmarshal decodes JSON b into v refusing unknown fields and
// trailing data; errors become field errors wrapping sentinel, with the
// full JSON path of the bad value (locateError finds it when encoding/json
// does not say).
func strictUnmarshal(b []byte, v any, sentinel error) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		if lerr := locateError(b, reflect.TypeOf(v).Elem(), sentinel); lerr != nil {
			return lerr
		}
		return withSentinel(jsonFieldError(err, sentinel), sentinel)
	}
	if len(bytes.TrimLeft(b[d.InputOffset():], " \t\r\n")) > 0 {
		return fielderr.New("", "", "unexpected data after the JSON value", sentinel)
	}
	return nil
}
