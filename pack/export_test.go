package pack

// CacheLen reports how many formats the package-level cache holds.
func CacheLen() int {
	n := 0
	cache.Range(func(_, _ any) bool { n++; return true })
	return n
}

const CacheCap = cacheCap
