// Package offset matches a product's carbon footprint to carbon-offset
// credits: an inventory snapshot and a demand go in, an allocation plan
// comes out. It is pure: nothing is stored, no clock is read, and the same
// inventory and demand always give the same plan. The registry package
// keeps the book of record on top of it.
//
// # Types
//
// Project is an offset project: ID, name, standard (CDM / UN Climate
// Neutral Now, Verra VCS, Gold Standard or any other by name), registry
// link, type (wind, biomass, cookstoves, ...), unit type (avoidance,
// reduction, removal), host country (ISO 3166-1 alpha-2), continent and
// hemisphere (derived from the country's or the project's coordinates
// unless set), methodology, SDGs and description.
//
// Lot is a block of credits of one project and vintage: a SerialBlock of
// registry serial numbers (Verra, Gold Standard or a generic first-last
// range, parsed and printed exactly by ParseSerialBlock and String), whose
// count End − Start + 1 must equal the lot's tonnes; a status (retired into
// the seller's pool, or held); a Price per tonne in an ISO 4217 currency;
// and the gram ranges already allocated. A lot of n tonnes holds n × 10^6
// grams numbered from 0; gram g belongs to serial Start + g/10^6.
//
// Inventory is an immutable, indexed snapshot of projects and lots
// (NewInventory, DecodeInventory, SampleInventory). No serial may belong to
// two of its lots: blocks in one serial namespace (the whole Verra
// registry, whose unit numbers are registry-wide; a Gold Standard issuance
// batch; or for a generic range the lot's project) must not overlap, so a
// credit cannot be sold twice. The serial fields that place a credit in
// a namespace are canonical: first and last serial numbers and Gold
// Standard prefix fields without leading zeros (Verra's identifier fields,
// outside its namespace, are kept as written, zero-padded or not), and a
// block must be exactly what its text parses to, so one credit has one
// spelling. Its lots are kept
// sorted by price and by vintage, overall, per project and per value of
// each project attribute (type, country, ...), and project attributes are
// indexed as bitsets, so matching a demand visits the lots it uses and the
// projects or attribute values it names, not the whole inventory.
//
// Demand asks for an amount of CO2e (a footprint.CO2e, normally a
// footprint's total) for one product serial, with Preferences: a Filter of
// named projects (in order of choice), types, countries, continents,
// hemispheres, standards and unit types; a vintage range or a maximum age
// counted from a reference year the caller passes; a currency and maximum
// price per tonne; retired lots only; a portfolio Split by percentage
// whose shares carry their own filters; a Strategy; and a Rounding rule.
// DecodeDemand reads one from JSON strictly: at most MaxDemandJSON bytes,
// no unknown member, no member given twice or named in another case.
// DecodeInventory holds an inventory to the same rules (at most
// MaxInventoryJSON bytes).
//
// Match returns a Plan: Lines naming, for each allocation, the lot, its
// project, the sub-block of serials, the exact grams within the lot and the
// SerialSpans they cover (whole credits, or part of one credit as a gram
// range such as "941467010 g[250000,758000)"), the amount, the price and
// the exact cost; the total amount; the cost per currency; and the free
// grams each touched lot keeps (Inventory.After gives the whole remaining
// inventory; Inventory.Release undoes a plan). Matcher allocates demand
// after demand from one inventory; MatchBatch and MatchStream do it for a
// batch, in order, with the same results as one-by-one matching.
// Matcher.Apply and Matcher.Release take or free a recorded plan's grams
// in place, as After and Release do for a snapshot, so a book of record
// can replay its journal without copying the inventory.
//
// An inventory records which grams are allocated, not to whom. Release
// therefore frees any grams that are allocated: given a plan that was
// matched but never applied (or already released), it frees grams another
// plan holds, and the next match can sell those credits a second time.
// Keep plans in a book of record next to the inventory and release only a
// plan recorded there as applied and not yet released; registry.Registry is
// that book of record, and releases by product serial.
//
// # Strategies
//
// Cheapest (the default when no project is named) uses the lowest price
// first, then the oldest vintage; Oldest uses the oldest vintage first, then
// the lowest price; Closest ranks projects by the great-circle distance
// (footprint.GreatCircle) between the representative points of the country
// of use and of the project's country; BuyerOrder (the default when
// projects are named) follows the buyer's list. Every order ends with the
// lot ID, and within a lot the lowest free grams go first, so plans are
// deterministic. Cheapest never compares prices in different currencies:
// when the allowed lots are priced in several, the demand must name one
// (ErrMixedCurrencies). A price cap in one currency excludes lots priced in
// any other; no exchange rates are applied.
//
// # Rounding and precision
//
// All quantities are exact: grams are int64, prices and costs are
// shopspring decimals, never floats (the one float computation is the
// great-circle distance, used only to order projects). A demand is first
// rounded up to the whole gram, then up under its Rounding rule: to the
// gram (default), to the whole kilogram, to a multiple of a step, or to the
// smallest of a list of tiers at least as large (508 kg with tiers
// 500/1000/1500 kg → 1000 kg; a demand above the largest tier is an
// error). Offsets always round up: a plan never covers less than its
// demand, and its Amount is exactly the sum of its lines. A split divides
// the rounded grams by the largest-remainder method, so each share is
// within one gram of its exact percentage and the shares add up exactly.
// A line's cost is exact (grams ÷ 10^6 × price per tonne); a plan's Cost
// per currency keeps that exact sum and an Amount rounded up (towards +∞)
// to the currency's ISO 4217 minor unit (2.5987595 USD → 2.60 USD;
// 0 places for JPY, 3 for KWD), once, at the total.
//
// # Errors
//
// Bad input is a *footprint.FieldError naming the field path, the value
// and the rule, wrapping a sentinel: ErrInvalidProject, ErrInvalidLot,
// ErrInvalidSerial (malformed serial block), ErrSerialCount (block count
// disagrees with tonnes), ErrUnknownCurrency, ErrUnknownCountry,
// ErrInvalidInventory, ErrInvalidDemand (including a zero or negative
// amount), ErrInvalidPlan (plan JSON with an unknown, repeated or
// other-case member, or a decimal that is not a plain decimal string, and
// Line.Validate's error for a line that does not agree with itself),
// ErrMixedCurrencies. A demand the inventory cannot cover is an
// *UnmetError wrapping ErrUnmet: it gives the amount asked, what is
// available under each constraint alone and cumulatively (in a fixed
// order, starting with the free stock), and the binding constraint — the
// first whose cumulative availability falls below the amount asked. A
// failed match takes nothing. ErrConflict reports a plan applied to an
// inventory whose grams it cannot take or give back, or whose lot of the
// same ID has another project, vintage or serials than the plan's line (a
// plan made against another inventory), or a plan that does not agree with
// itself (a line's serials or amount are not what its grams give, or the
// plan's amount is not the sum of its lines'). Nothing panics on input.
//
// # Concurrency
//
// Project, Lot, Demand, Plan and the other value types are plain values.
// Inventory is immutable and safe for concurrent use (Match may be called
// from many goroutines on one snapshot; each gets the plan that snapshot
// allows, so a caller allocating for real must serialise through one
// Matcher or a book of record). A Matcher is not safe for concurrent use.
// The package has no mutable package-level state; the embedded sample is
// parsed once and immutable.
//
// # Sample data
//
// SampleInventory, SampleProjects and SampleLots return SAMPLE DATA:
// invented projects and lots (biomass and wind in India, waste-to-energy
// in Thailand, cookstoves in Kenya, REDD+ in Brazil, solar in Chile, landfill
// gas in the US, reforestation in Australia) for examples, tests and the
// quickstart. They are not real projects or credits.
package offset
