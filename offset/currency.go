package offset

import (
	"encoding/json"
	"strings"

	"github.com/lifecarbon/lifecarbon/internal/dec"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

// iso4217 maps every active ISO 4217 alphabetic code (List One, as amended
// up to 2025: it has XCG, ZWG, VED and SLE and no longer ANG, HRK, SLL or
// CUC) to its number of minor units. -1 marks the codes whose minor unit
// is "N.A." (precious metals, bond-market units, SDR, testing and "no
// currency"): they are codes, but no price can be stated in them.
var iso4217 = map[string]int8{
	"AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2, "AZN": 2,
	"BAM": 2, "BBD": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2, "BOB": 2,
	"BOV": 2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2,
	"CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP": 0, "CNY": 2, "COP": 2,
	"COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2,
	"DJF": 0, "DKK": 2, "DOP": 2, "DZD": 2,
	"EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2,
	"FJD": 2, "FKP": 2,
	"GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2,
	"HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2,
	"IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "IRR": 2, "ISK": 0,
	"JMD": 2, "JOD": 3, "JPY": 0,
	"KES": 2, "KGS": 2, "KHR": 2, "KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2,
	"LAK": 2, "LBP": 2, "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3,
	"MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2, "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2,
	"MVR": 2, "MWK": 2, "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2,
	"NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2, "NZD": 2,
	"OMR": 3,
	"PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0,
	"QAR": 2,
	"RON": 2, "RSD": 2, "RUB": 2, "RWF": 0,
	"SAR": 2, "SBD": 2, "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2,
	"SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2,
	"THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2,
	"UAH": 2, "UGX": 0, "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2,
	"VED": 2, "VES": 2, "VND": 0, "VUV": 0,
	"WST": 2,
	"XAF": 0, "XCD": 2, "XCG": 2, "XOF": 0, "XPF": 0,
	"YER": 2,
	"ZAR": 2, "ZMW": 2, "ZWG": 2,
	// Minor unit "N.A.": codes, but not currencies a price can be stated in.
	"XAG": -1, "XAU": -1, "XBA": -1, "XBB": -1, "XBC": -1, "XBD": -1, "XDR": -1,
	"XPD": -1, "XPT": -1, "XSU": -1, "XTS": -1, "XUA": -1, "XXX": -1,
}

// MinorUnits returns the number of decimal places of currency code's minor
// unit under ISO 4217 (2 for "USD", 0 for "JPY", 3 for "KWD") and whether
// code is an active ISO 4217 currency a price can be stated in. Codes are
// upper case; "usd" is not a code.
func MinorUnits(code string) (int, bool) {
	n, ok := iso4217[code]
	if !ok || n < 0 {
		return 0, false
	}
	return int(n), true
}

// checkCurrency returns a field error wrapping ErrUnknownCurrency unless code
// is a currency MinorUnits accepts.
func checkCurrency(field, code string) error {
	if _, ok := MinorUnits(code); ok {
		return nil
	}
	rule := "must be an ISO 4217 currency code (upper case, such as USD)"
	if n, known := iso4217[code]; known && n < 0 {
		rule = "must be an ISO 4217 currency with minor units (" + code + " is a metal, fund or test code)"
	}
	return fielderr.New(field, code, rule, ErrUnknownCurrency)
}

// Price is an amount of money per tonne of CO2e in one currency. Amount is
// exact; Currency is an ISO 4217 code. Its JSON form is
// {"amount": "12.50", "currency": "USD"} with the amount as a string.
// Price is a value type, safe for concurrent use.
type Price struct {
	Amount   decimal.Decimal `json:"amount"`
	Currency string          `json:"currency"`
}

// NewPrice returns a price of amount (a plain decimal string such as
// "12.50") in currency, or a field error: ErrUnknownCurrency for a currency
// that is not ISO 4217, ErrInvalidLot for a malformed or negative amount.
func NewPrice(amount, currency string) (Price, error) {
	a, err := dec.Parse(amount)
	if err != nil {
		return Price{}, fielderr.New("amount", amount, "must be a plain decimal: "+err.Error(), ErrInvalidLot)
	}
	p := Price{Amount: a, Currency: currency}
	if err := p.Validate(); err != nil {
		return Price{}, err
	}
	return p, nil
}

// MustPrice is NewPrice for constants known to be valid; it panics on error.
// Use it in examples and tests only.
func MustPrice(amount, currency string) Price {
	p, err := NewPrice(amount, currency)
	if err != nil {
		panic(err)
	}
	return p
}

// Validate checks that the currency is ISO 4217 (ErrUnknownCurrency) and the
// amount is not negative and at most 48 characters long as a plain decimal,
// as JSON carries it (ErrInvalidLot). Errors name "amount" or "currency".
func (p Price) Validate() error {
	if err := checkCurrency("currency", p.Currency); err != nil {
		return err
	}
	if p.Amount.Sign() < 0 {
		return fielderr.New("amount", p.Amount.String(), "must be ≥ 0", ErrInvalidLot)
	}
	if s := p.Amount.String(); len(s) > dec.MaxLen {
		return fielderr.New("amount", s, "must be at most 48 characters as a plain decimal (as its JSON decoder requires)", ErrInvalidLot)
	}
	return nil
}

// String prints the price as "12.50 USD/t", with at least the currency's
// minor-unit places (more when the price has them: "9.125 USD/t").
func (p Price) String() string { return money(p.Amount, p.Currency) + " " + p.Currency + "/t" }

// money prints a with at least the minor-unit places of currency cur.
func money(a decimal.Decimal, cur string) string {
	n, _ := MinorUnits(cur)
	s := a.String()
	places := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		places = len(s) - i - 1
	}
	if places < n {
		return a.StringFixed(int32(n))
	}
	return s
}

type priceJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON encodes the price with its amount as a JSON string.
func (p Price) MarshalJSON() ([]byte, error) {
	return json.Marshal(priceJSON{p.Amount.String(), p.Currency})
}

// UnmarshalJSON decodes {"amount": "12.50", "currency": "USD"}, accepting
// only a plain decimal string for the amount (no exponent, no JSON number).
// The currency is checked by Validate, not here.
func (p *Price) UnmarshalJSON(b []byte) error {
	var raw priceJSON
	if err := strictUnmarshal(b, &raw, ErrInvalidLot); err != nil {
		return err
	}
	a, err := dec.Parse(raw.Amount)
	if err != nil {
		return fielderr.New("amount", raw.Amount, "must be a plain decimal string: "+err.Error(), ErrInvalidLot)
	}
	*p = Price{Amount: a, Currency: raw.Currency}
	return nil
}

// Cost is what a plan costs in one currency: Exact is the exact sum of its
// lines (kilograms ÷ 1000 × price per tonne, unrounded), Amount is Exact
// rounded up (towards +∞) to the currency's minor unit, so the amount
// charged never falls short of the credits' value: 4.0125 USD → 4.02 USD,
// 507 JPY stays 507.
type Cost struct {
	Currency string          `json:"currency"`
	Exact    decimal.Decimal `json:"exact"`
	Amount   decimal.Decimal `json:"amount"`
}

// String prints the rounded amount and currency: "4.02 USD".
func (c Cost) String() string {
	return money(c.Amount, c.Currency) + " " + c.Currency
}
