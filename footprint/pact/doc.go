// Package pact exports a lifecarbon footprint as a WBCSD PACT (Partnership
// for Carbon Transparency) Technical Specifications v2.3 ProductFootprint,
// the JSON data model of the PACT data exchange protocol, and checks a
// ProductFootprint against the v2.3 rules.
//
// It is a package of its own because it is one export format with its own
// vocabulary (ProductFootprint, CarbonFootprint, DataQualityIndicators,
// URN identifiers, percent numbers); callers that do not exchange PACT data
// never see those types, and footprint stays free of them.
//
// Export. PACT v2 has no "piece" declared unit, so a product is declared per
// kilogram of product: declaredUnit "kilogram", unitaryProductAmount the
// product's mass in kg, productMassPerDeclaredUnit "1", and every emission
// figure per kg of product (the footprint's figure ÷ the mass, rounded half
// away from zero to 6 decimal places, the one rounding the export does).
// The figure exported is cradle to gate, as PACT footprints are: the
// manufacture stage (bill of materials, packaging, assembly, or the
// declared figure), plus the transport stage when Options.IncludeTransport
// says the legs lead to the reporting company's gate; use and end of life
// are after the gate and never included (the comment gives the whole life
// cycle's total), nor is a recycling credit.
// lifecarbon does not split biogenic emissions: fossilGhgEmissions equals
// pCfExcludingBiogenic, and the carbon contents are "0" (not assessed,
// which the comment says) unless Options.CarbonContent declares them. Nor does it model biogenic or land-use
// emissions: for a reference period that includes 2025 or later, when
// PACT requires them, Options.Biogenic must give the reporting company's
// declared dLUC, land management, other biogenic and withdrawal figures and
// accounting methodology; Export computes pCfIncludingBiogenic from them
// and refuses the period without them. Every dataset factor is secondary data:
// secondaryEmissionFactorSources lists the dataset layers (name and
// version) whose factors the lines inside the gate used, and is left out
// when none did (a declared figure alone). A declared figure records no
// GWP basis, which PACT requires (ipccCharacterizationFactorsSources):
// with one inside the gate, Options.DeclaredGWP must state it; the export
// does not guess. Everything that identifies the
// footprint (its UUID, the creation time, the company and product
// identifiers, the reference period, data-quality figures) comes in
// through Options: the export reads no clock and draws no random numbers,
// so the same inputs give byte-identical JSON.
//
// Decimal-valued fields are JSON strings; the percent fields
// (exemptedEmissionsPercent, primaryDataShare, dqi.coveragePercent) and the
// data-quality ratings are JSON numbers, as v2.3 specifies.
//
// Errors are *footprint.FieldError values naming the PACT field
// ("pcf.primaryDataShare") and wrapping ErrInvalid. Everything here is safe
// for concurrent use.
package pact
