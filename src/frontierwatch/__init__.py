"""frontierwatch — an open observatory of frontier technology (未来产业瞭望站).

Data path: sources → store → embed → topics → signals → forecast → catalog / web / match.
"""
__version__ = "0.1.0"
