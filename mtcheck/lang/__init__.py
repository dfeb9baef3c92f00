"""Source-language knowledge, one small module per source language (``zh``: Chinese).

A check that reads the source asks the module of its language; a second language pair is a
new module here, not edits to every check. Nothing heavy is imported until it is used.
"""
