package discord_test

// Message flags, as on the wire.
const (
	suppressEmbeds = 1 << 2
	ephemeral      = 1 << 6
)
