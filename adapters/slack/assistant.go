package slack

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/newsbot/newsbot/internal/logctx"
)

// The assistant surface: Slack's split view where a user talks with the
// app in threads of its DM. A new thread gets a greeting and suggested
// prompts; while an answer is written the thread shows a status; the
// first question names the thread; answers stream (see streamTarget).

// greeting is the first message of an assistant thread.
const greeting = "Hi! Ask me about the news: I answer from the articles I have and cite them. Follow-ups in this thread keep the conversation."

// busyStatus is shown under the thread while newsbot answers ("newsbot
// is reading the news…"); the next message from newsbot clears it.
const busyStatus = "is reading the news…"

// maxPromptTitle bounds a suggested prompt's title (Slack shows about a
// line of it).
const maxPromptTitle = 40

// assistantStarted greets a new assistant thread and sets its suggested
// prompts. It returns false when the adapter is shutting down.
func (a *Adapter) assistantStarted(ctx context.Context, ws *workspace, t slackevents.AssistantThread) bool {
	if t.ChannelID == "" || t.ThreadTimeStamp == "" {
		return true
	}
	a.assistant.add(threadKey(ws.team, t.ChannelID, t.ThreadTimeStamp))
	ctx, _ = logctx.WithRequestID(ctx)
	lg := a.log.With("team", ws.team, "channel", t.ChannelID, "user", t.UserID, "assistant", true)
	lg.InfoContext(ctx, "assistant thread started")
	out := &threadTarget{api: ws.api, channel: t.ChannelID, thread: t.ThreadTimeStamp}
	return a.start(ctx, lg, nil, func(ctx context.Context) {
		a.send(ctx, lg, out, renderNotice(greeting))
		params := slack.AssistantThreadsSetSuggestedPromptsParameters{
			Title: "Try one of these:", ChannelID: t.ChannelID, ThreadTS: t.ThreadTimeStamp, Prompts: a.suggestedPrompts(ctx, lg),
		}
		if err := ws.api.SetAssistantThreadsSuggestedPromptsContext(ctx, params); err != nil {
			lg.WarnContext(ctx, "assistant.threads.setSuggestedPrompts", "err", err)
		}
	})
}

// suggestedPrompts are "What's new today?", "Latest on …" for the two
// newest headlines, and the help.
func (a *Adapter) suggestedPrompts(ctx context.Context, lg *slog.Logger) []slack.AssistantThreadsPrompt {
	ps := []slack.AssistantThreadsPrompt{{Title: "What's new today?", Message: "What's new today?"}}
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	hs, err := a.bot.Latest(hctx, "", 2)
	if err != nil {
		lg.WarnContext(ctx, "latest headlines for the suggested prompts", "err", err)
	}
	for _, h := range hs {
		title := promptText(h.Title)
		if title == "" {
			continue
		}
		ps = append(ps, slack.AssistantThreadsPrompt{
			Title:   truncate("Latest on "+title, maxPromptTitle),
			Message: "What is the latest on “" + truncate(title, 200) + "”?",
		})
	}
	return append(ps, slack.AssistantThreadsPrompt{Title: "What can you do?", Message: "help"})
}

// promptText makes a headline safe for a prompt, which Slack shows as
// plain text and, when clicked, sends as the user's message: one line,
// no < or > (no markup can form), broadcast words neutralised.
func promptText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("<", "‹", ">", "›").Replace(s)
	return neutralize(validUTF8(s))
}

// assistantBusy shows the status while newsbot answers req, and names the
// thread after its first question (or headlines asked for), once.
func (a *Adapter) assistantBusy(ctx context.Context, lg *slog.Logger, api webAPI, channel, thread string, req request, key string) {
	if thread == "" {
		return
	}
	status := slack.AssistantThreadsSetStatusParameters{ChannelID: channel, ThreadTS: thread, Status: busyStatus}
	if err := api.SetAssistantThreadsStatusContext(ctx, status); err != nil {
		lg.WarnContext(ctx, "assistant.threads.setStatus", "err", err)
	}
	if req.kind == "help" || a.titled.has(key) {
		return
	}
	a.titled.add(key)
	name := req.text
	if req.kind == "latest" {
		name = "The latest news"
		if req.text != "" {
			name = "Latest on " + req.text
		}
	}
	title := slack.AssistantThreadsSetTitleParameters{ChannelID: channel, ThreadTS: thread, Title: truncate(promptText(name), 60)}
	if err := api.SetAssistantThreadsTitleContext(ctx, title); err != nil {
		lg.WarnContext(ctx, "assistant.threads.setTitle", "err", err)
	}
}
