package discord

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxSignatureAge is how old (or how far in the future) a signed
// interaction request may be; older ones are refused as replays.
const maxSignatureAge = 5 * time.Minute

// maxInteractionBody bounds the size of an interaction request.
const maxInteractionBody = 1 << 20

// InteractionsHandler serves Discord's HTTP interactions (mount it at POST
// /discord/interactions and enter that URL as the Interactions Endpoint URL
// in the Developer Portal). Every request must carry a valid Ed25519
// signature of the application's public key over its timestamp and body;
// a missing, forged or stale signature (more than five minutes off), or a
// replayed interaction, gets 401. PINGs get a PONG; slash commands are
// answered like those received over the gateway, the answers in flight
// counted by Run's graceful shutdown. Without a public key the handler
// answers 404.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(a.cfg.PublicKey) == 0 {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxInteractionBody)
		if !discordgo.VerifyInteraction(r, a.cfg.PublicKey) {
			a.log.Warn("interaction refused: bad signature", "remote", r.RemoteAddr)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		ts, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
		if age := a.now().Sub(time.Unix(ts, 0)); err != nil || age > maxSignatureAge || age < -maxSignatureAge {
			a.log.Warn("interaction refused: stale timestamp", "remote", r.RemoteAddr)
			http.Error(w, "stale request timestamp", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		if i.Type != discordgo.InteractionPing && (i.ID == "" || a.seen.put(i.ID, "")) {
			a.log.Warn("interaction refused: replayed", "interaction", i.ID)
			http.Error(w, "replayed interaction", http.StatusUnauthorized)
			return
		}
		resp, finish := a.interaction(&i)
		if resp == nil {
			http.Error(w, "unsupported interaction type", http.StatusBadRequest)
			return
		}
		var done func()
		if finish != nil {
			ctx, d, ok := a.begin(r.Context())
			if !ok {
				resp = renderText("I'm restarting; please ask again in a minute.")[0].response(discordgo.MessageFlagsEphemeral)
				finish = nil
			} else {
				done = d
				defer func() { go func() { defer done(); finish(ctx) }() }()
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(resp); err != nil {
			a.log.Warn("write interaction response failed", "err", err)
		}
		// The follow-up edits the response, so send it before starting.
		http.NewResponseController(w).Flush()
	})
}
