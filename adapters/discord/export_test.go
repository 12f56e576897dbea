package discord

// Golden lets the external tests (package discord_test) share golden and
// its -update flag.
var Golden = golden
