package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/chzyer/readline"

	"github.com/newsbot/newsbot/bot"
	"github.com/newsbot/newsbot/internal/safe"
)

// Asker is the part of the bot the terminal uses.
type Asker interface {
	Ask(ctx context.Context, q bot.Question) (*bot.Answer, error)
	Latest(ctx context.Context, topic string, n int) ([]bot.Headline, error)
}

// REPL reads questions line by line and prints answers. On a terminal
// (Interactive) it offers line editing, history and a prompt; otherwise it
// prints nothing but the answers, one per input line, so it can be scripted.
type REPL struct {
	Bot Asker
	In  io.Reader
	Out io.Writer
	// Interactive turns on line editing, the prompt and the greeting.
	Interactive bool
	// HistoryFile keeps line history between sessions (interactive only).
	HistoryFile string
	// Greeting is printed first in interactive mode.
	Greeting string
	// Logger receives causes of errors; nil discards them.
	Logger *slog.Logger
	// Question is the template for each question: its filters and Mode
	// apply to every question asked (:mode changes Mode).
	Question bot.Question
	// Feeds, when set, prints the state of the polled feeds (:feeds).
	Feeds func(ctx context.Context, w io.Writer) error
	// Notice, when set, is asked before each line is handled for news to
	// print first (e.g. that the feeds cannot be reached); "" for none.
	Notice func() string
	// LLM tells :mode that a language model is configured.
	LLM bool

	last    *bot.Answer
	history []string
}

// maxHistory is how many earlier questions follow-ups may refer to.
const maxHistory = 5

const help = `Ask a question in plain words, e.g. "who met Vladimir Putin last week?"
Commands:
  :sources        full citations of the last answer
  :open N         the whole paragraph behind citation [N]
  :latest [topic] the newest headlines, optionally about a topic
  :new            start a new conversation (forget earlier questions)
  :mode [llm|template]  answer with the language model or from templates
  :help           this help
  :quit           leave (or Ctrl-D)
`

// lineReader abstracts readline and plain line reading.
type lineReader interface {
	Readline() (string, error)
	Close() error
}

type plainReader struct{ s *bufio.Scanner }

