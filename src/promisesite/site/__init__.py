"""Rendering the ledger into a static site: URLs, Markdown, pages, feeds, and the atomic writer."""
