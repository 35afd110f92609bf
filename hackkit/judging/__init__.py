"""Judging: fair, explainable results from a jury.

The algorithm modules here are plain Python with no Flask or database, so that they can be
tested and reasoned about on their own:

- ``scores``: weighted raw mean and per-judge normalised results, ranks with ties;
- ``explanation``: the method in plain words for the results page;
- ``assignment``: balanced judge assignment that respects conflicts of interest;
- ``pairwise``: Crowd-BT pairwise judging (as in Gavel), replayed from the vote log.

Views and services that store criteria, scores and votes build on these.
"""
