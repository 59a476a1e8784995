"""Output writers: flags.jsonl / reports.jsonl / errors.jsonl (jsonl), summary.xlsx (xlsx),
summary.html (html), linter-style text (text); records shared by them (records)."""
