package footprint

import (
	"io"
	"strings"
	"text/tabwriter"
)

// Table renders the footprint as a plain-text table for terminals and
// notebooks: one row per line (stage, line, activity, factor, kg CO2e, share
// of the total), a subtotal row per stage and the total with its range.
// Figures are rounded once, for display, half away from zero to
// DisplayPlaces decimal places of a kg; shares to one decimal place of a
// percent (rounded shares need not add up to exactly 100). The footprint's
// stored figures are unchanged. An activity is shown rounded to three
// decimal places with its basis ("0.5 kg", "9.172 tkm", "2 items"), and a
// line priced by a linear factor with the attribute each item was priced
// at ("1 item × 0.0568 m2"). Rows carry no trailing spaces.
func (f Footprint) Table() string {
	var b strings.Builder
	_ = f.WriteTable(&b) // a strings.Builder never fails
	return b.String()
}

// WriteTable writes Table's rendering to w.
func (f Footprint) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...string) {
		// trailing empty cells are left out and the last cell ends the
		// row without a tab, so no row ends in padding
		for len(cells) > 1 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		io.WriteString(tw, strings.Join(cells, "\t")+"\n")
	}
	title := f.Manufacturer + " " + f.Model
	if f.Serial != "" {
		title += " (serial " + f.Serial + ")"
	}
	io.WriteString(w, title+"\n")
	row("stage", "line", "activity", "factor", "kg CO2e", "share")
	for _, s := range f.Stages {
		for _, l := range s.Lines {
			factor := l.Factor.ID
			if l.Factor.Boundary != "" {
				factor += " (" + string(l.Factor.Boundary) + ")"
			}
			if l.Factor.Fallback {
				factor += " [fallback " + strings.Join(l.Factor.FallbackPath, "→") + "]"
			}
			row(string(s.Name), l.Label, fmtActivity(&l), factor, fmtKg(l.CO2e), fmtShare(l.CO2e, f.CO2e))
		}
		row(string(s.Name), "subtotal", "", "", fmtKg(s.CO2e), fmtShare(s.CO2e, f.CO2e))
	}
	row("total", "", "", "", fmtKg(f.CO2e), fmtShare(f.CO2e, f.CO2e))
	row("range", "", "", "", fmtKg(f.Low)+" – "+fmtKg(f.High), "")
	if c := f.RecyclingCredit; c != nil {
		row("not in total", c.Label, fmtActivity(c), c.Factor.ID, fmtKg(c.CO2e), "")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "dataset "+f.Dataset.Name+" "+f.Dataset.Version+"; "+string(f.Method.Boundary)+", radiative forcing "+string(f.Method.RadiativeForcing)+"; input "+f.InputDigest+"\n")
	return err
}

// fmtActivity prints a line's activity: its amount rounded half away from
// zero to three places, then its basis; items are plural unless the
// amount shown is 1. A line priced by a linear factor adds the attribute
// each item was priced at, rounded to four places, in the factor's basis
// ("2 items × 4.4693 cm2").
func fmtActivity(l *Line) string {
	amount := l.Activity.Amount.Round(3).String()
	basis := string(l.Activity.Basis)
	if l.Activity.Basis == PerItem && amount != "1" {
		basis = "items"
	}
	s := amount + " " + basis
	if !l.AttributeValue.IsZero() && l.Factor != nil {
		s += " × " + l.AttributeValue.Round(4).String() + " " + string(l.Factor.Basis)
	}
	return s
}

func fmtKg(c CO2e) string { return RoundForDisplay(c).StringFixed(DisplayPlaces) }

func fmtShare(part, total CO2e) string {
	if total.IsZero() {
		return ""
	}
	return sharePercent(part, total).StringFixed(1) + " %"
}
