"""From a SourceDocument to structured reports: tables, split, sections, funds, indicators."""
