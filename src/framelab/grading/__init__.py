"""Grading: scoring, agreement, points and feedback; the answers file; grade cells; autograde."""
