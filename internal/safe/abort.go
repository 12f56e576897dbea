package safe

import "net/http"

// isAbort reports whether v is net/http's deliberate abort of a response.
func isAbort(v any) bool {
	err, ok := v.(error)
	return ok && err == http.ErrAbortHandler
}
