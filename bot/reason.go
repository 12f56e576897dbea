package bot

import "context"

// ErrorReason names why a model call failed, as a fallback reason
// (FallbackTimeout, FallbackRateLimited, ...): a bounded set, fit for a
// metric's label.
func ErrorReason(ctx context.Context, err error) string { return fallbackReason(ctx, err) }
