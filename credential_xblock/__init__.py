"""Practical-assessment XBlock: prompt, evidence, rubric scoring, credential link."""

__version__ = "0.1.0"
