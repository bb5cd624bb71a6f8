"""Trust records and protections: blocked phones, the personal-data audit log, retention, rate limits.

Below the concerns: it imports neither complaints nor evaluations; they call it.
"""
