package analysis

import "strings"

// IsPlaceName reports whether name (any case, single-spaced) is a country,
// US state or city of the built-in gazetteers.
func IsPlaceName(name string) bool {
	key := strings.TrimSuffix(strings.ToLower(name), ".")
	return countryNames.names[key] || stateNames.names[key] || cityNames.names[key] || countryNames.names[key+"."]
}
