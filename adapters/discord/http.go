package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot/newsbot/internal/logctx"
	"github.com/newsbot/newsbot/internal/safe"
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
// counted by Run's graceful shutdown. A panic while decoding or answering
// is recovered and logged with its stack, and the user gets an apology.
// Without a public key the handler answers 404.
func (a *Adapter) InteractionsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A panic in decoding or dispatching gets the user an apology
		// (below); one anywhere else a 500.
		if err := safe.Do(r.Context(), a.log, "discord interactions endpoint", func() { a.serveInteraction(w, r) }); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	})
}

// serveInteraction serves one request of the interactions endpoint.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
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
	// One request id for every line about this interaction, the bot's too.
	ctx, _ := logctx.WithRequestID(r.Context())
	var d dispatched
	if err := safe.Do(ctx, a.log, "discord interaction dispatch", func() { d = a.dispatch(ctx, body) }); err != nil {
		d = dispatched{resp: apologyResponse()}
		var probe struct {
			Type discordgo.InteractionType `json:"type"`
		}
		if json.Unmarshal(body, &probe) == nil {
			d.resp = apologyFor(&discordgo.Interaction{Type: probe.Type})
		}
	}
	if d.status != 0 {
		http.Error(w, d.refusal, d.status)
		return
	}
	resp, finish := d.resp, d.finish
	var done func()
	if finish != nil {
		ctx, dn, ok := a.begin(ctx)
		if !ok {
			resp = renderText("I'm restarting; please ask again in a minute.")[0].response(discordgo.MessageFlagsEphemeral)
			finish = nil
		} else {
			done = dn
			defer func() {
				go func() {
					defer done()
					if err := safe.Do(ctx, a.log, "discord interaction answer", func() { finish(ctx) }); err != nil {
						a.apologise(ctx, &interactionReply{a: a, i: d.i})
					}
				}()
			}()
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(wireResponse(resp)); err != nil {
		a.log.WarnContext(ctx, "write interaction response failed", "err", err)
	}
	// The follow-up edits the response, so send it before starting.
	http.NewResponseController(w).Flush()
}

// dispatched is what to do with an interaction received over HTTP: refuse
// it (status and refusal set), or respond with resp and then run finish
// (when not nil).
type dispatched struct {
	status  int
	refusal string
	i       *discordgo.Interaction
	resp    *discordgo.InteractionResponse
	finish  func(ctx context.Context)
}

// dispatch decodes an interaction whose signature was checked and decides
// its response: 400 when it is malformed or of a type the adapter does not
// handle, 401 when it was seen before.
func (a *Adapter) dispatch(ctx context.Context, body []byte) dispatched {
	i, channel, err := decodeInteraction(body)
	if err != nil {
		return dispatched{status: http.StatusBadRequest, refusal: "malformed interaction"}
	}
	if i.Type != discordgo.InteractionPing && (i.ID == "" || a.seen.put(i.ID, "")) {
		a.log.WarnContext(ctx, "interaction refused: replayed", "interaction", i.ID)
		return dispatched{status: http.StatusUnauthorized, refusal: "replayed interaction"}
	}
	ctx, cancel := context.WithTimeout(ctx, responseTimeout)
	defer cancel()
	resp, finish := a.interaction(ctx, i, channel)
	if resp == nil {
		return dispatched{status: http.StatusBadRequest, refusal: "unsupported interaction type"}
	}
	return dispatched{i: i, resp: resp, finish: finish}
}