func (p plainReader) Readline() (string, error) {
	if p.s.Scan() {
		return p.s.Text(), nil
	}
	if err := p.s.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

func (plainReader) Close() error { return nil }

func (r *REPL) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Run reads until end of input, :quit, or ctx is done.
func (r *REPL) Run(ctx context.Context) error {
	var in lineReader
	if r.Interactive {
		rl, err := readline.NewEx(&readline.Config{
			Prompt:          "news> ",
			HistoryFile:     r.HistoryFile,
			Stdin:           io.NopCloser(r.In),
			Stdout:          r.Out,
			InterruptPrompt: "^C",
			EOFPrompt:       "",
		})
		if err != nil {
			return fmt.Errorf("repl: %w", err)
		}
		in = rl
		if r.Greeting != "" {
			fmt.Fprintln(r.Out, r.Greeting)
		}
	} else {
		s := bufio.NewScanner(r.In)
		s.Buffer(make([]byte, 64<<10), 1<<20)
		in = plainReader{s}
	}
	defer in.Close()
	for {
		if ctx.Err() != nil {
			return nil
		}
		line, err := in.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			continue // Ctrl-C clears the line; Ctrl-D leaves
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("repl: read: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if r.Notice != nil {
			if n := r.Notice(); n != "" {
				fmt.Fprintf(r.Out, "%s\n\n", n)
			}
		}
		quit := false
		if err := safe.Do(ctx, r.logger(), "repl line", func() { quit = r.handle(ctx, line) }); err != nil {
			fmt.Fprintln(r.Out, bot.ApologyMessage)
		}
		if quit {
			return nil
		}
	}
}

// handle runs one command or question and reports whether to quit.
func (r *REPL) handle(ctx context.Context, line string) bool {
	if strings.HasPrefix(line, ":") {
		cmd, arg, _ := strings.Cut(line[1:], " ")
		arg = strings.TrimSpace(arg)
		switch strings.ToLower(cmd) {
		case "q", "quit", "exit":
			return true
		case "h", "help", "?":
			io.WriteString(r.Out, help)
			if r.Feeds != nil {
				io.WriteString(r.Out, "  :feeds          the state of the news feeds polled in the background\n")
			}
		case "feeds":
			if r.Feeds == nil {
				fmt.Fprintln(r.Out, "No feeds are polled in this session.")
				break
			}
			if err := r.Feeds(ctx, r.Out); err != nil {
				r.logger().Error("feeds failed", "err", err)
				fmt.Fprintln(r.Out, bot.UserMessage(err))
			}
		case "sources", "s":
			WriteSources(r.Out, r.last)
		case "open", "o":
			n, err := strconv.Atoi(strings.Trim(arg, "[]"))
			if err != nil {
				fmt.Fprintln(r.Out, "Usage: :open N (the number of a citation, e.g. :open 1)")
				break
			}
			WriteParagraph(r.Out, r.last, n)
		case "latest", "l":
			hs, err := r.Bot.Latest(ctx, arg, 10)
			if err != nil {
				r.logger().Error("latest failed", "err", err)
				fmt.Fprintln(r.Out, bot.UserMessage(err))
				break
			}
			WriteHeadlines(r.Out, hs)
		case "new":
			r.history, r.last = nil, nil
			fmt.Fprintln(r.Out, "Started a new conversation.")
		case "mode", "m":
			r.setMode(arg)
		default:
			fmt.Fprintf(r.Out, "Unknown command :%s. Type :help for the list.\n", cmd)
		}
		if !r.Interactive {
			fmt.Fprintln(r.Out)
		}
		return false
	}
	q := r.Question
	q.Text = line
	q.History = r.history
	ans, shown, err := askStreaming(ctx, r.Bot, q, r.Out)
	if err != nil {
		if shown != "" {
			fmt.Fprintln(r.Out)
		}
		if !errors.Is(err, bot.ErrEmptyQuestion) && !errors.Is(err, bot.ErrQuestionTooLong) {
			r.logger().Error("answer failed", "err", err)
		}
		fmt.Fprintln(r.Out, bot.UserMessage(err))
		return false
	}
	r.last = ans
	r.history = append(r.history, ans.Question)
	if len(r.history) > maxHistory {
		r.history = r.history[len(r.history)-maxHistory:]
	}
	WriteStreamedAnswer(r.Out, ans, shown)
	fmt.Fprintln(r.Out)
	return false
}

// setMode handles :mode: shows the mode, or sets it to llm or template.
func (r *REPL) setMode(arg string) {
	current := r.Question.Mode
	if current == "" {
		current = bot.ModeTemplate
		if r.LLM {
			current = bot.ModeLLM
		}
	}
	switch strings.ToLower(arg) {
	case "":
		fmt.Fprintf(r.Out, "Answers come from %s. Switch with :mode llm or :mode template.\n", modeName(current))
	case bot.ModeLLM:
		r.Question.Mode = bot.ModeLLM
		if !r.LLM {
			fmt.Fprintln(r.Out, "No language model is configured (set NEWSBOT_LLM_MODEL, see README), so answers stay extractive.")
			return
		}
		fmt.Fprintf(r.Out, "Answers now come from %s.\n", modeName(bot.ModeLLM))
	case bot.ModeTemplate:
		r.Question.Mode = bot.ModeTemplate
		fmt.Fprintf(r.Out, "Answers now come from %s.\n", modeName(bot.ModeTemplate))
	default:
		fmt.Fprintln(r.Out, "Usage: :mode llm or :mode template")
	}
}

func modeName(mode string) string {
	if mode == bot.ModeLLM {
		return "the language model (llm)"
	}
	return "the articles' own sentences (template)"
}
