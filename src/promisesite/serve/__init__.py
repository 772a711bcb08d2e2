"""`promisesite serve`: watch the files, rebuild what an edit affects, reload open pages."""
