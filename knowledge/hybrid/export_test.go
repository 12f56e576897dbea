package hybrid

// TopCosineForBench exposes the semantic scan to the benchmarks.
func TopCosineForBench(q []float32, docs []int64, data []float32, dim, n int) int {
	return len(topCosine(q, docs, data, dim, n, func(int64) bool { return true }))
}
