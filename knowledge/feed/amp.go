package feed

import (
	"net/url"
	"strings"
)

// DeAMP returns the ordinary page behind an AMP URL, so that the AMP and
// the regular version of a story are one article: Google's AMP cache and
// viewer URLs are unwrapped, an "amp." host prefix, an "/amp" first or last
// path segment and an ".amp" (".amp.html") suffix are removed, and amp /
// outputType=amp query parameters are dropped. Other URLs come back as they
// are. A page's own canonical link, when it has one, is better evidence and
// is preferred by the poller; this is for items whose page cannot be read.
//
// DeAMP is idempotent: its result has no AMP form left to remove.
func DeAMP(raw string) string {
	// Each step removes one layer; AMP forms can be nested
	// ("/amp/amp/story", a cache URL of an "amp." host).
	for range maxAMPLayers {
		next := deAMPOnce(raw)
		if next == raw {
			return raw
		}
		raw = next
	}
	return raw
}

// maxAMPLayers bounds the layers of AMP DeAMP removes.
const maxAMPLayers = 64

// deAMPOnce removes the outermost AMP forms of raw.
func deAMPOnce(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	// https://www-example-com.cdn.ampproject.org/c/s/www.example.com/path
	if strings.HasSuffix(host, ".cdn.ampproject.org") {
		p := strings.TrimPrefix(u.Path, "/")
		for _, prefix := range []string{"c/s/", "v/s/", "i/s/", "c/", "v/", "i/"} {
			if strings.HasPrefix(p, prefix) {
				scheme := "https"
				if !strings.Contains(prefix, "s/") {
					scheme = "http"
				}
				if inner, err := url.Parse(scheme + "://" + strings.TrimPrefix(p, prefix)); err == nil && inner.Host != "" {
					inner.RawQuery = u.RawQuery
					return inner.String()
				}
			}
		}
		return raw
	}
	// https://www.google.com/amp/s/www.example.com/path
	if (host == "google.com" || host == "www.google.com") && strings.HasPrefix(u.Path, "/amp/") {
		p := strings.TrimPrefix(u.Path, "/amp/")
		scheme := "http"
		if strings.HasPrefix(p, "s/") {
			scheme, p = "https", strings.TrimPrefix(p, "s/")
		}
		if inner, err := url.Parse(scheme + "://" + p); err == nil && inner.Host != "" {
			inner.RawQuery = u.RawQuery
			return inner.String()
		}
		return raw
	}
	changed := false
	// The prefix is tested on u.Host itself, the string it is cut from.
	if hasPrefixFold(u.Host, "amp.") && strings.Count(host, ".") >= 2 {
		u.Host = "www." + u.Host[len("amp."):]
		changed = true
	}
	segs := strings.Split(u.Path, "/")
	switch {
	case len(segs) > 2 && segs[len(segs)-1] == "amp":
		segs = segs[:len(segs)-1]
		changed = true
	case len(segs) > 2 && segs[len(segs)-1] == "" && segs[len(segs)-2] == "amp":
		segs = segs[:len(segs)-2]
		changed = true
	case len(segs) > 2 && segs[1] == "amp":
		segs = append(segs[:1], segs[2:]...)
		changed = true
	}
	if last := segs[len(segs)-1]; strings.HasSuffix(last, ".amp") || strings.HasSuffix(last, ".amp.html") {
		last = strings.TrimSuffix(last, ".html")
		last = strings.TrimSuffix(last, ".amp")
		if strings.HasSuffix(segs[len(segs)-1], ".amp.html") {
			last += ".html"
		}
		segs[len(segs)-1] = last
		changed = true
	}
	if changed {
		u.Path = strings.Join(segs, "/")
		u.RawPath = ""
	}
	q := u.Query()
	for k, vs := range q {
		lk := strings.ToLower(k)
		if lk == "amp" || (lk == "outputtype" && len(vs) == 1 && strings.EqualFold(vs[0], "amp")) {
			q.Del(k)
			changed = true
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = q.Encode()
	return u.String()
}
