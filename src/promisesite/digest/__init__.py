"""The weekly digest: who owes what and who waits for whom, printed, posted or mailed."""
