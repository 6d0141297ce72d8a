"""The annotated corpus and the training of the learned event classifier.

Only `corpus` is used at run time by benchmarks and tests; `train` needs the optional
``train`` extra (torch, transformers) and is never imported by the coder.
"""
