package validate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/lifecarbon/lifecarbon/internal/fielderr"
	"github.com/shopspring/decimal"
)

var decimalType = reflect.TypeOf(decimal.Decimal{})

type signer interface{ Sign() int }

// instance returns the shared validator, built once. The validator is safe
// for concurrent use after construction.
var instance = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	must(v.RegisterValidation("dpos", func(fl validator.FieldLevel) bool {
		s, ok := sign(fl.Field())
		return ok && s > 0
	}))
	must(v.RegisterValidation("dnonneg", func(fl validator.FieldLevel) bool {
		s, ok := sign(fl.Field())
		return ok && s >= 0
	}))
	must(v.RegisterValidation("dmin", func(fl validator.FieldLevel) bool {
		d, ok := asDecimal(fl.Field())
		lim, err := decimal.NewFromString(fl.Param())
		return ok && err == nil && d.Cmp(lim) >= 0
	}))
	must(v.RegisterValidation("dmax", func(fl validator.FieldLevel) bool {
		d, ok := asDecimal(fl.Field())
		lim, err := decimal.NewFromString(fl.Param())
		return ok && err == nil && d.Cmp(lim) <= 0
	}))
	return v
})

func must(err error) {
	if err != nil {
		panic("validate: " + err.Error()) // programming error at init only
	}
}

func sign(v reflect.Value) (int, bool) {
	if d, ok := asDecimal(v); ok {
		return d.Sign(), true
	}
	if v.CanInterface() {
		if s, ok := v.Interface().(signer); ok {
			return s.Sign(), true
		}
	}
	return 0, false
}

func asDecimal(v reflect.Value) (decimal.Decimal, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return decimal.Decimal{}, false
		}
		v = v.Elem()
	}
	if v.Type() == decimalType {
		return v.Interface().(decimal.Decimal), true
	}
	return decimal.Decimal{}, false
}

// Struct validates s (a struct or pointer to one) and returns nil or the
// first broken rule as a *fielderr.Error wrapping sentinel. Errors are
// reported in field order, so the same input always gives the same error.
func Struct(s any, sentinel error) error {
	err := instance().Struct(s)
	if err == nil {
		return nil
	}
	var ve validator.ValidationErrors
	if !errors.As(err, &ve) || len(ve) == 0 {
		return fielderr.New("", "", err.Error(), sentinel)
	}
	fe := ve[0]
	val, r := value(fe.Value()), rule(fe.Tag(), fe.Param())
	if fe.Tag() == "dpos" { // a zero there is often a missing value
		if s, ok := sign(reflect.ValueOf(fe.Value())); ok && s == 0 {
			r = "is required (must be > 0)" // naming the zero given: "0", "0 kg"
		}
	}
	return fielderr.New(path(fe.Namespace()), val, r, sentinel)
}

// path drops the top-level struct name: "ProductSpec.shipping.legs[1].distance"
// → "shipping.legs[1].distance".
func path(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return ns
}

func value(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	default:
		return fmt.Sprint(v)
	}
}

func rule(tag, param string) string {
	switch tag {
	case "required":
		return "is required"
	case "dpos":
		return "must be > 0"
	case "dnonneg":
		return "must be ≥ 0"
	case "dmin", "min", "gte":
		return "must be ≥ " + param
	case "dmax", "max", "lte":
		return "must be ≤ " + param
	case "gt":
		return "must be > " + param
	case "lt":
		return "must be < " + param
	case "oneof":
		return "must be one of " + strings.ReplaceAll(param, " ", ", ")
	case "len":
		return "must have length " + param
	case "iso3166_1_alpha2":
		return "must be an ISO 3166-1 alpha-2 country code"
	case "iso4217":
		return "must be an ISO 4217 currency code"
	case "url", "http_url":
		return "must be a URL"
	case "uuid", "uuid4":
		return "must be a UUID"
	default:
		if param != "" {
			return "must satisfy " + tag + "=" + param
		}
		return "must satisfy " + tag
	}
}
