package footprint

import (
	"embed"
	"io/fs"
	"sort"
	"strconv"
	"sync"

	"github.com/lifecarbon/lifecarbon/internal/fielderr"
)

// Name and version of the embedded default dataset.
const (
	DefaultDatasetName    = "lifecarbon-default"
	DefaultDatasetVersion = "2026.2"
)

//go:embed data/*.csv
var defaultData embed.FS

// DefaultDataset returns the embedded default dataset ("lifecarbon-default",
// version DefaultDatasetVersion): grid electricity intensities per country
// with a WORLD fallback, freight factors per mode and boundary, component
// factors for a laptop bill of materials (CPU, memory, storage, mainboard,
// power supply, battery per Wh, assembly), materials per kg for chassis,
// parts and packaging (UK DESNZ 2025: "material.aluminium",
// "material.aluminium-recycled", "material.steel", "material.plastic",
// "material.plastic-film", "material.cardboard", "material.paper",
// "material.glass"), a display-by-area factor ("component.display", per m²
// of screen, derived from whole computer monitors: see its description),
// whole-device fallbacks and an end-of-life factor. Every factor
// carries its source and licence; the CSV files it is built from live in the
// module's footprint/data folder.
//
// It is parsed once, on first use, and shared: the Dataset is immutable and
// safe for concurrent use.
func DefaultDataset() *Dataset { return defaultDataset() }

var defaultDataset = sync.OnceValue(func() *Dataset {
	d, err := loadDefault(defaultData)
	if err != nil {
		// The embedded files are part of the build and tested; a failure
		// here is a programming error, never bad caller input.
		panic("footprint: embedded default dataset: " + err.Error())
	}
	return d
})

// loadDefault reads every data/*.csv file of fsys, in name order, into one
// dataset. Errors name the file and row.
func loadDefault(fsys fs.FS) (*Dataset, error) {
	names, err := fs.Glob(fsys, "data/*.csv")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var factors []Factor
	var where []string
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		fs, lines, err := parseFactorsCSV(b)
		if err != nil {
			return nil, fielderr.Prefix(name, err)
		}
		factors = append(factors, fs...)
		for _, l := range lines {
			where = append(where, name+" row "+strconv.Itoa(l))
		}
	}
	d, err := newDataset(DefaultDatasetName, DefaultDatasetVersion, factors, func(i int) string { return where[i] })
	if err != nil {
		return nil, csvFieldNames(err)
	}
	return d, nil
}
