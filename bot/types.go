package bot

import "github.com/newsbot/newsbot/knowledge"

// The core's vocabulary for what it retrieves, so that adapters need
// nothing beyond this package: a Passage is one paragraph with its
// article's metadata, a Result the passages found for a question.
type (
	Passage = knowledge.Passage
	Result  = knowledge.Result
)
