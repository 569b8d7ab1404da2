package certificate

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Badge geometry, in SVG user units.
const (
	badgeWidth  = 360
	badgeHeight = 132
	textX       = 84
	textRight   = badgeWidth - 12
)

// Badge verifies the certificate (Verify with opts) and, if it verifies,
// returns an SVG badge showing the offset in kg, the project types, the
// product serial, the short certificate ID and a check mark: the mark is
// only ever drawn on a verified certificate. Every caller-supplied string
// is XML-escaped (characters XML cannot hold become U+FFFD), long strings
// are shortened with "…", and a line that might still overflow is fitted
// to the badge with textLength. The SVG holds no script and no external
// reference.
func (c *Certificate) Badge(opts VerifyOptions) ([]byte, error) {
	if err := c.Verify(opts); err != nil {
		return nil, err
	}
	return c.badge(), nil
}

func (c *Certificate) badge() []byte {
	var b bytes.Buffer
	kg := displayKg(c.TotalOffset.Kg())
	types := c.projectTypes()
	label := "Carbon offset certificate " + c.ShortID() + ": " + kg + " CO2e offset for product " + c.Product.Serial
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		badgeWidth, badgeHeight, badgeWidth, badgeHeight, xmlEscape(label))
	fmt.Fprintf(&b, `<title>%s</title>`, xmlEscape(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" rx="12" fill="#0b6e4f"/>`, badgeWidth, badgeHeight)
	b.WriteString(`<g class="verified-mark"><circle cx="42" cy="66" r="26" fill="#ffffff"/>` +
		`<path d="M29 67 l9 9 l18 -19" stroke="#0b6e4f" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" fill="none"/></g>`)
	line := func(y, size int, weight, text string) {
		text = shorten(text, 40)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="%d" font-weight="%s" fill="#ffffff"`, textX, y, size, weight)
		if estimateWidth(text, size, weight == "bold") > textRight-textX {
			fmt.Fprintf(&b, ` textLength="%d" lengthAdjust="spacingAndGlyphs"`, textRight-textX)
		}
		fmt.Fprintf(&b, `>%s</text>`, xmlEscape(text))
	}
	line(28, 13, "bold", "Verified carbon offset")
	line(56, 22, "bold", kg+" CO₂e")
	line(80, 12, "normal", typesLabel(types)+shorten(types, 26))
	line(100, 12, "normal", "Serial: "+shorten(c.Product.Serial, 30))
	line(120, 11, "normal", "Certificate "+c.ShortID())
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// displayKg prints a kg figure for the badge: exact to the gram (a plan
// covers whole grams, so its total always shows exactly); a figure with a
// fraction of a gram is cut down to the gram and marked "≥", so the badge
// never claims more than was covered ("≥ 259.647 kg" for 259.6475 kg;
// "< 0.001 kg" for less than a gram).
func displayKg(kg decimal.Decimal) string {
	r := kg.RoundFloor(3)
	switch {
	case r.Equal(kg):
		return kg.String() + " kg"
	case r.Sign() == 0:
		return "< 0.001 kg"
	}
	return "≥ " + r.String() + " kg"
}

// typesLabel labels the project types: the line shows what kind of
// project the credits come from, not a project's name.
func typesLabel(types string) string {
	if strings.Contains(types, ", ") {
		return "Project types: "
	}
	return "Project type: "
}

// projectTypes lists the distinct project types of the offset lines.
func (c *Certificate) projectTypes() string {
	var seen []string
	for _, l := range c.Offsets {
		found := false
		for _, s := range seen {
			if s == l.Type {
				found = true
			}
		}
		if !found {
			seen = append(seen, l.Type)
		}
	}
	return strings.Join(seen, ", ")
}

// shorten cuts s to at most n runes, ending in "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// estimateWidth overestimates the rendered width of s: 0.62 em per narrow
// rune (0.68 bold), 1.05 em per wide (East Asian, emoji) rune.
func estimateWidth(s string, size int, bold bool) int {
	em := 0.0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || r >= 0x1F000 || (r >= 0xFF00 && r <= 0xFFEF)):
			em += 1.05
		case bold:
			em += 0.68
		default:
			em += 0.62
		}
	}
	return int(em*float64(size)) + 1
}

// xmlEscape escapes s for XML character data and attribute values
// (& < > " ' and tab, newline, carriage return as character references);
// characters XML 1.0 cannot hold become U+FFFD.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carbon offset certificate {{.C.ShortID}}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 2rem auto; max-width: 52rem; color: #1c2b24; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #c9d6cf; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #eef4f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { word-break: break-all; }
</style>
</head>
<body>
<header>
<div class="badge">{{.Badge}}</div>
<h1>Carbon offset certificate</h1>
<p>Certificate <code>{{.C.ID}}</code>, issued {{.Issued}} by {{.C.Issuer.Name}}{{with .C.Issuer.URL}} (<a href="{{.}}">{{.}}</a>){{end}}.
Signature verified: {{.C.Signature.Alg}}, key <code>{{.C.Signature.KeyID}}</code>.</p>
</header>
<h2>Product</h2>
<table>
<tr><th>Manufacturer</th><td>{{.C.Product.Manufacturer}}</td></tr>
<tr><th>Model</th><td>{{.C.Product.Model}}</td></tr>
<tr><th>Serial number</th><td><code>{{.C.Product.Serial}}</code></td></tr>
</table>
<h2>Footprint</h2>
<table>
<tr><th>Stage</th><th>CO₂e</th></tr>
{{range .C.Footprint.Stages}}<tr><td>{{.Stage}}</td><td class="num">{{.Total}}</td></tr>
{{end}}<tr><th>Total</th><th class="num">{{.C.Footprint.Total}}</th></tr>
<tr><td>Range</td><td class="num">{{.C.Footprint.Low}} – {{.C.Footprint.High}}</td></tr>
</table>
<p>Emission factors: {{.C.Footprint.Dataset.Name}} {{.C.Footprint.Dataset.Version}}. Input digest <code>{{.C.Footprint.InputDigest}}</code>.</p>
<h2>Offsets</h2>
<table>
<tr><th>Project</th><th>Standard</th><th>Type</th><th>Country</th><th>Vintage</th><th>Credits (serial: grams)</th><th>CO₂e</th></tr>
{{range .C.Offsets}}<tr><td>{{.Project}}{{with .ProjectName}}<br>{{.}}{{end}}</td><td>{{.Standard}}</td><td>{{.Type}}</td><td>{{.Country}}</td><td>{{.Vintage}}</td>
<td>{{range .Credits}}<code>{{.Serial}}</code>: {{.Grams}} g<br>{{end}}</td><td class="num">{{.Amount}}</td></tr>
{{end}}<tr><th colspan="6">Total offset</th><th class="num">{{.C.TotalOffset}}</th></tr>
</table>
{{with .C.Tier}}<p>Tier sold: {{.Name}} ({{.Amount}}).</p>{{end}}
{{with .C.Beneficiary}}<p>Retired on behalf of {{.}}.</p>{{end}}
</body>
</html>
`))

// Page verifies the certificate (Verify with opts) and, if it verifies,
// returns an HTML page (html/template, so every caller-supplied string is
// escaped for its context) showing the certificate with its badge inline.
// The page carries a Content-Security-Policy that forbids scripts and
// external loads.
func (c *Certificate) Page(opts VerifyOptions) ([]byte, error) {
	if err := c.Verify(opts); err != nil {
		return nil, err
	}
	return c.page()
}

func (c *Certificate) page() ([]byte, error) {
	var b bytes.Buffer
	err := pageTemplate.Execute(&b, struct {
		C      *Certificate
		Badge  template.HTML
		Issued string
	}{c, template.HTML(c.badge()), c.IssuedAt.UTC().Format(time.RFC3339) + " (UTC)"})
	if err != nil {
		return nil, fmt.Errorf("certificate: rendering the page: %w", err)
	}
	return b.Bytes(), nil
}
