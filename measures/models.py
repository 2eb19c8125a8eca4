"""Weaknesses, corrective measures, progress and memos (built on top of assessments)."""
