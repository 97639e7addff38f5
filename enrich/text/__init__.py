"""Text analysis, all in one place: what a paper's own words say.

- :mod:`.links`: GitHub repositories and arXiv IDs written in an abstract, with their sentence.
- :mod:`.names`: the method names a paper introduces, and which names are word-like.
- :mod:`.vocabulary`: the method vocabulary (curated aliases and guards, plus the corpus's own names).
- :mod:`.scan`: one Aho-Corasick pass over every text, and which methods each paper uses.
- :mod:`.from_text`: the above applied to one paper (the stage the pipeline calls).
"""
