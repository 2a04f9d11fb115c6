"""Writes of the appraisal cycle: periods, ratings, entries, ranking, close."""
