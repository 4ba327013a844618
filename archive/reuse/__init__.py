"""Text reuse: which passages of other documents share an aligned span with a passage.

Passages are compared in a canonical form (folded, without punctuation, digits and
placeholders collapsed), seeded by winnowed character n-grams, aligned by chaining
seeds, and grouped into clusters whose earliest-dated member is the probable source.
A span shared by enough documents is template text. See README "Text reuse".
"""
