"""The fleet analysis and report (issue #19): snapshots, strategy figures, the HTML report."""
