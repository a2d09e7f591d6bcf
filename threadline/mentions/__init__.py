"""Mentions: the names and identifiers of known entities, found in document text.

`Finder` knows the values to look for, `finder.find` finds them in texts, and
`mention.mention_rows` makes each found mention into statements of a followthemoney
`Mention`; `view.views` shows them to a reader with snippets.
"""

from threadline.mentions.finder import Finder
from threadline.mentions.matcher import Hit, Matcher, Target
from threadline.mentions.mention import MENTION, Span, mention_id
from threadline.mentions.view import MentionView, Snippet

__all__ = [
    "MENTION",
    "Finder",
    "Hit",
    "Matcher",
    "MentionView",
    "Snippet",
    "Span",
    "Target",
    "mention_id",
]
