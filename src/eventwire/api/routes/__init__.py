"""One router per resource: events, reviews, documents, stats (with the timeline), stories."""
