// Package dec parses and formats exact decimals strictly. It never touches
// shopspring/decimal's package-level settings.
package dec
